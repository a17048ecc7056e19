#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the kselftest collections statically from the tree and pack the guest's
# initramfs: busybox (Debian busybox-static), guest/init and the installed kselftests.
. "$(dirname "$0")/lib.sh"

# The collections make check runs; later patches add their own here.
KSFT_TARGETS=${KSFT_TARGETS:-landlock}
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

root=$BUILD/initramfs
rm -rf "$root"
mkdir -p "$root/bin" "$root/kselftest"
cp "$BUSYBOX" "$root/bin/busybox"
install -m 0755 "$TOP/guest/init" "$root/init"
cp -a "$KSFT"/. "$root/kselftest/"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --quiet -o -0 -H newc -R 0:0 | gzip -1 >"$BUILD/initramfs.cpio.gz")
say "initramfs: $BUILD/initramfs.cpio.gz ($(du -h "$BUILD/initramfs.cpio.gz" | cut -f1))"
