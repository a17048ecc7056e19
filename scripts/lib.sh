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

# The kernel's compiler: clang for the KMSAN flavour (gcc has no KMSAN in 6.1), else gcc.
KCC=gcc
[ "$FLAVOR" = kmsan ] && KCC=clang
kmake() {
	make -C "$TREE" O="$OBJ" -j"$JOBS" CC="ccache $KCC" HOSTCC="ccache gcc" "$@"
}

# The version of the base the tree was made from, from its top-level Makefile.
tree_version() {
	awk '/^VERSION/{v=$3} /^PATCHLEVEL/{p=$3} /^SUBLEVEL/{s=$3} END{print v"."p"."s}' \
		"$1/Makefile"
}

# Why the tree is not exactly patches/ applied on the base; nothing when it is. Edits,
# staged or untracked (not ignored) files in it, or commits since the base that export
# differently from patches/ (export.sh --to, the same output as 'make export').
series_drift() {
	local st tmp
	if ! st=$(git -C "$TREE" --no-optional-locks status --porcelain 2>&1); then
		printf 'git status failed in %s: %s\n' "$TREE" "$st"
		return 0
	fi
	if [ -n "$st" ]; then
		printf '%s has changes that are not commits (git status --porcelain):\n%s\n' \
			"$TREE" "$(printf '%s\n' "$st" | head -n 10)"
		return 0
	fi
	tmp=$(mktemp -d)
	if ! "$TOP/scripts/export.sh" --to "$tmp/patches" >"$tmp/export.log" 2>&1; then
		printf 'exporting %s failed:\n%s\n' "$TREE" "$(cat "$tmp/export.log")"
	else
		diff -rq -x cover-letter.txt "$tmp/patches" "$TOP/patches" 2>&1 |
			sed -e "s|$tmp/patches|the export of $TREE|g" -e "s|$TOP/||g" || true
	fi
	rm -rf "$tmp"
}
