#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the guest kernel out of tree (build/obj-$FLAVOR), with ccache.
# The .config is made from allnoconfig plus the fragments in config/; it is remade only
# when the fragments change, so rebuilds stay incremental.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no tree at $TREE: run 'make tree' first"
frags=("$TOP/config/guest.config" "$TOP/config/distro.config" "$TOP/config/lsm.config"
	"$TOP/config/kunit.config")
case "$FLAVOR" in
test) ;;
bench) frags+=("$TOP/config/bench.config") ;;
debug) frags+=("$TOP/config/debug.config") ;;
kmsan) frags+=("$TOP/config/kmsan.config") ;;
*) die "unknown FLAVOR=$FLAVOR (test, bench, debug or kmsan)" ;;
esac

mkdir -p "$OBJ"
cat "${frags[@]}" >"$OBJ/lsm-stack.fragment.new"

configure() {
	say "configuring $FLAVOR kernel from ${frags[*]##*/}${1:+ ($1)}"
	kmake -s KCONFIG_ALLCONFIG="$OBJ/lsm-stack.fragment.new" allnoconfig
	kmake -s olddefconfig
	cp "$OBJ/lsm-stack.fragment.new" "$OBJ/lsm-stack.fragment"
}

# Every option a fragment asks for must really be set: Kconfig drops what it cannot honour.
dropped() {
	awk '
	FNR == NR {
		if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) have[substr($0, 1, RLENGTH - 1)] = substr($0, RLENGTH + 1)
		next
	}
	/^CONFIG_/ {
		n = index($0, "="); k = substr($0, 1, n - 1); v = substr($0, n + 1)
		if (have[k] != v) printf "  %s=%s (got: %s)\n", k, v, (k in have) ? have[k] : "not set"
	}
	/^# CONFIG_.* is not set/ {
		k = $2
		if ((k in have) && have[k] != "n") printf "  %s not set (got: %s)\n", k, have[k]
	}' "$OBJ/.config" "$OBJ/lsm-stack.fragment.new"
}

if ! cmp -s "$OBJ/lsm-stack.fragment.new" "$OBJ/lsm-stack.fragment" || [ ! -f "$OBJ/.config" ]; then
	configure
elif [ -n "$(dropped)" ]; then
	# The fragments did not change but the tree did: a Kconfig symbol a patch adds is
	# left unset by a .config made (or synced) before the patch existed.
	configure "the tree's Kconfig changed"
fi
missing=$(dropped)
rm -f "$OBJ/lsm-stack.fragment.new"
[ -z "$missing" ] || die "$(printf 'options the fragments ask for that the .config lacks:\n%s' "$missing")"

say "building the $FLAVOR kernel in $OBJ (-j$JOBS)"
start=$(date +%s)
kmake -s bzImage
say "kernel built in $(($(date +%s) - start))s: $OBJ/arch/x86/boot/bzImage"
