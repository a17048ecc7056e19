#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: what the series costs against stock 6.1, counted in instructions.
#   1. Builds the series kernel (make check's test kernel with config/bench.config: static
#      keys patched into the code; build/obj-bench) and stock 6.1 (tag base, in
#      build/linux-base, object directory build/obj-bench-base) from the same .config,
#      less the options only the series has.
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
# (default 3, the median reported), ROWS= the rows to boot (default all).
# Both kernels are gcc's, whatever FLAVOR the caller has (lib.sh picks the compiler by it).
export FLAVOR=bench
. "$(dirname "$0")/lib.sh"

SCALE=${SCALE:-1}
REPS=${REPS:-3}
WALL=${WALL:-2}
WALL_ROWS=${WALL_ROWS-selinux}
[[ "$WALL" =~ ^[0-9]+$ ]] || die "WALL=$WALL: a number of rounds"
[[ "$REPS" =~ ^[0-9]+$ ]] && [ "$REPS" -ge 1 ] && [ "$REPS" -le 15 ] ||
	die "REPS=$REPS: lsmbench takes 1 to 15 timed runs"
BENCH_OBJ=$BUILD/obj-bench
BASE_OBJ=$BUILD/obj-bench-base
BASE_TREE=$BUILD/linux-base
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
[ -d "$TREE/.git" ] || "$TOP/scripts/tree.sh"
mkdir -p "$OUT"

step "build (series kernel, the test kernel with config/bench.config)"
FLAVOR=bench "$TOP/scripts/build.sh"

# Stock 6.1 from the series kernel's .config: olddefconfig drops what 6.1 does not know.
step "build (stock 6.1, tag $BASE_TAG, in $BASE_TREE)"
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
if ! cmp -s "$BENCH_OBJ/.config" "$BASE_OBJ/series.config"; then
	cp "$BENCH_OBJ/.config" "$BASE_OBJ/.config"
	TREE=$BASE_TREE OBJ=$BASE_OBJ kmake -s olddefconfig
	cp "$BENCH_OBJ/.config" "$BASE_OBJ/series.config"
fi
# The options only the series' kernel sets (its own, and what they select).
only=$(comm -23 <(grep '^CONFIG_' "$BENCH_OBJ/.config" | sort) \
	<(grep '^CONFIG_' "$BASE_OBJ/.config" | sort) | paste -sd' ')
say "options only the series kernel sets: ${only:-none}"
start=$(date +%s)
TREE=$BASE_TREE OBJ=$BASE_OBJ kmake -s bzImage
say "stock 6.1 built in $(($(date +%s) - start))s"

step "initramfs"
FLAVOR=test "$TOP/scripts/initramfs.sh"

rows=() failed=()
for r in $ALL_ROWS; do
	IFS=: read -r name lsm kernels <<<"$r"
	[[ " $ROWS " == *" $name "* ]] || continue
	rows+=("$name:$kernels")
	export "BENCH_LSM_${name//-/_}=$lsm"
	for k in ${kernels//+/ }; do
		flavor=bench params="lsmstack.bench_strict=1"
		[ "$k" = base ] && flavor=bench-base params=
		step "bench: boot $k kernel, lsm=$lsm"
		rc=0
		FLAVOR=$flavor "$TOP/scripts/boot.sh" --name "bench-$k-$name" --lsm "$lsm" \
			--plan check --ksft bench --icount --timeout 7200 \
			--append "lsm.debug lsmstack.bench_scale=$SCALE lsmstack.bench_reps=$REPS $params" ||
			rc=$?
		[ "$rc" = 0 ] || failed+=("bench-$k-$name (boot.sh exit status $rc)")
	done
done

# Wall-clock time, alternating the kernels so that a change in the host's load falls on
# both: noisy, and only a check that the instruction counts do not hide a slower path.
wall=()
for ((round = 1; round <= WALL; round++)); do
	for r in $ALL_ROWS; do
		IFS=: read -r name lsm kernels <<<"$r"
		[[ " $WALL_ROWS " == *" $name "* && "$kernels" == base+series ]] || continue
		export "BENCH_LSM_${name//-/_}=$lsm"
		for k in base series; do
			flavor=bench
			[ "$k" = base ] && flavor=bench-base
			step "wall clock, round $round: boot $k kernel, lsm=$lsm"
			rc=0
			FLAVOR=$flavor "$TOP/scripts/boot.sh" --name "bench-wall$round-$k-$name" \
				--lsm "$lsm" --plan check --ksft bench --timeout 3600 \
				--append "lsm.debug lsmstack.bench_scale=$SCALE lsmstack.bench_reps=$REPS" ||
				rc=$?
			[ "$rc" = 0 ] || failed+=("bench-wall$round-$k-$name (boot.sh exit status $rc)")
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
