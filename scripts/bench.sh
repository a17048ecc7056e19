#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: what the series costs against stock 6.1, counted in instructions.
#   1. Builds the series kernel and stock 6.1 from the same .config (bench-kernels.sh).
#   2. Boots each row below on each kernel under QEMU with -icount shift=0,sleep=off and
#      one CPU, so that guest time advances one nanosecond an instruction: lsmbench
#      (tests/bench/lsmbench.c, the kselftest collection "bench") then times a fixed
#      count of each workload in instructions, confined by every active major module
#      with its test policy loaded (guest/bench.sh).
#   3. Writes build/logs/bench/results.md (the tables), delta.svg (the plot) and
#      BENCHMARKS.md (the tables, the commit and the date), and prints the tables.
#   4. Secondary, labelled noisy: WALL= rounds (default 2) of the rows in WALL_ROWS
#      (default selinux) without -icount, one boot of each kernel a round, alternating,
#      for wall-clock nanoseconds an operation on this host.
# SCALE= multiplies the workloads' counts (default 1), REPS= timed runs a workload
# (default 15, the median reported), ROWS= the rows to boot (default all).
export FLAVOR=bench
. "$(dirname "$0")/lib.sh"

SCALE=${SCALE:-1}
REPS=${REPS:-15}
WALL=${WALL:-2}
WALL_ROWS=${WALL_ROWS-selinux}
[[ "$WALL" =~ ^[0-9]+$ ]] || die "WALL=$WALL: a number of rounds"
[[ "$REPS" =~ ^[0-9]+$ ]] && [ "$REPS" -ge 1 ] && [ "$REPS" -le 15 ] ||
	die "REPS=$REPS: lsmbench takes 1 to 15 timed runs"
OUT=$LOGS/bench
# name:lsm=:kernels. "none" has no module but capability, as every row has: what each
# major module adds is measured against it. selinux-again boots the series kernel a
# second time: how far two boots agree.
ALL_ROWS="none:capability:base+series selinux:selinux:base+series
apparmor:apparmor:base+series smack:smack:base+series
full:apparmor,selinux,smack:series selinux-again:selinux:series"
names=$(echo $ALL_ROWS | tr ' ' '\n' | cut -d: -f1 | paste -sd' ')
ROWS=${ROWS:-$names}
for r in $ROWS $WALL_ROWS; do
	[[ " $names " == *" $r "* ]] || die "ROWS, WALL_ROWS: no row $r (rows: $names)"
done

t0=$(date +%s)
step() { say "$1 ($(($(date +%s) - t0))s elapsed)"; }

"$TOP/scripts/deps.sh" gnuplot-nox
mkdir -p "$OUT"

# bench_boot NAME KERNEL LSM [ARG...]: boot KERNEL (base or series) with lsm=LSM and
# run the collection "bench"; ARG... go to boot.sh. A failed boot is recorded in failed.
# norandmaps: the same address space layout on every boot, so that fork copies the same
# page tables (with it randomised, fork_exit_wait moved by 4% from one boot to the next).
# bench_pids: every child the workloads fork has a pid above 5000, from a pid IDR that
# keeps its depth (lsmbench -p): without it, forks whose children got pids above 4096 cost
# 1,200 instructions more than those below, and how many did depended on the boot.
failed=()
bench_boot() {
	local name=$1 k=$2 lsm=$3 flavor=bench params="lsmstack.bench_strict=1" rc=0
	shift 3
	[ "$k" = base ] && flavor=bench-base params=
	FLAVOR=$flavor "$TOP/scripts/boot.sh" --name "$name" --lsm "$lsm" --plan check \
		--ksft bench --append "lsm.debug norandmaps lsmstack.bench_scale=$SCALE \
lsmstack.bench_reps=$REPS lsmstack.bench_pids=5000 $params" "$@" || rc=$?
	[ "$rc" = 0 ] || failed+=("$name (boot.sh exit status $rc)")
}

"$TOP/scripts/bench-kernels.sh"

rows=()
for r in $ALL_ROWS; do
	IFS=: read -r name lsm kernels <<<"$r"
	[[ " $ROWS " == *" $name "* ]] || continue
	rows+=("$name:$kernels")
	export "BENCH_LSM_${name//-/_}=$lsm"
	for k in ${kernels//+/ }; do
		step "bench: boot $k kernel, lsm=$lsm"
		bench_boot "bench-$k-$name" "$k" "$lsm" --icount --timeout 7200
	done
done

# Wall-clock time, alternating the kernels so that a change in the host's load falls on
# both: noisy, and only a check that the instruction counts do not hide a slower path.
# One CPU, as the counted boots have: with two, QEMU TCG has been seen to run a stale
# int3 of a static key the kernel had finished patching (docs/bench.md, Configuration).
wall=()
for ((round = 1; round <= WALL; round++)); do
	for r in $ALL_ROWS; do
		IFS=: read -r name lsm kernels <<<"$r"
		[[ " $WALL_ROWS " == *" $name "* && "$kernels" == base+series ]] || continue
		export "BENCH_LSM_${name//-/_}=$lsm"
		for k in base series; do
			step "wall clock, round $round: boot $k kernel, lsm=$lsm"
			bench_boot "bench-wall$round-$k-$name" "$k" "$lsm" --cpus 1 \
				--timeout 3600
		done
		wall+=("$name:$round")
	done
done

step "tables"
commit=$(git -C "$TOP" rev-parse --short HEAD)
rc=0
BENCH_WORKLOADS=$("$BUILD/fuzz/lsmbench" -l | paste -sd,) \
	BENCH_FAILED=$(printf '%s\n' ${failed[@]+"${failed[@]}"}) \
	BENCH_WALL=${wall[*]+"${wall[*]}"} \
	"$TOP/scripts/bench.py" "$LOGS" "$OUT" "$commit" "${rows[@]}" || rc=$?
{
	echo "# Benchmarks"
	echo
	echo "\`make bench\` of $(date -u +%Y-%m-%d) (SCALE=$SCALE, REPS=$REPS), $(nproc) host"
	echo "cores; what it measures and how: docs/bench.md."
	echo
	cat "$OUT/results.md"
} >"$OUT/BENCHMARKS.md"
say "tables: $OUT/results.md, plot: $OUT/delta.svg; copy $OUT/BENCHMARKS.md to the top to publish"
step "done"
exit $rc
