#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# Load a real policy into each active major security module (SELinux, AppArmor, Smack)
# and show that it denies what it should and allows what it should: one confined task
# (SELinux domain lsmtest_t, AppArmor profile lsmtest, Smack label LsmTest) gets EACCES
# reading a secret file, while an unconfined or explicitly allowed task reads the same
# file, and the confined task still reads an ordinary one.
#   policy-tests.sh [DIR]    DIR holds build/policy/'s files: selinux/policy.33,
#                            apparmor/lsmtest.bin, smack/load2 and the helper lsmpol
#                            (tests/policy/lsmpol.c); default: this script's directory
# Prints one KTAP document on stdout; every check is always listed (SKIP when its module
# is not active), so the plan is the same in every boot. Exit status 0 unless a check
# failed. Installed as the kselftest collection "policy" (policy/README.md), guest/init
# runs it like any kselftest program. Loading is one-way: the policies stay loaded, and
# SELinux stays enforcing, for the rest of the boot.
set -eu

DIR=${1:-$(cd "$(dirname "$0")" && pwd)}
LSMPOL=${LSMPOL:-$DIR/lsmpol}
SECFS=/sys/kernel/security
# Unreadable securityfs leaves every module "not active": each skip then says why first
# (results.py fails such a skip where the kernel has CONFIG_SECURITYFS).
nosecfs=
lsms=$(cat "$SECFS/lsm" 2>/dev/null) || nosecfs="cannot read $SECFS/lsm"
lsms=",$lsms,"
active() { case "$lsms" in *",$1,"*) return 0 ;; esac; return 1; }
# first_active MODULE...: print the first of the MODULEs in lsm= order (nothing if none).
first_active() {
	for m in $(echo "$lsms" | tr , ' '); do
		for w in "$@"; do
			[ "$m" = "$w" ] && { echo "$m"; return 0; }
		done
	done
	return 0
}

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1${2:+ # SKIP ${nosecfs:+$nosecfs: }$2}"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n $1 # $2"; }
diag() { sed 's/^/# /'; }

# expect NAME WANT CONTEXT CMD...: run CMD; pass if it exits WANT (0: allowed, 13: EACCES
# from lsmpol read) and, when CONTEXT is not empty, its output names that context.
expect() {
	name=$1 want=$2 ctx=$3
	shift 3
	if out=$("$@" 2>&1); then rc=0; else rc=$?; fi
	printf '%s\n' "$out" | diag
	if [ "$rc" = "$want" ] && { [ -z "$ctx" ] || printf '%s\n' "$out" | grep -qF -- "$ctx"; }; then
		ok "$name"
	else
		notok "$name" "exit status $rc, expected $want${ctx:+ as '$ctx'}"
	fi
}

# step NAME CMD...: a set-up step that must succeed (its output as diagnostics).
step() {
	name=$1
	shift
	if out=$("$@" 2>&1); then rc=0; else rc=$?; fi
	printf '%s\n' "$out" | diag
	if [ "$rc" = 0 ]; then ok "$name"; else notok "$name" "exit status $rc"; fi
}

# audited NAME PATTERN...: pass if one line of the kernel log has every PATTERN. While no
# audit daemon listens, the kernel prints each audit record there; printk_ratelimit is 0
# (below) so that none is dropped.
audited() {
	name=$1
	shift
	lines=$(dmesg)
	for p in "$@"; do
		lines=$(printf '%s\n' "$lines" | grep -F -- "$p") || break
	done
	if [ -n "$lines" ]; then
		printf '%s\n' "$lines" | tail -n 1 | diag
		ok "$name"
	else
		notok "$name" "no audit record with: $*"
	fi
}

skip_all() { # module reason name...
	mod=$1 why=$2
	shift 2
	for t in "$@"; do ok "$mod.$t" "$why"; done
}

# A copy of the helper at a fixed path: SELinux labels it lsmtest_exec_t (entrypoint of
# lsmtest_t), AppArmor's lsmtest profile attaches to this path.
TESTBIN=/tmp/lsmtest/lsmpol

echo "KTAP version 1"
echo "1..52"
echo "# active modules: $(cat "$SECFS/lsm" 2>/dev/null || echo '?')"
mkdir -p /tmp/lsmtest
cp "$LSMPOL" "$TESTBIN"
# Every audit record reaches the kernel log (audited() reads it there).
echo 0 >/proc/sys/kernel/printk_ratelimit

# --- SELinux (9) -------------------------------------------------------------------------
SE_TESTS="load enforce label unconfined_reads_secret setexec_denied_secret \
setexec_reads_public transition_denied_secret transition_reads_public denial_audited"
se_setup() {
	[ -d /sys/fs/selinux ] || { echo "no /sys/fs/selinux"; return 1; }
	grep -q ' /sys/fs/selinux ' /proc/mounts ||
		mount -t selinuxfs selinuxfs /sys/fs/selinux || return 1
	"$LSMPOL" load "$DIR"/selinux/policy.33 /sys/fs/selinux/load || return 1
	echo "policyvers $(cat /sys/fs/selinux/policyvers), self: $("$LSMPOL" context)"
	"$LSMPOL" context | grep -q '=system_u:system_r:unconfined_t' || return 1
}
se_enforce() {
	echo 1 >/sys/fs/selinux/enforce || return 1
	echo "enforce: $(cat /sys/fs/selinux/enforce)"
	[ "$(cat /sys/fs/selinux/enforce)" = 1 ] || return 1
	ls / >/dev/null && cat /proc/self/status >/dev/null || return 1
	echo "the shell still works"
}
se_label() {
	echo selinux-secret >/tmp/se-secret || return 1
	echo selinux-public >/tmp/se-public || return 1
	"$LSMPOL" setxattr /tmp/se-secret security.selinux system_u:object_r:lsmtest_secret_t || return 1
	"$LSMPOL" setxattr "$TESTBIN" security.selinux system_u:object_r:lsmtest_exec_t || return 1
	echo "/tmp/se-secret: $("$LSMPOL" getxattr /tmp/se-secret security.selinux)"
	echo "/tmp/se-public: $("$LSMPOL" getxattr /tmp/se-public security.selinux)"
	echo "$TESTBIN: $("$LSMPOL" getxattr "$TESTBIN" security.selinux)"
}
if active selinux; then
	# With the LSM series SELinux also has /proc/self/attr/selinux/.
	se_exec=/proc/self/attr/exec
	[ -e /proc/self/attr/selinux/exec ] && se_exec=/proc/self/attr/selinux/exec
	confined=system_u:system_r:lsmtest_t
	step selinux.load se_setup
	step selinux.enforce se_enforce
	step selinux.label se_label
	expect selinux.unconfined_reads_secret 0 :unconfined_t "$LSMPOL" read /tmp/se-secret
	expect selinux.setexec_denied_secret 13 :lsmtest_t \
		"$LSMPOL" exec "$se_exec" "$confined" "$LSMPOL" read /tmp/se-secret
	expect selinux.setexec_reads_public 0 :lsmtest_t \
		"$LSMPOL" exec "$se_exec" "$confined" "$LSMPOL" read /tmp/se-public
	expect selinux.transition_denied_secret 13 :lsmtest_t "$TESTBIN" read /tmp/se-secret
	expect selinux.transition_reads_public 0 :lsmtest_t "$TESTBIN" read /tmp/se-public
	audited selinux.denial_audited 'avc:  denied  { read }' 'name="se-secret"' \
		scontext=system_u:system_r:lsmtest_t tcontext=system_u:object_r:lsmtest_secret_t
else
	skip_all selinux "selinux not active" $SE_TESTS
fi

# --- AppArmor (6) ------------------------------------------------------------------------
AA_TESTS="load unconfined_reads_secret attach_denied_secret attach_reads_public \
onexec_denied_secret denial_audited"
aa_setup() {
	"$LSMPOL" load "$DIR"/apparmor/lsmtest.bin "$SECFS"/apparmor/.load || return 1
	grep '^lsmtest ' "$SECFS"/apparmor/profiles || return 1
	grep -q '^lsmtest (enforce)$' "$SECFS"/apparmor/profiles || return 1
	echo apparmor-secret >/tmp/aa-secret || return 1
	echo apparmor-public >/tmp/aa-public || return 1
}
if active apparmor; then
	aa_exec=/proc/self/attr/apparmor/exec
	[ -e "$aa_exec" ] || aa_exec=/proc/self/attr/exec
	step apparmor.load aa_setup
	expect apparmor.unconfined_reads_secret 0 apparmor=unconfined "$LSMPOL" read /tmp/aa-secret
	expect apparmor.attach_denied_secret 13 'apparmor=lsmtest (enforce)' "$TESTBIN" read /tmp/aa-secret
	expect apparmor.attach_reads_public 0 'apparmor=lsmtest (enforce)' "$TESTBIN" read /tmp/aa-public
	expect apparmor.onexec_denied_secret 13 'apparmor=lsmtest (enforce)' \
		"$LSMPOL" exec "$aa_exec" "exec lsmtest" "$LSMPOL" read /tmp/aa-secret
	audited apparmor.denial_audited 'apparmor="DENIED"' 'operation="open"' \
		'profile="lsmtest"' 'name="/tmp/aa-secret"'
else
	skip_all apparmor "apparmor not active" $AA_TESTS
fi

# --- Smack (7) ---------------------------------------------------------------------------
SMACK_TESTS="load label privileged_reads_secret peer_reads_secret test_denied_secret \
test_reads_public denial_audited"
SMACKFS=/sys/fs/smackfs
smack_setup() {
	grep -q " $SMACKFS " /proc/mounts || mount -t smackfs smackfs "$SMACKFS" || return 1
	# Root has CAP_MAC_OVERRIDE, which bypasses every rule: only "_" (init and this
	# script) keeps its privileges, so LsmTest and LsmPeer are bound by the rules.
	echo _ >"$SMACKFS"/onlycap || return 1
	echo "onlycap: $(cat "$SMACKFS"/onlycap)"
	"$LSMPOL" load "$DIR"/smack/load2 "$SMACKFS"/load2 || return 1
	grep -E '^Lsm(Test|Peer) ' "$SMACKFS"/load2 || return 1
	grep -q '^LsmPeer Secret r$' "$SMACKFS"/load2 || return 1
}
smack_label() {
	echo smack-secret >/tmp/smack-secret || return 1
	echo smack-public >/tmp/smack-public || return 1
	"$LSMPOL" setxattr /tmp/smack-secret security.SMACK64 Secret || return 1
	echo "/tmp/smack-secret: $("$LSMPOL" getxattr /tmp/smack-secret security.SMACK64)"
	echo "/tmp/smack-public: $("$LSMPOL" getxattr /tmp/smack-public security.SMACK64)"
	[ "$("$LSMPOL" getxattr /tmp/smack-secret security.SMACK64)" = Secret ] || return 1
}
if active smack; then
	sm_cur=/proc/self/attr/smack/current
	[ -e "$sm_cur" ] || sm_cur=/proc/self/attr/current
	step smack.load smack_setup
	step smack.label smack_label
	expect smack.privileged_reads_secret 0 'smack=_' "$LSMPOL" read /tmp/smack-secret
	expect smack.peer_reads_secret 0 smack=LsmPeer \
		"$LSMPOL" exec "$sm_cur" LsmPeer "$LSMPOL" read /tmp/smack-secret
	expect smack.test_denied_secret 13 smack=LsmTest \
		"$LSMPOL" exec "$sm_cur" LsmTest "$LSMPOL" read /tmp/smack-secret
	expect smack.test_reads_public 0 smack=LsmTest \
		"$LSMPOL" exec "$sm_cur" LsmTest "$LSMPOL" read /tmp/smack-public
	audited smack.denial_audited lsm=SMACK action=denied 'subject="LsmTest"' \
		'object="Secret"' requested=r
	echo -usecapabilities >"$SMACKFS"/onlycap
else
	skip_all smack "smack not active" $SMACK_TESTS
fi

# cachefiles acts on its cache as the label its daemon names with "secctx": the daemon's
# interface module reads the name and only that module acts as it, the others keep the
# daemon's label (unconfined_t, "_"); AppArmor cannot act as a label (EOPNOTSUPP). The
# cache lies on an ext2 image (cachefiles wants a filesystem with sync_fs; tmpfs has none) in
# three directories: public, se-secret (lsmtest_secret_t, which lsmtest_t may not
# search) and smack-secret (Secret, which LsmTest may not search). Binding a cache below
# a secret directory fails with EACCES only if its module acts as the confined label
# while it looks the directory up, and the denial is audited with that label.
CF=/tmp/lsmtest/cache
cf_setup() {
	[ -c /dev/cachefiles ] || { echo "no /dev/cachefiles"; return 1; }
	truncate -s 8M /tmp/lsmtest/cache.img || return 1
	mke2fs -F /tmp/lsmtest/cache.img >/dev/null || return 1
	mkdir -p "$CF" && mount -t ext2 -o loop /tmp/lsmtest/cache.img "$CF" || return 1
	mkdir -p "$CF"/public/root "$CF"/se-secret/root "$CF"/smack-secret/root || return 1
	if active selinux; then
		"$LSMPOL" setxattr "$CF"/se-secret security.selinux \
			system_u:object_r:lsmtest_secret_t || return 1
		echo "$CF/se-secret: $("$LSMPOL" getxattr "$CF"/se-secret security.selinux)"
	fi
	if active smack; then
		"$LSMPOL" setxattr "$CF"/smack-secret security.SMACK64 Secret || return 1
		echo "$CF/smack-secret: $("$LSMPOL" getxattr "$CF"/smack-secret security.SMACK64)"
	fi
	grep " $CF " /proc/mounts
}
# cf_bind MODULE DIR CONTEXT: bind a cache at DIR as CONTEXT, read by MODULE as the
# daemon's interface module.
cf_bind() {
	"$LSMPOL" exec /proc/self/attr/interface_lsm "$1" "$LSMPOL" cachefiles "$2" "$3"
}
se_cf=system_u:system_r:lsmtest_t
step cachefiles.setup cf_setup
if active selinux; then
	expect cachefiles.selinux_acts_as_named_context 0 'bind: ok' \
		cf_bind selinux "$CF"/public/root "$se_cf"
	expect cachefiles.selinux_named_context_denied 13 'bind: Permission denied' \
		cf_bind selinux "$CF"/se-secret/root "$se_cf"
	audited cachefiles.selinux_denial_audited 'avc:  denied  { search }' \
		'name="se-secret"' scontext=$se_cf tcontext=system_u:object_r:lsmtest_secret_t
	expect cachefiles.selinux_unknown_context_einval 22 \
		'secctx system_u:system_r:lsmtest_no_such_t: Invalid argument' \
		cf_bind selinux "$CF"/public/root system_u:system_r:lsmtest_no_such_t
else
	skip_all cachefiles "selinux not active" selinux_acts_as_named_context \
		selinux_named_context_denied selinux_denial_audited selinux_unknown_context_einval
fi
if active smack; then
	# As in the Smack tests above: only "_" is privileged, so LsmTest is bound by the rules.
	echo _ >"$SMACKFS"/onlycap || echo "# cannot write $SMACKFS/onlycap"
	expect cachefiles.smack_acts_as_named_label 0 'bind: ok' \
		cf_bind smack "$CF"/public/root LsmTest
	expect cachefiles.smack_named_label_denied 13 'bind: Permission denied' \
		cf_bind smack "$CF"/smack-secret/root LsmTest
	audited cachefiles.smack_denial_audited lsm=SMACK action=denied 'subject="LsmTest"' \
		'object="Secret"' requested=x 'name="smack-secret"'
	expect cachefiles.smack_unknown_label_einval 22 'secctx LsmTestNoSuchLabel: Invalid argument' \
		cf_bind smack "$CF"/public/root LsmTestNoSuchLabel
else
	skip_all cachefiles "smack not active" smack_acts_as_named_label \
		smack_named_label_denied smack_denial_audited smack_unknown_label_einval
fi
if active apparmor; then
	expect cachefiles.apparmor_cannot_act_eopnotsupp 95 'bind: Operation not supported' \
		cf_bind apparmor "$CF"/public/root unconfined
else
	ok cachefiles.apparmor_cannot_act_eopnotsupp "apparmor not active"
fi
if active selinux && active smack; then
	expect cachefiles.smack_acts_selinux_keeps_label 0 'bind: ok' \
		cf_bind smack "$CF"/se-secret/root LsmTest
	expect cachefiles.selinux_acts_smack_keeps_label 0 'bind: ok' \
		cf_bind selinux "$CF"/smack-secret/root "$se_cf"
else
	skip_all cachefiles "needs selinux and smack" smack_acts_selinux_keeps_label \
		selinux_acts_smack_keeps_label
fi
if active smack; then
	echo -usecapabilities >"$SMACKFS"/onlycap || echo "# cannot clear $SMACKFS/onlycap"
fi
umount "$CF" 2>&1 | diag || :

# An NFS security label has one owner, the first module in lsm= order with secids that
# gives inode contexts (of these, SELinux and Smack), and only SELinux asks a client to
# use labels, so this needs SELinux as the owner. The guest serves a tmpfs to itself over
# NFSv4.2 (nfsd's export caches filled by hand, as mountd would) and sets an SELinux label
# on a file through the client: the server stores it in SELinux's xattr and Smack's label
# of the file does not change (it used to become the SELinux context), and the client
# refuses Smack's xattr name on NFS (it used to send it as the file's label). A label the
# server gives a file the client has not looked up yet is the one the client reads.
NFSX=/tmp/lsmtest/nfs-export
NFSM=/tmp/lsmtest/nfs-mnt
NFSD=/proc/fs/nfsd
nfs_setup() {
	mkdir -p "$NFSX" "$NFSM" /var/lib/nfs/v4recovery || return 1
	mount -t tmpfs -o size=1m lsmtest-export "$NFSX" || return 1
	echo nfs-file >"$NFSX"/file && echo nfs-served >"$NFSX"/served || return 1
	"$LSMPOL" setxattr "$NFSX"/served security.selinux $nfs_served || return 1
	grep -q " $NFSD " /proc/mounts || mount -t nfsd nfsd "$NFSD" || return 1
	echo 10 >"$NFSD"/nfsv4leasetime && echo 10 >"$NFSD"/nfsv4gracetime || return 1
	echo "-3 +4.2" >"$NFSD"/versions || return 1
	# Client 127.0.0.1 is in domain lsmtest; the export is the NFSv4 root (fsid 0), with
	# security labels: NFSEXP_FSID|NFSEXP_NOSUBTREECHECK|NFSEXP_SECURITY_LABEL|
	# NFSEXP_INSECURE_PORT. Nothing expires (2^31 - 1).
	printf '%s\n' 'nfsd 127.0.0.1 2147483647 lsmtest' >/proc/net/rpc/auth.unix.ip/channel ||
		return 1
	printf '%s\n' "lsmtest $NFSX 2147483647 $((0x2000 | 0x400 | 0x80 | 0x2)) 65534 65534 0" \
		>/proc/net/rpc/nfsd.export/channel || return 1
	printf '%s\n' "lsmtest 1 \\x00000000 2147483647 $NFSX" >/proc/net/rpc/nfsd.fh/channel ||
		return 1
	echo "tcp 2049" >"$NFSD"/portlist && echo 2 >"$NFSD"/threads || return 1
	# No client has state to reclaim: end the grace period, in which opens would wait.
	echo Y >"$NFSD"/v4_end_grace || return 1
	echo "nfsd versions: $(cat "$NFSD"/versions), threads: $(cat "$NFSD"/threads)"
	# Soft: a stalled server fails a check instead of hanging the collection.
	"$LSMPOL" mount 127.0.0.1:/ "$NFSM" nfs4 \
		vers=4.2,soft,timeo=50,retrans=2,addr=127.0.0.1,clientaddr=127.0.0.1 || return 1
	grep " $NFSM " /proc/mounts
	[ -f "$NFSM"/file ] || { echo "no $NFSM/file"; return 1; }
	if active smack; then
		echo "$NFSX/file: SMACK64 $("$LSMPOL" getxattr "$NFSX"/file security.SMACK64)"
	fi
}
nfs_label=system_u:object_r:lsmtest_exec_t
nfs_served=system_u:object_r:lsmtest_secret_t
# The label set on the client is the server file's SELinux label.
nfs_label_stored() {
	"$LSMPOL" setxattr "$NFSM"/file security.selinux $nfs_label || return 1
	got=$("$LSMPOL" getxattr "$NFSX"/file security.selinux) || return 1
	echo "server: $NFSX/file: security.selinux=$got"
	[ "$got" = $nfs_label ]
}
nfs_label_read() {
	got=$("$LSMPOL" getxattr "$NFSM"/served security.selinux) || return 1
	echo "client: $NFSM/served: security.selinux=$got"
	[ "$got" = $nfs_served ]
}
nfs_cleanup() {
	umount "$NFSM" || :
	echo 0 >"$NFSD"/threads || :
	for c in nfsd.fh nfsd.export auth.unix.ip; do
		echo "$(date +%s)" >/proc/net/rpc/$c/flush || :
	done
	umount "$NFSX" || :
}
# The first of SELinux and Smack in lsm= order owns NFS labels.
nfs_owner=$(first_active selinux smack)
# Smack's label of the server file is the one it had before the client set SELinux's.
nfs_smack_untouched() {
	got=$("$LSMPOL" getxattr "$NFSX"/file security.SMACK64) || return 1
	echo "server: $NFSX/file: security.SMACK64=$got, before: $nfs_smack_before"
	[ "$got" = "$nfs_smack_before" ] && [ "$got" != $nfs_label ]
}
if [ "$nfs_owner" = selinux ]; then
	step nfs.setup nfs_setup
	nfs_smack_before=
	if active smack; then
		nfs_smack_before=$("$LSMPOL" getxattr "$NFSX"/file security.SMACK64 || true)
	fi
	step nfs.client_label_stored_by_selinux nfs_label_stored
	step nfs.client_reads_server_label nfs_label_read
	if active smack; then
		step nfs.smack_label_untouched nfs_smack_untouched
		expect nfs.smack_xattr_refused_on_client 1 'Operation not supported' \
			"$LSMPOL" setxattr "$NFSM"/file security.SMACK64 LsmTest
	else
		skip_all nfs "smack not active" smack_label_untouched smack_xattr_refused_on_client
	fi
	nfs_cleanup 2>&1 | diag
else
	skip_all nfs "needs selinux to own NFS labels (owner: ${nfs_owner:-none})" setup \
		client_label_stored_by_selinux client_reads_server_label smack_label_untouched \
		smack_xattr_refused_on_client
fi

# With SELinux's policy loaded, a new file gets SELinux's xattr and, beside it, Smack's when
# Smack is active too: the filesystem stores one for each module that labels the file
# (listxattr on tmpfs lists what was stored). lsm_stack_test covers Smack before any policy.
new_file_xattrs() {
	f=/tmp/lsmtest/new-file
	rm -f "$f"
	: >"$f"
	names=$("$LSMPOL" listxattr "$f") || return 1
	rm -f "$f"
	printf '%s\n' "$names"
	printf '%s\n' "$names" | grep -qx security.selinux || { echo "no security.selinux"; return 1; }
	if active smack; then
		printf '%s\n' "$names" | grep -qx security.SMACK64 || { echo "no security.SMACK64"; return 1; }
	fi
	return 0
}
# A socket keeps no xattrs: listxattr() lists the name of every module that labels it,
# SELinux's (once it has a policy) and Smack's.
socket_xattrs() {
	names=$("$LSMPOL" socketxattrs) || return 1
	printf '%s\n' "$names"
	printf '%s\n' "$names" | grep -qx security.selinux || { echo "no security.selinux"; return 1; }
	if active smack; then
		printf '%s\n' "$names" | grep -qx security.SMACK64 || { echo "no security.SMACK64"; return 1; }
	fi
	return 0
}
if active selinux; then
	step stack.new_file_has_every_modules_xattr new_file_xattrs
	step stack.socket_lists_every_modules_xattr socket_xattrs
else
	ok stack.new_file_has_every_modules_xattr "selinux not active"
	ok stack.socket_lists_every_modules_xattr "selinux not active"
fi

# Audit with SELinux's policy loaded: the lsm collection's lsm_audit_test again. Every
# test must still pass, and the one for SELinux's rule fields (subj_type, obj_type, and
# subj_user, which Smack takes too), skipped before the policy, must run and pass.
AUDIT_TEST=$DIR/../lsm/lsm_audit_test
if active selinux && [ -x "$AUDIT_TEST" ]; then
	if out=$("$AUDIT_TEST" 2>&1); then rc=0; else rc=$?; fi
	printf '%s\n' "$out" | diag
	if [ "$rc" != 0 ]; then
		notok stack.audit_rules_with_selinux_policy "lsm_audit_test: exit status $rc"
	elif ! printf '%s\n' "$out" | grep -q '^ok [0-9]* audit\.selinux_rules_match_selinux_labels$'; then
		notok stack.audit_rules_with_selinux_policy "SELinux's rule test did not run"
	else
		ok stack.audit_rules_with_selinux_policy
	fi
else
	ok stack.audit_rules_with_selinux_policy "needs selinux and the lsm collection"
fi

# Yama and Landlock still apply inside a task that SELinux and AppArmor confine ($TESTBIN
# enters lsmtest_t and the lsmtest profile, whichever of them is active; both allow ptrace
# and reading /tmp/lsmtest-public): with ptrace_scope=0 its child may trace it, with 1
# Yama refuses (EPERM), and in a Landlock sandbox that allows no reads, the read the other
# modules allow fails with EACCES.
confined_ctx=
active apparmor && confined_ctx='apparmor=lsmtest (enforce)'
active selinux && confined_ctx=:lsmtest_t
YAMA=/proc/sys/kernel/yama/ptrace_scope
if active yama && [ -n "$confined_ctx" ]; then
	scope=$(cat $YAMA)
	echo 0 >$YAMA
	expect stack.yama_scope0_confined_ptrace_allowed 0 "$confined_ctx" "$TESTBIN" ptrace-parent
	echo 1 >$YAMA
	expect stack.yama_scope1_confined_ptrace_eperm 1 "$confined_ctx" "$TESTBIN" ptrace-parent
	echo "$scope" >$YAMA
else
	ok stack.yama_scope0_confined_ptrace_allowed "needs yama and selinux or apparmor"
	ok stack.yama_scope1_confined_ptrace_eperm "needs yama and selinux or apparmor"
fi
if active landlock && [ -n "$confined_ctx" ]; then
	echo public >/tmp/lsmtest-public
	expect stack.confined_reads_public 0 "$confined_ctx" "$TESTBIN" read /tmp/lsmtest-public
	expect stack.landlock_denies_confined_read 13 "$confined_ctx" \
		"$TESTBIN" landlock-read /tmp/lsmtest-public
else
	ok stack.confined_reads_public "needs landlock and selinux or apparmor"
	ok stack.landlock_denies_confined_read "needs landlock and selinux or apparmor"
fi

# SELinux decides who may choose the interface module (process2 { setinterface }): the
# policy's constraint keeps lsmtest_t from it, while unconfined_t may. Both ask for the
# first active module with attributes, so only SELinux's check can tell them apart.
iface=$(first_active selinux smack apparmor)
if active selinux && [ -e /proc/self/attr/interface_lsm ]; then
	expect stack.unconfined_chooses_interface 0 "interface $iface: ok" \
		"$LSMPOL" interface "$iface"
	expect stack.lsmtest_t_cannot_choose_interface 13 :lsmtest_t "$TESTBIN" interface "$iface"
	# The denial is SELinux's: its AVC record names the permission and lsmtest_t.
	audited stack.setinterface_denial_audited 'avc:  denied  { setinterface }' \
		scontext=system_u:system_r:lsmtest_t tclass=process2
else
	ok stack.unconfined_chooses_interface "needs selinux and interface_lsm"
	ok stack.lsmtest_t_cannot_choose_interface "needs selinux and interface_lsm"
	ok stack.setinterface_denial_audited "needs selinux and interface_lsm"
fi

# The interface module a task chose is kept across an exec that changes no label, and goes
# back to the default when the program runs in another domain, even one the policy lets
# run without AT_SECURE (unconfined_t may noatsecure): a confined caller must not choose
# the module whose labels a program in another domain reads. $TESTBIN2, labelled
# lsmtest_exec_t, enters lsmtest_t; no AppArmor profile attaches to its path.
TESTBIN2=/tmp/lsmtest-se/lsmpol
other=
for m in smack apparmor selinux; do
	if active $m && [ "$m" != "$iface" ] && [ -z "$other" ]; then other=$m; fi
done
if active selinux && [ -e /proc/self/attr/interface_lsm ] && [ -n "$other" ] &&
	mkdir -p "${TESTBIN2%/*}" && cp "$LSMPOL" "$TESTBIN2" &&
	"$LSMPOL" setxattr "$TESTBIN2" security.selinux system_u:object_r:lsmtest_exec_t; then
	expect stack.interface_kept_across_exec 0 "interface_lsm=$other; " \
		"$LSMPOL" exec /proc/self/attr/interface_lsm "$other" "$LSMPOL" show-interface
	expect stack.interface_reset_by_domain_transition 0 "interface_lsm=$iface; " \
		"$LSMPOL" exec /proc/self/attr/interface_lsm "$other" "$TESTBIN2" show-interface
	expect stack.domain_transition_made 0 ":lsmtest_t" \
		"$LSMPOL" exec /proc/self/attr/interface_lsm "$other" "$TESTBIN2" show-interface
else
	ok stack.interface_kept_across_exec "needs selinux, another module and interface_lsm"
	ok stack.interface_reset_by_domain_transition "needs selinux, another module and interface_lsm"
	ok stack.domain_transition_made "needs selinux, another module and interface_lsm"
fi

[ "$n" = 52 ] || { echo "# policy-tests.sh: ran $n checks, planned 52"; failed=1; }
exit $failed
