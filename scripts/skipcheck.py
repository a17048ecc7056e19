#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Find kselftest harness tests that may call SKIP() after an EXPECT_*() check.

The harness reports a test that skips as skipped even when an EXPECT_*() before the skip
failed: the failure is lost. A test must decide to skip before it checks anything. ASSERT_*()
before a skip is fine (a failing one ends the test). Reads the C files named on the command
line; prints FILE:LINE for each SKIP() that follows an EXPECT_*() in the same TEST, TEST_F
or FIXTURE_SETUP body, and exits 1 if there is one.
"""

import re
import sys

START = re.compile(r'^(TEST|TEST_F|TEST_F_FORK|FIXTURE_SETUP)\b')
found = 0
for path in sys.argv[1:]:
	body = False
	expect = None
	for n, line in enumerate(open(path, errors='replace'), 1):
		if START.match(line):
			body, expect = True, None
			continue
		if line.startswith('}'):
			body = False
		if not body:
			continue
		if expect is None and re.search(r'\bEXPECT_\w+\s*\(', line):
			expect = n
		if expect is not None and re.search(r'\bSKIP\s*\(', line):
			print(f'{path}:{n}: SKIP() after the EXPECT_*() of line {expect}')
			found += 1
sys.exit(1 if found else 0)
