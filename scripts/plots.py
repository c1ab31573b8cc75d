#!/usr/bin/env python3
"""Pictures for README: Spearman against k, and energy per epoch, as PNG files in docs/.

Usage: scripts/plots.py MODEL.flyvec [BENCHMARK_DIR]   (matplotlib; `make plots` uses the venv)
"""
import json, os, re, subprocess, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLYVEC = os.path.join(ROOT, ".build", "release", "flyvec")
model = sys.argv[1]
bench = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "data", "benchmarks")
pairs = [os.path.join(bench, "wordsim353.tsv"), os.path.join(bench, "simlex999.txt")]

ks = [4, 8, 12, 16, 24, 32, 50, 64, 100]
curves = {}
for readout in ("target", "sum"):
    for k in ks:
        out = subprocess.run([FLYVEC, "eval", model, "-k", str(k), "--readout", readout, "--json"] + pairs,
                             capture_output=True, text=True, check=True).stdout
        for r in json.loads(out)["results"]:
            curves.setdefault((r["dataset"], readout, r["pairs"]), []).append(r["spearman"])

fig, ax = plt.subplots(figsize=(6.4, 4))
for (name, readout, n), ys in curves.items():
    ax.plot(ks, ys, marker="o", linestyle="-" if readout == "sum" else "--",
            label=f"{name.split('.')[0]} ({n} pairs), {readout} read-out")
ax.set_xscale("log")
ax.set_xticks(ks, [str(k) for k in ks])
ax.set_xlabel("active bits k (of K = 400)")
ax.set_ylabel("Spearman")
ax.set_title("FlyVec codes on en-mix (--preset classic, one seed): similarity against k")
ax.grid(alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(os.path.join(ROOT, "docs", "spearman-vs-k.png"), dpi=110)

info = subprocess.run([FLYVEC, "info", model], capture_output=True, text=True, check=True).stdout
energy = [float(e) for e in re.findall(r"energy (-?[0-9.]+)", info)]
fig, ax = plt.subplots(figsize=(6.4, 3.2))
ax.plot(range(1, len(energy) + 1), energy, marker="o")
ax.set_xticks(range(1, len(energy) + 1))
ax.set_xlabel("epoch")
ax.set_ylabel("mean energy per window")
ax.set_title("Energy falls every epoch (en-mix, defaults)")
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(os.path.join(ROOT, "docs", "energy.png"), dpi=110)
print("wrote docs/spearman-vs-k.png and docs/energy.png")
