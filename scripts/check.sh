#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: build the tree's kernel, boot every line of tests/matrix under QEMU, judge the
# active modules, KUnit and kselftests of each boot, run the static checks on the series,
# and end with "N passed, N failed[, N skipped]". BOOTS="a b" limits the matrix by name.
. "$(dirname "$0")/lib.sh"

t0=$(date +%s)
step() { say "$1 ($(($(date +%s) - t0))s elapsed)"; }

"$TOP/scripts/deps.sh"
[ -d "$TREE/.git" ] || "$TOP/scripts/tree.sh"
step "build"
"$TOP/scripts/build.sh"
step "initramfs"
"$TOP/scripts/initramfs.sh"
mkdir -p "$LOGS"
rm -f "$LOGS/results.jsonl"

while IFS='|' read -r name lsm expected ksft why; do
	name=$(echo $name) lsm=$(echo $lsm) expected=$(echo $expected) ksft=$(echo $ksft)
	case "$name" in ''|'#'*) continue ;; esac
	if [ -n "${BOOTS:-}" ] && [[ " $BOOTS " != *" $name "* ]]; then
		continue
	fi
	step "boot $name: lsm=$lsm${ksft:+, kselftests: $ksft}"
	rc=0
	"$TOP/scripts/boot.sh" --name "$name" --lsm "$lsm" --plan check --ksft "$ksft" || rc=$?
	"$TOP/scripts/results.py" boot "$name" "$expected" "$rc" ${ksft:+ksft}
done <"$TOP/tests/matrix"

step "static checks"
"$TOP/scripts/static.sh"

step "done"
"$TOP/scripts/results.py" summary | tee "$LOGS/summary.txt"
exit "${PIPESTATUS[0]}"
