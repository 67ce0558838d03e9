# embnet: one non-recursive Makefile.
#
#   make [ARCH=x86_64|aarch64|armhf|s390x] [LIBC=glibc|musl] [SANITIZE=address,undefined]
#        [MULTICALL=1]   (one program, embnet: see MULTICALL below)
#   make check | bench | fuzz [FUZZ_SECONDS=60] | deps | install | clean
#
# Every variable below can be overridden on the command line.

.DEFAULT_GOAL := all
HOST_ARCH := $(shell uname -m)
ARCH ?= $(HOST_ARCH)
LIBC ?= glibc
SANITIZE ?=
V ?= 0
PREFIX ?= /usr
DESTDIR ?=
SYSROOT ?=
FUZZ_SECONDS ?= 60
PYTHON ?= /usr/bin/python3

# ARCH names a target as the guests do; each maps to its GNU triplet and
# the qemu-user that runs its programs on this host.
TRIPLET_x86_64 := x86_64-linux-gnu
TRIPLET_aarch64 := aarch64-linux-gnu
TRIPLET_armhf := arm-linux-gnueabihf
TRIPLET_s390x := s390x-linux-gnu
QEMU_USER_armhf := qemu-arm-static
TRIPLET := $(TRIPLET_$(ARCH))
ifeq ($(TRIPLET),)
$(error ARCH=$(ARCH): use x86_64, aarch64, armhf or s390x)
endif
ifeq ($(ARCH),$(HOST_ARCH))
CROSS_COMPILE ?=
QEMU_USER :=
else
CROSS_COMPILE ?= $(TRIPLET)-
QEMU_USER := $(or $(QEMU_USER_$(ARCH)),qemu-$(ARCH)-static)
endif

# Build directory: build/ARCH, with -musl / -mc / -san suffixes for those
# builds.
BUILD ?= build/$(ARCH)$(if $(filter musl,$(LIBC)),-musl)$(if \
	$(filter 1,$(MULTICALL)),-mc)$(if $(SANITIZE),-san)
BIN := $(BUILD)/bin
OBJ := $(BUILD)/obj
LIBA := $(BUILD)/lib/libembnet.a

# musl: musl-gcc on x86_64; elsewhere the cross gcc with the specs file
# of Debian's musl-dev:ARCH (the same thing musl-gcc is).
MUSL_TRIPLET_x86_64 := x86_64-linux-musl
MUSL_TRIPLET_aarch64 := aarch64-linux-musl
MUSL_TRIPLET_armhf := arm-linux-musleabihf
MUSL_TRIPLET_s390x := s390x-linux-musl
ifeq ($(LIBC),musl)
ifeq ($(ARCH),x86_64)
CC := musl-gcc
else
CC := $(CROSS_COMPILE)gcc -specs /usr/lib/$(MUSL_TRIPLET_$(ARCH))/musl-gcc.specs
endif
else
CC := $(CROSS_COMPILE)gcc
endif
AR := $(CROSS_COMPILE)ar
STRIP := $(CROSS_COMPILE)strip

# Dependencies: pkg-config where the library ships a .pc, else -l names.
ifneq ($(SYSROOT),)
PKG_CONFIG_SYSROOT_DIR ?= $(SYSROOT)
export PKG_CONFIG_SYSROOT_DIR
endif
ifneq ($(ARCH),$(HOST_ARCH))
PKG_CONFIG_LIBDIR ?= $(SYSROOT)/usr/lib/$(TRIPLET)/pkgconfig:$(SYSROOT)/usr/share/pkgconfig
endif
ifneq ($(PKG_CONFIG_LIBDIR),)
export PKG_CONFIG_LIBDIR
endif
PKG_CONFIG ?= pkg-config
pc = $(shell $(PKG_CONFIG) $(1) $(2) 2>/dev/null || echo $(3))
MNL_CFLAGS ?= $(call pc,--cflags,libmnl,)
MNL_LIBS ?= $(call pc,--libs,libmnl,-lmnl)
CJSON_CFLAGS ?= $(call pc,--cflags,libcjson,)
CJSON_LIBS ?= $(call pc,--libs,libcjson,-lcjson)
MBEDTLS_CFLAGS ?=
MBEDTLS_LIBS ?= -lmbedtls -lmbedx509 -lmbedcrypto
CMOCKA_CFLAGS ?= $(call pc,--cflags,cmocka,)
CMOCKA_LIBS ?= $(call pc,--libs,cmocka,-lcmocka)

# -Wcast-align speaks only for strict-alignment targets (armhf here).
WARN := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wcast-align -Werror
CFLAGS ?= -Os -g
# 64-bit file offsets and inode numbers on 32-bit targets too: readdir()
# fails with EOVERFLOW on a file system with 64-bit inodes without it.
CPPFLAGS += -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Ilib
ALL_CFLAGS = $(CFLAGS) $(WARN) -std=gnu11 -MMD -MP $(CPPFLAGS) \
	$(MNL_CFLAGS) $(CJSON_CFLAGS) $(MBEDTLS_CFLAGS)
LDFLAGS ?=
# Size (make bench weighs it): each function and object in a section of
# its own, so the link keeps only what is called; no unwind tables (C with
# no pthread_cancel needs none; sanitizer builds keep them for their stack
# traces); on x86_64 glibc, relative relocations packed (DT_RELR, glibc
# 2.36; the other arches' binutils 2.40 lack it): the name tables of
# ethtool and ifupdown are pointer arrays that PIE relocates one by one.
ALL_CFLAGS += -ffunction-sections -fdata-sections
LDFLAGS += -Wl,--gc-sections
# Every symbol bound at start (-z now): the GOT is read-only (full RELRO)
# for the rest of the run.  On x86_64 calls go through the GOT, not a PLT
# (-fno-plt): no .plt, and nothing writable after the RELRO pages.
LDFLAGS += -Wl,-z,now
ifeq ($(ARCH)-$(LIBC),x86_64-glibc)
LDFLAGS += -Wl,-z,pack-relative-relocs
ALL_CFLAGS += -fno-plt
endif
# ethtool-lite's own objects at -Oz (GCC 12: -Os less its last trades of
# size for speed): 1.7 KB less text, in a program whose commands spend
# their time in the kernel.  lib/ stays at -Os: netperf and dhcpc share it.
$(OBJ)/ethtool-lite/%.o: ALL_CFLAGS += -Oz
# ethtool's read-only data shares its code's pages (-z noseparate-code):
# two page paddings fewer, 4 KB of its size budget (ratio <= 0.20 of
# ethtool 6.1's; make bench).  The data is then mapped executable too.
# (Not in MULTICALL=1 builds, where $(BIN)/ethtool is a link to embnet.)
ifneq ($(MULTICALL),1)
$(BIN)/ethtool: LDFLAGS += -Wl,-z,noseparate-code
endif
ifneq ($(SANITIZE),)
# The first report stops the program, so no test can pass over one.
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
else
ALL_CFLAGS += -fno-asynchronous-unwind-tables -fno-unwind-tables
endif
ifneq ($(SYSROOT),)
ALL_CFLAGS += --sysroot=$(SYSROOT)
LDFLAGS += --sysroot=$(SYSROOT)
endif

# musl: the compiler sees only musl's headers, and Debian has no musl
# builds of libmnl, mbedtls, cJSON or cmocka.  scripts/sysroot builds them
# from the pinned tarballs in DL_DIR into MUSL_SYSROOT (with the kernel's
# headers), and programs link statically against it.  Without the
# tarballs, every file is still compiled (against Debian's headers, offered
# through MUSL_INC) but no program is linked: `make` says SKIP and why.
# A SYSROOT= of musl builds (Buildroot, Alpine) serves instead of both.
DL_DIR ?= dl
override DL_DIR := $(abspath $(DL_DIR))
export DL_DIR
MUSL_SYSROOT := build/$(ARCH)-musl/sysroot
MUSL_INC := $(BUILD)/musl-include
KERNEL_INC := $(if $(CROSS_COMPILE),/usr/$(TRIPLET)/include,/usr/include \
	/usr/include/$(TRIPLET))
SYSROOT_CMD = $(PYTHON) scripts/sysroot --dl-dir '$(DL_DIR)' \
	--out $(MUSL_SYSROOT) --cc '$(CC)' --ar $(AR) \
	--kernel-include $(KERNEL_INC)
MUSL_STAMP :=
ifeq ($(LIBC)$(SYSROOT),musl)
MUSL_SKIP := $(shell $(SYSROOT_CMD) --check-only 2>&1 >/dev/null)
ifeq ($(MUSL_SKIP),)
MUSL_STAMP := $(MUSL_SYSROOT)/.stamp
ALL_CFLAGS += -isystem $(MUSL_SYSROOT)/include
LDFLAGS += -static -L$(MUSL_SYSROOT)/lib
MNL_CFLAGS :=
CJSON_CFLAGS :=
MNL_LIBS := -lmnl
CJSON_LIBS := -lcjson
CMOCKA_CFLAGS :=
CMOCKA_LIBS := -lcmocka
else ifneq ($(word 2,$(MUSL_SKIP)),SKIP:)
$(error $(MUSL_SKIP))
else
$(info $(MUSL_SKIP))
ALL_CFLAGS += -isystem $(MUSL_INC)
CAN_LINK ?= 0
endif
else ifeq ($(LIBC),musl)
ALL_CFLAGS += -isystem $(MUSL_INC)
endif
CAN_LINK ?= 1
# Objects of a musl build compiled against Debian's headers (no tarballs)
# must not be linked against the sysroot later (mbedtls's structures
# follow its configuration): the headers used are recorded, and a change
# rebuilds every object.
ifeq ($(LIBC),musl)
MUSL_HEADERS := $(BUILD)/musl-headers
MUSL_HEADERS_NOW := $(if $(MUSL_STAMP),sysroot $(MUSL_SYSROOT),debian $(SYSROOT))
ifneq ($(shell cat $(MUSL_HEADERS) 2>/dev/null),$(strip $(MUSL_HEADERS_NOW)))
$(shell mkdir -p $(BUILD) && echo '$(MUSL_HEADERS_NOW)' >$(MUSL_HEADERS))
endif
endif
ASM_DIR := $(firstword $(wildcard /usr/include/$(TRIPLET)/asm /usr/$(TRIPLET)/include/asm))

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-7s %s\n' $(1) $(2)
endif

LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(OBJ)/%.o)

# Programs, one line each:
#   $(eval $(call prog,NAME,DIR,INSTALL_DIR,ALIASES,LIBS[,PREFIX,SHARED]))
# NAME is built from DIR/*.c when DIR/main.c exists and, if ONLY is set
# (e.g. ONLY="ifup dhcpc"), when named there.  main.c defines NAME_main()
# (lib/embnet/applets.h), which standalone.c's main() runs; with
# MULTICALL=1, embnet's main() runs them all instead.  LIBS are the extra
# libraries it links.  install puts it in INSTALL_DIR (under PREFIX unless
# that is /usr: /sbin stays, /usr/bin becomes PREFIX/bin), with each of
# ALIASES as a link beside it (as in $(BIN)); its man page is
# man/NAME.[1-8], and each alias gets a link to it.
# A directory may hold a second program whose files share a prefix
# (PREFIX: dhcpc6 is dhcpc/d6_*.c, main in d6_main.c and d6_standalone.c),
# plus the files of the first it names in SHARED; PROG_PREFIXES_DIR keeps
# those files out of the first program.
ONLY ?=
MC := $(filter 1,$(MULTICALL))
PROGS :=
PROG_NAMES :=
ALIAS_LINKS :=
ALL_OBJS := $(LIB_OBJS)
APPLET_LIBS :=
PROG_PREFIXES_dhcpc := d6_
define prog
ifneq ($(wildcard $(2)/$(6)main.c),)
ifneq ($(if $(ONLY),$(filter $(1),$(ONLY)),x),)
PROG_NAMES += $(1)
ALIASES_$(1) := $(4)
$(foreach n,$(1) $(4),$(eval DEST_$(n) := $(3)))
$(1)_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter-out $(2)/$(6)standalone.c, \
	$(if $(6),$(wildcard $(2)/$(6)*.c) $(7:%=$(2)/%),$(filter-out \
	$(PROG_PREFIXES_$(2):%=$(2)/%%),$(wildcard $(2)/*.c)))))
ALL_OBJS += $$($(1)_OBJS)
APPLET_LIBS += $(5)
ifeq ($(MC),)
ALL_OBJS += $(OBJ)/$(2)/$(6)standalone.o
ifeq ($(CAN_LINK),1)
PROGS += $(BIN)/$(1)
ALIAS_LINKS += $(4:%=$(BIN)/%)
endif
$(BIN)/$(1): $$($(1)_OBJS) $(OBJ)/$(2)/$(6)standalone.o $(LIBA)
	$$(call msg,LD,$$@)
	@mkdir -p $$(@D)
	$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$($(1)_OBJS) $(OBJ)/$(2)/$(6)standalone.o \
		$(LIBA) $(5) $$(MNL_LIBS)
$(4:%=$(BIN)/%): $(BIN)/$(1)
	$(Q)ln -sf $(1) $$@
endif
endif
endif
endef
$(eval $(call prog,ifup,ifupdown,/sbin,ifdown ifquery))
$(eval $(call prog,dhcpc,dhcpc,/sbin,udhcpc))
$(eval $(call prog,dhcpc6,dhcpc,/sbin,udhcpc6,,d6_,env.c packet.c daemon.c cli.c))
$(eval $(call prog,ethtool,ethtool-lite,/usr/sbin))
$(eval $(call prog,netperf,netperf,/usr/bin,,$(CJSON_LIBS) $(MBEDTLS_LIBS) \
	-lpthread))
# Where install puts NAME (a program or an alias): DEST_NAME under PREFIX.
dest = $(if $(filter /usr,$(PREFIX)),$(DEST_$(1)),$(PREFIX)$(patsubst \
	/usr/%,/%,$(DEST_$(1))))

# ---- MULTICALL=1: embnet, one program for all -------------------------
# embnet (multicall/main.c) runs the program that the basename of argv[0]
# names, or its first operand (`embnet ifup -a`), as busybox does.  $(BIN)
# gets every name as a link to it, so the tests run it as they run the
# programs of their own; install puts it in /bin (see install).  It holds
# every program, so ONLY does not apply.
ifneq ($(MC),)
ifneq ($(ONLY),)
$(error MULTICALL=1 puts every program in embnet: drop ONLY=$(ONLY))
endif
MC_NAMES := $(foreach p,$(PROG_NAMES),$(p) $(ALIASES_$(p)))
MC_LINKS := $(MC_NAMES:%=$(BIN)/%)
MC_OBJS := $(OBJ)/multicall/main.o $(sort $(foreach p,$(PROG_NAMES), \
	$($(p)_OBJS)))
ALL_OBJS += $(OBJ)/multicall/main.o
ifeq ($(CAN_LINK),1)
PROGS := $(BIN)/embnet
endif
$(BIN)/embnet: $(MC_OBJS) $(LIBA)
	$(call msg,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(MC_OBJS) $(LIBA) $(APPLET_LIBS) $(MNL_LIBS)

$(MC_LINKS): $(BIN)/embnet
	$(Q)ln -sf embnet $@
endif
# ---- end of MULTICALL ----------------------------------------------------

# Test programs: cmocka unit tests and the netlink driver for tests/net.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
NLTOOL_SRCS := $(wildcard tests/net/nltool*.c)
NLTOOL_OBJS := $(NLTOOL_SRCS:%.c=$(OBJ)/%.o)
NLTOOL := $(BUILD)/tests/nltool
ALL_OBJS += $(UNIT_SRCS:%.c=$(OBJ)/%.o) $(NLTOOL_OBJS)
# The tool files (in no library) that a unit test or fuzz target $(1)
# names on its "// sources: dhcpc/packet.c dhcpc/env.c" lines.
test_sources = $(strip $(shell sed -n 's|^// sources: ||p' $(1)))

.PHONY: all lib progs tests objs sysroot check unit net qemu-tests bench fuzz \
	fuzz-build fuzz-replay fuzz-cov \
	deps install clean rootfs qemu demo

all: lib progs $(if $(filter 1,$(CAN_LINK)),,objs)
lib: $(LIBA)
progs: $(PROGS) $(ALIAS_LINKS) $(if $(PROGS),$(MC_LINKS))
objs: $(ALL_OBJS)
tests: $(if $(filter 1,$(CAN_LINK)),$(UNIT_BINS) $(NLTOOL),$(ALL_OBJS))

$(LIBA): $(LIB_OBJS)
	$(call msg,AR,$@)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# A new sysroot (another mbedtls configuration) rebuilds every object.
$(OBJ)/%.o: %.c $(MUSL_STAMP) $(MUSL_HEADERS) | $(if $(filter musl,$(LIBC)),$(if \
		$(MUSL_STAMP),,$(MUSL_INC)))
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Fixed text packed at build time (scripts/lzpack, a build-machine tool):
# ethtool 6.1's usage, which help.c unpacks for -h.
HOSTCC ?= cc
GEN := $(BUILD)/gen
$(BUILD)/host/lzpack: scripts/lzpack.c
	$(call msg,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -O2 $(WARN) -o $@ $<
$(GEN)/usage.h: ethtool-lite/usage.txt $(BUILD)/host/lzpack
	$(call msg,LZPACK,$@)
	@mkdir -p $(@D)
	$(Q)$(BUILD)/host/lzpack usage <$< >$@.tmp && mv $@.tmp $@
$(OBJ)/ethtool-lite/help.o: $(GEN)/usage.h
$(OBJ)/ethtool-lite/help.o: ALL_CFLAGS += -I$(GEN)

sysroot: $(if $(filter musl,$(LIBC)),$(MUSL_STAMP),)
	$(if $(filter musl,$(LIBC)),$(if $(MUSL_STAMP),,@echo '$(MUSL_SKIP)'; \
		exit 1),@echo 'make sysroot: only with LIBC=musl'; exit 1)

$(MUSL_SYSROOT)/.stamp: scripts/sysroot netperf/mbedtls-config.h
	$(call msg,SYSROOT,$(MUSL_SYSROOT))
	$(Q)$(SYSROOT_CMD) --jobs 2

$(MUSL_INC):
	@mkdir -p $@
	$(Q)for d in linux asm-generic libmnl mbedtls cjson cmocka.h; do \
		ln -sfn $(SYSROOT)/usr/include/$$d $@/$$d; done
	$(Q)ln -sfn $(ASM_DIR) $@/asm

# cmocka.h guesses uintptr_t from __WORDSIZE, which musl lacks: it has one.
# A unit test's sources are compiled into it, in their order and before its
# own text (-include), so that it can call their static functions too.
$(foreach t,$(UNIT_SRCS),$(eval $(t:%.c=$(OBJ)/%.o): UNIT_INCLUDES := \
	$(addprefix -include ,$(call test_sources,$(t)))))
$(OBJ)/tests/unit/%.o: ALL_CFLAGS += $(CMOCKA_CFLAGS) -Wno-missing-prototypes \
	-D_UINTPTR_T_DEFINED $(UNIT_INCLUDES)
# Unit tests hold a tool's sources, so they link its libraries too.
UNIT_LIBS ?= -Wl,--as-needed $(CJSON_LIBS) $(MBEDTLS_LIBS) -lpthread
$(BUILD)/tests/unit/%: $(OBJ)/tests/unit/%.o $(LIBA)
	$(call msg,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIBA) $(MNL_LIBS) $(CMOCKA_LIBS) \
		$(UNIT_LIBS)

$(NLTOOL): $(NLTOOL_OBJS) $(LIBA)
	$(call msg,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(NLTOOL_OBJS) $(LIBA) $(MNL_LIBS)

# ---- tests -------------------------------------------------------------
# `make check`: deps, a sanitized native build, unit + net (+ qemu) tests,
# the aarch64 and musl builds; ends with "N passed, N failed".
CHECK_SANITIZE ?= address,undefined
check: deps
	$(Q)$(PYTHON) scripts/check --sanitize '$(CHECK_SANITIZE)' \
		--make '$(MAKE)'

unit: tests
	$(Q)$(PYTHON) scripts/check --only unit --build '$(BUILD)' \
		--arch $(ARCH)

net: tests
	$(Q)$(PYTHON) scripts/check --only net --build '$(BUILD)'

# The guest rows boot each arch's image: those are built first.
BENCH_ARCHES ?= x86_64 aarch64 armhf s390x
# The musl rows (tests/bench/bench_musl.py) compare ARCH's static musl
# builds, separate and multi-call, and its musl guest with the glibc ones.
# Without the tarballs in DL_DIR the musl builds say SKIP, and so do the rows.
BENCH_MAKE = $(MAKE) --no-print-directory ARCH=$(ARCH) SANITIZE= ONLY=
bench: deps all tests
	$(Q)set -e; for a in $(BENCH_ARCHES); do \
		$(MAKE) --no-print-directory ARCH=$$a BUILD=build/$$a LIBC=glibc \
			SANITIZE= rootfs; done
	$(Q)$(BENCH_MAKE) LIBC=glibc MULTICALL=1 BUILD=build/$(ARCH)-mc all
	$(Q)$(BENCH_MAKE) LIBC=musl MULTICALL= BUILD=build/$(ARCH)-musl all
	$(Q)$(BENCH_MAKE) LIBC=musl MULTICALL=1 BUILD=build/$(ARCH)-musl-mc all
	$(Q)if [ -x build/$(ARCH)-musl/bin/ifup ]; then $(BENCH_MAKE) LIBC=musl \
		MULTICALL= BUILD=build/$(ARCH)-musl rootfs; fi
	$(Q)BENCH_ARCHES='$(BENCH_ARCHES)' $(PYTHON) tests/bench/run \
		--build '$(BUILD)'

# ---- fuzzing ------------------------------------------------------------
# Each tests/fuzz/NAME_fuzz.c is a libFuzzer target.  It names the tool
# files it needs beside libembnet on "// sources:" lines, as unit tests do,
# but they are compiled apart and linked (a target's files need not make
# one translation unit), and the parser files it exists for (its coverage
# is reported for those; default: its sources) on lines
#   // sources: dhcpc/packet.c dhcpc/env.c
#   // fuzz-covers: dhcpc/packet.c:dhcp_parse,rd_*
# Three builds of every target:
#   build/fuzz/NAME      clang, libFuzzer, ASan, UBSan (make fuzz, check)
#   build/fuzz-cov/NAME  clang source coverage + tests/fuzz/replay.c
#   $(BUILD)/fuzz/NAME   $(CC) with UBSan + replay.c: corpora replayed on
#                        ARCH under qemu-user (make fuzz-replay ARCH=...)
FUZZ_SRCS := $(wildcard tests/fuzz/*_fuzz.c)
FUZZ_NAMES := $(FUZZ_SRCS:tests/fuzz/%.c=%)
FUZZ_CORPUS := tests/fuzz/corpus
FUZZ_CPPFLAGS := $(CPPFLAGS) $(MNL_CFLAGS) $(CJSON_CFLAGS) \
	$(MBEDTLS_CFLAGS)
FUZZ_LIBS := $(MNL_LIBS) $(CJSON_LIBS) $(MBEDTLS_LIBS) -lpthread

FZ_DIR_lf := build/fuzz
FZ_CC_lf := clang
FZ_CFLAGS_lf := -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all
FZ_LDFLAGS_lf := -fsanitize=fuzzer,address,undefined
FZ_MAIN_lf :=
FZ_DIR_cov := build/fuzz-cov
FZ_CC_cov := clang
FZ_CFLAGS_cov := -g -O0 -fprofile-instr-generate -fcoverage-mapping
FZ_LDFLAGS_cov := -fprofile-instr-generate
FZ_MAIN_cov := tests/fuzz/replay.c
FZ_DIR_rp := $(BUILD)/fuzz
FZ_CC_rp := $(CROSS_COMPILE)gcc
FZ_CFLAGS_rp := -g -O1 $(WARN) -fsanitize=undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FZ_LDFLAGS_rp := -fsanitize=undefined -static-libubsan
FZ_MAIN_rp := tests/fuzz/replay.c

# $(1): the build's key above.
define fuzz_build
$(FZ_DIR_$(1))/obj/%.o: %.c
	$$(call msg,CC,$$@)
	@mkdir -p $$(@D)
	$(Q)$(FZ_CC_$(1)) $(FZ_CFLAGS_$(1)) $(FUZZ_CPPFLAGS) -MMD -MP \
		-c -o $$@ $$<
$(FZ_DIR_$(1))/libembnet.a: $(LIB_SRCS:%.c=$(FZ_DIR_$(1))/obj/%.o)
	$(Q)rm -f $$@ && ar rcs $$@ $$^
-include $(wildcard $(FZ_DIR_$(1))/obj/*/*.d $(FZ_DIR_$(1))/obj/*/*/*.d)
endef
# $(1): the build's key, $(2): the target's name.
define fuzz_target
$(FZ_DIR_$(1))/$(2): $(patsubst %.c,$(FZ_DIR_$(1))/obj/%.o,tests/fuzz/$(2).c \
		$(FZ_MAIN_$(1)) $(call test_sources,tests/fuzz/$(2).c)) \
		$(FZ_DIR_$(1))/libembnet.a
	$$(call msg,LD,$$@)
	$(Q)$(FZ_CC_$(1)) $(FZ_LDFLAGS_$(1)) -o $$@ $$^ $(FUZZ_LIBS)
endef
$(foreach k,lf cov rp,$(eval $(call fuzz_build,$(k))) \
	$(foreach n,$(FUZZ_NAMES),$(eval $(call fuzz_target,$(k),$(n)))))

# fuzz-build: the libFuzzer targets on this host, the replay programs for
# another ARCH.  fuzz-replay runs every committed corpus input once.
ifeq ($(ARCH),$(HOST_ARCH))
fuzz-build: $(FUZZ_NAMES:%=$(FZ_DIR_lf)/%)
fuzz-replay: fuzz-build
	$(Q)set -e; for n in $(FUZZ_NAMES); do \
		$(FZ_DIR_lf)/$$n -runs=0 -timeout=10 $(FUZZ_CORPUS)/$$n \
			>$(FZ_DIR_lf)/$$n.replay.log 2>&1 || { \
			tail -30 $(FZ_DIR_lf)/$$n.replay.log; exit 1; }; \
		echo "fuzz-replay: $$n"; done
else
fuzz-build: $(FUZZ_NAMES:%=$(FZ_DIR_rp)/%)
fuzz-replay: fuzz-build
	$(Q)set -e; for n in $(FUZZ_NAMES); do \
		$(QEMU_USER) $(FZ_DIR_rp)/$$n $(FUZZ_CORPUS)/$$n || exit 1; \
		echo "fuzz-replay: $$n on $(ARCH)"; done
endif

# A campaign of FUZZ_SECONDS per target (FUZZ_JOBS at once); new inputs
# go to build/fuzz/corpus/NAME.  FUZZ_MERGE=1 then minimises them with
# the committed corpus into tests/fuzz/corpus/NAME.
FUZZ_JOBS ?= 1
FUZZ_MERGE ?= 0
fuzz: deps fuzz-build
	$(Q)$(PYTHON) scripts/fuzz --build $(FZ_DIR_lf) --seconds $(FUZZ_SECONDS) \
		--jobs $(FUZZ_JOBS) --merge $(FUZZ_MERGE) $(FUZZ_NAMES)

# Line and branch coverage of each target's parser files by its corpus.
fuzz-cov: deps $(FUZZ_NAMES:%=$(FZ_DIR_cov)/%)
	$(Q)$(PYTHON) scripts/fuzz --build $(FZ_DIR_cov) --coverage \
		$(FUZZ_NAMES)

deps:
	$(Q)scripts/deps $(ARCH)

# ---- guest -------------------------------------------------------------
# Packages carried into the guest besides busybox: test peers.  None for
# LIBC=musl: Debian's are glibc programs, and that image is all static.
GLIBC_GUEST_DEBS := iperf3,libiperf0,libsctp1,libssl3,ethtool,ifupdown
GUEST_DEBS ?= $(if $(filter musl,$(LIBC)),,$(GLIBC_GUEST_DEBS))
NET ?= user
rootfs: deps all
	$(if $(filter 0,$(CAN_LINK)),@echo 'make rootfs: no programs: $(MUSL_SKIP)'; \
		exit 1)
	$(Q)$(PYTHON) scripts/mkrootfs --arch $(ARCH) --libc $(LIBC) \
		--build $(BUILD) $(if $(MC),--multicall) \
		--extra-debs '$(GUEST_DEBS)' --only '$(ONLY)'

qemu: rootfs
	$(Q)$(PYTHON) scripts/qemu-run --arch $(ARCH) --build $(BUILD) \
		--net $(NET) --interactive

# The guest of ARCH; the host's own build serves it (netperf -s).  Its
# name in tests/qemu is ARCH, or ARCH-musl for LIBC=musl, whose ethtool
# is compared with Debian's in the glibc guest of ARCH, made here too.
QEMU_TARGET := $(ARCH)$(if $(filter musl,$(LIBC)),-musl)
GLIBC_MAKE = $(MAKE) --no-print-directory LIBC=glibc MULTICALL= SANITIZE= \
	ONLY= GUEST_DEBS=$(GLIBC_GUEST_DEBS)
qemu-tests: rootfs
	$(Q)$(GLIBC_MAKE) ARCH=$(HOST_ARCH) BUILD=build/$(HOST_ARCH) all
ifeq ($(LIBC),musl)
	$(Q)$(GLIBC_MAKE) ARCH=$(ARCH) BUILD=build/$(ARCH) rootfs
endif
	$(Q)EMBNET_QEMU_ARCHES=$(QEMU_TARGET) \
		EMBNET_BUILD_$(subst -,_,$(QEMU_TARGET))=$(BUILD) \
		$(PYTHON) scripts/check --only qemu --build build/$(HOST_ARCH)

demo: rootfs
	$(Q)$(PYTHON) scripts/demo --arch $(ARCH) --build $(BUILD)

# MULTICALL=1: embnet goes to /bin, as busybox does: on the root file
# system, which the /sbin programs need at boot.  Each name goes where its
# program would, as a link relative to its directory (../bin/embnet from
# /sbin, ../../bin/embnet from /usr/sbin; lexical, not through the host's
# links), which resolves the same inside DESTDIR and in the booted root.
# The man pages (man/*.[1-8]) go to $(MANDIR)/manN, with a link to a
# program's page for each of its aliases; MANDIR= installs none (rootfs).
MANDIR ?= $(PREFIX)/share/man
page = $(firstword $(wildcard man/$(1).[1-8]))
man_links = $(foreach p,$(PROG_NAMES),$(if $(call page,$(p)),$(foreach \
	a,$(ALIASES_$(p)),ln -sf $(notdir $(call page,$(p))) $$m/man$(subst \
	.,,$(suffix $(call page,$(p))))/$(a)$(suffix $(call page,$(p)));)))
install: all
ifeq ($(MC),)
	$(Q)set -e; $(foreach p,$(PROGS:$(BIN)/%=%),d=$(DESTDIR)$(call \
		dest,$(p)); install -D -m 755 -s --strip-program=$(STRIP) \
		$(BIN)/$(p) $$d/$(p); $(foreach a,$(ALIASES_$(p)),ln -sf $(p) \
		$$d/$(a);))
else
	$(Q)set -e; [ -n "$(PROGS)" ] || exit 0; b=$(if $(filter \
		/usr,$(PREFIX)),,$(PREFIX))/bin; \
	install -D -m 755 -s --strip-program=$(STRIP) $(BIN)/embnet \
		$(DESTDIR)$$b/embnet; \
	$(foreach n,$(MC_NAMES),d=$(call dest,$(n)); mkdir -p $(DESTDIR)$$d; \
		ln -sf $$(realpath -sm --relative-to=$$d $$b/embnet) \
		$(DESTDIR)$$d/$(n);)
endif
	$(Q)set -e; [ -n "$(MANDIR)" ] || exit 0; m=$(DESTDIR)$(MANDIR); \
	for f in man/*.[1-8]; do \
		install -D -m 644 $$f $$m/man$${f##*.}/$${f##*/}; done; \
	$(man_links)

clean:
	rm -rf build

-include $(ALL_OBJS:.o=.d)
