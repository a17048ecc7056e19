#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the Debian 12 disk image that make run DISTRO=debian and make check boot:
# mmdebstrap installs config/debian.packages from this machine's own apt sources, the
# files of guest/debian/ go in, SELinux is set to enforcing and every file labelled from
# the reference policy's own file_contexts (setfiles), and mkfs.ext4 -d makes the image
# (no loop mount). The image is reused while its inputs are unchanged (the package list,
# guest/debian/, this script, the apt sources); anything else builds it again from scratch,
# and only a finished image replaces the old one.
. "$(dirname "$0")/lib.sh"

dir=$BUILD/distro
img=$dir/debian.img
stamp=$dir/debian.inputs
log=$LOGS/distro-image.log
suite=bookworm

# The machine's own apt sources for the suite: the files that name it.
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && grep -Eq "^[^#]*\\b$suite\\b" "$f" && sources+=("$f")
done
[ ${#sources[@]} -gt 0 ] ||
	die "no apt source of this machine names $suite (/etc/apt/sources.list, /etc/apt/sources.list.d/): the image is built from them"

inputs() {
	(cd "$TOP" && sha256sum config/debian.packages scripts/distro.sh guest/debian/*) |
		sed "s|  | |"
	sha256sum "${sources[@]}"
}
mkdir -p "$dir" "$LOGS"
if [ -f "$img" ] && [ -f "$stamp" ] && inputs | cmp -s - "$stamp"; then
	say "Debian image up to date: $img"
	exit 0
fi
[ -f "$img" ] && say "Debian image inputs changed: building it again"
rm -f "$img" "$stamp"

# The root tree and the image both need room: about 1.5 GB at the peak.
avail=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
[ "$avail" -ge 2048 ] ||
	die "building the Debian image needs 2 GB free in $dir; there are $avail MB"
command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: run 'make deps'"
[ "$(id -u)" -eq 0 ] ||
	die "building the Debian image needs root (mmdebstrap --mode=root, setfiles in a mount namespace): run 'sudo make distro' once"

tmp=$dir/debian.tmp
cleanup() { mountpoint -q "$tmp/root/proc" && umount "$tmp/root/proc"; rm -rf "$tmp"; }
trap cleanup EXIT
rm -rf "$tmp"
mkdir -p "$tmp"
packages=$(grep -Ev '^(#|$)' "$TOP/config/debian.packages" | paste -sd,)

say "building the Debian $suite image (mmdebstrap; log: $log)"
start=$SECONDS
if ! mmdebstrap --mode=root --variant=minbase --include="$packages" \
	"$suite" "$tmp/root" "${sources[@]}" >"$log" 2>&1; then
	tail -n 15 "$log" >&2
	die "mmdebstrap failed (a download, a package or the disk; log: $log); nothing was kept"
fi

say "setting up the image: serial console, policies, checks"
root=$tmp/root
echo lsmstack >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tlsmstack\n' >"$root/etc/hosts"
echo '/dev/vda / ext4 rw,relatime 0 1' >"$root/etc/fstab"
# A fixed machine ID: every boot is a first boot of the same machine, without prompts.
echo 6c736d737461636b2d64656269616e31 >"$root/etc/machine-id"
ln -sf /dev/null "$root/etc/systemd/system/systemd-firstboot.service"
chroot "$root" passwd -qd root >/dev/null
install -D -m 0644 "$TOP/guest/debian/autologin.conf" \
	"$root/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf"
install -D -m 0644 "$TOP/guest/debian/lsmstack-profile.sh" "$root/etc/profile.d/lsmstack.sh"
install -D -m 0755 "$TOP/guest/debian/lsmstack-guest" "$root/usr/local/sbin/lsmstack-guest"
install -D -m 0644 "$TOP/guest/debian/wired.network" "$root/etc/systemd/network/20-wired.network"
ln -sf /lib/systemd/system/systemd-networkd.service \
	"$root/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
install -D -m 0644 "$TOP/guest/debian/known-avc-denials" \
	"$root/usr/local/share/lsmstack/known-avc-denials"
install -D -m 0644 "$TOP/guest/debian/chrony-denials.conf" \
	"$root/usr/local/share/lsmstack/chrony-denials.conf"
for f in etc/chrony/lsmstack-selinux-denies.keys etc/lsmstack-apparmor-denies.keys; do
	echo '1 SHA1 HEX:6c736d2d737461636b2d7465737420' >"$root/$f"
done
sed -i 's/^SELINUX=.*/SELINUX=enforcing/' "$root/etc/selinux/config"
grep -qx 'SELINUX=enforcing' "$root/etc/selinux/config" ||
	die "could not set SELinux to enforcing in the image's /etc/selinux/config"

say "labelling every file from the reference policy's file_contexts (setfiles)"
fc=/etc/selinux/default/contexts/files/file_contexts
[ -f "$root$fc" ] || die "the image has no $fc: is selinux-policy-default in the package list?"
# setfiles sets labels through /proc/self/fd: give the chroot a /proc of its own.
if ! unshare -m sh -c 'mount -t proc proc "$1/proc" && chroot "$1" setfiles -e /proc -F "$2" /' \
	sh "$root" "$fc" >>"$log" 2>&1; then
	tail -n 15 "$log" >&2
	die "setfiles failed (log: $log)"
fi

# The two files of chrony-denials.conf: each readable to chronyd in one module only.
python3 - "$root" <<'PY' || die "could not label the files of chrony-denials.conf"
import os, sys
for path, ctx in (('etc/chrony/lsmstack-selinux-denies.keys', 'httpd_sys_content_t'),
                  ('etc/lsmstack-apparmor-denies.keys', 'chronyd_keys_t')):
	os.setxattr(os.path.join(sys.argv[1], path), 'security.selinux',
	            f'system_u:object_r:{ctx}:s0'.encode() + b'\0')
PY

size=$(( $(du -sm "$root" | cut -f1) + 768 ))
say "making the ext4 image (${size} MB)"
mkfs.ext4 -q -F -L debian -d "$root" "$tmp/debian.img" "${size}M" >>"$log" 2>&1 ||
	die "mkfs.ext4 -d failed (log: $log)"
mv "$tmp/debian.img" "$img"
inputs >"$stamp"
say "Debian image ready in $((SECONDS - start)) s: $img"
