# embnet: one non-recursive Makefile.
#
#   make [ARCH=x86_64|aarch64] [LIBC=glibc|musl] [SANITIZE=address,undefined]
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

ifeq ($(ARCH),$(HOST_ARCH))
CROSS_COMPILE ?=
else
CROSS_COMPILE ?= $(ARCH)-linux-gnu-
endif
TRIPLET := $(ARCH)-linux-gnu

# Build directory: build/ARCH, with -musl / -san suffixes for those builds.
BUILD ?= build/$(ARCH)$(if $(filter musl,$(LIBC)),-musl)$(if $(SANITIZE),-san)
BIN := $(BUILD)/bin
OBJ := $(BUILD)/obj
LIBA := $(BUILD)/lib/libembnet.a

ifeq ($(LIBC),musl)
ifeq ($(ARCH),$(HOST_ARCH))
CC := musl-gcc
else
CC := $(ARCH)-linux-musl-gcc
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

WARN := -Wall -Wextra -Wshadow -Wmissing-prototypes -Werror
CFLAGS ?= -Os -g
CPPFLAGS += -D_GNU_SOURCE -Ilib
ALL_CFLAGS = $(CFLAGS) $(WARN) -std=gnu11 -MMD -MP $(CPPFLAGS) \
	$(MNL_CFLAGS) $(CJSON_CFLAGS) $(MBEDTLS_CFLAGS)
LDFLAGS ?=
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif
ifneq ($(SYSROOT),)
ALL_CFLAGS += --sysroot=$(SYSROOT)
LDFLAGS += --sysroot=$(SYSROOT)
endif

# musl: musl-gcc sees only musl's headers, so the kernel, libmnl, mbedtls
# and cJSON headers are offered through a directory of links.  Programs are
# linked only when a SYSROOT holds musl builds of the libraries.
MUSL_INC := $(BUILD)/musl-include
ifeq ($(LIBC),musl)
ALL_CFLAGS += -isystem $(MUSL_INC)
CAN_LINK ?= $(if $(SYSROOT),1,0)
ASM_DIR := $(firstword $(wildcard /usr/include/$(TRIPLET)/asm /usr/$(TRIPLET)/include/asm))
else
CAN_LINK ?= 1
endif

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-7s %s\n' $(1) $(2)
endif

LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(OBJ)/%.o)

# Programs: name, source directory, extra libraries.  Built when main.c
# exists and, if ONLY is set (e.g. ONLY="ifup dhcpc"), when named there.
ONLY ?=
PROGS :=
ALL_OBJS := $(LIB_OBJS)
define prog
ifneq ($(wildcard $(2)/main.c),)
ifneq ($(if $(ONLY),$(filter $(1),$(ONLY)),x),)
$(1)_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard $(2)/*.c))
ALL_OBJS += $$($(1)_OBJS)
ifeq ($(CAN_LINK),1)
PROGS += $(BIN)/$(1)
endif
$(BIN)/$(1): $$($(1)_OBJS) $(LIBA)
	$$(call msg,LD,$$@)
	@mkdir -p $$(@D)
	$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$($(1)_OBJS) $(LIBA) $(3) $$(MNL_LIBS)
endif
endif
endef
$(eval $(call prog,ifup,ifupdown,))
$(eval $(call prog,dhcpc,dhcpc,))
$(eval $(call prog,ethtool,ethtool-lite,))
$(eval $(call prog,netperf,netperf,$(CJSON_LIBS) $(MBEDTLS_LIBS) -lpthread))

# Test programs: cmocka unit tests and the netlink driver for tests/net.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
NLTOOL_SRCS := $(wildcard tests/net/nltool*.c)
NLTOOL_OBJS := $(NLTOOL_SRCS:%.c=$(OBJ)/%.o)
NLTOOL := $(BUILD)/tests/nltool
ALL_OBJS += $(UNIT_SRCS:%.c=$(OBJ)/%.o) $(NLTOOL_OBJS)

.PHONY: all lib progs tests objs check unit net qemu-tests bench fuzz \
	deps install clean rootfs qemu demo

all: lib progs $(if $(filter 1,$(CAN_LINK)),,objs)
lib: $(LIBA)
progs: $(PROGS) $(if $(filter $(BIN)/ifup,$(PROGS)),$(BIN)/ifdown $(BIN)/ifquery)
objs: $(ALL_OBJS)
tests: $(if $(filter 1,$(CAN_LINK)),$(UNIT_BINS) $(NLTOOL),$(ALL_OBJS))

$(BIN)/ifdown $(BIN)/ifquery: $(BIN)/ifup
	$(Q)ln -sf ifup $@

$(LIBA): $(LIB_OBJS)
	$(call msg,AR,$@)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(OBJ)/%.o: %.c | $(if $(filter musl,$(LIBC)),$(MUSL_INC))
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(MUSL_INC):
	@mkdir -p $@
	$(Q)for d in linux asm-generic libmnl mbedtls cjson cmocka.h; do \
		ln -sfn $(SYSROOT)/usr/include/$$d $@/$$d; done
	$(Q)ln -sfn $(ASM_DIR) $@/asm

# cmocka.h guesses uintptr_t from __WORDSIZE, which musl lacks: it has one.
$(OBJ)/tests/unit/%.o: ALL_CFLAGS += $(CMOCKA_CFLAGS) -Wno-missing-prototypes \
	-D_UINTPTR_T_DEFINED
# Unit tests may include a tool's sources, so they link its libraries too.
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
	$(Q)$(PYTHON) scripts/check --only unit --build '$(BUILD)'

net: tests
	$(Q)$(PYTHON) scripts/check --only net --build '$(BUILD)'

# The guest rows boot each arch's image: those are built first.
BENCH_ARCHES ?= x86_64 aarch64
bench: deps all tests
	$(Q)set -e; for a in $(BENCH_ARCHES); do \
		$(MAKE) --no-print-directory ARCH=$$a BUILD=build/$$a LIBC=glibc \
			SANITIZE= rootfs; done
	$(Q)$(PYTHON) tests/bench/run --build '$(BUILD)'

# libFuzzer targets, built with clang, ASan and UBSan, one run per target.
# A target of a tool's parser names the tool's files it needs on a line
# "// fuzz-sources: dhcpc/packet.c dhcpc/options.c".
FUZZ_BUILD := build/fuzz
FUZZ_SRCS := $(wildcard tests/fuzz/*_fuzz.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -D_GNU_SOURCE -Ilib $(MNL_CFLAGS) \
	$(CJSON_CFLAGS)
fuzz_extra = $(shell sed -n 's|^// fuzz-sources: ||p' $(1))
.SECONDEXPANSION:
$(FUZZ_BUILD)/%: tests/fuzz/%.c $(LIB_SRCS) $(wildcard lib/*.h) \
		$$(call fuzz_extra,tests/fuzz/$$*.c)
	$(call msg,FUZZ,$@)
	@mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) $(call fuzz_extra,$<) \
		$(MNL_LIBS) $(CJSON_LIBS) $(MBEDTLS_LIBS) -lpthread

fuzz: deps $(FUZZ_BINS)
	$(Q)set -e; for f in $(FUZZ_BINS); do \
		n=$${f##*/}; mkdir -p $(FUZZ_BUILD)/corpus/$$n; \
		echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n \
			2>$(FUZZ_BUILD)/$$n.log || { tail -40 $(FUZZ_BUILD)/$$n.log; \
			exit 1; }; \
		grep -a -E 'stat::number_of_executed_units' $(FUZZ_BUILD)/$$n.log; \
	done

deps:
	$(Q)scripts/deps $(ARCH)

# ---- guest -------------------------------------------------------------
# Packages carried into the guest besides busybox: test peers.
GUEST_DEBS ?= iperf3,libiperf0,libsctp1,libssl3,ethtool
NET ?= user
rootfs: deps all
	$(Q)$(PYTHON) scripts/mkrootfs --arch $(ARCH) --build $(BUILD) \
		--extra-debs $(GUEST_DEBS) --only '$(ONLY)'

qemu: rootfs
	$(Q)$(PYTHON) scripts/qemu-run --arch $(ARCH) --net $(NET) --interactive

qemu-tests: rootfs
	$(Q)$(PYTHON) scripts/check --only qemu --build '$(BUILD)'

demo: rootfs
	$(Q)$(PYTHON) scripts/demo --arch $(ARCH)

install: all
	$(Q)set -e; for p in $(PROGS); do n=$${p##*/}; case $$n in \
		ifup|dhcpc) d=/sbin;; ethtool) d=/usr/sbin;; *) d=/usr/bin;; \
		esac; [ "$(PREFIX)" = /usr ] || d=$(PREFIX)$${d#/usr}; \
		install -D -m 755 -s --strip-program=$(STRIP) $$p \
			$(DESTDIR)$$d/$$n; \
		if [ $$n = ifup ]; then ln -sf ifup $(DESTDIR)$$d/ifdown; \
			ln -sf ifup $(DESTDIR)$$d/ifquery; fi; \
		if [ $$n = dhcpc ]; then ln -sf dhcpc $(DESTDIR)$$d/udhcpc; fi; \
	done

clean:
	rm -rf build

-include $(ALL_OBJS:.o=.d)
