#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tables and a plot from make bench's boots (scripts/bench.sh).

  bench.py LOGS OUT COMMIT ROW...

LOGS holds a directory a boot, bench-KERNEL-ROW (KERNEL: base or series), with the
guest's results.log (lsmbench's "# lsmstack-bench: NAME OPS MEDIAN MIN MAX" lines,
guest/bench.sh's "# lsmstack-slab: KB" and guest/init's "lsmstack-meta: done=N") and
the kernel's console.log (lsm.debug's "LSM: KIND blob size = N" lines). ROW is
NAME:KERNELS, KERNELS base+series or series. From the environment: BENCH_LSM_<row> the
row's lsm= (for the headings), BENCH_WORKLOADS every workload (lsmbench -l, comma
separated), BENCH_FAILED the boots bench.sh saw fail, one a line, BENCH_WALL the
wall-clock rounds, ROW:ROUND separated by spaces (boots bench-wallROUND-KERNEL-ROW).

Writes OUT/results.md (the tables, the targets met or missed, every failure),
OUT/delta.tsv and OUT/delta.svg (gnuplot: delta % a workload, stock 6.1 against the
series, each row booted on both), and prints the tables. Exit status 1 when a boot
failed, did not finish, or lacks a workload it should have run.
"""
import math
import os
import re
import subprocess
import sys

BENCH = re.compile(r'^\s*# lsmstack-bench: (\S+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)\s*$')
NOTOK = re.compile(r'^\s*not ok \d+ (\S+)(?: # (.*))?$')
SKIP = re.compile(r'^\s*ok \d+ (\S+) # SKIP')
SLAB = re.compile(r'^\s*# lsmstack-slab: (\d+)\s*$')
DONE = re.compile(r'^lsmstack-meta: done=(\d+)')
BLOB = re.compile(r'LSM: (\w+) blob size\s*= (\d+)')

# The workload with no security hook (the control), and those only the series has.
CONTROL = 'getppid'
NEW = ('lsm_self_attr_current', 'lsm_self_attr_single', 'lsm_self_attr_all',
       'lsm_module_list')
# The new calls against what they replace, with the factor the issue asks of each.
REPLACES = (('lsm_self_attr_current', 'proc_attr_current', 5),
            ('lsm_self_attr_single', 'proc_attr_current', None),
            ('lsm_self_attr_all', 'proc_attr_current', None),
            ('lsm_module_list', 'securityfs_lsm', 10))
SINGLE = ('selinux', 'apparmor', 'smack')
# The infrastructure's part of a task blob where tasks choose an interface module.
TASK_INFRA = 8
# Same module, series against stock (per cent).
GEOMEAN_TARGET, WORKLOAD_TARGET = 0.25, 0.5
KERNEL_NAME = {'base': 'stock 6.1', 'series': 'series'}


class Boot:
	"""The figures of one boot, and what went wrong in it."""

	def __init__(self, logs, kernel, row):
		self.name = f'bench-{kernel}-{row}'
		d = os.path.join(logs, self.name)
		self.figures, self.spread, self.skipped = {}, {}, set()
		self.problems, self.slab, self.blobs, done = [], None, {}, None
		try:
			with open(os.path.join(d, 'results.log'), errors='replace') as f:
				for line in f:
					if m := BENCH.match(line):
						med, lo, hi = (float(m.group(i)) for i in (3, 4, 5))
						self.figures[m.group(1)] = med
						self.spread[m.group(1)] = (hi - lo) / med * 100 if med else 0
					elif m := NOTOK.match(line):
						self.problems.append(f'{m.group(1)}: {m.group(2) or "failed"}')
					elif m := SKIP.match(line):
						self.skipped.add(m.group(1))
					elif m := SLAB.match(line):
						self.slab = int(m.group(1))
					elif m := DONE.match(line):
						done = int(m.group(1))
		except OSError as e:
			self.problems.append(f'no results: {e}')
		try:
			with open(os.path.join(d, 'console.log'), errors='replace') as f:
				for line in f:
					if m := BLOB.search(line):
						self.blobs[m.group(1)] = int(m.group(2))
		except OSError as e:
			self.problems.append(f'no console log: {e}')
		if done is None:
			self.problems.append('the guest did not finish (no done= line)')
		elif done:
			self.problems.append(f'the guest reported failure (done={done})')
		for w in os.environ.get('BENCH_WORKLOADS', '').split(','):
			if w and w not in self.figures and w not in self.skipped:
				self.problems.append(f'{w}: no figure')

	def get(self, w):
		return self.figures.get(w, float('nan'))


def pct(new, old):
	return (new - old) / old * 100


def geomean(ratios):
	ratios = [r for r in ratios if not math.isnan(r)]
	return math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else float('nan')


def median(values):
	v = sorted(x for x in values if not math.isnan(x))
	if not v:
		return float('nan')
	return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2


def num(x, fmt):
	return '-' if math.isnan(x) else format(x, fmt)


def row_lsm(row):
	return os.environ.get(f'BENCH_LSM_{row.replace("-", "_")}', row)


def main():
	logs, out, commit = sys.argv[1:4]
	rows = [r.split(':') for r in sys.argv[4:]]
	os.makedirs(out, exist_ok=True)
	workloads = [w for w in os.environ.get('BENCH_WORKLOADS', '').split(',') if w]
	boots = {(k, row): Boot(logs, k, row) for row, kernels in rows for k in kernels.split('+')}
	if not workloads:
		workloads = list(dict.fromkeys(w for b in boots.values() for w in b.figures))
	bad = [f for f in os.environ.get('BENCH_FAILED', '').splitlines() if f]
	bad += [f'{b.name}: {p}' for b in boots.values() for p in b.problems]
	md, tsv, targets = [], [], []

	md.append(f'Measured on commit `{commit}`. Figures are instructions an operation '
		  '(QEMU TCG, `-icount shift=0,sleep=off`, one CPU: guest time advances one '
		  'nanosecond an instruction), the median of the timed runs in one boot; '
		  '"spread" is the largest (max - min) / median of a row\'s workloads.\n')

	# A workload that reaches no hook costs the same with any module (dup_close:
	# close() of a file that stays open); the targets on hooks leave it out.
	hookless = set()
	for w in workloads:
		v = [b.get(w) for b in boots.values() if not math.isnan(b.get(w))]
		if len(v) > 1 and max(v) - min(v) <= 0.001 * min(v):
			hookless.add(w)
	if hookless - {CONTROL}:
		md.append('Workloads no module changes (within 0.1% on every boot), left out of '
			  'the targets on hooks: ' + ', '.join(sorted(hookless - {CONTROL})) + '.\n')

	# Stock 6.1 against the series, each row both kernels boot.
	for row, kernels in rows:
		if 'base' not in kernels.split('+'):
			continue
		base, series = boots['base', row], boots['series', row]
		md.append(f'### `lsm={row_lsm(row)}`: stock 6.1 against the series\n')
		md.append('| workload | stock 6.1 | series | delta | delta % |')
		md.append('| --- | ---: | ---: | ---: | ---: |')
		ratios, worst = [], (-math.inf, '')
		for w in workloads:
			if w in NEW:
				continue
			b, s = base.get(w), series.get(w)
			d = pct(s, b) if b and not math.isnan(b) else float('nan')
			md.append(f'| {w} | {num(b, ",.0f")} | {num(s, ",.0f")} | '
				  f'{num(s - b, "+,.0f")} | {num(d, "+.2f")}% |')
			if not math.isnan(d):
				tsv.append(f'{row}\t{w}\t{d:.3f}')
				if w != CONTROL:
					ratios.append(s / b)
				# The target is one-sided: the largest increase.
				if w != CONTROL and d > worst[0]:
					worst = (d, w)
		g = (geomean(ratios) - 1) * 100
		spread = max(list(base.spread.values()) + list(series.spread.values()) or [0])
		md.append(f'| geometric mean (all but {CONTROL}) | | | | {num(g, "+.2f")}% |\n')
		md.append(f'Spread within a boot: up to {spread:.2f}%.\n')
		if row in SINGLE:
			ctl = pct(series.get(CONTROL), base.get(CONTROL))
			targets.append((f'{row}: geometric mean at most +{GEOMEAN_TARGET}%',
					f'{num(g, "+.2f")}%', g <= GEOMEAN_TARGET))
			targets.append((f'{row}: no workload above +{WORKLOAD_TARGET}%',
					f'worst {worst[1]} {worst[0]:+.2f}%',
					worst[0] <= WORKLOAD_TARGET))
			targets.append((f'{row}: {CONTROL} unchanged (within {WORKLOAD_TARGET}%)',
					f'{num(ctl, "+.2f")}%', abs(ctl) <= WORKLOAD_TARGET))
			# Beyond stock: fewer instructions on every hook-heavy workload.
			more = [w for w in workloads if w not in NEW and w != CONTROL and
				w not in hookless and not series.get(w) < base.get(w)]
			targets.append((f'{row}: every hook-heavy workload fewer instructions than '
					'stock 6.1', 'all fewer' if not more else
					'not fewer: ' + ', '.join(more), not more))

	# What each module adds on the series kernel, and the stack against their sum.
	have = [r for r in SINGLE if ('series', r) in boots]
	if ('series', 'none') in boots and ('series', 'full') in boots and have:
		none, full = boots['series', 'none'], boots['series', 'full']
		md.append('### What each module adds on the series kernel\n')
		md.append(f'Instructions an operation above `lsm={row_lsm("none")}`, each major module '
			  'alone and the three stacked (`lsm=' + row_lsm('full') + '`).\n')
		complete = len(have) == len(SINGLE)
		md.append('| workload | ' + ' | '.join(have) + (' | sum' if complete else '') +
			  ' | full stack |')
		md.append('| --- |' + ' ---: |' * (len(have) + 1 + complete))
		over, total_stack, total_sum = [], 0.0, 0.0
		for w in workloads:
			if w in NEW or w.startswith('proc_attr'):
				continue
			adds = [boots['series', r].get(w) - none.get(w) for r in have]
			stack = full.get(w) - none.get(w)
			if w != CONTROL and w not in hookless:
				total_stack += stack
				total_sum += sum(adds)
			md.append(f'| {w} | ' + ' | '.join(num(a, '+,.0f') for a in adds) +
				  (f' | {num(sum(adds), "+,.0f")}' if complete else '') +
				  f' | {num(stack, "+,.0f")} |')
			if complete and w != CONTROL and w not in hookless and not stack < sum(adds):
				over.append(w)
		md.append('')
		if complete:
			targets.append(('full stack: costs less than the sum of its modules alone, '
					'every hook-heavy workload', 'all less' if not over else
					'not less: ' + ', '.join(over), not over))
			targets.append(('full stack: costs less than the sum of its modules alone, '
					'the hook-heavy workloads together',
					f'{num(total_stack, "+,.0f")} against {num(total_sum, "+,.0f")}',
					total_stack < total_sum))

	# The new system calls against the files they replace.
	md.append('### The LSM system calls against the files they replace (series)\n')
	md.append('| row | call | instructions | replaces | instructions | factor | target |')
	md.append('| --- | --- | ---: | --- | ---: | ---: | ---: |')
	for row, kernels in rows:
		b = boots.get(('series', row))
		if not b or row.endswith('-again'):
			continue
		for new, old, want in REPLACES:
			if new in b.figures and old in b.figures:
				f = b.figures[old] / b.figures[new]
				md.append(f'| {row} | {new} | {b.figures[new]:,.0f} | {old} | '
					  f'{b.figures[old]:,.0f} | {f:.1f}x | {f"{want}x" if want else "-"} |')
				if want and row in SINGLE:
					targets.append((f'{row}: {new} at least {want}x fewer than {old}',
							f'{f:.1f}x', f >= want))
	md.append('')

	# Repeatability: two boots of one kernel.
	for row, _ in rows:
		if row.endswith('-again') and ('series', row[:-6]) in boots:
			a, b = boots['series', row[:-6]], boots['series', row]
			d = [(abs(pct(b.figures[w], a.figures[w])), w) for w in a.figures
			     if w in b.figures]
			if d:
				worst = max(d)
				md.append(f'Repeatability: two boots of the series kernel with '
					  f'`lsm={row_lsm(row[:-6])}` agree within {worst[0]:.2f}% on every '
					  f'workload (the most on {worst[1]}; median '
					  f'{sorted(d)[len(d) // 2][0]:.2f}%).\n')

	# Memory: blob sizes (lsm.debug) and unreclaimable slab after the workloads.
	md.append('### Memory\n')
	md.append('Bytes a object of each kind for the security modules (`lsm.debug`; stock '
		  '6.1 prints only the kinds its infrastructure allocates, its modules allocate '
		  'their own socket, key and superblock blobs), and the unreclaimable slab after '
		  'the workloads (kB).\n')
	kinds = sorted({k for b in boots.values() for k in b.blobs})
	md.append('| kernel | row | ' + ' | '.join(kinds) + ' | slab kB |')
	md.append('| --- | --- |' + ' ---: |' * (len(kinds) + 1))
	for (k, row), b in boots.items():
		md.append(f'| {KERNEL_NAME[k]} | {row} | ' +
			  ' | '.join(str(b.blobs[x]) if x in b.blobs else '-' for x in kinds) +
			  f' | {b.slab if b.slab is not None else "-"} |')
	md.append('')
	# The stack's blob of each kind: the infrastructure's part (row none, plus the
	# rcu_head an inode blob starts with once any module has one), then each module's
	# part (its blob alone less the infrastructure's), each starting on an 8-byte
	# boundary, in lsm= order. The task blob instead ends with the infrastructure's
	# part, the interface module's pointer, where more than one active module has
	# attributes, as every major module has.
	order = [r for r in row_lsm('full').split(',') if r in SINGLE]
	if all(('series', r) in boots for r in ['none', 'full'] + order) and order:
		none, full = boots['series', 'none'].blobs, boots['series', 'full'].blobs

		def infra(x, used):
			return none.get(x, 0) + (16 if x == 'inode' and used else 0)

		def parts(x):
			alone = [boots['series', r].blobs.get(x, 0) for r in order]
			end = infra(x, any(alone))
			for a in alone:
				if a:
					end = (end + 7) // 8 * 8 + a - infra(x, True)
			if x == 'task' and len(order) > 1:
				end = (end + 7) // 8 * 8 + TASK_INFRA
			return end
		wrong = [f'{x} {full.get(x, 0)}, sum {parts(x)}' for x in kinds
			 if full.get(x, 0) != parts(x)]
		targets.append(('full stack: each blob is the sum of the modules\' aligned parts',
				'every kind' if not wrong else 'not: ' + ', '.join(wrong), not wrong))

	wall = [x.split(':') for x in os.environ.get('BENCH_WALL', '').split()]
	if wall:
		md.append('### Wall-clock time (noisy)\n')
		md.append('Nanoseconds an operation without `-icount` on this host, boots of the '
			  'two kernels alternating; the median over the rounds of each boot\'s '
			  'median. A busy host moves these figures by several per cent: they only '
			  'check that the instruction counts above do not hide a slower path.\n')
		for row in dict.fromkeys(r for r, _ in wall):
			rounds = [n for r, n in wall if r == row]
			wb = {k: [Boot(logs, f'wall{n}-{k}', row) for n in rounds]
			      for k in ('base', 'series')}
			for k in wb:
				bad += [f'{b.name}: {p}' for b in wb[k] for p in b.problems]
			md.append(f'`lsm={row_lsm(row)}`, {len(rounds)} rounds:\n')
			md.append('| workload | stock 6.1 ns | series ns | delta % |')
			md.append('| --- | ---: | ---: | ---: |')
			for w in workloads:
				if w in NEW:
					continue
				med = {}
				for k, bs in wb.items():
					med[k] = median([b.get(w) for b in bs])
				d = pct(med['series'], med['base']) if med['base'] else float('nan')
				md.append(f'| {w} | {num(med["base"], ",.0f")} | '
					  f'{num(med["series"], ",.0f")} | {num(d, "+.1f")}% |')
			md.append('')

	if targets:
		md.append('### Targets\n')
		md.append('| target | measured | met |')
		md.append('| --- | ---: | --- |')
		for what, got, ok in targets:
			md.append(f'| {what} | {got} | {"yes" if ok else "**no**"} |')
		md.append('')
	md.append('### Failures\n')
	md.extend(f'- {b}' for b in bad) if bad else md.append('None.')
	md.append('')

	text = '\n'.join(md)
	with open(os.path.join(out, 'results.md'), 'w') as f:
		f.write(text)
	with open(os.path.join(out, 'delta.tsv'), 'w') as f:
		f.write('\n'.join(tsv) + '\n')
	plot(out, [r for r, k in rows if 'base' in k.split('+')], workloads)
	print(text)
	return 1 if bad else 0


def plot(out, rows, workloads):
	"""delta.svg: delta % a workload, one bar a row (gnuplot, when it is there)."""
	if not rows:
		return
	# One line a workload, one column a row, "-" where a row has no figure.
	table = {}
	with open(os.path.join(out, 'delta.tsv')) as f:
		for line in f:
			if line.strip():
				row, w, d = line.split('\t')
				table.setdefault(w, {})[row] = d.strip()
	with open(os.path.join(out, 'delta.dat'), 'w') as f:
		for w in workloads:
			if w in table:
				f.write(w + ' ' + ' '.join(table[w].get(r, '-') for r in rows) + '\n')
	cols = ', '.join(f'"{out}/delta.dat" using {i + 2}:xtic(1) title "{r}"'
			 for i, r in enumerate(rows))
	script = f'''set terminal svg size 1100,500 dynamic
set output "{out}/delta.svg"
set title "series against stock 6.1: instructions an operation, delta %"
set datafile missing "-"
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
