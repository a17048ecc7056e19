#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make export: write the commits of build/linux since the base back into patches/,
# deterministically: no commit hashes, no wall-clock dates, no tool version.
. "$(dirname "$0")/lib.sh"

out=$TOP/patches
[ "${1:-}" = --to ] && out=$2
[ -d "$TREE/.git" ] || die "no tree at $TREE: run 'make tree' first"
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "$TREE has uncommitted changes: commit them first"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(git -C "$TREE" rev-list --count "$BASE_TAG..HEAD")
# patches/cover-letter.txt is the cover letter's source: a subject line, a blank line, the text.
cover=()
if [ "$n" -gt 0 ] && [ -f "$TOP/patches/cover-letter.txt" ]; then
	git -C "$TREE" config "branch.$BRANCH.description" "$(cat "$TOP/patches/cover-letter.txt")"
	cover=(--cover-letter --cover-from-description=subject)
fi
if [ "$n" -gt 0 ]; then
	git -C "$TREE" -c core.abbrev=12 format-patch -q -o "$tmp" --zero-commit --no-signature \
		--subject-prefix=PATCH --numbered \
		"${cover[@]}" "$BASE_TAG..HEAD" >/dev/null
fi
# The cover letter carries the date of the newest patch, not the time of export.
if [ -f "$tmp/0000-cover-letter.patch" ]; then
	date=$(git -C "$TREE" log -1 --format='%aD' HEAD)
	sed -i "0,/^Date: /s/^Date: .*/Date: $date/" "$tmp/0000-cover-letter.patch"
fi
(cd "$tmp" && ls -1 -- *.patch 2>/dev/null | grep -v '^0000-cover-letter' || true) >"$tmp/series.new"
mv "$tmp/series.new" "$tmp/series"

mkdir -p "$out"
find "$out" -maxdepth 1 -name '*.patch' -delete
cp "$tmp"/*.patch "$out"/ 2>/dev/null || true
cp "$tmp/series" "$out/series"
say "exported $n patch(es) to $out"
