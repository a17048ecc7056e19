#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the built kernel and initramfs under QEMU (TCG) with a hard time limit; with
# --disk, the Debian image of scripts/distro.sh instead (read-only: a boot's writes go to
# a temporary overlay, so every boot starts from the same system).
#   boot.sh --name NAME [--lsm LIST|default] [--plan check|run] [--ksft a,b] [--timeout S]
#           [--disk IMG] [--append "PARAMS"] [--icount] [--cpus N] [--gdb PORT]
# --icount: one CPU, and guest time advancing one nanosecond an instruction executed
# (-icount shift=0,sleep=off), so that a guest's timings count instructions (make bench).
# --cpus N: N virtual CPUs (default 2; --icount has one).
# --gdb PORT: QEMU's gdb server on localhost:PORT (make bench-trace).
# Logs: build/logs/NAME/console.log (kernel console) and results.log (the guest's report).
# Exit: 0 the guest passed its plan, 1 it reported a failure, 2 no verdict (timeout,
# panic, crash): the console log says why.
. "$(dirname "$0")/lib.sh"

name=boot lsm=default plan=check ksft= timeout=${BOOT_TIMEOUT:-900} extra= disk= icount= gdb= cpus=2
while [ $# -gt 0 ]; do
	case "$1" in
	--name) name=$2; shift 2 ;;
	--lsm) lsm=$2; shift 2 ;;
	--plan) plan=$2; shift 2 ;;
	--ksft) ksft=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--append) extra=$2; shift 2 ;;
	--disk) disk=$2; shift 2 ;;
	--icount) icount=1; shift ;;
	--gdb) gdb=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	*) die "boot.sh: unknown argument $1" ;;
	esac
done

kernel=$OBJ/arch/x86/boot/bzImage
initrd=$BUILD/initramfs.cpio.gz
[ -f "$kernel" ] || die "no kernel at $kernel: run 'make build'"
if [ -n "$disk" ]; then
	[ -f "$disk" ] || die "no disk image at $disk: run 'make distro'"
else
	[ -f "$initrd" ] || die "no initramfs at $initrd: run 'make initramfs'"
fi
dir=$LOGS/$name
rm -rf "$dir"
mkdir -p "$dir"

cmdline="console=ttyS0 panic=-1 oops=panic log_buf_len=4M lsmstack.plan=$plan"
[ "$lsm" = default ] || cmdline+=" lsm=$lsm"
[ "$plan" = run ] && cmdline+=" quiet"
[ -n "$ksft" ] && cmdline+=" lsmstack.ksft=$ksft"
[ -n "$extra" ] && cmdline+=" $extra"

qemu=(qemu-system-x86_64 -machine q35 -accel tcg -cpu max -m 2G
	-display none -no-reboot -kernel "$kernel"
	-device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ -n "$icount" ]; then
	qemu+=(-smp 1 -icount shift=0,sleep=off)
else
	qemu+=(-smp "$cpus")
fi
[ -z "$gdb" ] || qemu+=(-gdb "tcp:127.0.0.1:$gdb")
if [ -n "$disk" ]; then
	qemu+=(-drive "file=$disk,if=virtio,format=raw,snapshot=on"
	       -nic user,model=virtio-net-pci)
	cmdline="root=/dev/vda rw $cmdline"
else
	qemu+=(-initrd "$initrd")
fi

interactive=0
if [ "$plan" = run ] && [ -t 0 ] && [ -t 1 ]; then
	interactive=1
	cmdline+=" lsmstack.shell=1"
fi
printf 'cmdline: %s\n' "$cmdline" >"$dir/cmdline"
# The booted kernel's configuration, which results.py judges the boot against.
cp "$OBJ/.config" "$dir/kernel.config" 2>/dev/null || true

set +e
if [ "$interactive" = 1 ]; then
	# The console is this terminal (Ctrl-A X quits QEMU); a copy goes to the log.
	"${qemu[@]}" -append "$cmdline" -chardev stdio,id=con,mux=on,signal=off,logfile="$dir/console.log" \
		-serial chardev:con -mon chardev=con,mode=readline -serial file:"$dir/results.log"
	exit 0				# the user chose how to leave
elif [ "$plan" = run ]; then
	timeout --foreground -k 10 "$timeout" "${qemu[@]}" -append "$cmdline" \
		-serial file:"$dir/console.log" -serial file:"$dir/results.log" </dev/null &
	qpid=$!
	tail -n +1 --pid=$qpid -F "$dir/console.log" 2>/dev/null &
	wait $qpid
	rc=$?
	sleep 0.5
else
	timeout -k 10 "$timeout" "${qemu[@]}" -append "$cmdline" \
		-serial file:"$dir/console.log" -serial file:"$dir/results.log" </dev/null \
		>"$dir/qemu.log" 2>&1
	rc=$?
fi
set -e

case $rc in
1) exit 0 ;;				# guest wrote 0 to isa-debug-exit
3) exit 1 ;;				# guest wrote 1
124|137) echo "boot $name: no verdict: killed after ${timeout}s (console: $dir/console.log)" >&2 ;;
0) echo "boot $name: no verdict: the guest rebooted or panicked (console: $dir/console.log)" >&2 ;;
*) echo "boot $name: no verdict: QEMU exited with $rc (console: $dir/console.log, $dir/qemu.log)" >&2 ;;
esac
exit 2
