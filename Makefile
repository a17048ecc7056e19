# SPDX-License-Identifier: GPL-2.0
# lsm-stack workbench. 'make help' lists the targets; README.md explains them.

LSM ?= apparmor,selinux,yama
KSFT ?=
FLAVOR ?= test
export FLAVOR BOOTS DEBUG FROM

S := scripts
OBJ := build/obj-$(FLAVOR)

.PHONY: help deps tree export build initramfs run boot check static bisect clean

help:
	@echo 'make run [LSM=...]     build if needed, boot with lsm=LSM, show modules and contexts'
	@echo 'make check [BOOTS=..] [DEBUG=..]  build, boot the tests/matrix lsm= strings, test,'
	@echo '                       summarise; DEBUG=rows|all|none: rows again on the debug kernel (default: full stacked)'
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

run: initramfs
	@$(S)/boot.sh --name run --plan run --lsm $(LSM)

boot: initramfs
	@rm -f build/logs/results.jsonl
	@rc=0; $(S)/boot.sh --name boot --plan check --lsm $(LSM) --ksft "$(KSFT)" || rc=$$?; \
		$(S)/results.py boot boot - $$rc $(if $(KSFT),ksft); \
		$(S)/results.py summary

check:
	@$(S)/check.sh

static: build/linux/.git
	@rm -f build/logs/results.jsonl
	@$(S)/static.sh
	@$(S)/results.py summary

bisect: build/linux/.git
	@rm -f build/logs/results.jsonl
	@$(S)/bisect.sh
	@$(S)/results.py summary

clean:
	rm -rf build
