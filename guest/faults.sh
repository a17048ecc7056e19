#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fault injection, run as the kselftest collection "faults" on a kernel with failslab and
# fail_page_alloc (config/debug.config). Sleeping and atomic allocations fail at random
# (lsmstack.faults_p=, percent, default 5) in the marked tasks only (task-filter): first in
# the fuzzer's threads (lsmfuzz -F, lsmstack.faults= calls, default 20000, seed
# lsmstack.fuzz_seed=), whose every answer must still be a documented errno, then in each
# lsm kselftest program from just after its exec (lsmfuzz -X), which must run to an exit
# (its own results are not judged: its allocations fail; SIGSEGV and SIGKILL are the
# kernel's answer to a user page fault or signal frame whose allocation failed, any other
# signal or a timeout fails). The console marks the phase for the host, which reads the
# backtrace that follows each "FAULT_INJECTION: forcing a failure" (verbose=2, at most 20
# every 5 s) as a fault site, not as a kernel report; any other report fails the boot, and
# the kmemleak scan after the tests finds what a failure path leaked.
arg() {
	tr ' ' '\n' </proc/cmdline | sed -n "s/^lsmstack\\.$1=//p" | tail -n 1
}
d=/sys/kernel/debug
grep -q " $d " /proc/mounts || mount -t debugfs debugfs $d 2>/dev/null
echo "TAP version 13"
if [ ! -d $d/failslab ] || [ ! -d $d/fail_page_alloc ]; then
	echo "1..0 # SKIP no failslab and fail_page_alloc in this kernel"
	exit 4
fi
echo "1..3"
TIMES=10000000
p=$(arg faults_p)
fuzzer=
# However the script ends, no fault is injected after it and the phase is closed.
stop() {
	for f in failslab fail_page_alloc; do
		echo 0 >$d/$f/probability
	done
	[ -z "$fuzzer" ] || kill -9 "$fuzzer" 2>/dev/null
	if [ -z "$ended" ]; then
		ended=1
		echo "lsmstack: fault injection ends" >/dev/kmsg
	fi
}
ended=
trap stop EXIT
trap 'exit 143' TERM INT
for f in failslab fail_page_alloc; do
	echo Y >$d/$f/task-filter
	echo N >$d/$f/ignore-gfp-wait
	echo 1 >$d/$f/interval
	echo $TIMES >$d/$f/times
	echo 0 >$d/$f/space
	echo 2 >$d/$f/verbose
	echo 5000 >$d/$f/verbose_ratelimit_interval_ms
	echo 20 >$d/$f/verbose_ratelimit_burst
	echo "${p:-5}" >$d/$f/probability
done
echo "lsmstack: fault injection begins" >/dev/kmsg

calls=$(arg faults)
seed=$(arg fuzz_seed)
./lsmfuzz64 -F -N faults -n "${calls:-20000}" ${seed:+-s "$seed"} -T 600 \
	>/tmp/faults-fuzz.out 2>&1 &
fuzzer=$!
wait $fuzzer
rc=$?
fuzzer=
sed -n -e 's/^# \(.*\)/# fuzzer: \1/p' -e 's/^\(not ok .*\)/# fuzzer: \1/p' /tmp/faults-fuzz.out
status=0
[ $rc = 0 ] || status=1
echo "$([ $rc = 0 ] || echo "not ")ok 1 fuzzer: documented errnos while allocations fail"

killed=
for t in /kselftest/lsm/lsm_*_test; do
	[ -x "$t" ] || continue
	(cd /kselftest/lsm && timeout 300 /kselftest/faults/lsmfuzz64 -X "$t") >/dev/null 2>&1
	rc=$?
	echo "# $(basename "$t") under fault injection: exit status $rc"
	case $rc in
	# A user page fault or a signal frame that needs an allocation made to fail ends
	# in SIGSEGV (or the OOM path's SIGKILL): the kernel's answer, not a crash.
	137|139) ;;
	124|143) killed="$killed $(basename "$t")(timeout)" ;;
	*) [ $rc -gt 128 ] && [ $rc != 255 ] && killed="$killed $(basename "$t")(signal $((rc - 128)))" ;;
	esac
done
[ -z "$killed" ] || status=1
echo "$([ -z "$killed" ] || echo "not ")ok 2 lsm kselftests under fault injection ran to an exit${killed:+ (not:$killed)}"

stop
total=0
for f in failslab fail_page_alloc; do
	n=$((TIMES - $(cat $d/$f/times)))
	total=$((total + n))
	echo "# $f: $n faults injected"
	echo "# lsmstack-figure: faults.$f $n"
done
[ $total -gt 0 ] || status=1
echo "$([ $total -gt 0 ] || echo "not ")ok 3 faults were injected ($total)"
exit $status
