#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the kselftest collections statically from the tree and pack the guest's
# initramfs: busybox (Debian busybox-static), guest/init and the installed kselftests.
. "$(dirname "$0")/lib.sh"

# The collections make check runs; later patches add their own here.
KSFT_TARGETS=${KSFT_TARGETS:-landlock lsm}
# Collections also built with -m32 and run as a 32-bit task (collection name + "32"),
# to prove the ABI needs no compat layer.
KSFT32_TARGETS=${KSFT32_TARGETS:-lsm}
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || die "$BUSYBOX missing: install busybox-static (scripts/deps.sh)"

# Kernel headers for the selftests (KHDR_INCLUDES points at $OBJ/usr/include).
kmake -s headers

say "building kselftests ($KSFT_TARGETS), statically linked"
rm -rf "$KSFT"
mkdir -p "$KSFT"
make -s -C "$TREE/tools/testing/selftests" O="$OBJ" TARGETS="$KSFT_TARGETS" \
	CC="gcc -static" -j"$JOBS" INSTALL_PATH="$KSFT" install >"$BUILD/kselftest-build.log" 2>&1 || {
	tail -40 "$BUILD/kselftest-build.log" >&2
	die "kselftest build failed (log: $BUILD/kselftest-build.log)"
}
[ -s "$KSFT/kselftest-list.txt" ] || die "kselftest install produced no kselftest-list.txt"

if [ -n "$KSFT32_TARGETS" ]; then
	say "building kselftests ($KSFT32_TARGETS) with -m32, statically linked"
	rm -rf "$BUILD/kselftest32"
	make -s -C "$TREE/tools/testing/selftests" O="$BUILD/obj-ksft32" \
		KHDR_INCLUDES="-isystem $OBJ/usr/include" TARGETS="$KSFT32_TARGETS" \
		CC="gcc -static -m32" -j"$JOBS" INSTALL_PATH="$BUILD/kselftest32" install \
		>"$BUILD/kselftest32-build.log" 2>&1 || {
		tail -40 "$BUILD/kselftest32-build.log" >&2
		die "-m32 kselftest build failed (log: $BUILD/kselftest32-build.log)"
	}
	for c in $KSFT32_TARGETS; do
		[ -d "$BUILD/kselftest32/$c" ] || die "-m32 build installed no $c collection"
		cp -a "$BUILD/kselftest32/$c" "$KSFT/${c}32"
		sed -n "s/^$c:/${c}32:/p" "$BUILD/kselftest32/kselftest-list.txt" >>"$KSFT/kselftest-list.txt"
	done
fi

say "building tools/lsm, statically linked"
make -s -C "$TREE/tools/lsm" CC="gcc -static" HDR="$OBJ/usr/include" \
	OUTPUT="$BUILD/tools-lsm/" >"$BUILD/tools-lsm-build.log" 2>&1 || {
	cat "$BUILD/tools-lsm-build.log" >&2
	die "tools/lsm build failed"
}

# The LSM interface fuzzer (tests/fuzz/lsmfuzz.c), 64-bit and -m32, as the collection
# "fuzz" (guest/fuzz.sh reads its call count and seed from the kernel command line).
say "building the LSM interface fuzzer (64-bit and -m32), statically linked"
mkdir -p "$BUILD/fuzz"
for bits in 64 32; do
	gcc -static -m$bits -O2 -Wall -Wextra -Werror -pthread -isystem "$OBJ/usr/include" \
		-o "$BUILD/fuzz/lsmfuzz$bits" "$TOP/tests/fuzz/lsmfuzz.c" ||
		die "the $bits-bit fuzzer did not build"
done

# The benchmark (tests/bench/lsmbench.c), the collection "bench" (guest/bench.sh).
say "building the benchmark, statically linked"
gcc -static -O2 -Wall -Wextra -Werror -isystem "$OBJ/usr/include" \
	-o "$BUILD/fuzz/lsmbench" "$TOP/tests/bench/lsmbench.c" || die "the benchmark did not build"

root=$BUILD/initramfs
rm -rf "$root"
mkdir -p "$root/bin" "$root/kselftest"
cp "$BUSYBOX" "$root/bin/busybox"
install -m 0755 "$BUILD/tools-lsm/lsm" "$root/bin/lsm"
install -m 0755 "$TOP/guest/init" "$root/init"
cp -a "$KSFT"/. "$root/kselftest/"

# Real policies (policy/README.md), run as the kselftest collection "policy".
"$TOP/scripts/policy.sh"
mkdir -p "$root/kselftest/policy"
cp -a "$BUILD/policy/selinux" "$BUILD/policy/apparmor" "$BUILD/policy/smack" "$root/kselftest/policy/"
install -m 0755 "$BUILD/policy/lsmpol" "$TOP/guest/policy-tests.sh" "$root/kselftest/policy/"
echo timeout=120 >"$root/kselftest/policy/settings"
echo policy:policy-tests.sh >>"$root/kselftest/kselftest-list.txt"
mkdir -p "$root/kselftest/fuzz"
install -m 0755 "$BUILD/fuzz/lsmfuzz64" "$BUILD/fuzz/lsmfuzz32" "$root/kselftest/fuzz/"
install -m 0755 "$TOP/guest/fuzz.sh" "$root/kselftest/fuzz/fuzz64.sh"
install -m 0755 "$TOP/guest/fuzz.sh" "$root/kselftest/fuzz/fuzz32.sh"
echo timeout=900 >"$root/kselftest/fuzz/settings"
printf 'fuzz:fuzz64.sh\nfuzz:fuzz32.sh\n' >>"$root/kselftest/kselftest-list.txt"
# Fault injection (guest/faults.sh): the fuzzer again, and the lsm kselftests.
mkdir -p "$root/kselftest/faults"
install -m 0755 "$BUILD/fuzz/lsmfuzz64" "$TOP/guest/faults.sh" "$root/kselftest/faults/"
echo timeout=1200 >"$root/kselftest/faults/settings"
echo faults:faults.sh >>"$root/kselftest/kselftest-list.txt"
mkdir -p "$root/kselftest/bench"
install -m 0755 "$BUILD/fuzz/lsmbench" "$TOP/guest/bench.sh" "$root/kselftest/bench/"
echo timeout=3600 >"$root/kselftest/bench/settings"
echo bench:bench.sh >>"$root/kselftest/kselftest-list.txt"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --quiet -o -0 -H newc -R 0:0 | gzip -1 >"$BUILD/initramfs.cpio.gz")
say "initramfs: $BUILD/initramfs.cpio.gz ($(du -h "$BUILD/initramfs.cpio.gz" | cut -f1))"
