# SPDX-License-Identifier: GPL-2.0
# lsm-stack workbench. 'make help' lists the targets; README.md explains them.

LSM ?= apparmor,selinux,yama
KSFT ?=
FLAVOR ?= test
# DISTRO=debian: make run boots the Debian image instead of the busybox initramfs.
DISTRO ?=
# lsm.interface= for make run; with DISTRO=debian it defaults to selinux when LSM has
# SELinux, so that Debian's libselinux reads SELinux's labels whatever the order.
IFACE ?= $(if $(DISTRO),$(if $(findstring selinux,$(LSM)),selinux))
export FLAVOR BOOTS DEBUG FROM DISTROS FUZZ FAULTS TRINITY STRESS KMSAN SEED ROWS PARTS SCALE REPS

S := scripts
OBJ := build/obj-$(FLAVOR)

.PHONY: help deps tree export build initramfs distro run boot check soak bench bench-trace static bisect clean

help:
	@echo 'make run [LSM=...] [DISTRO=debian] [IFACE=..]  build if needed, boot with lsm=LSM (and'
	@echo '                       lsm.interface=IFACE), show modules and contexts; DISTRO=debian:'
	@echo '                       the Debian 12 image (systemd, both policies enforcing), root shell'
	@echo 'make distro            build the Debian image if its inputs changed'
	@echo 'make check [BOOTS=..] [DEBUG=..]  build, boot the tests/matrix lsm= strings, test,'
	@echo '                       summarise; DEBUG=rows|all|none: rows again on the debug kernel (default: full stacked)'
	@echo 'make soak [FUZZ=..] [FAULTS=..] [TRINITY=..] [STRESS=..] [KMSAN=no] [SEED=..] [ROWS=..] [PARTS=..]  hours: every'
	@echo '                       row on the debug kernel with the fuzzer and fault injection, Debian with'
	@echo '                       trinity and stress-ng, a KMSAN kernel; figures (docs/reliability.md)'
	@echo 'make bench [SCALE=..] [REPS=..] [ROWS=..] [WALL=..]  instructions a hook-heavy operation,'
	@echo '                       stock 6.1 against the series (QEMU -icount), then WALL wall-clock'
	@echo '                       rounds (noisy); tables in build/logs/bench/, BENCHMARKS.md'
	@echo 'make bench-trace OP=.. [LSM=..]  one operation of workload OP stepped under gdb on both'
	@echo '                       kernels: the instructions each function ran, stock against series'
	@echo 'make boot LSM=.. [KSFT=..]  one checked boot of any lsm= string (LSM=default: CONFIG_LSM)'
	@echo 'make tree              unpack the base as a git tree in build/linux and apply patches/'
	@echo 'make export            write the tree'"'"'s commits since the base back to patches/'
	@echo 'make build             configure and build the kernel (out of tree, ccache)'
	@echo 'make static            checkpatch, sparse and W=1 on the series'
	@echo 'make bisect [FROM=N] [ONLY="N M .."]  build every patch (from patch N, or only those) of the'
	@echo '                       series on its own (slow: not in check)'
	@echo 'make clean             remove build/ (the tree too: export first)'

deps:
	@$(S)/deps.sh

tree: deps
	@$(S)/tree.sh

export:
	@$(S)/export.sh

build/linux/.git:
	@$(S)/deps.sh
	@$(S)/tree.sh

build: build/linux/.git
	@$(S)/build.sh

initramfs: build
	@$(S)/initramfs.sh

distro: deps
	@$(S)/distro.sh

ifeq ($(DISTRO),)
run: initramfs
	@$(S)/boot.sh --name run --plan run --lsm $(LSM) $(if $(IFACE),--append lsm.interface=$(IFACE))
else ifeq ($(DISTRO),debian)
run: build distro
	@$(S)/boot.sh --name run-debian --plan run --lsm $(LSM) --disk build/distro/debian.img \
		--timeout 1800 $(if $(IFACE),--append lsm.interface=$(IFACE))
else
run:
	$(error DISTRO=$(DISTRO): the only distribution image is debian)
endif

boot: initramfs
	@rm -f build/logs/results.jsonl
	@rc=0; $(S)/boot.sh --name boot --plan check --lsm $(LSM) --ksft "$(KSFT)" || rc=$$?; \
		$(S)/results.py boot boot - $$rc $(if $(KSFT),ksft); \
		$(S)/results.py summary

check:
	@$(S)/check.sh

soak: build/linux/.git
	@$(S)/soak.sh

bench: build/linux/.git
	@$(S)/bench.sh

bench-trace: build/linux/.git
	@OP='$(OP)' LSM='$(or $(LSM),selinux)' $(S)/bench-trace.sh

# Their own results file (results.py's LSMSTACK_RESULTS): make check's or make soak's,
# perhaps still running, stays whole.
static: export LSMSTACK_RESULTS = $(CURDIR)/build/logs/static.jsonl
static: build/linux/.git
	@rm -f $(LSMSTACK_RESULTS)
	@$(S)/static.sh
	@$(S)/results.py summary

bisect: export LSMSTACK_RESULTS = $(CURDIR)/build/logs/bisect.jsonl
bisect: build/linux/.git
	@rm -f $(LSMSTACK_RESULTS)
	@$(S)/bisect.sh
	@$(S)/results.py summary

clean:
	rm -rf build
