#!/usr/bin/env python3
"""FlyVec's Hamming search beside FAISS IndexBinaryFlat on the same codes, same sitting.

1,000,000 random codes with exactly k bits set, at k 16 of K 400 (FlyVec's word codes with the
classic settings) and k 32 of K 4096 (the wide recipe), 1,000 top-10 queries taken from the codes,
timed one query at a time and as one batch (all cores), median of 5 runs each (FAISS's single
queries at K 4096: median of 3). FlyVec runs through
the benchmark harness (Benchmarks/), reading the same codes: its dense scan and its posting lists
(one list per bit, exact), whose answers the harness checks against the scan's; FAISS's distances
are checked against FlyVec's for the first query.
Usage: scripts/compare_faiss.py   (after `cd Benchmarks && swift build -c release`)
"""
import json, os, subprocess, tempfile, time
import numpy as np
import faiss

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N, Q = 1_000_000, 1000


def random_codes(rng, n, bits, k):
    """n codes of `bits` bits with exactly k set, packed little-endian in bytes (FAISS's layout)."""
    pos = rng.integers(0, bits, size=(n, k))
    while True:
        s = np.sort(pos, axis=1)
        bad = np.flatnonzero((s[:, 1:] == s[:, :-1]).any(axis=1))
        if len(bad) == 0:
            break
        pos[bad] = rng.integers(0, bits, size=(len(bad), k))
    packed = np.zeros((n, bits // 8), dtype=np.uint8)
    rows = np.repeat(np.arange(n), k)
    np.bitwise_or.at(packed, (rows, pos.ravel() // 8), (1 << (pos.ravel() % 8)).astype(np.uint8))
    return packed


def median(f, runs=5):
    t = []
    for _ in range(runs):
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
    return sorted(t)[runs // 2]


def compare(bits, k, rng):
    packed = random_codes(rng, N, bits, k)
    queries = packed[rng.choice(N, Q, replace=False)]
    words = (bits + 63) // 64
    padded = np.zeros((N, words * 8), dtype=np.uint8); padded[:, :bits // 8] = packed
    qpadded = np.zeros((Q, words * 8), dtype=np.uint8); qpadded[:, :bits // 8] = queries

    index = faiss.IndexBinaryFlat(bits)
    index.add(packed)
    # A 4096-bit scan of 1M codes reads 512 MB a query: three runs of the single queries there.
    faiss_single = median(lambda: [index.search(queries[i:i + 1], 10) for i in range(Q)], 5 if bits <= 1024 else 3)
    faiss_batch = median(lambda: index.search(queries, 10))
    d, _ = index.search(queries[:1], 10)
    del index

    tmp = tempfile.mkdtemp()
    padded.tofile(os.path.join(tmp, "codes.u64")); qpadded.tofile(os.path.join(tmp, "queries.u64"))
    out = subprocess.run([os.path.join(ROOT, "Benchmarks/.build/release/flyvec-bench"), "search",
                          os.path.join(tmp, "codes.u64"), os.path.join(tmp, "queries.u64"), str(bits)],
                         capture_output=True, text=True, check=True).stdout
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    fly = json.loads(out)
    assert [x[1] for x in fly["first"]] == list(d[0]), (fly["first"], d[0])
    print(f"\n{N:,} codes, k {k} of K {bits}; {Q:,} top-10 queries; {os.cpu_count()} cores; FAISS {faiss.__version__}; "
          f"posting lists {fly['postings_bytes'] / N:.0f} bytes a code, {fly['postings_walked']:,} postings a query")
    print("| | FlyVec scan | FlyVec posting lists | FAISS IndexBinaryFlat | FAISS / posting lists |")
    print("|---|---|---|---|---|")
    print(f"| {Q:,} single queries | {fly['single_s']:.3f} s | {fly['postings_single_s']:.3f} s | {faiss_single:.3f} s | "
          f"{faiss_single / fly['postings_single_s']:.1f}× |")
    print(f"| one batch of {Q:,} | {fly['batch_s']:.3f} s | {fly['postings_batch_s']:.3f} s | {faiss_batch:.3f} s | "
          f"{faiss_batch / fly['postings_batch_s']:.1f}× |")


rng = np.random.default_rng(1)
for bits, k in ((400, 16), (4096, 32)):
    compare(bits, k, rng)
