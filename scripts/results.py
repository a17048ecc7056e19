#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Collect make check's results and print its summary.

Every check is one record (name, status, detail, and boot for a boot's checks) appended
to a JSON-lines file. KTAP/TAP is parsed by the tree's own tools/testing/kunit/kunit.py;
only what its JSON leaves out (a SKIP's reason, a test program's own "not ok") is read
here, from the result lines.

  results.py boot NAME EXPECTED_LSMS RC [ksft] [distro]  judge one boot from
                                          build/logs/NAME/ (EXPECTED_LSMS '-': only show
                                          the list; distro: the Debian image, whose
                                          results are its checks and which has no tools/lsm)
  results.py record NAME pass|fail|skip [DETAIL]
  results.py summary

A boot's figures (calls a fuzzer made, faults injected, kernel reports) are records too,
with status "figure" and a value: the guest prints them as "lsmstack-figure: NAME VALUE"
lines, and summary() prints them as a table before its last line.
"""

import functools
import json
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get('BUILD', os.path.join(TOP, 'build'))
LOGS = os.path.join(BUILD, 'logs')
# make bisect and make static keep their own (LSMSTACK_RESULTS), so that running one
# beside make check or make soak leaves those results alone.
RESULTS = os.environ.get('LSMSTACK_RESULTS') or os.path.join(LOGS, 'results.jsonl')
KUNIT_PY = os.path.join(BUILD, 'linux', 'tools', 'testing', 'kunit', 'kunit.py')
OBJ = os.path.join(BUILD, 'obj-' + os.environ.get('FLAVOR', 'test'))

# Modules whose absence from a boot that asked for them must be explained on the console.
MODULES = ('selinux', 'smack', 'apparmor', 'tomoyo', 'yama', 'landlock', 'lockdown',
           'safesetid', 'loadpin')

# What holds the labels of one module only, the modules that would use it (and the kernel
# option they need, if any), and how the console names it: the first active user in lsm=
# order owns it, each later user says once that it runs without it
# (Documentation/admin-guide/LSM/index.rst).
ONE_OWNER = (('secmark', ('selinux', 'smack', 'apparmor'), 'NETWORK_SECMARK', 'it'),
             ('NetLabel', ('selinux', 'smack'), 'NETLABEL', 'it'),
             ('NFS security labels', ('selinux', 'smack'), None, 'them'))

# Console lines that mean the kernel itself reported a problem (the 6.1 kernel's wording):
# BUG:/WARNING:/Oops and panics, SLUB's "BUG <cache> (Not tainted): ...", lockdep, RCU
# stalls ("rcu: INFO: rcu_sched self-detected stall", "... detected stalls", rcu_tasks),
# hung tasks, any backtrace ("Call Trace:"), and kmemleak's suspects, failures and its
# "disabled" (not its "initialized" banner or its scan thread starting and ending).
KERNEL_REPORT = re.compile(r'\b(BUG:|kernel BUG at|WARNING:|Oops|Kernel panic|'
                           r'general protection fault|Call Trace:|UBSAN:|KASAN:|'
                           r'BUG \S+ \((Not tainted|Tainted:[^)]*)\): |'
                           r'possible recursive locking|possible circular locking|'
                           r'INFO: trying to register non-static key|'
                           r'INFO: rcu_\w+ (self-)?detected (expedited )?stall|'
                           r'list_(add|del) corruption|INFO: task .* blocked|'
                           r'kmemleak: .*(suspected|disabled|Cannot|Failed|[Uu]nknown object|'
                           r'by alias|pool empty|larger than object))')
# Lines KERNEL_REPORT matches that report no problem: fs/namespace.c's notice, in a
# "WARNING:" banner, that the mand mount option is ignored (trinity's mount() calls
# pass MS_MANDLOCK). It has no backtrace and taints nothing.
NOT_A_REPORT = re.compile(r'WARNING: The mand mount option has been deprecated')

# Skips that only the environment explains: a skip whose reason matches (the messages of
# tools/testing/selftests/lsm, landlock and guest/policy-tests.sh) fails where the
# booted kernel's .config builds what it says is missing.
ENV_SKIPS = ((r'no audit netlink socket', 'AUDIT'),			# lsm_audit_test
             (r'IMA is not built', 'IMA'),				# lsm_ima_test
             (r'cannot read /sys/kernel/security', 'SECURITYFS'),	# lsm_*_test, policy
             (r'binderfs is not built', 'ANDROID_BINDERFS'),		# lsm_binder_test
             (r'overlayfs is not supported', 'OVERLAY_FS'),		# landlock fs_test
             (r'no failslab and fail_page_alloc', 'FAILSLAB'),		# guest/faults.sh
             (r'no failslab: ', 'FAILSLAB'),				# lsm_stack_test
             (r'no fail-nth', 'FAULT_INJECTION'))			# lsm_stack_test

# KUnit suites (kunit_test_suite() .name) and the option that builds each into the
# kernel: one the .config builds must be in the console's KTAP.
KUNIT_SUITES = (('lsm_infrastructure', 'SECURITY_LSM_KUNIT_TEST'),	# security/lsm_test.c
                ('apparmor_policy_unpack', 'SECURITY_APPARMOR_KUNIT_TEST'))

# KTAP result lines, as kunit_parser.py matches them (TEST_RESULT, TEST_RESULT_SKIP).
KTAP_RESULT = re.compile(r'^(ok|not ok) ([0-9]+) (- )?([^#]*)( # .*)?$')
KTAP_SKIP = re.compile(r'^(ok|not ok) ([0-9]+) (- )?(.*) # SKIP(.*)$')
KTAP_SUBTEST = re.compile(r'^# Subtest: (.*)$')


# The boot being judged (results.py boot): its checks' records name it.
BOOT = None


def record(name, status, detail=''):
	os.makedirs(LOGS, exist_ok=True)
	rec = {'name': name, 'status': status, 'detail': detail}
	if BOOT:
		rec['boot'] = BOOT
	with open(RESULTS, 'a') as f:
		f.write(json.dumps(rec) + '\n')


def figure(name, value):
	"""One figure of the boot being judged."""
	os.makedirs(LOGS, exist_ok=True)
	with open(RESULTS, 'a') as f:
		f.write(json.dumps({'name': name, 'status': 'figure', 'value': value,
				    'boot': BOOT}) + '\n')


FIGURE = re.compile(r'lsmstack-figure: (\S+) (\d+)\s*$')


def ktap_cases(log, what):
	"""Leaf test cases of the KTAP in log, as (name, status), via kunit.py parse, and the
	parser's own errors ("[ERROR] Test: ..." lines of its output)."""
	out = log + '.' + what + '.json'
	parse = log + '.' + what + '.parse'
	with open(parse, 'w') as parse_log:
		subprocess.run([sys.executable, KUNIT_PY, 'parse', '--json=' + out, log],
		               stdout=parse_log, stderr=subprocess.STDOUT, check=False)
	# No KTAP at all is not a parser error: judge_ktap fails it where KTAP is expected.
	errors = [l.split('[ERROR] ', 1)[1].strip() for l in open(parse, errors='replace')
		  if '[ERROR] ' in l and 'could not find any KTAP output' not in l]
	try:
		with open(out) as f:
			root = json.load(f)
	except (OSError, ValueError):
		return None, errors
	cases = []

	def walk(group, prefix):
		for case in group.get('test_cases', []):
			cases.append((prefix + case['name'], case['status']))
		for sub in group.get('sub_groups', []):
			walk(sub, prefix + sub['name'] + '.')
	walk(root, '')
	return cases, errors


def ktap_results(log):
	"""Every KTAP result line of log as {name: (ok, directive)}, named as ktap_cases names
	them (the enclosing "# Subtest:" names, nested by KTAP's indent of four spaces or a
	tab, joined by '.'): what kunit.py's JSON drops, a SKIP's reason and the "not ok" of a
	test with subtests."""
	found, names = {}, []
	for line in open(log, errors='replace'):
		line = re.sub(r'^\[[^\]]*\] ', '', line.rstrip('\r\n'))	# printk time
		body = line.lstrip(' \t')
		depth = len(line[:len(line) - len(body)].replace('\t', '    ')) // 4
		m = KTAP_SUBTEST.match(body)
		if m:
			names = (names + [''] * depth)[:depth] + [m.group(1)]
			continue
		skip = KTAP_SKIP.match(body)
		m = skip or KTAP_RESULT.match(body)
		if m:
			directive = 'SKIP ' + m.group(5).strip() if skip else (m.group(5) or '')[3:]
			found['.'.join(names[1:depth + 1] + [m.group(4)])] = (m.group(1) == 'ok',
									     directive.strip())
	return found


def env_skip(reason, config):
	"""The option (CONFIG_ dropped) whose being built makes this skip a failure, if any."""
	for pattern, option in ENV_SKIPS:
		if re.search(pattern, reason) and config.get(option) == 'y':
			return option
	return None


def judge_ktap(boot, log, what, expect):
	status_map = {'PASS': 'pass', 'SKIP': 'skip'}
	cases, errors = ktap_cases(log, what) if os.path.exists(log) else (None, [])
	if errors:
		record(f'{boot}: {what}: KTAP parser', 'fail',
		       '; '.join(errors[:3]) + f' ({len(errors)} in all; see {log}.{what}.parse)')
	if not cases:
		if expect:
			record(f'{boot}: {what}', 'fail', f'no {what} results in {log}')
		return []
	lines = ktap_results(log)
	config = kernel_config()
	for case, status in cases:
		verdict = status_map.get(status, 'fail')
		detail = '' if status in status_map else f'{status}; see {log}'
		directive = lines.get(case, (True, ''))[1]
		why = directive[4:].strip() if directive.startswith('SKIP') else ''
		option = env_skip(why, config) if verdict == 'skip' else None
		if option:
			verdict, detail = 'fail', f'skipped ({why}), but the kernel has CONFIG_{option}=y'
		record(f'{boot}: {what}: {case}', verdict, detail)
	# A test whose own result is "not ok" while none of its cases failed (a test program
	# that crashed, timed out or exited non-zero after its last case) is failed here.
	leaves = {c for c, _ in cases}
	failed = {c for c, s in cases if s not in status_map}
	for test, (ok, directive) in lines.items():
		inner = {c for c in leaves if c.startswith(test + '.')}
		if not ok and test not in leaves and inner and not inner & failed:
			record(f'{boot}: {what}: {test}', 'fail',
			       f'not ok ({directive or "no reason given"}) though none of its '
			       f'{len(inner)} cases failed; see {log}')
	return cases


def kernel_config():
	"""The booted kernel's .config as {option: value} (CONFIG_ dropped, quotes kept): the
	copy boot.sh keeps with the boot's logs, else the $FLAVOR build's."""
	copy = os.path.join(LOGS, BOOT, 'kernel.config') if BOOT else ''
	return read_config(copy if os.path.exists(copy) else os.path.join(OBJ, '.config'))


@functools.lru_cache(maxsize=None)
def read_config(path):
	opts = {}
	try:
		for line in open(path):
			m = re.match(r'CONFIG_(\w+)=(.*)', line.rstrip('\n'))
			if m:
				opts[m.group(1)] = m.group(2)
	except OSError:
		pass
	return opts


# What makes the debug flavour's kernel a debug kernel: options of its .config, and the
# console lines of the checkers that announce themselves.
DEBUG_OPTIONS = ('KASAN', 'UBSAN', 'UBSAN_BOUNDS', 'PROVE_LOCKING', 'DEBUG_KMEMLEAK', 'DEBUG_LIST')
DEBUG_BANNERS = ('KernelAddressSanitizer initialized', 'Lock dependency validator',
                 'Kernel memory leak detector initialized')


def judge_debug(name, text):
	"""On the debug flavour, check that the checkers really ran."""
	have = kernel_config()
	missing = [o for o in DEBUG_OPTIONS if have.get(o) != 'y']
	missing += [b for b in DEBUG_BANNERS if b not in text]
	record(f'{name}: debug checkers are on (KASAN, UBSAN, lockdep, kmemleak, DEBUG_LIST)',
	       'fail' if missing else 'pass', '; '.join(missing))


def judge_kmemleak(name, meta):
	"""The guest's leak scan after its tests, on a kernel with kmemleak: its report
	(lsmstack-meta: kmemleak=scanned, or failed: WHY) must say it scanned."""
	said = meta.get('kmemleak')
	if said is None and kernel_config().get('DEBUG_KMEMLEAK') != 'y':
		return
	record(f'{name}: kmemleak scanned for leaks after the tests',
	       'pass' if said == 'scanned' else 'fail',
	       '' if said == 'scanned' else (said or 'the guest did not report a scan'))


# Allocations fail on purpose in guest/faults.sh's phase (which the console marks) and in
# kselftests that use fail-nth. Each injected fault prints its backtrace (verbose=2), as
# does the page allocator's warning of a failed allocation: a "Call Trace:" whose first
# frames are fault injection's or that warning's (the header line may be printed apart
# from it when two CPUs dump at once) is no kernel report; any other report, any other
# backtrace included, still is.
FAULTS_BEGIN = 'lsmstack: fault injection begins'
FAULTS_END = 'lsmstack: fault injection ends'
FAULT_FRAMES = re.compile(r'\b(should_fail_ex|should_fail|warn_alloc)\b')
FAULT_WINDOW = 6	# frames after "Call Trace:" looked at
FAULT_KMEMLEAK = 'kmemleak: Cannot allocate a scan area, scanning the full object'
FRAME = re.compile(r'^(?:\[[^]]*\])?\s+([A-Za-z0-9_.]+)\+0x[0-9a-f]+/0x[0-9a-f]+')
# The functions a fault is charged to: the first of the backtrace in the LSM code (the
# infrastructure and the modules) or in an interface the series changes (the /proc
# attribute files, keys, audit records, and the socket-label paths).
OUR_FRAME = re.compile(r'^(security_|lsm_|selinux_|sel_|smack_|smk_|apparmor_|aa_|'
                       r'proc_pid_attr|keyctl_|audit_log_|sock_getsockopt|scm_|unix_)')


def kernel_reports(text):
	"""The console lines that report a kernel problem (KERNEL_REPORT), less the bare
	backtraces of the fault-injection phase."""
	reports = []
	faults = False
	lines = text.splitlines()
	for i, line in enumerate(lines):
		if FAULTS_BEGIN in line:
			faults = True
		elif FAULTS_END in line:
			faults = False
		else:
			m = KERNEL_REPORT.search(line)
			if m and m.group(0) == 'Call Trace:' and any(
					FAULT_FRAMES.search(l) for l in lines[i + 1:i + 1 + FAULT_WINDOW]):
				continue
			# kmemleak's own allocation, failed on purpose: it scans more instead.
			if m and faults and FAULT_KMEMLEAK in line:
				continue
			if m and NOT_A_REPORT.search(line):
				continue
			if m:
				reports.append(line)
	return reports


def fault_sites(text):
	"""(function, count) for the injected faults whose backtrace the console shows (a
	"Call Trace:" whose first frames are fault injection's), each charged to the first
	function of the series in it, or "other"; most first."""
	sites = {}
	lines = text.splitlines()
	for i, line in enumerate(lines):
		if 'Call Trace:' not in line or not any(
				'should_fail' in l for l in lines[i + 1:i + 1 + FAULT_WINDOW]):
			continue
		site = 'other'
		for l in lines[i + 1:i + 80]:
			if '</TASK>' in l:
				break
			m = FRAME.search(l)
			if m and OUR_FRAME.search(m.group(1)):
				site = m.group(1)
				break
		sites[site] = sites.get(site, 0) + 1
	return sorted(sites.items(), key=lambda kv: -kv[1])[:10]


def judge_kunit_suites(name, cases):
	"""Every KUnit suite of KUNIT_SUITES that the .config builds has results on the console."""
	config = kernel_config()
	ran = {c.split('.', 1)[0] for c, _ in cases}
	for suite, option in KUNIT_SUITES:
		if config.get(option) == 'y':
			record(f'{name}: kunit suite {suite} ran', 'pass' if suite in ran else 'fail',
			       '' if suite in ran else f'CONFIG_{option}=y, but the console has no '
			       f'KTAP of {suite}')


def judge_owners(name, active, text):
	config = kernel_config()
	wrong = []
	for what, users, option, pronoun in ONE_OWNER:
		if option and config.get(option) != 'y':
			continue
		using = [m for m in active if m in users]
		for i, m in enumerate(using):
			line = f'LSM: {m} runs without {what}: '
			said = re.findall(re.escape(line) + r'(\S+) owns ' + pronoun, text)
			if i == 0 and said:
				wrong.append(f'{m} owns {what} but says it runs without it')
			elif i > 0 and said != [using[0]]:
				wrong.append(f'{m} should say once that it runs without {what}: '
					     f'{using[0]} owns {pronoun} (said: {said})')
	record(f'{name}: secmark, NetLabel and NFS labels have one owner each, the others told',
	       'fail' if wrong else 'pass', '; '.join(wrong))


def judge_interface(name, cmdline, active, text):
	"""lsm.interface=NAME: the console says the kernel took NAME, or ignored it, and
	ignored it exactly when NAME is not an active module with attributes."""
	m = re.findall(r'(?:^| )lsm\.interface=(\S*)', cmdline)
	if not m:
		return
	want = m[-1].strip('"')
	took = f'LSM: interface module: {want}' in text
	ignored = f'LSM: interface module {want} ignored: ' in text
	should_take = want in active and want in ('selinux', 'smack', 'apparmor')
	ok = took if should_take else ignored
	record(f'{name}: lsm.interface={want} was {"taken" if should_take else "ignored aloud"}',
	       'pass' if ok else 'fail',
	       '' if ok else f'console: taken {took}, ignored {ignored}')


def boot(name, expected, rc, want_ksft, distro=False):
	global BOOT
	BOOT = name
	d = os.path.join(LOGS, name)
	console = os.path.join(d, 'console.log')
	results = os.path.join(d, 'results.log')
	text = open(console, errors='replace').read() if os.path.exists(console) else ''
	meta = {}
	if os.path.exists(results):
		for line in open(results, errors='replace'):
			m = re.match(r'lsmstack-meta: (\w+)=(.*)', line.rstrip('\r\n'))
			if m:
				meta[m.group(1)] = m.group(2)

	verdict = rc in ('0', '1') and 'done' in meta
	record(f'{name}: boot', 'pass' if verdict else 'fail',
	       '' if verdict else f'no verdict from the guest; console: {console}')

	active = meta.get('lsm')
	if expected == '-':
		print(f'{name}: active modules: {active}')
	elif active is None:
		record(f'{name}: active modules', 'fail', 'the guest did not report them')
	elif active == expected:
		record(f'{name}: active modules', 'pass')
	else:
		record(f'{name}: active modules', 'fail', f'expected {expected}, got {active}')

	tool = meta.get('lsmtool')
	if active is not None and not distro:
		record(f'{name}: tools/lsm list agrees with /sys/kernel/security/lsm',
		       'pass' if tool == active else 'fail',
		       '' if tool == active else f'lsm list: {tool}; securityfs: {active}')

	# A module the boot asked for (lsm=, else CONFIG_LSM) that did not start must have
	# a console line saying why: nothing is dropped silently.
	cmdline = meta.get('cmdline', '')
	m = re.search(r'(?:^| )lsm=(\S+)', cmdline)
	asked = m.group(1) if m else kernel_config().get('LSM', '').strip('"') or None
	if active is not None and asked is not None:
		quiet = [n for n in asked.split(',') if n in MODULES and n not in active.split(',')
			 and not re.search(rf'LSM: {n} not started: ', text)]
		record(f'{name}: every module asked for started or was refused aloud',
		       'fail' if quiet else 'pass',
		       f'dropped without a console line: {",".join(quiet)}' if quiet else '')

	if active is not None:
		judge_owners(name, active.split(','), text)
		judge_interface(name, cmdline, active.split(','), text)

	reports = kernel_reports(text)
	record(f'{name}: console free of kernel reports', 'fail' if reports else 'pass',
	       '; '.join(reports[:3]))
	figure('kernel reports', len(reports))
	for site, n in fault_sites(text):
		figure(f'fault site {site}', n)
	if os.path.exists(results):
		for line in open(results, errors='replace'):
			m = FIGURE.search(line)
			if m:
				figure(m.group(1), int(m.group(2)))

	if os.environ.get('FLAVOR') == 'debug':
		judge_debug(name, text)
	elif os.environ.get('FLAVOR') == 'kmsan':
		on = kernel_config().get('KMSAN') == 'y' and 'Starting KernelMemorySanitizer' in text
		record(f'{name}: KMSAN is on', 'pass' if on else 'fail',
		       '' if on else 'CONFIG_KMSAN is not set or the console has no KMSAN banner')
	judge_kmemleak(name, meta)
	judge_kunit_suites(name, judge_ktap(name, console, 'kunit', True))
	judge_ktap(name, results, 'kselftest', want_ksft)
	if meta.get('done', '0') != '0' and verdict:
		record(f'{name}: guest plan', 'fail', f'the guest reported failure; see {results}')


def case_of(r):
	"""A record's case: its name less the boot's "NAME: ", so that one test in many boots
	(debug- ones too) is one case."""
	boot = r.get('boot')
	return r['name'][len(boot) + 2:] if boot and r['name'].startswith(boot + ': ') else r['name']


def print_figures(figures):
	"""The figures as a table: a column for each boot that has any besides its kernel
	reports, a row for each figure; then the kernel reports of every boot."""
	if not figures:
		return
	boots = []
	table = {}
	for r in figures:
		if r['name'] != 'kernel reports' and r['boot'] not in boots:
			boots.append(r['boot'])
		table.setdefault(r['name'], {})
		table[r['name']][r['boot']] = table[r['name']].get(r['boot'], 0) + r['value']
	if boots:
		rows = [n for n in table if n != 'kernel reports'] + ['kernel reports']
		width = max(len(n) for n in rows)
		cols = [max(len(b), 9) for b in boots]
		print('figures'.ljust(width) + ''.join(f'  {b:>{w}}' for b, w in zip(boots, cols)))
		for n in rows:
			print(n.ljust(width) + ''.join(f"  {table[n].get(b, '-'):>{w}}"
						       for b, w in zip(boots, cols)))
	reports = table.get('kernel reports', {})
	print(f'kernel reports: {sum(reports.values())} in {len(reports)} boots')


def summary():
	"""FAIL lines, the distinct cases, and last "N passed, N failed[, N skipped]" (CI
	greps that line)."""
	recs = [json.loads(l) for l in open(RESULTS)] if os.path.exists(RESULTS) else []
	figures = [r for r in recs if r['status'] == 'figure']
	recs = [r for r in recs if r['status'] != 'figure']
	count = {'pass': 0, 'fail': 0, 'skip': 0}
	cases = {}
	for r in recs:
		count[r['status']] += 1
		if r['status'] == 'fail':
			print(f"FAIL {r['name']}" + (f": {r['detail']}" if r['detail'] else ''))
		# A case failed if any of its results did, else passed if any did, else skipped.
		c = case_of(r)
		rank = ('skip', 'pass', 'fail')
		if rank.index(r['status']) >= rank.index(cases.get(c, 'skip')):
			cases[c] = r['status']
	each = {s: sum(1 for v in cases.values() if v == s) for s in count}
	print_figures(figures)
	print(f"distinct cases: {each['pass']} passed, {each['fail']} failed, {each['skip']} "
	      f"skipped (of {len(recs)} results)")
	line = f"{count['pass']} passed, {count['fail']} failed"
	if count['skip']:
		line += f", {count['skip']} skipped"
	print(line)
	return 1 if count['fail'] or not recs else 0


def main(argv):
	if len(argv) >= 5 and argv[1] == 'boot':
		boot(argv[2], argv[3], argv[4], 'ksft' in argv[5:], 'distro' in argv[5:])
	elif len(argv) >= 4 and argv[1] == 'record':
		record(argv[2], argv[3], ' '.join(argv[4:]))
	elif len(argv) == 2 and argv[1] == 'summary':
		return summary()
	else:
		print(__doc__, file=sys.stderr)
		return 2
	return 0


if __name__ == '__main__':
	sys.exit(main(sys.argv))
