#!/usr/bin/env python3
"""Loads FlyVec's exports the way users do — numpy for .npy, gensim for word2vec text and binary —
and checks that they hold the code file's bits and that FlyVec's similarity is
1 − hamming / K in numpy. Trains a small model on the shipped corpus unless given a code file.

    .venv/bin/python scripts/check-exports.py [CODES.flycodes]
"""
import json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLYVEC = os.path.join(ROOT, ".build", "release", "flyvec")


def run(*args):
    return subprocess.run([FLYVEC, *args], check=True, capture_output=True, text=True).stdout


def main():
    import numpy as np
    from gensim.models import KeyedVectors
    with tempfile.TemporaryDirectory(prefix="flyvec-exports-") as tmp:
        codes = sys.argv[1] if len(sys.argv) > 1 else None
        if codes is None:
            model = os.path.join(tmp, "kjv.flyvec")
            run("train", os.path.join(ROOT, "corpora", "kjv.txt.zst"), "-o", model, "--hidden", "256", "--quiet")
            codes = os.path.join(tmp, "kjv.flycodes")
            run("codes", model, "-o", codes)
        bits = json.loads(run("info", codes, "--json"))["codes"]["bits"]
        paths = {f: os.path.join(tmp, "export." + f) for f in ("npy", "word2vec", "word2vec-binary")}
        for f, p in paths.items():
            run("export", codes, "--format", f, "-o", p)
        # numpy: packed bits, little-endian within a byte; the words beside.
        rows = np.unpackbits(np.load(paths["npy"]), axis=1, bitorder="little")[:, :bits]
        words = open(paths["npy"] + ".words.txt", encoding="utf-8").read().split("\n")[:-1]
        text = KeyedVectors.load_word2vec_format(paths["word2vec"], binary=False)
        binary = KeyedVectors.load_word2vec_format(paths["word2vec-binary"], binary=True)
        assert text.index_to_key == words == binary.index_to_key, "the formats disagree on the words"
        assert (text.vectors == rows).all() and (binary.vectors == rows).all(), "the formats disagree on the bits"
        # FlyVec's similarity (n11 + n00) / K is 1 − hamming / K, not gensim's cosine.
        rng = np.random.default_rng(1)
        for _ in range(20):
            i, j = rng.integers(0, len(words), 2)
            mine = 1 - np.count_nonzero(rows[i] != rows[j]) / bits
            theirs = json.loads(run("similarity", codes, words[i], words[j], "--json"))["similarity"]
            assert abs(mine - theirs) < 1e-12, (words[i], words[j], mine, theirs)
        print(f"exports: {len(words)} words of {bits} bits agree in npy, word2vec text and binary; "
              f"numpy's 1 - hamming/K equals flyvec similarity on 20 pairs")


if __name__ == "__main__":
    main()
