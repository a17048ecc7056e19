#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The two kernels make bench and make bench-trace compare, built if they are not current:
# the series kernel (make check's test kernel with config/bench.config: static keys
# patched into the code; build/obj-bench) and stock 6.1 (tag base, in build/linux-base,
# object directory build/obj-bench-base) from the same .config, less the options only
# the series has. Both are gcc's, whatever FLAVOR the caller has.
export FLAVOR=bench
. "$(dirname "$0")/lib.sh"

BASE_OBJ=$BUILD/obj-bench-base
BASE_TREE=$BUILD/linux-base

[ -d "$TREE/.git" ] || "$TOP/scripts/tree.sh"
say "build (series kernel, the test kernel with config/bench.config)"
"$TOP/scripts/build.sh"

# Stock 6.1 from the series kernel's .config: olddefconfig drops what 6.1 does not know.
say "build (stock 6.1, tag $BASE_TAG, in $BASE_TREE)"
# The worktree scripts/static.sh shares; after 'make tree' its old link may be stale.
base_commit=$(git -C "$TREE" rev-parse "$BASE_TAG^{commit}")
if ! git -C "$BASE_TREE" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$TREE" worktree prune
	rm -rf "$BASE_TREE"
	git -C "$TREE" worktree add -f -q --detach "$BASE_TREE" "$base_commit"
elif [ "$(git -C "$BASE_TREE" rev-parse HEAD)" != "$base_commit" ]; then
	git -C "$BASE_TREE" checkout -q --detach "$base_commit"
fi
mkdir -p "$BASE_OBJ"
if ! cmp -s "$OBJ/.config" "$BASE_OBJ/series.config"; then
	cp "$OBJ/.config" "$BASE_OBJ/.config"
	TREE=$BASE_TREE OBJ=$BASE_OBJ kmake -s olddefconfig
	cp "$OBJ/.config" "$BASE_OBJ/series.config"
fi
# The options only the series' kernel sets (its own, and what they select).
only=$(comm -23 <(grep '^CONFIG_' "$OBJ/.config" | sort) \
	<(grep '^CONFIG_' "$BASE_OBJ/.config" | sort) | paste -sd' ')
say "options only the series kernel sets: ${only:-none}"
start=$(date +%s)
TREE=$BASE_TREE OBJ=$BASE_OBJ kmake -s bzImage
say "stock 6.1 built in $(($(date +%s) - start))s"

say "initramfs"
FLAVOR=test "$TOP/scripts/initramfs.sh"
