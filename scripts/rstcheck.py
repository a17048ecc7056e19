#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check reStructuredText files with docutils, as far as it can without Sphinx.

Usage: rstcheck.py FILE...   (exit 1 if any file has a warning or error)

Sphinx and the kernel's extensions are not installed (make htmldocs needs a large
toolchain); docutils alone catches the mistakes a reader would see: title adornments
that are too short, broken tables and lists, bad indentation, unknown references.
Sphinx-only roles and directives are accepted without being checked.
"""

import sys

import docutils.core
import docutils.utils
from docutils.parsers.rst import Directive, directives, roles

SPHINX_ROLES = ('manpage', 'ref', 'doc', 'c:func', 'c:type', 'c:macro', 'c:data',
                'c:member', 'c:enum', 'c:union', 'c:struct', 'file', 'kbd', 'envvar')
SPHINX_DIRECTIVES = ('toctree', 'kernel-doc', 'kernel-include', 'c:function',
                     'c:type', 'c:macro', 'c:struct', 'only', 'note', 'warning',
                     'code-block', 'highlight', 'kernel-feat', 'kernel-abi')


class Accept(Directive):
	"""A Sphinx directive: take its content as given."""
	has_content = True
	optional_arguments = 10
	final_argument_whitespace = True
	option_spec = None

	def run(self):
		return []


class AnyOption(dict):
	def __getitem__(self, key):
		return directives.unchanged


Accept.option_spec = AnyOption()
for r in SPHINX_ROLES:
	roles.register_generic_role(r, docutils.nodes.literal)
for d in SPHINX_DIRECTIVES:
	directives.register_directive(d, Accept)


def check(path):
	with open(path, encoding='utf-8') as f:
		text = f.read()
	problems = []

	class Collect:
		def write(self, s):
			problems.append(s.strip())

	docutils.core.publish_doctree(
		text, source_path=path,
		settings_overrides={'report_level': docutils.utils.Reporter.WARNING_LEVEL,
		                    'halt_level': docutils.utils.Reporter.SEVERE_LEVEL + 1,
		                    'warning_stream': Collect(), 'file_insertion_enabled': False})
	return [p for p in problems if p]


def main():
	bad = 0
	for path in sys.argv[1:]:
		for p in check(path):
			print(p)
			bad += 1
	return 1 if bad else 0


if __name__ == '__main__':
	sys.exit(main())
