#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make tree: unpack the base into build/linux as a git repository (base commit tagged
# "base"), then apply patches/ in the order of patches/series with git am.
. "$(dirname "$0")/lib.sh"

[ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL is missing: the base package $BASE_PKG is not installed (run scripts/deps.sh)"
pkgver=$(dpkg-query -W -f='${Version}' "$BASE_PKG")

if [ -d "$TREE/.git" ]; then
	# Never throw away work: refuse if the tree has commits or edits not in patches/.
	if [ "${FORCE:-0}" != 1 ]; then
		[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
			die "$TREE has uncommitted changes; commit and 'make export', or 'make tree FORCE=1' to discard"
		tmp=$(mktemp -d)
		"$TOP/scripts/export.sh" --to "$tmp" >/dev/null
		if ! diff -rq -x cover-letter.txt "$tmp" "$TOP/patches" >/dev/null; then
			rm -rf "$tmp"
			die "$TREE has commits that differ from patches/; 'make export' first, or 'make tree FORCE=1' to discard them"
		fi
		rm -rf "$tmp"
	fi
	say "resetting $TREE to $BASE_TAG"
	git -C "$TREE" am --abort >/dev/null 2>&1 || true
	git -C "$TREE" checkout -q -f -B "$BRANCH" "$BASE_TAG"
else
	say "unpacking $BASE_PKG $pkgver into $TREE"
	rm -rf "$TREE"
	mkdir -p "$TREE"
	tar -xf "$BASE_TARBALL" -C "$TREE" --strip-components=1
	# Debian's packaging appends "/*" to .gitignore (its repository holds only debian/),
	# which would hide every new file from git add. Drop that block; nothing else changes.
	msg="Debian $BASE_PKG $pkgver (Linux $(tree_version "$TREE"))"
	if grep -qx '/\*' "$TREE/.gitignore"; then
		python3 -c 'import sys
p = sys.argv[1]; lines = open(p).read().split("\n")
i = [n for n, l in enumerate(lines) if l.startswith("# Debian packaging")][0]
i = max([n for n in range(i) if lines[n] not in ("", "#")]) + 1
open(p, "w").write("\n".join(lines[:i]) + "\n")' "$TREE/.gitignore"
		! grep -qx '/\*' "$TREE/.gitignore" || die "could not drop Debian's '/*' from .gitignore"
		msg+=$'\n\nThe "ignore everything at the top level" block Debian appends to\n.gitignore is dropped, so that new files in the tree are tracked.'
	fi
	git -C "$TREE" init -q -b "$BRANCH"
	git -C "$TREE" config core.autocrlf false
	git -C "$TREE" config am.keepcr true
	git -C "$TREE" add -A -f .
	GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
		git -C "$TREE" commit -q --no-verify -m "$msg"
	git -C "$TREE" tag -f "$BASE_TAG" >/dev/null
fi
say "base: Debian $BASE_PKG $pkgver, Linux $(tree_version "$TREE")"

n=0
if [ -f "$TOP/patches/series" ]; then
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		f=$TOP/patches/$p
		[ -f "$f" ] || die "patches/series names $p, which does not exist"
		if ! git -C "$TREE" am -q --keep-cr "$f" >"$BUILD/am.log" 2>&1; then
			cat "$BUILD/am.log" >&2
			printf '\nerror: %s does not apply; the failing hunk:\n' "$p" >&2
			git -C "$TREE" apply --check -v "$f" 2>&1 | sed -n '/^error: while searching for/,$p' >&2
			git -C "$TREE" am --abort >/dev/null 2>&1 || true
			exit 1
		fi
		n=$((n + 1))
	done <"$TOP/patches/series"
fi
say "applied $n patch(es) from patches/series on $BASE_TAG"
