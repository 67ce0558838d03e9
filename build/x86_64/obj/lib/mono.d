build/x86_64/obj/lib/mono.o: lib/mono.c lib/mono.h
lib/mono.h:
