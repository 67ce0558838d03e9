build/x86_64/obj/tests/net/nltool.o: tests/net/nltool.c lib/log.h \
 tests/net/nltool.h lib/nl.h
lib/log.h:
tests/net/nltool.h:
lib/nl.h:
