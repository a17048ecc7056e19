#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every commit of the series on its own, oldest first, so that the series stays
# bisectable: each patch must configure and build the kernel with the workbench's
# fragments. Uses its own worktree (build/linux-bisect) and object directory
# (build/obj-bisect); ccache makes the unchanged parts cheap. Options a fragment asks
# for that do not exist yet at an early commit are simply not set there.
# FROM=N starts at patch N and records the earlier ones as skipped: for a series that grew
# at its end, whose earlier patches were built before. ONLY="N M ..." builds just those
# patches (the others skipped): after the fragments grow, the patches whose headers or
# sources the newly built code uses.
. "$(dirname "$0")/lib.sh"
R() { "$TOP/scripts/results.py" record "$@"; }

frags=("$TOP/config/guest.config" "$TOP/config/distro.config" "$TOP/config/lsm.config"
	"$TOP/config/kunit.config")
wt=$BUILD/linux-bisect
obj=$BUILD/obj-bisect
dir=$LOGS/bisect
rm -rf "$dir"
mkdir -p "$dir" "$obj"
git -C "$TREE" diff --quiet HEAD ||
	say "warning: $TREE has uncommitted changes; only commits are built"
if [ ! -d "$wt" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q -f --detach "$wt" "$BASE_TAG" >/dev/null
fi
cat "${frags[@]}" >"$obj/lsm-stack.fragment"

n=0
for c in $(git -C "$TREE" rev-list --reverse "$BASE_TAG..HEAD"); do
	n=$((n + 1))
	subject=$(git -C "$TREE" log -1 --format=%s "$c")
	name=$(printf 'bisect: %04d %s' "$n" "$subject")
	log=$dir/$(printf '%04d' "$n").log
	if [ "$n" -lt "${FROM:-1}" ]; then
		R "$name" skip "FROM=$FROM"
		continue
	fi
	if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $n "* ]]; then
		R "$name" skip "not in ONLY=$ONLY"
		continue
	fi
	say "building patch $n: $subject"
	git -C "$wt" checkout -q --detach "$c"
	start=$SECONDS
	if { make -C "$wt" O="$obj" -j"$JOBS" CC="ccache gcc" HOSTCC="ccache gcc" -s \
		KCONFIG_ALLCONFIG="$obj/lsm-stack.fragment" allnoconfig &&
	     make -C "$wt" O="$obj" -j"$JOBS" CC="ccache gcc" HOSTCC="ccache gcc" -s bzImage
	   } >"$log" 2>&1; then
		R "$name" pass "built in $((SECONDS - start))s"
	else
		R "$name" fail "$(grep -m3 -E 'error|Error' "$log" | tr '\n' ' ')(log: $log)"
	fi
done
[ "$n" -gt 0 ] || R "bisect" skip "the series has no patches yet"
