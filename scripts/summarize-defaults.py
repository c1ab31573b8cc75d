#!/usr/bin/env python3
"""Summarises docs/search-defaults.tsv (written by scripts/search-defaults.sh) as a Markdown table:
one row per setting and k, the median and range over seeds. Usage: scripts/summarize-defaults.py [TSV]"""
import csv, sys
from collections import defaultdict

path = sys.argv[1] if len(sys.argv) > 1 else "docs/search-defaults.tsv"
groups = defaultdict(list)
order = []
for r in csv.DictReader(open(path), delimiter="\t"):
    key = (r["label"], r["corpus"], r["options"], r["k"])
    if key not in groups:
        order.append(key)
    groups[key].append(r)

def cell(values):
    v = sorted(float(x) for x in values)
    mid = v[len(v) // 2]
    return f"{mid:.3f}" if len(v) == 1 else f"{mid:.3f} ({v[0]:.3f}–{v[-1]:.3f})"

print("| setting | corpus | options | batch | lr | seeds | k | WS353 | SimLex | pairs WS/SL | wall s |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for key in order:
    rows = groups[key]
    label, corpus, options, k = key
    r0 = rows[0]
    print(f"| {label} | `{corpus}` | `{options}` | {r0['batch']} | {float(r0['lr']):.3g} | {len(rows)} | {k} | "
          f"{cell(r['ws353'] for r in rows)} | {cell(r['simlex'] for r in rows)} | "
          f"{r0['ws353_pairs']}/{r0['simlex_pairs']} | {sorted(float(r['seconds']) for r in rows)[len(rows) // 2]:.1f} |")
