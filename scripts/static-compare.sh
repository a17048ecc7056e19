# SPDX-License-Identifier: GPL-2.0
# How scripts/static.sh judges one compile of the series against the base: the compiler's
# and sparse's diagnostics are normalised and compared per file, and those of included
# headers as one set. Source it after defining R (record NAME pass|fail|skip [DETAIL]);
# scripts/static-selftest.sh drives these functions with made-up logs.

# Diagnostics of one compile, made comparable across the two trees: tree prefixes (TREE,
# $1) and line numbers dropped, only real "file: warning:" / "file: error:" lines kept.
norm() {
	sed -E "s#$1/##g; s#^(\.\./)+${1##*/}/##; s#:[0-9]+:[0-9]+:#:#; s#:[0-9]+:#:#" |
		grep -E '^[^ ]+: (warning|error):' | sort || true
}

# The normalised diagnostics of FILE, and those of no FILE (once each).
of_file() {
	awk -v f="$1: " 'index($0, f) == 1'
}
not_of_files() {
	awk -v list="$*" 'BEGIN { n = split(list, fs, " ") }
		{ for (i = 1; i <= n; i++) if (index($0, fs[i] ": ") == 1) next; print }' | sort -u
}

# judge NAME ADDED FULL: NAME passes when ADDED (the diagnostics the base lacks) is
# empty; otherwise it fails, quoting the first two, and FULL keeps them all.
judge() {
	if [ -z "$2" ]; then
		R "$1" pass
	else
		printf '%s\n' "$2" >"$3"
		R "$1" fail "$(printf '%s' "$2" | head -2 | tr '\n' ' ')(full: $3)"
	fi
}

# judge_unbuilt NAME FILE OBJ LOG NEW LABEL: FILE gave no object OBJ. Skipped when the
# configuration does not build it (make has no rule for OBJ), failed when it broke,
# quoting its first diagnostic from NEW (normalised) or the first error of LOG.
judge_unbuilt() {
	if grep -q "No rule to make target '$3'" "$4"; then
		R "$1" skip "$6 does not build it"
	else
		R "$1" fail "no object: $(grep -m1 -F "$2:" "$5" || grep -m1 -E 'error|Error' "$4" ||
			echo 'no diagnostic')"
	fi
}

# judge_files LABEL DIR KEY SOBJ FILE...: every FILE against the base, then the headers,
# from DIR/KEY.log (the series' make output), DIR/KEY.new and DIR/KEY.base (normalised).
judge_files() {
	local label=$1 dir=$2 key=$3 sobj=$4 f o name
	shift 4
	for f in "$@"; do
		o=${f%.c}.o
		name="static: sparse and W=1 ($label): $f"
		if [ ! -f "$sobj/$o" ]; then
			judge_unbuilt "$name" "$f" "$o" "$dir/$key.log" "$dir/$key.new" "$label"
			continue
		fi
		judge "$name" "$(comm -13 <(of_file "$f" <"$dir/$key.base") \
			<(of_file "$f" <"$dir/$key.new"))" "$dir/${f//\//_}.$key.added"
	done
	# Diagnostics in files other than the FILEs: the headers they include.
	judge "static: sparse and W=1 ($label): included headers" \
		"$(comm -13 <(not_of_files "$@" <"$dir/$key.base") <(not_of_files "$@" <"$dir/$key.new"))" \
		"$dir/headers.$key.added"
}
