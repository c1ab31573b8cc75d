#!/usr/bin/env python3
"""FlyVec's usage profile made again in NumPy from a model's synapses and its corpus, with each part
of the log-ratio profile (FlyVec's default since 2026-12-07) on its own: stop words as context
words, and log-ratio pair weights.

The profile is the sparse order-2 profile of docs/ALGORITHM.md §9: each vocabulary word's m
strongest context synapses (m = min(32, K/16)) describe it as a context word; order 1 is the mean
over a word's occurrences of Σ_c weight(w, c) · x(c) over the words c within 5 tokens of it in its
sentence, z-scored per unit; a context word's order-2 vector is its order-1 code (its top m units
set to 1); order 2 is Σ_c weight(w, c) · y(c), z-scored, less its D strongest principal directions
(exact eigenvectors here), then the top k units make the code. Scores are Spearman's ρ of the
codes' overlap (and of the rows' cosine) with the human scores, on the pairs whose words have a
profile, as `flyvec eval` counts them.

Variants (comma-separated):
  count          the count weighting (`--preset count-weights`): weight n(w, c) · count(c)^-0.5,
                 vocabulary words as contexts; it scores what `flyvec eval MODEL` does for such a
                 model, to within a few thousandths
  count+stop     the same, with stop words as context words too: a stop word has no synapses, so
                 it adds nothing at order 1, and at order 2 adds its order-1 code, made from the
                 vocabulary words around it and z-scored with the vocabulary's statistics
  logratio       order 2 weighted by log((1 + r) / 2), cut at 0, where r = n(w, c) / (N(w) · P(c)):
                 N(w) is w's co-occurrences with every context word (stop words included), P(c)
                 c's share of the counts to the power 0.75; order 1 as in `count`
  logratio+stop  both: what `flyvec train` stores by default

Usage (with the Python of `make venv`; holds the corpus's window pairs in memory: 5.8 GB of peak
RSS on large-en):
  .venv/bin/python scripts/profile-variants.py [--k 32] [--directions 16] MODEL.flyvec CORPUS [VARIANTS]
"""
import argparse, os, subprocess, sys

import numpy as np
import scipy.sparse as sp
from scipy.stats import spearmanr

import flyvec_model

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLYVEC = os.path.join(ROOT, ".build", "release", "flyvec")


def top(rows, k):
    """The columns of each row's k largest values."""
    return np.argpartition(-rows, k - 1, axis=1)[:, :k]


def one_hot(rows, k, K):
    out = np.zeros((len(rows), K), np.float32)
    np.put_along_axis(out, top(rows, k), 1.0, 1)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('model')
    ap.add_argument('corpus')
    ap.add_argument('variants', nargs='?', default='count,count+stop,logratio,logratio+stop')
    ap.add_argument('--k', type=int, default=32, help='active units a code')
    ap.add_argument('--directions', type=int, default=16, help='strongest principal directions taken out')
    ap.add_argument('--benchmarks', default=os.path.join(ROOT, 'data', 'benchmarks'))
    a = ap.parse_args()

    model = flyvec_model.read(a.model)
    words, counts, stops, synapses = model.words, np.array(model.counts), model.stop_words, model.synapses()
    N, S, K = len(words), len(stops), synapses.shape[1]
    T, m = N + S, max(1, min(32, K // 16))
    index = {w: i for i, w in enumerate(words)}
    stop_index = {w: N + j for j, w in enumerate(stops)}

    # Every token as a vocabulary id, a stop word's id N + j, or -1 (a hole), with its sentence.
    lines = subprocess.run([FLYVEC, 'tokenize', a.corpus, '--quiet'], capture_output=True, text=True, check=True).stdout.split('\n')
    ids, sentence = [], []
    for s, line in enumerate(lines):
        for t in line.split():
            i = index.get(t, 0)
            ids.append(i if i > 0 else stop_index.get(t, -1))
            sentence.append(s)
    ids, sentence = np.array(ids), np.array(sentence)
    all_counts = np.concatenate([counts, np.bincount(ids[ids >= N] - N, minlength=S)]).astype(np.float64)
    rows, cols = [], []
    for d in range(1, 6):
        x, y = ids[:-d], ids[d:]
        keep = (sentence[:-d] == sentence[d:]) & (x >= 0) & (y >= 0)
        rows += [x[keep], y[keep]]
        cols += [y[keep], x[keep]]
    del ids, sentence
    pairs = sp.csr_matrix((np.ones(sum(map(len, rows)), np.float32), (np.concatenate(rows), np.concatenate(cols))), shape=(T, T))
    del rows, cols
    pairs.sum_duplicates()
    coo = pairs.tocoo()
    # The pair weights: FlyVec's, and the log ratio.
    count_weight = (coo.data / np.sqrt(np.maximum(all_counts[coo.col], 1))).astype(np.float32)
    share = np.asarray(pairs.sum(0)).ravel().astype(np.float64) ** 0.75
    share /= share.sum()
    ratio = coo.data / (np.asarray(pairs.sum(1)).ravel()[coo.row] * share[coo.col])
    log_ratio = np.maximum(np.log1p(ratio) - np.log(2), 0).astype(np.float32)

    def weights(values, stop_contexts):
        keep = np.ones(len(values), bool) if stop_contexts else coo.col < N
        return sp.csr_matrix((values[keep], (coo.row[keep], coo.col[keep])), shape=(T, T))

    # Order 1's context vectors: each vocabulary word's m strongest context synapses.
    context = synapses[:N]
    x = np.zeros((T, K), np.float32)
    strongest = top(context, m)
    np.put_along_axis(x[:N], strongest, np.take_along_axis(context, strongest, 1), 1)
    used = np.array([w for w in range(1, N) if counts[w] > 0])
    used_stops = np.array([N + j for j in range(S) if all_counts[N + j] > 0], dtype=np.int64)

    def z_scored(P):
        mean, deviation = P[used].mean(0), P[used].std(0)
        return (P - mean) * np.where(deviation > 0, 1 / np.where(deviation > 0, deviation, 1), 0)

    order1 = z_scored(np.asarray(weights(count_weight, False) @ x) / np.maximum(all_counts, 1)[:, None])

    benchmark = {}
    have = set(used.tolist())
    for name, f in (('WS353', 'wordsim353.tsv'), ('SimLex', 'simlex999.txt')):
        found = []
        for line in open(os.path.join(a.benchmarks, f), encoding='utf-8'):
            if line.startswith('#') or not line.strip():
                continue
            p, q, s = line.rstrip('\n').split('\t')[:3]
            p, q = index.get(p.lower()), index.get(q.lower())
            if p in have and q in have:
                found.append((p, q, float(s)))
        benchmark[name] = found

    print(f'{os.path.basename(a.model)}: {N} words, {S} stop words, K {K}, k {a.k}, {a.directions} directions out')
    for variant in a.variants.split(','):
        stop_contexts = variant.endswith('+stop')
        given = used if not stop_contexts else np.concatenate([used, used_stops])
        y = np.zeros((T, K), np.float32)
        y[given] = one_hot(order1[given], m, K)
        weighted = weights(log_ratio if variant.startswith('logratio') else count_weight, stop_contexts)
        profile = z_scored(np.asarray(weighted[:N] @ y))
        if a.directions > 0:
            gram = profile[used].astype(np.float64).T @ profile[used]
            directions = np.linalg.eigh(gram)[1][:, K - a.directions:]
            profile -= (profile @ directions) @ directions.T
        codes = one_hot(profile, a.k, K)
        unit = profile / np.maximum(np.linalg.norm(profile, axis=1, keepdims=True), 1e-12)
        line = [f'{variant:14}']
        for name, found in benchmark.items():
            human = [s for *_, s in found]
            overlap = spearmanr([codes[p] @ codes[q] for p, q, _ in found], human).statistic
            cosine = spearmanr([unit[p] @ unit[q] for p, q, _ in found], human).statistic
            line.append(f'{name} ({len(found)} pairs) codes {overlap:.3f}, cosine {cosine:.3f}')
        print('  '.join(line), flush=True)


if __name__ == '__main__':
    sys.exit(main())
