#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Self-test of the static checks' verdicts (scripts/static-compare.sh): made-up compiler
# and sparse output of the series and the base, for files in each case that make static
# must tell apart, must give exactly the expected pass, fail or skip. Takes a second; run
# by scripts/static.sh before the real checks, so a comparison that stopped failing shows.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/static-compare.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Verdicts go to a file here instead of the results.
R() { printf '%s|%s\n' "$1" "$2" >>"$tmp/verdicts"; }

tree=/src/linux base=/src/linux-base key=t
mkdir -p "$tmp/obj/security"
for f in new_warning same_warning sparse_warning header_only; do
	: >"$tmp/obj/security/$f.o"
done
# The series' make output: the tree's absolute paths from gcc, relative ones from sparse.
cat >"$tmp/$key.log" <<LOG
$tree/security/new_warning.c:10:5: warning: unused variable 'x' [-Wunused-variable]
$tree/security/same_warning.c:40:1: warning: no previous prototype for 'f' [-Wmissing-prototypes]
../linux/security/sparse_warning.c:7:9: warning: incorrect type in assignment (different address spaces)
$tree/include/linux/new_header.h:3:1: warning: 'g' defined but not used [-Wunused-function]
$tree/security/broken.c:5:1: error: expected ';' before '}' token
make[3]: *** [$tree/scripts/Makefile.build:250: security/broken.o] Error 1
make[2]: *** No rule to make target 'security/unbuilt.o'.  Stop.
LOG
# The base's: the same prototype warning on another line, nothing else.
cat >"$tmp/$key.baselog" <<LOG
$base/security/same_warning.c:31:1: warning: no previous prototype for 'f' [-Wmissing-prototypes]
LOG
norm "$tree" <"$tmp/$key.log" >"$tmp/$key.new"
norm "$base" <"$tmp/$key.baselog" >"$tmp/$key.base"
judge_files selftest "$tmp" "$key" "$tmp/obj" security/new_warning.c security/same_warning.c \
	security/sparse_warning.c security/header_only.c security/broken.c security/unbuilt.c

expect() {
	local what=$1 file=$2 want=$3 got
	got=$(awk -F'|' -v n="static: sparse and W=1 (selftest): $file" '$1 == n { print $2 }' \
		"$tmp/verdicts")
	if [ "$got" = "$want" ]; then
		"$TOP/scripts/results.py" record "static: self-test: $what" pass
	else
		"$TOP/scripts/results.py" record "static: self-test: $what" fail \
			"expected $want for $file, got ${got:-no verdict}"
	fi
}
expect "a warning the base lacks fails the file" security/new_warning.c fail
expect "a warning the base has, on another line, passes" security/same_warning.c pass
expect "a sparse warning (relative path) the base lacks fails the file" \
	security/sparse_warning.c fail
expect "a file without diagnostics passes" security/header_only.c pass
expect "a file that does not compile fails" security/broken.c fail
expect "a file the configuration does not build is skipped" security/unbuilt.c skip
expect "a warning the base lacks in an included header fails the headers" "included headers" fail
