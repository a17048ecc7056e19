#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tables and a plot from make bench's boots (scripts/bench.sh).

  bench.py LOGS OUT COMMIT ROW...

LOGS holds a directory a boot, bench-KERNEL-ROW (KERNEL: base or series), with the
guest's results.log (lsmbench's "# lsmstack-bench: NAME OPS MEDIAN MIN MAX" lines and
guest/bench.sh's "# lsmstack-slab: KB") and the kernel's console.log (lsm.debug's
"LSM: KIND blob size = N" lines). ROW is NAME:KERNELS, KERNELS base+series or series.
Writes OUT/results.md (the tables), OUT/delta.tsv and OUT/delta.svg (gnuplot: delta %
a workload, stock 6.1 against the series, each single-module row) and prints the
tables. Exit status 1 when a boot has no figures or a workload failed.
"""
import math
import os
import re
import subprocess
import sys

BENCH = re.compile(r'^\s*# lsmstack-bench: (\S+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)\s*$')
NOTOK = re.compile(r'^\s*not ok \d+ (\S+)(?: # (.*))?$')
SLAB = re.compile(r'^\s*# lsmstack-slab: (\d+)\s*$')
BLOB = re.compile(r'LSM: (\w+) blob size\s*= (\d+)')

# Workloads with no security hook (the control) and those only the series has.
CONTROL = 'getppid'
NEW = ('lsm_self_attr_current', 'lsm_self_attr_single', 'lsm_self_attr_all',
       'lsm_module_list')
# The new calls against what they replace, and the factor they must beat.
REPLACES = (('lsm_self_attr_current', 'proc_attr_current', 5),
            ('lsm_self_attr_single', 'proc_attr_current', 5),
            ('lsm_self_attr_all', 'proc_attr_current', 5),
            ('lsm_module_list', 'securityfs_lsm', 10))
KERNEL_NAME = {'base': 'stock 6.1', 'series': 'series'}


def load(logs, kernel, row):
	"""The figures of one boot: {workload: median}, failures, slab kB, blob sizes."""
	d = os.path.join(logs, f'bench-{kernel}-{row}')
	figures, failed, slab, blobs = {}, [], None, {}
	try:
		with open(os.path.join(d, 'results.log'), errors='replace') as f:
			for line in f:
				m = BENCH.match(line)
				if m:
					figures[m.group(1)] = float(m.group(3))
				m = NOTOK.match(line)
				if m:
					failed.append(f'{m.group(1)}: {m.group(2) or "failed"}')
				m = SLAB.match(line)
				if m:
					slab = int(m.group(1))
		with open(os.path.join(d, 'console.log'), errors='replace') as f:
			for line in f:
				m = BLOB.search(line)
				if m:
					blobs[m.group(1)] = int(m.group(2))
	except OSError as e:
		failed.append(str(e))
	return figures, failed, slab, blobs


def pct(new, old):
	return (new - old) / old * 100


def geomean(ratios):
	return math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else float('nan')


def main():
	logs, out, commit = sys.argv[1:4]
	rows = [r.split(':') for r in sys.argv[4:]]
	os.makedirs(out, exist_ok=True)
	runs, bad, md, tsv = {}, [], [], []
	for row, kernels in rows:
		for k in kernels.split('+'):
			runs[k, row] = load(logs, k, row)
			fig, failed, _, _ = runs[k, row]
			if not fig:
				bad.append(f'bench-{k}-{row}: no figures')
			bad += [f'bench-{k}-{row}: {x}' for x in failed]

	md.append(f'Measured on commit `{commit}`. Figures are instructions an operation '
		  '(QEMU TCG, `-icount shift=0,sleep=off`, one CPU: guest time advances one '
		  'nanosecond an instruction), the median of the runs in one boot.\n')

	# Stock 6.1 against the series, each row both kernels boot.
	for row, kernels in rows:
		if 'base' not in kernels.split('+'):
			continue
		base, series = runs['base', row][0], runs['series', row][0]
		names = [n for n in base if n in series]
		md.append(f'### `lsm={row_lsm(row)}`: stock 6.1 against the series\n')
		md.append('| workload | stock 6.1 | series | delta | delta % |')
		md.append('| --- | ---: | ---: | ---: | ---: |')
		ratios = []
		for n in names:
			b, s = base[n], series[n]
			md.append(f'| {n} | {b:,.0f} | {s:,.0f} | {s - b:+,.0f} | {pct(s, b):+.2f}% |')
			tsv.append(f'{row}\t{n}\t{pct(s, b):.3f}')
			if n != CONTROL:
				ratios.append(s / b)
		g = (geomean(ratios) - 1) * 100
		md.append(f'| geometric mean (all but {CONTROL}) | | | | {g:+.2f}% |\n')

	# What each module costs on the series kernel, and the stack against their sum.
	single = [r for r, k in rows if r not in ('none', 'full') and 'series' in k.split('+')
		  and not r.endswith('-again')]
	if ('series', 'none') in runs and ('series', 'full') in runs:
		none, full = runs['series', 'none'][0], runs['series', 'full'][0]
		md.append('### What each module adds on the series kernel\n')
		md.append('Instructions an operation above `lsm=' + row_lsm('none') + '` (no major '
			  'module); the full stack against the sum of its modules alone.\n')
		md.append('| workload | ' + ' | '.join(single) + ' | sum | full stack |')
		md.append('| --- |' + ' ---: |' * (len(single) + 2))
		for n in full:
			if n in NEW or n not in none:
				continue
			adds = [runs['series', r][0].get(n, float('nan')) - none[n] for r in single]
			md.append(f'| {n} | ' + ' | '.join(f'{a:+,.0f}' for a in adds) +
				  f' | {sum(adds):+,.0f} | {full[n] - none[n]:+,.0f} |')
		md.append('')

	# The new system calls against the files they replace.
	md.append('### The LSM system calls against the files they replace (series)\n')
	md.append('| row | call | instructions | replaces | instructions | factor | target |')
	md.append('| --- | --- | ---: | --- | ---: | ---: | ---: |')
	for row, kernels in rows:
		fig = runs.get(('series', row), ({},))[0]
		for new, old, want in REPLACES:
			if new in fig and old in fig:
				f = fig[old] / fig[new]
				md.append(f'| {row} | {new} | {fig[new]:,.0f} | {old} | {fig[old]:,.0f} | '
					  f'{f:.1f}x | {want}x{"" if f >= want else " (missed)"} |')
	md.append('')

	# Repeatability: two boots of one kernel.
	for row, _ in rows:
		if row.endswith('-again') and ('series', row[:-6]) in runs:
			a, b = runs['series', row[:-6]][0], runs['series', row][0]
			d = [abs(pct(b[n], a[n])) for n in a if n in b]
			if d:
				md.append(f'Repeatability: two boots of the series kernel with '
					  f'`lsm={row_lsm(row[:-6])}` agree within {max(d):.2f}% on every '
					  f'workload (median {sorted(d)[len(d) // 2]:.2f}%).\n')

	# Memory: blob sizes (lsm.debug) and slab in use after the workloads.
	md.append('### Memory\n')
	md.append('Blob sizes the infrastructure allocates a object (bytes, `lsm.debug`), and '
		  'slab in use after the workloads (kB, `/proc/meminfo`).\n')
	kinds = sorted({k for v in runs.values() for k in v[3]})
	md.append('| kernel | row | ' + ' | '.join(kinds) + ' | slab kB |')
	md.append('| --- | --- |' + ' ---: |' * (len(kinds) + 1))
	for (k, row), (_, _, slab, blobs) in runs.items():
		md.append(f'| {KERNEL_NAME[k]} | {row} | ' +
			  ' | '.join(str(blobs[x]) if x in blobs else '-' for x in kinds) +
			  f' | {slab if slab is not None else "-"} |')
	md.append('')

	text = '\n'.join(md)
	with open(os.path.join(out, 'results.md'), 'w') as f:
		f.write(text)
	with open(os.path.join(out, 'delta.tsv'), 'w') as f:
		f.write('\n'.join(tsv) + '\n')
	plot(out, [r for r, k in rows if 'base' in k.split('+')])
	print(text)
	for b in bad:
		print(f'bench: {b}', file=sys.stderr)
	return 1 if bad else 0


def row_lsm(row):
	return os.environ.get(f'BENCH_LSM_{row.replace("-", "_")}', row)


def plot(out, rows):
	"""delta.svg: delta % a workload, one bar a row (gnuplot, when it is there)."""
	if not rows:
		return
	cols = ' '.join(f'"< awk -F\'\\t\' \'$1==\\"{r}\\"\' {out}/delta.tsv" '
			f'using 3:xtic(2) title "{r}",' for r in rows).rstrip(',')
	script = f'''set terminal svg size 1100,500 dynamic
set output "{out}/delta.svg"
set title "series against stock 6.1: instructions an operation, delta %"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8
set xtics rotate by -45
set ylabel "delta %"
set grid ytics
plot {cols}
'''
	try:
		subprocess.run(['gnuplot'], input=script, text=True, check=True)
	except (OSError, subprocess.CalledProcessError) as e:
		print(f'bench: no plot: {e}', file=sys.stderr)


if __name__ == '__main__':
	sys.exit(main())
