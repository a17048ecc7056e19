#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: build the tree's kernel, boot every line of tests/matrix under QEMU, judge the
# active modules, KUnit and kselftests of each boot, run the static checks on the series,
# and end with "N passed, N failed[, N skipped]". BOOTS="a b" limits the matrix by name,
# DEBUG="a b"|all|none names the rows booted again on the debug kernel. Then the Debian
# image's boots of tests/distro (DISTROS="a b"|all|none; the first row on the debug kernel
# too, unless DEBUG=none).
. "$(dirname "$0")/lib.sh"

t0=$(date +%s)
step() { say "$1 ($(($(date +%s) - t0))s elapsed)"; }

# BOOTS and DEBUG may name only rows of tests/matrix: a typo must not make a green run
# of nothing.
# The row names of a matrix file ($1), space-separated.
row_names() {
	local name
	while IFS='|' read -r name _; do
		name=${name//[[:space:]]/}
		case "$name" in ''|'#'*) continue ;; esac
		printf ' %s' "$name"
	done <"$1"
}
rows=$(row_names "$TOP/tests/matrix")
DEBUG=${DEBUG:-full stacked}
for var in BOOTS DEBUG; do
	names=${!var:-}
	[ "$var" = DEBUG ] && case "$names" in all|none) continue ;; esac
	for n in $names; do
		[[ " $rows " == *" $n "* ]] || die "$var names '$n', which is not a row of" \
			"tests/matrix; its rows:$rows$([ "$var" = DEBUG ] && echo ' (DEBUG also takes all or none)')"
	done
done
drows=$(row_names "$TOP/tests/distro")
DISTROS=${DISTROS:-all}
case "$DISTROS" in
all) DISTROS=$drows ;;
none) DISTROS= ;;
esac
for n in $DISTROS; do
	[[ " $drows " == *" $n "* ]] ||
		die "DISTROS names '$n', which is not a row of tests/distro; its rows:$drows (or all, none)"
done

"$TOP/scripts/deps.sh"
[ -d "$TREE/.git" ] || "$TOP/scripts/tree.sh"
mkdir -p "$LOGS"
rm -f "$LOGS/results.jsonl"

# make check tests exactly patches/: a tree that differs from it (edits, untracked files,
# commits not exported) fails here, before any build, as a result of its own.
step "build/linux against patches/"
drift=$(series_drift)
if [ -n "$drift" ]; then
	printf '%s\n' "$drift" >&2
	"$TOP/scripts/results.py" record "build/linux is patches/ applied on the base" fail \
		"$(printf '%s\n' "$drift" | head -n 6 | tr '\n' ' ')(commit and 'make export', or 'make tree FORCE=1' to reset build/linux to patches/)"
	"$TOP/scripts/results.py" summary | tee "$LOGS/summary.txt"
	exit 1
fi

step "build"
"$TOP/scripts/build.sh"
step "initramfs"
"$TOP/scripts/initramfs.sh"

# Boot the matrix rows named in $1 (all of them if empty) on the $FLAVOR kernel; each
# boot's logs and results are named $2<row>.
matrix() {
	while IFS='|' read -r name lsm expected ksft why; do
		name=$(echo $name) lsm=$(echo $lsm) expected=$(echo $expected) ksft=$(echo $ksft)
		case "$name" in ''|'#'*) continue ;; esac
		if [ -n "$1" ] && [[ " $1 " != *" $name "* ]]; then
			continue
		fi
		step "boot $2$name ($FLAVOR kernel): lsm=$lsm${ksft:+, kselftests: $ksft}"
		rc=0
		"$TOP/scripts/boot.sh" --name "$2$name" --lsm "$lsm" --plan check --ksft "$ksft" || rc=$?
		"$TOP/scripts/results.py" boot "$2$name" "$expected" "$rc" ${ksft:+ksft}
	done <"$TOP/tests/matrix"
}
matrix "${BOOTS:-}" ""

# The Debian image's boots of tests/distro named in $1, on the $FLAVOR kernel, with the
# kernel parameters in $3 added; each boot's logs and results are named $2<row>. A TCG
# boot of systemd takes minutes, hence the limit.
distro_matrix() {
	local name params expected why lsm rc more=${3:-}
	while IFS='|' read -r name params expected why; do
		name=$(echo $name) params=$(echo $params) expected=$(echo $expected)
		case "$name" in ''|'#'*) continue ;; esac
		[[ " $1 " == *" $name "* ]] || continue
		lsm=${params%% *}
		step "boot $2$name ($FLAVOR kernel, Debian image): $params"
		rc=0
		"$TOP/scripts/boot.sh" --name "$2$name" --lsm "$lsm" --append "${params#"$lsm"}${more:+ $more}" \
			--plan check --disk "$BUILD/distro/debian.img" --timeout 1500 || rc=$?
		"$TOP/scripts/results.py" boot "$2$name" "$expected" "$rc" ksft distro
	done <"$TOP/tests/distro"
}
image=no
if [ -n "$DISTROS" ]; then
	step "Debian image"
	if "$TOP/scripts/distro.sh"; then
		image=yes
		distro_matrix "$DISTROS" ""
	else
		"$TOP/scripts/results.py" record "Debian image: build" fail "see the log above"
	fi
fi

# The same tests on the debug kernel (KASAN, UBSAN, lockdep, kmemleak, DEBUG_LIST; see
# config/debug.config): DEBUG names the matrix rows to repeat there ("all": every row,
# "none": skip). By default the three majors stacked (full) and every module stacked
# (stacked, the boot that runs IMA, Landlock and TOMOYO too), CI included.
case "$DEBUG" in
none) ;;
*)
	[ "$DEBUG" = all ] && DEBUG=
	step "build (debug kernel)"
	if (export FLAVOR=debug && "$TOP/scripts/build.sh"); then
		(export FLAVOR=debug && matrix "$DEBUG" debug-)
		# The first Debian boot again, with a bounded trinity and stress-ng run
		# (docs/reliability.md; make soak runs them for long).
		first=$(echo $DISTROS | cut -d' ' -f1)
		if [ "$image" = yes ] && [ -n "$first" ]; then
			(export FLAVOR=debug && distro_matrix "$first" debug- \
				"lsmstack.trinity=${TRINITY:-5000} lsmstack.stress=${STRESS:-60}")
		fi
	else
		"$TOP/scripts/results.py" record "debug kernel: build" fail "see the log above"
	fi
	;;
esac

step "static checks"
"$TOP/scripts/static.sh"

step "done"
"$TOP/scripts/results.py" summary | tee "$LOGS/summary.txt"
exit "${PIPESTATUS[0]}"
