#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# Print the running kernel's AppArmor feature set in apparmor_parser's --features-file
# format (the nested "name {value}" text of /usr/share/apparmor-features/features).
# Run in the guest booted with lsm=apparmor; its output is policy/apparmor/features-6.1:
#   dump-features.sh [/sys/kernel/security/apparmor/features] >features-6.1
set -eu

dump() {
	for e in "$1"/*; do
		[ -e "$e" ] || continue
		printf '%s {' "${e##*/}"
		if [ -d "$e" ]; then
			dump "$e"
		else
			cat "$e"
		fi
		printf '}\n'
	done
}
dump "${1:-/sys/kernel/security/apparmor/features}"
