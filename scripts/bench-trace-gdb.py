# SPDX-License-Identifier: GPL-2.0
# Run by gdb for make bench-trace (scripts/bench-trace.sh): attach to a guest booted with
# QEMU's gdb server, stop at lsmbench -t's first marker (system call 400 with the magic
# first argument: the kernel's __x64_sys_ni_syscall), then step one instruction at a time
# to the second marker and write how often each address ran, "ADDRESS COUNT" a line, to
# $TRACE_OUT. QEMU steps with interrupts and timers held, so only the operation is counted.
# $TRACE_PORT: the gdb server's port; $TRACE_MAX: the most instructions to step.
import collections
import os
import time

import gdb

MAGIC = 0x6C736D7472616365  # lsmbench.c's TRACE_MAGIC
PT_REGS_DI = 112            # offsetof(struct pt_regs, di) on x86-64

port = os.environ["TRACE_PORT"]
out = os.environ["TRACE_OUT"]
limit = int(os.environ.get("TRACE_MAX", "2000000"))

gdb.execute("set pagination off")
gdb.execute("set confirm off")
for attempt in range(240):
    try:
        gdb.execute(f"target remote 127.0.0.1:{port}", to_string=True)
        break
    except gdb.error:
        time.sleep(0.5)
else:
    raise SystemExit(f"bench-trace: no gdb server on port {port}")

inferior = gdb.selected_inferior()
marker = int(gdb.parse_and_eval("(unsigned long)&__x64_sys_ni_syscall"))


def pc():
    return int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF


def at_marker():
    """Whether the guest stands at a marker: ni_syscall, called with the magic."""
    if pc() != marker:
        return False
    regs = int(gdb.parse_and_eval("$rdi")) & 0xFFFFFFFFFFFFFFFF
    di = int.from_bytes(inferior.read_memory(regs + PT_REGS_DI, 8).tobytes(), "little")
    return di == MAGIC


gdb.execute(f"hbreak *{marker:#x}", to_string=True)
while True:
    gdb.execute("continue", to_string=True)
    if at_marker():
        break
gdb.execute("delete", to_string=True)

counts = collections.Counter()
steps = 0
gdb.execute("stepi", to_string=True)
while not at_marker():
    counts[pc()] += 1
    steps += 1
    if steps >= limit:
        raise SystemExit(f"bench-trace: no second marker after {limit} instructions")
    gdb.execute("stepi", to_string=True)

with open(out, "w") as f:
    for addr, n in sorted(counts.items()):
        f.write(f"{addr:x} {n}\n")
gdb.execute("detach", to_string=True)
