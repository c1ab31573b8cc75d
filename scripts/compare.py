#!/usr/bin/env python3
"""FlyVec beside gensim word2vec on one corpus, same machine, same sitting.

Trains both (word2vec: skip-gram, 300 dims, window 5, negative 5, min_count 5, 5 epochs, all cores),
then scores WS353 and SimLex-999 on the same pairs (those both vocabularies cover): FlyVec codes at
several k with the similarity (n11 + n00) / K (default read-out, and the usage read-out at k 16 and
32), word2vec cosine, and 400-bit SimHash codes of the
word2vec vectors. Prints one table and, with --write, writes it to docs/RESULTS.md.

Run through `make compare` (it builds FlyVec and sets up the venv), or:
  scripts/compare.py --corpus data/en-mix.txt.zst [--seeds 1 2 3] [-- FLYVEC TRAIN OPTIONS]
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLYVEC = os.path.join(ROOT, ".build", "release", "flyvec")
KS = (16, 32, 50, 64)
USAGE_KS = (16, 32)  # the usage read-out (reads the corpus again when codes are made)


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS MB, stdout)."""
    start = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
    wall = time.monotonic() - start
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return wall, rss, p.stdout


def read_pairs(path):
    pairs = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        a, b, s = line.rstrip("\n").split("\t")[:3]
        pairs.append((a.lower(), b.lower(), float(s)))
    return pairs


def train_word2vec(tokens, out):
    """Child process: trains and saves word2vec, so /usr/bin/time sees only this."""
    from gensim.models import Word2Vec
    m = Word2Vec(corpus_file=tokens, sg=1, vector_size=300, window=5, negative=5, min_count=5,
                 epochs=5, workers=os.cpu_count(), seed=1)
    m.wv.save_word2vec_format(out, binary=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "data", "en-mix.txt.zst"))
    ap.add_argument("--benchmarks", default=os.path.join(ROOT, "data", "benchmarks"))
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--write", action="store_true", help="write docs/RESULTS.md")
    ap.add_argument("--usage-window", type=int, help="words the usage read-out looks at (default: the model's window)")
    ap.add_argument("--usage-order", type=int, help="1 or 2 (default: flyvec's)")
    ap.add_argument("--w2v-child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("flyvec_args", nargs="*", help="extra options for flyvec train")
    a = ap.parse_args()
    if a.w2v_child:
        return train_word2vec(*a.w2v_child)

    import numpy as np
    from scipy.stats import spearmanr
    from gensim.models import KeyedVectors

    sets = {name: read_pairs(os.path.join(a.benchmarks, f)) for name, f in
            (("WS353", "wordsim353.tsv"), ("SimLex", "simlex999.txt"))}
    tmp = tempfile.mkdtemp(prefix="flyvec-compare-")
    tokens = os.path.join(tmp, "tokens.txt")
    with open(tokens, "w") as f:
        subprocess.run([FLYVEC, "tokenize", a.corpus], stdout=f, check=True)
    words = sum(len(line.split()) for line in open(tokens))

    w2v_file = os.path.join(tmp, "w2v.bin")
    w_wall, w_rss, _ = timed([sys.executable, __file__, "--w2v-child", tokens, w2v_file])
    wv = KeyedVectors.load_word2vec_format(w2v_file, binary=True)
    rng = np.random.default_rng(0)
    planes = rng.standard_normal((300, 400))

    rows = []
    for seed in a.seeds:
        model = os.path.join(tmp, f"m{seed}.flyvec")
        f_wall, f_rss, _ = timed([FLYVEC, "train", a.corpus, "-o", model, "--seed", str(seed), "--quiet"] + a.flyvec_args)
        info = subprocess.run([FLYVEC, "info", model], capture_output=True, text=True, check=True).stdout
        epochs = int(re.search(r"epochs\s+(\d+) of", info).group(1))
        units = int(re.search(r"hidden units (\d+)", info).group(1))
        codes = {}
        usage = ["--readout", "usage", "--corpus", a.corpus] + (["--usage-window", str(a.usage_window)] if a.usage_window else []) \
            + (["--usage-order", str(a.usage_order)] if a.usage_order else [])
        variants = [(f"k{k}", k, []) for k in KS] + [(f"usage k{k}", k, usage) for k in USAGE_KS]
        for name, k, extra in variants:
            path = os.path.join(tmp, f"m{seed}-{name.replace(' ', '-')}.flycodes")
            subprocess.run([FLYVEC, "codes", model, "-k", str(k), "-o", path] + extra, check=True, capture_output=True)
            npy = path + ".npy"
            subprocess.run([FLYVEC, "export", path, "--format", "npy", "-o", npy], check=True, capture_output=True)
            bits = np.unpackbits(np.load(npy), axis=1, bitorder="little")[:, :units].astype(np.int8)
            vocab = open(npy + ".words.txt", encoding="utf-8").read().split("\n")[:-1]
            codes[name] = (dict(zip(vocab, range(len(vocab)))), bits, os.path.getsize(path))
        rows.append((seed, f_wall, f_rss, epochs, os.path.getsize(model), codes))

    def agree(x, y):  # (n11 + n00) / K
        return float(np.mean(x == y))

    # The same pairs for every method: both vocabularies cover them.
    flyvocab = rows[0][5][f"k{KS[0]}"][0]
    results = {}
    for name, pairs in sets.items():
        used = [(p, q, s) for p, q, s in pairs if p in flyvocab and q in flyvocab and p in wv and q in wv]
        human = [s for _, _, s in used]
        res = {"pairs": len(used), "oov": len(pairs) - len(used), "total": len(pairs)}
        res["w2v cosine"] = spearmanr([wv.similarity(p, q) for p, q, _ in used], human).statistic
        hashed = lambda w: (wv[w] @ planes) > 0
        res["w2v SimHash 400"] = spearmanr([agree(hashed(p), hashed(q)) for p, q, _ in used], human).statistic
        for variant in rows[0][5]:
            vals = []
            for seed, *_rest, codes in rows:
                index, bits, _ = codes[variant]
                vals.append(spearmanr([agree(bits[index[p]], bits[index[q]]) for p, q, _ in used], human).statistic)
            res[f"FlyVec {variant}"] = vals
        results[name] = res

    fmt = lambda v: " / ".join(f"{x:.3f}" for x in v) if isinstance(v, list) else f"{v:.3f}"
    med = lambda v: sorted(v)[len(v) // 2]
    lines = []
    lines.append(f"Corpus: `{os.path.relpath(a.corpus, ROOT)}`, {words:,} tokens (FlyVec's tokenizer, fed to both). "
                 f"Machine: {os.cpu_count()} cores. FlyVec options: `{' '.join(a.flyvec_args) or '(defaults)'}`, seeds {a.seeds}"
                 + "".join(f"; usage {n} {v}" for n, v in (("window", a.usage_window), ("order", a.usage_order)) if v) + ".")
    lines.append("")
    lines.append("| | FlyVec (median of seeds) | gensim word2vec |")
    lines.append("|---|---|---|")
    f_wall = med([r[1] for r in rows]); epochs = rows[0][3]
    lines.append(f"| training wall time | {f_wall:.1f} s ({epochs} epoch{'s' if epochs != 1 else ''}) | {w_wall:.1f} s (5 epochs) |")
    lines.append(f"| words/s (corpus words × epochs / wall) | {words * epochs / f_wall:,.0f} | {words * 5 / w_wall:,.0f} |")
    lines.append(f"| peak RSS | {med([r[2] for r in rows]):.0f} MB | {w_rss:.0f} MB |")
    lines.append(f"| size on disk | model {rows[0][4] / 1e6:.1f} MB; codes k16 {rows[0][5]['k16'][2] / 1e6:.2f} MB | vectors {os.path.getsize(w2v_file) / 1e6:.1f} MB |")
    lines.append(f"| wall-time ratio | 1 | {w_wall / f_wall:.1f}× FlyVec's |")
    lines.append("")
    lines.append("| Spearman | " + " | ".join(f"{n} ({r['pairs']} of {r['total']} pairs, {r['oov']} OOV)" for n, r in results.items()) + " |")
    lines.append("|---|" + "---|" * len(results))
    for key in [f"FlyVec {variant}" for variant in rows[0][5]] + ["w2v cosine", "w2v SimHash 400"]:
        label = key if not key.startswith("FlyVec") else key + (" (seeds " + ", ".join(map(str, a.seeds)) + ")" if len(a.seeds) > 1 else "")
        lines.append(f"| {label} | " + " | ".join(fmt(r[key]) for r in results.values()) + " |")
    table = "\n".join(lines)
    print(table)
    print(json.dumps({"flyvec_wall": f_wall, "w2v_wall": w_wall, "results": results}, default=float))
    if a.write:
        cmd = "scripts/compare.py --corpus " + os.path.relpath(a.corpus, ROOT) + (" --seeds " + " ".join(map(str, a.seeds)) if a.seeds != [1] else "") + (" -- " + " ".join(a.flyvec_args) if a.flyvec_args else "")
        section = f"## FlyVec beside word2vec ({time.strftime('%Y-%m-%d')})\n\nReproduce: `make compare` (or `{cmd}`).\n\n{table}\n"
        path = os.path.join(ROOT, "docs", "RESULTS.md")
        old = open(path).read() if os.path.exists(path) else "# Results\n\n"
        marker = "<!-- compare -->"
        if marker in old:
            head, _, rest = old.partition(marker)
            rest = rest.split("<!-- /compare -->", 1)[-1]
            new = head + marker + "\n" + section + "<!-- /compare -->" + rest
        else:
            new = old.rstrip() + "\n\n" + marker + "\n" + section + "<!-- /compare -->\n"
        open(path + ".tmp", "w").write(new)
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
