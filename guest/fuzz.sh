#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs the LSM interface fuzzer (tests/fuzz/lsmfuzz.c) as a kselftest program: installed
# as fuzz64.sh for the 64-bit build and fuzz32.sh for the -m32 one. The kernel command
# line sets the calls (lsmstack.fuzz=, default 100000) and the seed (lsmstack.fuzz_seed=,
# default a new one, printed so that a failure replays).
arg() {
	tr ' ' '\n' </proc/cmdline | sed -n "s/^lsmstack\\.$1=//p" | tail -n 1
}
case "$0" in
*32.sh) bin=./lsmfuzz32 name=fuzz32 ;;
*) bin=./lsmfuzz64 name=fuzz64 ;;
esac
calls=$(arg fuzz)
seed=$(arg fuzz_seed)
exec "$bin" -N "$name" -n "${calls:-100000}" ${seed:+-s "$seed"} -T 600
