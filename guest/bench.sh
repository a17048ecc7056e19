#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# The guest side of make bench, the kselftest collection "bench": load the test policy of
# each active major module (the policy collection's files, as guest/policy-tests.sh loads
# them), then run lsmbench (tests/bench/lsmbench.c) confined by every one of them: SELinux
# enforcing in the domain lsmtest_t, AppArmor in the profile lsmtest, Smack as the label
# LsmTest. Its KTAP is this program's; each workload's figures are its
# "# lsmstack-bench: NAME OPS MEDIAN MIN MAX" line (nanoseconds an operation; under
# QEMU's -icount shift=0, instructions), and the unreclaimable slab after them is
# "# lsmstack-slab: KB". From the kernel command line:
#   lsmstack.bench_scale=  the workloads' counts times this (default 1)
#   lsmstack.bench_reps=   timed runs a workload, the median reported (default 3)
#   lsmstack.bench_pids=   first fork until a child's pid is at least this, and keep
#                          that child (lsmbench -p); raises pid_max to 4194304
#   lsmstack.bench_strict=1  the LSM system calls must be there (the series' kernel)
#   lsmstack.bench_trace=NAME  only workload NAME, one operation between two markers for
#                          a debugger (make bench-trace, lsmbench -t)
set -eu

DIR=$(cd "$(dirname "$0")" && pwd)
POL=$DIR/../policy
LSMPOL=$POL/lsmpol
SECFS=/sys/kernel/security
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^lsmstack\\.$1=//p" | tail -n 1; }
lsms=",$(cat "$SECFS/lsm"),"
active() { case "$lsms" in *",$1,"*) return 0 ;; esac; return 1; }
# The module's own /proc/self/attr file where the kernel has one, else the shared one.
attr() { if [ -e "/proc/self/attr/$1/$2" ]; then echo "/proc/self/attr/$1/$2"; else echo "/proc/self/attr/$2"; fi; }
fail() { echo "# bench: $*"; exit 1; }

# The copy that runs: SELinux's lsmtest_exec_t is labelled on it.
BIN=/tmp/lsmbench-bin/lsmbench
mkdir -p "${BIN%/*}"
cp "$DIR/lsmbench" "$BIN"
scale=$(arg bench_scale) reps=$(arg bench_reps)
set -- "$BIN" -s "${scale:-1}" -r "${reps:-3}"
[ "$(arg bench_strict)" != 1 ] || set -- "$@" -k
pids=$(arg bench_pids)
if [ -n "$pids" ]; then
	# So that pids do not wrap back below the floor: from 5000, SCALE=2 with
	# 15 runs forks some 33,000 children, past the default pid_max of 32768.
	echo 4194304 >/proc/sys/kernel/pid_max || fail "cannot raise pid_max"
	set -- "$@" -p "$pids"
fi
traced=$(arg bench_trace)
[ -z "$traced" ] || set -- "$@" -t "$traced"

# Innermost first: each "lsmpol exec FILE VALUE" writes VALUE to FILE, then runs the rest.
if active selinux; then
	grep -q ' /sys/fs/selinux ' /proc/mounts ||
		mount -t selinuxfs selinuxfs /sys/fs/selinux || fail "cannot mount selinuxfs"
	"$LSMPOL" load "$POL/selinux/policy.33" /sys/fs/selinux/load >/dev/null ||
		fail "cannot load the SELinux policy"
	echo 1 >/sys/fs/selinux/enforce || fail "cannot make SELinux enforce"
	"$LSMPOL" setxattr "$BIN" security.selinux system_u:object_r:lsmtest_exec_t ||
		fail "cannot label $BIN"
	set -- "$LSMPOL" exec "$(attr selinux exec)" system_u:system_r:lsmtest_t "$@"
fi
if active apparmor; then
	grep -q '^lsmtest ' "$SECFS/apparmor/profiles" ||
		"$LSMPOL" load "$POL/apparmor/lsmtest.bin" "$SECFS/apparmor/.load" >/dev/null ||
		fail "cannot load the AppArmor profile"
	set -- "$LSMPOL" exec "$(attr apparmor exec)" "exec lsmtest" "$@"
fi
if active smack; then
	grep -q ' /sys/fs/smackfs ' /proc/mounts ||
		mount -t smackfs smackfs /sys/fs/smackfs || fail "cannot mount smackfs"
	"$LSMPOL" load "$POL/smack/load2" /sys/fs/smackfs/load2 >/dev/null ||
		fail "cannot load the Smack rules"
	# Root's CAP_MAC_OVERRIDE would skip the rules: only "_" keeps its privileges.
	echo _ >/sys/fs/smackfs/onlycap || fail "cannot set Smack's onlycap"
	set -- "$LSMPOL" exec "$(attr smack current)" LsmTest "$@"
fi
echo "# bench: modules $(cat "$SECFS/lsm"); running $*"
rc=0
"$@" || rc=$?
# Unreclaimable slab once the workloads have run (make bench's memory table): the
# security blobs live there, the dentry and inode caches, which vary, do not.
echo "# lsmstack-slab: $(awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo)"
exit $rc
