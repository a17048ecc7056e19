#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make soak: the long reliability run (hours; not part of make check or CI).
#   1. Unless KMSAN=no, a KMSAN kernel (Debian's clang) runs the lsm kselftests and the
#      fuzzer (FUZZ / 10 calls a boot) in the full and stacked rows. It comes first, so that
#      a cold clang build that fails says so before the hours of boots below (the debug
#      kernel is built first all the same: the initramfs takes its headers).
#   2. On the debug kernel (KASAN, UBSAN, lockdep, kmemleak, DEBUG_LIST, failslab,
#      fail_page_alloc), every row of tests/matrix: its kselftests, then the LSM interface
#      fuzzer (FUZZ calls a boot, half 64-bit and half -m32) and fault injection (the
#      fuzzer again with FAULTS calls whose allocations fail at random, and the lsm
#      kselftests).
#   3. The Debian image with the three majors (tests/distro's deb-full) on the debug
#      kernel: its checks, trinity (TRINITY system calls as an unprivileged user) and
#      stress-ng (STRESS seconds).
# Ends with the figures table and "N passed, N failed[, N skipped]". SEED= fixes the
# fuzzer's and trinity's seeds; ROWS="a b" boots only those rows of tests/matrix on the
# debug kernel (a short try); PARTS= runs only some of kmsan, debug and debian (all three
# by default), to run one again after a fix.
. "$(dirname "$0")/lib.sh"

FUZZ=${FUZZ:-1000000}
FAULTS=${FAULTS:-100000}
TRINITY=${TRINITY:-100000}
STRESS=${STRESS:-300}
KMSAN=${KMSAN:-yes}
SEED=${SEED:-}
ROWS=${ROWS:-}
PARTS=${PARTS:-kmsan debug debian}
part() { [[ " $PARTS " == *" $1 "* ]]; }
for p in $PARTS; do
	case "$p" in kmsan|debug|debian) ;; *) die "PARTS: no part $p (kmsan, debug, debian)" ;; esac
done

t0=$(date +%s)
step() { say "$1 ($(($(date +%s) - t0))s elapsed)"; }
seeds=${SEED:+ lsmstack.fuzz_seed=$SEED lsmstack.trinity_seed=$SEED}

part kmsan || KMSAN=no
if [ "$KMSAN" = no ]; then "$TOP/scripts/deps.sh"; else "$TOP/scripts/deps.sh" clang; fi
[ -d "$TREE/.git" ] || "$TOP/scripts/tree.sh"
mkdir -p "$LOGS"
rm -f "$LOGS/results.jsonl"

# Boot the rows of tests/matrix named in $2 (all if empty) on the $FLAVOR kernel as
# soak-$1<row>, with the collections in $3 after the row's own and the parameters in $4.
soak_rows() {
	local prefix=$1 only=$2 more=$3 params=$4 name lsm expected ksft why rc
	while IFS='|' read -r name lsm expected ksft why; do
		name=$(echo $name) lsm=$(echo $lsm) expected=$(echo $expected) ksft=$(echo $ksft)
		case "$name" in ''|'#'*) continue ;; esac
		[ -z "$only" ] || [[ " $only " == *" $name "* ]] || continue
		# The row's collections, then those of $more it does not have.
		ksft=$(printf '%s' "$ksft,$more" | tr ',' '\n' | awk '!seen[$0]++' | paste -sd,)
		step "soak: boot $prefix$name ($FLAVOR kernel): lsm=$lsm, kselftests: $ksft"
		rc=0
		"$TOP/scripts/boot.sh" --name "soak-$prefix$name" --lsm "$lsm" --plan check \
			--ksft "$ksft" --append "$params" --timeout 10800 || rc=$?
		"$TOP/scripts/results.py" boot "soak-$prefix$name" "$expected" "$rc" ksft
	done <"$TOP/tests/matrix"
}

export FLAVOR=debug
step "build (debug kernel)"
"$TOP/scripts/build.sh"
OBJ=$BUILD/obj-debug "$TOP/scripts/initramfs.sh"

if [ "$KMSAN" != no ]; then
	export FLAVOR=kmsan
	step "build (KMSAN kernel, clang)"
	if "$TOP/scripts/build.sh"; then
		# KMSAN checks every load and store: the programs run several times slower
		# than on the test kernel, so each gets an hour (guest/init's TIMEOUT).
		soak_rows kmsan- "full stacked" "fuzz" "lsmstack.fuzz=$((FUZZ / 20)) TIMEOUT=3600$seeds"
	else
		"$TOP/scripts/results.py" record "KMSAN kernel: build" fail "see the log above"
	fi
fi

export FLAVOR=debug
if part debug; then
	soak_rows "" "$ROWS" "fuzz,faults" "lsmstack.fuzz=$((FUZZ / 2)) lsmstack.faults=$FAULTS$seeds"
fi

if ! part debian; then
	:
elif step "Debian image" && "$TOP/scripts/distro.sh"; then
	while IFS='|' read -r name params expected why; do
		name=$(echo $name) params=$(echo $params) expected=$(echo $expected)
		[ "$name" = deb-full ] || continue
		lsm=${params%% *}
		step "soak: boot $name (debug kernel, Debian image): $params, trinity, stress-ng"
		rc=0
		"$TOP/scripts/boot.sh" --name "soak-$name" --lsm "$lsm" --plan check \
			--disk "$BUILD/distro/debian.img" --timeout 10800 \
			--append "${params#"$lsm"} lsmstack.trinity=$TRINITY lsmstack.stress=$STRESS$seeds" || rc=$?
		"$TOP/scripts/results.py" boot "soak-$name" "$expected" "$rc" ksft distro
	done <"$TOP/tests/distro"
else
	"$TOP/scripts/results.py" record "Debian image: build" fail "see the log above"
fi

step "done"
"$TOP/scripts/results.py" summary | tee "$LOGS/soak-summary.txt"
exit "${PIPESTATUS[0]}"
