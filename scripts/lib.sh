# SPDX-License-Identifier: GPL-2.0
# Shared settings for the lsm-stack workbench scripts. Source it, don't run it.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}
export FLAVOR=${FLAVOR:-test}
OBJ=$BUILD/obj-$FLAVOR
KSFT=$BUILD/kselftest
LOGS=$BUILD/logs
BASE_PKG=linux-source-6.1
BASE_TARBALL=/usr/src/linux-source-6.1.tar.xz
BASE_TAG=base
BRANCH=lsm-stack
JOBS=${JOBS:-$(nproc)}

# Fixed identity and dates: the base import and the exported series must not churn.
export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-lsm-stack}
export GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-lsm-stack@localhost}
export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-$GIT_AUTHOR_NAME}
export GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-$GIT_AUTHOR_EMAIL}

# Reproducible kernel builds keep ccache hits across trees and sessions.
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2026-01-01}
export KBUILD_BUILD_USER=lsm-stack KBUILD_BUILD_HOST=workbench
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.ccache}
export CCACHE_BASEDIR=$TOP

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

kmake() {
	make -C "$TREE" O="$OBJ" -j"$JOBS" CC="ccache gcc" HOSTCC="ccache gcc" "$@"
}

# The version of the base the tree was made from, from its top-level Makefile.
tree_version() {
	awk '/^VERSION/{v=$3} /^PATCHLEVEL/{p=$3} /^SUBLEVEL/{s=$3} END{print v"."p"."s}' \
		"$1/Makefile"
}
