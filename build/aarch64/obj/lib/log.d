build/aarch64/obj/lib/log.o: lib/log.c lib/log.h
lib/log.h:
