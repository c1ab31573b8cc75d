#!/usr/bin/env python3
"""Word-similarity scores of a default model's codes after its stored usage profile loses its D
strongest principal directions (the "all-but-the-top" post-processing of word vectors).

The script reads the profile stored in each model (train with `--preset whole-profile` for the
whole profile: the defaults store it with K/128 directions already removed), removes D more
directions in NumPy (exact eigenvectors) and scores what is left on the pairs whose words have a
profile: the top-k codes, or the cosine of the rows or of their positive parts, which tells what
the codes lose (docs/RESULTS.md).

Usage (with the Python of `make venv`):
  .venv/bin/python scripts/profile-directions.py [--k 32] [--d 0,8,16,32]
      [--similarity codes,cosine,positive] [--counts LO,HI] MODEL.flyvec...
"""
import argparse, os, struct, sys

import numpy as np
from scipy.stats import spearmanr

import flyvec_model

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def profile(path):
    """The vocabulary and the stored profile (N_voc × K) of a version 2 or 3 model."""
    m = flyvec_model.read(path)
    if 'usageProfile' not in m.meta:
        sys.exit(f'{path}: no stored usage profile (train with the defaults)')
    at = m.after_synapses
    k, n, _ = struct.unpack_from('<III', m.payload, at)
    vectors = np.frombuffer(m.payload, dtype=np.float16, count=n * k, offset=at + 12).reshape(n, k)
    return m.words, m.counts, vectors.astype(np.float64)


def pairs(name):
    out = []
    for line in open(os.path.join(ROOT, 'data', 'benchmarks', name)):
        if line.startswith('#'):
            continue
        p = line.rstrip('\n').split('\t')
        try:
            out.append((p[0].lower(), p[1].lower(), float(p[2])))
        except (IndexError, ValueError):
            pass
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--k', type=int, default=32, help='active bits per code')
    ap.add_argument('--d', default='0,8,16,32', help='directions removed, comma-separated')
    ap.add_argument('--similarity', default='codes',
                    help='comma-separated: codes (shared bits of the top-k codes), cosine (of the profile '
                         'rows), positive (cosine of their positive parts)')
    ap.add_argument('--counts', default='0,inf',
                    help='LO,HI: only pairs whose rarer word occurs LO <= count < HI times')
    ap.add_argument('models', nargs='+')
    a = ap.parse_args()
    benchmarks = {'WS353': pairs('wordsim353.tsv'), 'SimLex': pairs('simlex999.txt')}
    for path in a.models:
        words, counts, P = profile(path)
        index = {w: i for i, w in enumerate(words)}
        seen = np.abs(P).sum(1) > 0
        rows = P[seen]
        centred = P - rows.mean(0)
        values, vectors = np.linalg.eigh(np.cov((rows - rows.mean(0)).T))
        vectors = vectors[:, np.argsort(values)[::-1]]
        print(path)
        low, high = (float(x) for x in a.counts.split(','))
        for d in [int(x) for x in a.d.split(',')]:
            M = centred - (centred @ vectors[:, :d]) @ vectors[:, :d].T if d else P
            for measure in a.similarity.split(','):
                similarity = similarities(measure, M, a.k)
                scores = []
                for name, ps in benchmarks.items():
                    kept = [(index[x], index[y], h) for x, y, h in ps if x in index and y in index
                            and seen[index[x]] and seen[index[y]] and low <= min(counts[index[x]], counts[index[y]]) < high]
                    rho = spearmanr([similarity(i, j) for i, j, _ in kept], [h for _, _, h in kept])[0]
                    scores.append(f'{name} {rho:.3f} ({len(kept)} pairs)')
                print(f'  D {d:3d} {measure:8s}: ' + ', '.join(scores))


def similarities(measure, M, k):
    """Pair similarity from the profile rows M: the scores FlyVec's codes see, or the rows' own."""
    if measure == 'codes':
        top = [set(r) for r in np.argpartition(-M, k, axis=1)[:, :k]]
        return lambda i, j: len(top[i] & top[j])
    rows = np.maximum(M, 0) if measure == 'positive' else M
    if measure not in ('cosine', 'positive'):
        sys.exit(f'unknown similarity {measure}')
    norms = np.linalg.norm(rows, axis=1) + 1e-12
    return lambda i, j: float(rows[i] @ rows[j]) / (norms[i] * norms[j])


if __name__ == '__main__':
    main()
