#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Collect make check's results and print its summary.

Every check is one record (name, status, detail) appended to a JSON-lines file.
KTAP/TAP is parsed by the tree's own tools/testing/kunit/kunit.py, never here.

  results.py boot NAME EXPECTED_LSMS RC [ksft]  judge one boot from build/logs/NAME/
                                          (EXPECTED_LSMS '-': only show the list)
  results.py record NAME pass|fail|skip [DETAIL]
  results.py summary
"""

import json
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get('BUILD', os.path.join(TOP, 'build'))
LOGS = os.path.join(BUILD, 'logs')
RESULTS = os.path.join(LOGS, 'results.jsonl')
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

# Console lines that mean the kernel itself reported a problem.
KERNEL_REPORT = re.compile(r'\b(BUG:|WARNING:|Oops|Kernel panic|general protection fault|'
                           r'UBSAN:|KASAN:|kmemleak:.*suspected|possible recursive locking|'
                           r'possible circular locking|list_(add|del) corruption|'
                           r'INFO: task .* blocked)')


def record(name, status, detail=''):
	os.makedirs(LOGS, exist_ok=True)
	with open(RESULTS, 'a') as f:
		f.write(json.dumps({'name': name, 'status': status, 'detail': detail}) + '\n')


def ktap_cases(log, what):
	"""Leaf test cases of the KTAP in log, as (name, status), via kunit.py parse."""
	out = log + '.' + what + '.json'
	with open(log + '.' + what + '.parse', 'w') as parse_log:
		subprocess.run([sys.executable, KUNIT_PY, 'parse', '--json=' + out, log],
		               stdout=parse_log, stderr=subprocess.STDOUT, check=False)
	try:
		with open(out) as f:
			root = json.load(f)
	except (OSError, ValueError):
		return None
	cases = []

	def walk(group, prefix):
		for case in group.get('test_cases', []):
			cases.append((prefix + case['name'], case['status']))
		for sub in group.get('sub_groups', []):
			walk(sub, prefix + sub['name'] + '.')
	walk(root, '')
	return cases


def judge_ktap(boot, log, what, expect):
	status_map = {'PASS': 'pass', 'SKIP': 'skip'}
	cases = ktap_cases(log, what)
	if not cases:
		if expect:
			record(f'{boot}: {what}', 'fail', f'no {what} results in {log}')
		return
	for case, status in cases:
		record(f'{boot}: {what}: {case}', status_map.get(status, 'fail'),
		       '' if status in status_map else f'{status}; see {log}')


def kernel_config():
	"""The booted kernel's .config as {option: value} (CONFIG_ dropped, quotes kept)."""
	opts = {}
	try:
		for line in open(os.path.join(OBJ, '.config')):
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


def judge_debug(name, text, meta):
	"""On the debug flavour, check that the checkers really ran."""
	have = kernel_config()
	missing = [o for o in DEBUG_OPTIONS if have.get(o) != 'y']
	missing += [b for b in DEBUG_BANNERS if b not in text]
	if meta.get('kmemleak') != 'scanned':
		missing.append('the guest did not scan for leaks')
	record(f'{name}: debug checkers are on (KASAN, UBSAN, lockdep, kmemleak, DEBUG_LIST)',
	       'fail' if missing else 'pass', '; '.join(missing))


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


def boot(name, expected, rc, want_ksft):
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
	if active is not None:
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

	reports = [l for l in text.splitlines() if KERNEL_REPORT.search(l)]
	record(f'{name}: console free of kernel reports', 'fail' if reports else 'pass',
	       '; '.join(reports[:3]))

	if os.environ.get('FLAVOR') == 'debug':
		judge_debug(name, text, meta)
	judge_ktap(name, console, 'kunit', True)
	judge_ktap(name, results, 'kselftest', want_ksft)
	if meta.get('done', '0') != '0' and verdict:
		record(f'{name}: guest plan', 'fail', f'the guest reported failure; see {results}')


def summary():
	recs = [json.loads(l) for l in open(RESULTS)] if os.path.exists(RESULTS) else []
	count = {'pass': 0, 'fail': 0, 'skip': 0}
	for r in recs:
		count[r['status']] += 1
		if r['status'] == 'fail':
			print(f"FAIL {r['name']}" + (f": {r['detail']}" if r['detail'] else ''))
	line = f"{count['pass']} passed, {count['fail']} failed"
	if count['skip']:
		line += f", {count['skip']} skipped"
	print(line)
	return 1 if count['fail'] or not recs else 0


def main(argv):
	if len(argv) >= 5 and argv[1] == 'boot':
		boot(argv[2], argv[3], argv[4], len(argv) > 5 and argv[5] == 'ksft')
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
