#!/usr/bin/env python3
"""Projects one epoch over a large corpus on M machines from a 2-rank run on one machine.

Reads the log of `mpirun -np 2 flyvec train ... --threads 1` (rank 0's progress lines, as
scripts/bench-cluster.sh keeps it in out/bench-cluster/mpi2.log) and splits rank 0's epoch into:
its forward passes (half the corpus's windows: the part more ranks divide), the exchange, and the
rest (filing, per-unit sums, the update: what every rank does for the whole batch). Per window and
core that gives `a` (forward) and `r` (replicated). An epoch on M machines of c cores is then

    batches * (a*B/(M*c) + r*B/c + x(M)),   x(M) = alpha*ceil(log2 M) + (M-1)/M * B*bytes/beta

with B the batch, `bytes` the record size per window, beta the link's bandwidth and alpha its
latency per step of the all-gather. Assumptions (printed): threads scale linearly with cores,
and the corpus has en-mix's windows per token.

Usage: scripts/project-scale.py LOG [TOKENS] [GBIT]   (default 10e9 tokens, 10 Gbit/s)
"""
import math
import re
import sys

log = open(sys.argv[1], encoding="utf-8", errors="replace").read().replace("\r", "\n")
tokens_target = float(sys.argv[2]) if len(sys.argv) > 2 else 10e9
gbit = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0

tokens = int(re.search(r"^tokens\s+(\d+)", log, re.M).group(1))
m = re.search(r"^training: K (\d+), \d+ ids, (\d+) windows of (\d+), batch (\d+)", log, re.M)
hidden, windows, width, batch = (int(g) for g in m.groups())
epoch = float(re.search(r"^epoch 1/\d+: .*?, ([0-9.]+) s, ", log, re.M).group(1))
e = re.search(r"^exchange: (\d+) ranks, rank 0 sent (\d+) bytes a batch, ([0-9.]+) s in the exchange, ([0-9.]+) s in its forward", log, re.M)
ranks, sent, exchange, forward = int(e.group(1)), int(e.group(2)), float(e.group(3)), float(e.group(4))
assert ranks == 2, "the model reads a 2-rank run"

record = 4 * (6 + width)
a = forward * ranks / windows            # forward seconds per window, one core
r = (epoch - forward - exchange) / windows  # replicated seconds per window, one core
B = 10_000                                # the batch of any corpus over 3.5M windows
target_windows = tokens_target * windows / tokens
batches = target_windows / B
beta = gbit * 1e9 / 8
alpha = 50e-6

print(f"measured (rank 0 of 2, one thread each): epoch {epoch:.2f} s over {windows} windows of {width}, K {hidden}")
print(f"  forward {forward:.2f} s on half the windows, exchange {exchange:.2f} s, the rest {epoch - forward - exchange:.2f} s")
print(f"  per window and core: forward a = {a * 1e6:.2f} us, replicated r = {r * 1e6:.2f} us; "
      f"forward is {a / (a + r):.0%} of one process's work")
print(f"  rank 0 sent {sent} bytes a batch ({record} bytes a window)")
print(f"assumed: {tokens_target:.3g} tokens -> {target_windows:.3g} windows (en-mix's {windows / tokens:.3f} a token), "
      f"batch {B}, {gbit:g} Gbit/s, {alpha * 1e6:.0f} us a step, threads scale with cores")
print()
print("| machines | cores each | forward | replicated | exchange | epoch | exchange share | speed-up over one machine |")
print("|---|---|---|---|---|---|---|---|")
for c in (2, 32):
    one = batches * (a + r) * B / c
    for M in (1, 8, 64):
        f = batches * a * B / (M * c)
        rep = batches * r * B / c if M > 1 else 0.0
        x = batches * (alpha * math.ceil(math.log2(M)) + (M - 1) / M * B * record / beta) if M > 1 else 0.0
        total = f + rep + x if M > 1 else one
        fmt = lambda s: f"{s / 3600:.1f} h" if s >= 3600 else f"{s / 60:.0f} min"
        print(f"| {M} | {c} | {fmt(f if M > 1 else batches * a * B / c)} | {fmt(rep if M > 1 else batches * r * B / c)} | "
              f"{fmt(x) if M > 1 else '-'} | {fmt(total)} | {x / total:.0%} | {one / total:.1f}x |")
