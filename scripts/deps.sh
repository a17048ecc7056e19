#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the workbench needs, only those that are missing; arguments
# name more (make soak adds clang for its KMSAN kernel).
. "$(dirname "$0")/lib.sh"

pkgs=(
	linux-source-6.1			# the base
	build-essential flex bison bc libelf-dev libssl-dev dwarves cpio xz-utils kmod rsync
	ccache sparse				# builds and static checks
	qemu-system-x86 busybox-static		# the guest
	libcap-dev gcc-multilib			# kselftests (static, and -m32)
	python3 python3-ply python3-git git perl	# checkpatch runs spdxcheck.py with them
	python3-docutils				# scripts/rstcheck.py on the series' documentation
	checkpolicy apparmor			# scripts/policy.sh: SELinux and AppArmor policy compilers
	mmdebstrap e2fsprogs util-linux		# scripts/distro.sh: the Debian image
	"$@"
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

say "installing: ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
	"${missing[@]}" >"${TMPDIR:-/tmp}/lsm-stack-apt.log" 2>&1; then
	tail -20 "${TMPDIR:-/tmp}/lsm-stack-apt.log" >&2
	case " ${missing[*]} " in
	*" $BASE_PKG "*)
		dpkg-query -W "$BASE_PKG" >/dev/null 2>&1 ||
			die "the base package $BASE_PKG cannot be installed; nothing can be built without it"
		;;
	esac
	die "apt-get install failed (log: ${TMPDIR:-/tmp}/lsm-stack-apt.log)"
fi
