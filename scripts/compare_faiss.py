#!/usr/bin/env python3
"""FlyVec's Hamming search beside FAISS IndexBinaryFlat on the same codes, same sitting.

1,000,000 random 400-bit codes with 50 bits set, 1,000 top-10 queries (taken from the codes), timed
one query at a time and as one batch; median of 5 runs each. FlyVec runs through the benchmark
harness (Benchmarks/), reading the same codes. Both answers are checked to agree on distances.
Usage: scripts/compare_faiss.py   (after `cd Benchmarks && swift build -c release`)
"""
import json, os, subprocess, tempfile, time
import numpy as np
import faiss

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N, Q, BITS, ACTIVE = 1_000_000, 1000, 400, 50

rng = np.random.default_rng(1)
bits = np.zeros((N, BITS), dtype=np.uint8)
for i in range(N):
    bits[i, rng.choice(BITS, ACTIVE, replace=False)] = 1
packed = np.packbits(bits, axis=1, bitorder="little")          # 50 bytes a code, FAISS's layout
queries = packed[rng.choice(N, Q, replace=False)]
padded = np.zeros((N, 56), dtype=np.uint8); padded[:, :50] = packed   # 7 u64 a code, FlyVec's
qpadded = np.zeros((Q, 56), dtype=np.uint8); qpadded[:, :50] = queries

def median(f, runs=5):
    t = []
    for _ in range(runs):
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
    return sorted(t)[runs // 2]

index = faiss.IndexBinaryFlat(BITS)
index.add(packed)
faiss_single = median(lambda: [index.search(queries[i:i + 1], 10) for i in range(Q)])
faiss_batch = median(lambda: index.search(queries, 10))
d, _ = index.search(queries[:1], 10)

tmp = tempfile.mkdtemp()
padded.tofile(os.path.join(tmp, "codes.u64")); qpadded.tofile(os.path.join(tmp, "queries.u64"))
out = subprocess.run([os.path.join(ROOT, "Benchmarks/.build/release/flyvec-bench"), "search",
                      os.path.join(tmp, "codes.u64"), os.path.join(tmp, "queries.u64")],
                     capture_output=True, text=True, check=True).stdout
fly = json.loads(out)
assert [x[1] for x in fly["first"]] == list(d[0]), (fly["first"], d[0])
print(f"{N:,} codes of {BITS} bits ({ACTIVE} set), {Q:,} top-10 queries, {os.cpu_count()} cores, FAISS {faiss.__version__}")
print(f"| | FlyVec | FAISS IndexBinaryFlat | FAISS / FlyVec |")
print(f"|---|---|---|---|")
print(f"| {Q} single queries | {fly['single_s']:.3f} s | {faiss_single:.3f} s | {faiss_single / fly['single_s']:.2f}× |")
print(f"| one batch of {Q} | {fly['batch_s']:.3f} s | {faiss_batch:.3f} s | {faiss_batch / fly['batch_s']:.2f}× |")
