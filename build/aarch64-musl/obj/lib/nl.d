build/aarch64-musl/obj/lib/nl.o: lib/nl.c lib/nl.h
lib/nl.h:
