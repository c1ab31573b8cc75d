#!/usr/bin/env python3
"""Count-based word vectors on FlyVec's own vocabulary and windows: what co-occurrence alone scores.

FlyVec's usage profile projects each word's window co-occurrences through the trained synapses.
This script scores the same co-occurrences with no synapses at all, so that a gap between FlyVec
and word2vec on a corpus can be told apart from a gap between counting and word2vec:
  - count^-0.5: each row weighted as the usage profile weights context words; count^-0.75 likewise;
    log(1+n) count^-0.5: the same with each pair's count n(w,c) taken as log(1 + n), sublinear;
  - ratio-1, positive: co-occurrence over its expectation (context counts smoothed to the power
    0.75), minus 1, negatives cut;
  - PMI: the log of that ratio; PPMI: its positive part; PPMI-SVD: PPMI reduced to 300 dimensions
    (U·sqrt(S)); log((1 + ratio) / 2), positive: a PMI that stays finite and smooth near ratio 0.
    Every variant is compared by cosine.
With --stop-contexts, stop words (FlyVec's built-in list) also count as context words, each its
own column; the rows are still FlyVec's vocabulary words.
Pairs: those in FlyVec's vocabulary (`flyvec vocab`, stop words and unknown words are holes that
keep their place). Windows: `--window` tokens around each occurrence inside its line, as the
usage profile's (default 11: five each side).

  scripts/count-baselines.py data/docs-en.txt.zst [--window 11] [--stop-contexts]   (needs make compare's .venv)
"""
import argparse, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLYVEC = os.path.join(ROOT, ".build", "release", "flyvec")


def read_pairs(path):
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        a, b, s = line.rstrip("\n").split("\t")[:3]
        yield a.lower(), b.lower(), float(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--window", type=int, default=11)
    ap.add_argument("--stop-contexts", action="store_true", help="count stop words as context words")
    ap.add_argument("--benchmarks", default=os.path.join(ROOT, "data", "benchmarks"))
    a = ap.parse_args()
    import numpy as np
    import scipy.sparse as sp
    from scipy.sparse.linalg import svds
    from scipy.stats import spearmanr

    with tempfile.TemporaryDirectory() as tmp:
        vocab_file = os.path.join(tmp, "vocab.tsv")
        subprocess.run([FLYVEC, "vocab", a.corpus, "-o", vocab_file], check=True, capture_output=True)
        words = [l.split("\t")[0] for l in open(vocab_file, encoding="utf-8") if not l.startswith("#")][2:]
        index = {w: i for i, w in enumerate(words)}
        tokens = subprocess.run([FLYVEC, "tokenize", a.corpus], check=True, capture_output=True, text=True).stdout
    n = len(words)
    contexts = dict(index)
    if a.stop_contexts:
        source = open(os.path.join(ROOT, "Sources", "FlyVec", "Corpus", "EnglishStopWords.swift"), encoding="utf-8").read()
        for w in source.split('"""')[1].split():
            contexts.setdefault(w, len(contexts))
    before, after = a.window // 2, a.window - 1 - a.window // 2
    rows, cols = [], []
    for line in tokens.split("\n"):
        split = line.split()
        ids = np.array([index.get(t, -1) for t in split], dtype=np.int64)
        cids = np.array([contexts.get(t, -1) for t in split], dtype=np.int64)
        for d in range(1, max(before, after) + 1):
            if d <= after:  # the context is d after the word
                x, y = ids[:-d], cids[d:]
                keep = (x >= 0) & (y >= 0)
                rows.append(x[keep]); cols.append(y[keep])
            if d <= before:  # the context is d before the word
                x, y = ids[d:], cids[:-d]
                keep = (x >= 0) & (y >= 0)
                rows.append(x[keep]); cols.append(y[keep])
    r, c = np.concatenate(rows), np.concatenate(cols)
    shape = (n, len(contexts))
    counts = sp.csr_matrix((np.ones(len(r), np.float32), (r, c)), shape=shape)
    counts.sum_duplicates()
    row_sums = np.asarray(counts.sum(1)).ravel()
    col_sums = np.asarray(counts.sum(0)).ravel()
    coo = counts.tocoo()
    weighted = sp.csr_matrix((coo.data / np.sqrt(np.maximum(col_sums[coo.col], 1)), (coo.row, coo.col)), shape=shape)
    smoothed = col_sums ** 0.75
    smoothed /= smoothed.sum()
    pmi = np.log(coo.data) - np.log(row_sums[coo.row]) - np.log(smoothed[coo.col])
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=shape)
    u, s, _ = svds(ppmi, k=300)
    dense = u * np.sqrt(s)
    ratio = np.exp(pmi)  # n(w,c) / expected, context counts smoothed
    shaped = lambda values: sp.csr_matrix((values, (coo.row, coo.col)), shape=shape)
    variants = [("count^-0.5", weighted),
                ("log(1+n) count^-0.5", shaped(np.log1p(coo.data) / np.sqrt(np.maximum(col_sums[coo.col], 1)))),
                ("count^-0.75", shaped(coo.data / np.maximum(col_sums[coo.col], 1) ** 0.75)),
                ("ratio-1, positive", shaped(np.maximum(ratio - 1, 0))),
                ("PMI", shaped(pmi)),
                ("PPMI", ppmi),
                ("PPMI-SVD 300", dense),
                ("log((1+ratio)/2), positive", shaped(np.maximum(np.log1p(ratio) - np.log(2), 0)))]

    def cosine_rows(m, i, j):
        if sp.issparse(m):
            x, y = m[i].toarray().ravel(), m[j].toarray().ravel()
        else:
            x, y = m[i], m[j]
        d = np.linalg.norm(x) * np.linalg.norm(y)
        return float(x @ y / d) if d > 0 else 0.0

    print(f"{os.path.relpath(a.corpus, ROOT)}: {n} words, window {a.window}, "
          f"{'stop words as contexts, ' if a.stop_contexts else ''}{counts.nnz:,} co-occurring pairs")
    for name, f in (("WS353", "wordsim353.tsv"), ("SimLex", "simlex999.txt")):
        pairs = list(read_pairs(os.path.join(a.benchmarks, f)))
        used = [(index[p], index[q], s) for p, q, s in pairs if p in index and q in index]
        human = [s for *_, s in used]
        line = [f"{name} ({len(used)} of {len(pairs)} pairs)"]
        for label, m in variants:
            line.append(f"{label} {spearmanr([cosine_rows(m, i, j) for i, j, _ in used], human).statistic:.3f}")
        print("  " + "; ".join(line))


if __name__ == "__main__":
    sys.exit(main())
