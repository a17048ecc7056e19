#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Static checks on the series (the commits of build/linux since the base):
#  - scripts/checkpatch.pl --strict on every patch: any ERROR, WARNING or CHECK fails it;
#  - sparse (C=2) and W=1 on every C file the series touches: a warning the base does not
#    have for that file fails it (line numbers are ignored in the comparison).
. "$(dirname "$0")/lib.sh"
R() { "$TOP/scripts/results.py" record "$@"; }

dir=$LOGS/static
rm -rf "$dir"
mkdir -p "$dir/patches"
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

# reStructuredText the series adds or changes, checked by docutils (Sphinx is not needed;
# its roles and directives are accepted unchecked). Debian's python3-docutils, hence /usr/bin.
while read -r f; do
	if (cd "$TREE" && /usr/bin/python3 "$TOP/scripts/rstcheck.py" "$f") >"$dir/rst.out" 2>&1; then
		R "static: rst: $f" pass
	else
		R "static: rst: $f" fail "$(head -3 "$dir/rst.out" | tr '\n' ' ')"
	fi
done < <(git -C "$TREE" diff --name-only --diff-filter=AM "$BASE_TAG..HEAD" -- '*.rst')

# C files the series changes that the test kernel's configuration builds.
files=()
while read -r f; do
	[ -f "$OBJ/${f%.c}.o" ] && files+=("$f")
done < <(git -C "$TREE" diff --name-only --diff-filter=AM "$BASE_TAG..HEAD" -- '*.c' | grep -v '^tools/' || true)
if [ ${#files[@]} -eq 0 ]; then
	R "static: sparse and W=1" skip "the series touches no C file the kernel builds"
	exit 0
fi

# The same files at the base, built with the same .config in their own worktree.
base=$BUILD/linux-base
baseobj=$BUILD/obj-base
if [ ! -d "$base" ]; then
	git -C "$TREE" worktree add -q -f --detach "$base" "$BASE_TAG" >/dev/null
fi
mkdir -p "$baseobj"
cmp -s "$OBJ/.config" "$baseobj/.config" || cp "$OBJ/.config" "$baseobj/.config"
make -s -C "$base" O="$baseobj" -j"$JOBS" CC="ccache gcc" olddefconfig prepare >/dev/null

# The series' files are compiled in an object directory of their own, with the same .config,
# so that the flags of this check (C=2, W=1) never leave the guest kernel's objects stale.
sobj=$BUILD/obj-static
mkdir -p "$sobj"
cmp -s "$OBJ/.config" "$sobj/.config" || cp "$OBJ/.config" "$sobj/.config"
make -s -C "$TREE" O="$sobj" -j"$JOBS" CC="ccache gcc" olddefconfig prepare >/dev/null

# Diagnostics of one compile, made comparable across the two trees: tree prefixes and
# line numbers dropped, only real "file: warning:" / "file: error:" lines kept.
norm() {
	sed -E "s#$1/##g; s#^(\.\./)+${1##*/}/##; s#:[0-9]+:[0-9]+:#:#; s#:[0-9]+:#:#" |
		grep -E '^[^ ]+: (warning|error):' | sort || true
}
for f in "${files[@]}"; do
	o=${f%.c}.o
	# Removing the object (not touching the source) makes kbuild compile it again.
	rm -f "$sobj/$o"
	make -C "$TREE" O="$sobj" CC="ccache gcc" C=2 W=1 "$o" 2>&1 | norm "$TREE" >"$dir/${f//\//_}.new"
	if [ -f "$base/$f" ]; then
		rm -f "$baseobj/$o"
		make -C "$base" O="$baseobj" CC="ccache gcc" C=2 W=1 "$o" 2>&1 | norm "$base" >"$dir/${f//\//_}.base"
	else
		: >"$dir/${f//\//_}.base"
	fi
	added=$(comm -13 "$dir/${f//\//_}.base" "$dir/${f//\//_}.new")
	if [ -z "$added" ]; then
		R "static: sparse and W=1: $f" pass
	else
		printf '%s\n' "$added" >"$dir/${f//\//_}.added"
		R "static: sparse and W=1: $f" fail "$(printf '%s' "$added" | head -2 | tr '\n' ' ')(full: $dir/${f//\//_}.added)"
	fi
done
