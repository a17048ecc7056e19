#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Static checks on the series (the commits of build/linux since the base):
#  - scripts/checkpatch.pl --strict on every patch: any ERROR, WARNING or CHECK fails it;
#  - sparse (C=2) and W=1 on every C file the series touches: a warning the base does not
#    have for that file fails it (line numbers are ignored in the comparison). Files the
#    test kernel does not build are compiled under allmodconfig; one that no configuration
#    here builds is recorded as skipped.
. "$(dirname "$0")/lib.sh"
R() { "$TOP/scripts/results.py" record "$@"; }
. "$TOP/scripts/static-compare.sh"

dir=$LOGS/static
rm -rf "$dir"
mkdir -p "$dir/patches"

# First, that the comparison below still tells a new warning, an old one, a broken file
# and an unbuilt one apart.
"$TOP/scripts/static-selftest.sh"
git -C "$TREE" diff --quiet HEAD ||
	say "warning: $TREE has uncommitted changes; the static checks see only commits"
git -C "$TREE" format-patch -q -o "$dir/patches" --zero-commit --no-signature "$BASE_TAG..HEAD"

n=0
for p in "$dir/patches"/*.patch; do
	[ -e "$p" ] || break
	n=$((n + 1))
	b=$(basename "$p")
	# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") fires for every new file of a
	# patch that does not touch MAINTAINERS; the series checks MAINTAINERS coverage itself below.
	# CAMELCASE fires for an enum constant of the kernel's own headers (Audit_not_equal):
	# checkpatch learns only #defines, typedefs, declarations and tags from include/, not
	# enum members. Such a report is dropped when the base tree's include/ defines the name
	# as an enum member; every other CamelCase still fails.
	rc=0
	(cd "$TREE" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --quiet --show-types \
		--ignore FILE_PATH_CHANGES "$p") >"$dir/$b.checkpatch" 2>&1 || rc=$?
	[ "$rc" = 0 ] || grep -qE '^(ERROR|WARNING|CHECK)' "$dir/$b.checkpatch" ||
		echo "ERROR: checkpatch exited with status $rc" >>"$dir/$b.checkpatch"
	issues=$({ grep -E '^(ERROR|WARNING|CHECK)' "$dir/$b.checkpatch" || true; } | while read -r line; do
		name=$(printf '%s\n' "$line" | sed -n 's/^CHECK:CAMELCASE: Avoid CamelCase: <\(.*\)>$/\1/p')
		if [ -n "$name" ] && git -C "$TREE" grep -qE "^[[:space:]]+$name( = [^,]*)?,?[[:space:]]*(/\*.*)?$" \
			"$BASE_TAG" -- include/; then
			echo "# known enum constant: $line" >>"$dir/$b.checkpatch"
			continue
		fi
		printf '%s\n' "$line"
	done)
	if [ -z "$issues" ]; then
		R "static: checkpatch --strict: $b" pass
	else
		R "static: checkpatch --strict: $b" fail "$(printf '%s\n' "$issues" | head -3 | tr '\n' ' ')(full: $dir/$b.checkpatch)"
	fi
done
[ "$n" -gt 0 ] || R "static: checkpatch --strict" skip "the series has no patches yet"

# Every file the series adds has a MAINTAINERS entry (other than THE REST) at the top.
unmaintained=
for f in $(git -C "$TREE" diff --name-only --diff-filter=A "$BASE_TAG..HEAD"); do
	sections=$(cd "$TREE" && ./scripts/get_maintainer.pl --no-git --no-git-fallback --sections -f "$f" 2>/dev/null |
		grep -E '^[A-Z0-9]' | grep -v '^THE REST' || true)
	[ -n "$sections" ] || unmaintained+=" $f"
done
if [ -z "$unmaintained" ]; then
	R "static: MAINTAINERS covers every file the series adds" pass
else
	R "static: MAINTAINERS covers every file the series adds" fail "no section for:$unmaintained"
fi

# kselftests of the series: no SKIP() after an EXPECT_*() (the harness would report the
# failed check as a skip).
mapfile -t ksft < <(git -C "$TREE" diff --name-only --diff-filter=AM "$BASE_TAG..HEAD" -- \
	'tools/testing/selftests/*.c')
if [ ${#ksft[@]} -eq 0 ]; then
	R "static: kselftests skip only before checking" skip "the series adds no kselftest"
elif (cd "$TREE" && "$TOP/scripts/skipcheck.py" "${ksft[@]}") >"$dir/skipcheck.out" 2>&1; then
	R "static: kselftests skip only before checking" pass
else
	R "static: kselftests skip only before checking" fail "$(head -3 "$dir/skipcheck.out" | tr '\n' ' ')"
fi

# reStructuredText the series adds or changes, checked by docutils (Sphinx is not needed;
# its roles and directives are accepted unchecked). Debian's python3-docutils, hence /usr/bin.
while read -r f; do
	if (cd "$TREE" && /usr/bin/python3 "$TOP/scripts/rstcheck.py" "$f") >"$dir/rst.out" 2>&1; then
		R "static: rst: $f" pass
	else
		R "static: rst: $f" fail "$(head -3 "$dir/rst.out" | tr '\n' ' ')"
	fi
done < <(git -C "$TREE" diff --name-only --diff-filter=AM "$BASE_TAG..HEAD" -- '*.rst')

# C files the series changes: those the test kernel's configuration builds, and the others
# (ceph, fuse, BPF LSM, netfilter, EVM, ...), which are compiled under allmodconfig below.
files=()
others=()
while read -r f; do
	if [ -f "$OBJ/${f%.c}.o" ]; then files+=("$f"); else others+=("$f"); fi
done < <(git -C "$TREE" diff --name-only --diff-filter=AM "$BASE_TAG..HEAD" -- '*.c' | grep -v '^tools/' || true)
if [ ${#files[@]} -eq 0 ] && [ ${#others[@]} -eq 0 ]; then
	R "static: sparse and W=1" skip "the series touches no C file the kernel builds"
	exit 0
fi

# The same files at the base, in a worktree of their own.
base=$BUILD/linux-base
if [ ! -d "$base" ]; then
	git -C "$TREE" worktree add -q -f --detach "$base" "$BASE_TAG" >/dev/null
fi

# check LABEL CONFIG SERIES_OBJ BASE_OBJ FILE...: compile the FILEs with C=2 W=1 in the
# series and at the base, both with CONFIG, each tree in its own object directory (so the
# flags of this check never leave the guest kernel's objects stale) and in one make run
# (-j, -k: a file that fails does not stop the others). A diagnostic of a FILE that the
# base does not have fails that FILE; one in a header, reported while compiling any of
# them, is compared as a set and fails the headers' check. A FILE that CONFIG does not
# build is recorded as skipped.
check() {
	local label=$1 config=$2 sobj=$3 baseobj=$4 f o key
	shift 4
	local objs=() baseobjs=()
	mkdir -p "$sobj" "$baseobj"
	cmp -s "$config" "$sobj/.config" || cp "$config" "$sobj/.config"
	cmp -s "$config" "$baseobj/.config" || cp "$config" "$baseobj/.config"
	make -s -C "$base" O="$baseobj" -j"$JOBS" CC="ccache gcc" olddefconfig prepare >/dev/null
	make -s -C "$TREE" O="$sobj" -j"$JOBS" CC="ccache gcc" olddefconfig prepare >/dev/null
	for f in "$@"; do
		o=${f%.c}.o
		# Removing the object (not touching the source) makes kbuild compile it again.
		rm -f "$sobj/$o" "$baseobj/$o"
		objs+=("$o")
		[ -f "$base/$f" ] && baseobjs+=("$o")
	done
	key=${label//[^a-z]/_}
	make -k -C "$TREE" O="$sobj" -j"$JOBS" CC="ccache gcc" C=2 W=1 "${objs[@]}" \
		>"$dir/$key.log" 2>&1 || true
	norm "$TREE" <"$dir/$key.log" >"$dir/$key.new"
	: >"$dir/$key.base"
	if [ ${#baseobjs[@]} -gt 0 ]; then
		make -k -C "$base" O="$baseobj" -j"$JOBS" CC="ccache gcc" C=2 W=1 "${baseobjs[@]}" \
			>"$dir/$key.baselog" 2>&1 || true
		norm "$base" <"$dir/$key.baselog" >"$dir/$key.base"
	fi
	judge_files "$label" "$dir" "$key" "$sobj" "$@"
}

[ ${#files[@]} -eq 0 ] ||
	check "test .config" "$OBJ/.config" "$BUILD/obj-static" "$BUILD/obj-base" "${files[@]}"

# The others under allmodconfig (x86_64), with CONFIG_WERROR off so that a warning is
# reported as one and does not stop the compile. Its .config is made once, in the series'
# tree, and used for both trees.
if [ ${#others[@]} -gt 0 ]; then
	allcfg=$BUILD/allmodconfig.config
	if [ ! -f "$allcfg" ]; then
		mkdir -p "$BUILD/obj-allmod-config"
		make -s -C "$TREE" O="$BUILD/obj-allmod-config" allmodconfig >/dev/null
		"$TREE/scripts/config" --file "$BUILD/obj-allmod-config/.config" -d WERROR
		make -s -C "$TREE" O="$BUILD/obj-allmod-config" olddefconfig >/dev/null
		cp "$BUILD/obj-allmod-config/.config" "$allcfg"
	fi
	check allmodconfig "$allcfg" "$BUILD/obj-static-all" "$BUILD/obj-base-all" "${others[@]}"
fi
