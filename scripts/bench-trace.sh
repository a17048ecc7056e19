#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench-trace OP=WORKLOAD [LSM=selinux]: where one operation of a make bench workload
# spends its instructions, function by function, stock 6.1 against the series. Boots
# each kernel (bench-kernels.sh builds them) under QEMU with -icount and its gdb server,
# runs lsmbench -t WORKLOAD confined as make bench confines it (its children's pids above
# 5000 too), and has gdb (bench-trace-gdb.py) step through one operation;
# bench-trace.py prints the functions whose counts differ. Slow for long operations: gdb steps a few thousand instructions a
# second (stat: seconds; fork_exit_wait: minutes a kernel).
# Table: build/logs/bench-trace/OP-LSM.md.
export FLAVOR=bench
. "$(dirname "$0")/lib.sh"

OP=${OP:-}
LSM=${LSM:-selinux}
[ -n "$OP" ] || die "OP=: a workload (lsmbench -l lists them)"
OUT=$LOGS/bench-trace
PORT=$((20000 + $$ % 10000))

"$TOP/scripts/deps.sh" gdb
"$TOP/scripts/bench-kernels.sh"
"$BUILD/fuzz/lsmbench" -l | grep -qx -- "$OP" || die "OP=$OP: no such workload (lsmbench -l)"
mkdir -p "$OUT"

for k in base series; do
	flavor=bench
	[ "$k" = base ] && flavor=bench-base
	counts=$OUT/$OP-$LSM-$k.counts
	rm -f "$counts"
	say "trace: boot $k kernel, lsm=$LSM, one $OP operation"
	FLAVOR=$flavor "$TOP/scripts/boot.sh" --name "bench-trace-$k" --lsm "$LSM" \
		--plan check --ksft bench --icount --gdb "$PORT" --timeout 3600 \
		--append "nokaslr norandmaps lsmstack.bench_pids=5000 lsmstack.bench_trace=$OP" &
	boot=$!
	TRACE_PORT=$PORT TRACE_OUT=$counts timeout 3600 gdb -q -batch -nx \
		"$BUILD/obj-$flavor/vmlinux" -x "$TOP/scripts/bench-trace-gdb.py" \
		>"$OUT/gdb-$k.log" 2>&1 ||
		{ kill "$boot" 2>/dev/null; die "gdb did not trace the $k kernel: $OUT/gdb-$k.log"; }
	wait "$boot" || die "the $k kernel's boot failed: $LOGS/bench-trace-$k/"
done
"$TOP/scripts/bench-trace.py" "$OP, lsm=$LSM" \
	"$BUILD/obj-bench-base/vmlinux" "$OUT/$OP-$LSM-base.counts" \
	"$BUILD/obj-bench/vmlinux" "$OUT/$OP-$LSM-series.counts" | tee "$OUT/$OP-$LSM.md"
