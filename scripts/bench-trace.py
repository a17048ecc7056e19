#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# make bench-trace's table: the instructions one operation ran in each kernel function,
# stock 6.1 against the series, from the address counts scripts/bench-trace-gdb.py wrote.
#   bench-trace.py TITLE BASE_VMLINUX BASE_COUNTS SERIES_VMLINUX SERIES_COUNTS
# A function is its symbol in the vmlinux (what the compiler inlined counts in its
# caller); user space is one row, the same program on both kernels.
import bisect
import collections
import subprocess
import sys


def symbols(vmlinux):
    """The vmlinux's text symbols, sorted by address: (addresses, names)."""
    out = subprocess.run(["nm", "-n", vmlinux], check=True, capture_output=True,
                         text=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            addrs.append(int(parts[0], 16))
            names.append(parts[2])
    return addrs, names


def by_function(vmlinux, counts_file):
    addrs, names = symbols(vmlinux)
    per = collections.Counter()
    with open(counts_file) as f:
        for line in f:
            addr, n = line.split()
            addr, n = int(addr, 16), int(n)
            if addr < 0xFFFF800000000000:
                per["(user space)"] += n
                continue
            i = bisect.bisect_right(addrs, addr) - 1
            per[names[i] if i >= 0 else "(unknown)"] += n
    return per


def main():
    title, base_vm, base_counts, series_vm, series_counts = sys.argv[1:6]
    base = by_function(base_vm, base_counts)
    series = by_function(series_vm, series_counts)
    rows = []
    for fn in set(base) | set(series):
        b, s = base.get(fn, 0), series.get(fn, 0)
        if b != s:
            rows.append((s - b, fn, b, s))
    rows.sort(key=lambda r: (-abs(r[0]), r[1]))
    tb, ts = sum(base.values()), sum(series.values())
    print(f"### {title}\n")
    print("Instructions of one operation in each function whose count differs "
          "(what the compiler inlined counts in its caller).\n")
    print("| function | stock 6.1 | series | delta |")
    print("| --- | ---: | ---: | ---: |")
    for d, fn, b, s in rows:
        print(f"| {fn} | {b:,} | {s:,} | {d:+,} |")
    print(f"| **all** | {tb:,} | {ts:,} | {ts - tb:+,} |")
    print(f"\n{len(base)} functions ran on stock 6.1, {len(series)} on the series; "
          f"{sum(1 for r in rows)} differ.")


if __name__ == "__main__":
    main()
