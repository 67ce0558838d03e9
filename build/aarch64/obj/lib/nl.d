build/aarch64/obj/lib/nl.o: lib/nl.c lib/nl.h
lib/nl.h:
