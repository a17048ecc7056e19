# SPDX-License-Identifier: GPL-2.0
# Root's login shell on the serial console runs the plan on the kernel command line once
# per boot (lsmstack-guest): show the security state and check, or show it and stay.
if [ "$(id -u)" = 0 ] && [ "$(tty)" = /dev/ttyS0 ] && [ ! -e /run/lsmstack-plan ]; then
	: >/run/lsmstack-plan
	/usr/local/sbin/lsmstack-guest
fi
