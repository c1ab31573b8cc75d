#!/usr/bin/env python3
"""FlyVec beside gensim word2vec on one or more corpora, same machine, same sitting.

For each corpus: FlyVec's tokenizer writes the token stream once and both sides train on it
(word2vec: skip-gram, 300 dims, window 5, negative 5, min_count 5, 5 epochs, all cores; FlyVec:
`flyvec train` with the given options, default none, for each seed, then `flyvec codes`). Scored
on WS353 and SimLex-999 over the same pairs: those whose words every compared model knows. Each
Spearman figure carries a 95% bootstrap interval over the pairs; "vs" columns give the paired
bootstrap interval of FlyVec's Spearman minus word2vec's (the median seed's), so that "below"
means the whole interval is below zero. Wall time and peak RSS of every step are measured with
/usr/bin/time.

Run through `make compare` (it builds FlyVec, fetches the corpora and sets up the venv), or:
  scripts/compare.py --corpus data/en-mix.txt.zst [--corpus ...] [--seeds 1 2 3] [--write]
                     [--pretokenized] [-- FLYVEC TRAIN OPTIONS]
Phrases, both sides on the same joined tokens:
  flyvec phrases data/en-mix.txt.zst -o data/en-mix-phrases.txt
  scripts/compare.py --pretokenized --corpus data/en-mix-phrases.txt
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLYVEC = os.path.join(ROOT, ".build", "release", "flyvec")
BOOTSTRAP = 1000
MIN_PAIRS = 150  # fewer pairs than this: the interval is too wide to call a winner


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


def load_codes(path, tmp):
    """A code file's words and bits (0/1 rows), through `flyvec export --format npy`."""
    import numpy as np
    info = subprocess.run([FLYVEC, "info", path], capture_output=True, text=True, check=True).stdout
    bits = int(re.search(r"(\d+) bits, ", info).group(1))
    npy = os.path.join(tmp, os.path.basename(path) + ".npy")
    subprocess.run([FLYVEC, "export", path, "--format", "npy", "-o", npy], check=True, capture_output=True)
    rows = np.unpackbits(np.load(npy), axis=1, bitorder="little")[:, :bits].astype(np.int8)
    words = open(npy + ".words.txt", encoding="utf-8").read().split("\n")[:-1]
    return dict(zip(words, range(len(words)))), rows


class Scorer:
    """Spearman over fixed pairs, with bootstrap intervals on shared resamples."""

    def __init__(self, human, seed=0):
        import numpy as np
        self.np = np
        self.human = np.asarray(human)
        rng = np.random.default_rng(seed)
        self.samples = rng.integers(0, len(human), size=(BOOTSTRAP, len(human)))

    def _spearman(self, x, y):
        from scipy.stats import rankdata
        rx, ry = rankdata(x), rankdata(y)
        rx, ry = rx - rx.mean(), ry - ry.mean()
        d = (rx * rx).sum() * (ry * ry).sum()
        return float((rx * ry).sum() / d ** 0.5) if d > 0 else 0.0

    def score(self, sims):
        sims = self.np.asarray(sims)
        boot = [self._spearman(sims[s], self.human[s]) for s in self.samples]
        return self._spearman(sims, self.human), self.np.percentile(boot, [2.5, 97.5])

    def difference(self, a, b):
        """The paired bootstrap interval of Spearman(a) − Spearman(b)."""
        a, b = self.np.asarray(a), self.np.asarray(b)
        boot = [self._spearman(a[s], self.human[s]) - self._spearman(b[s], self.human[s]) for s in self.samples]
        return self._spearman(a, self.human) - self._spearman(b, self.human), self.np.percentile(boot, [2.5, 97.5])


def compare(corpus, a, sets, tmp):
    import numpy as np
    from gensim.models import KeyedVectors
    name = os.path.basename(corpus).split(".")[0]
    tokens = os.path.join(tmp, f"{name}.tokens.txt")
    with open(tokens, "w") as f:
        subprocess.run([FLYVEC, "tokenize", corpus] + (["--pretokenized"] if a.pretokenized else []),
                       stdout=f, stderr=subprocess.DEVNULL, check=True)
    words = sum(len(line.split()) for line in open(tokens))
    w2v_file = os.path.join(tmp, f"{name}.w2v.bin")
    w_wall, w_rss, _ = timed([sys.executable, __file__, "--w2v-child", tokens, w2v_file])
    wv = KeyedVectors.load_word2vec_format(w2v_file, binary=True)
    planes = np.random.default_rng(0).standard_normal((300, 400))

    runs = []
    for seed in a.seeds:
        model = os.path.join(tmp, f"{name}-{seed}.flyvec")
        codes = os.path.join(tmp, f"{name}-{seed}.flycodes")
        t_wall, t_rss, _ = timed([FLYVEC, "train", corpus, "-o", model, "--seed", str(seed), "--quiet"]
                                 + (["--pretokenized"] if a.pretokenized else []) + a.flyvec_args)
        c_wall, c_rss, _ = timed([FLYVEC, "codes", model, "-o", codes])
        index, bits = load_codes(codes, tmp)
        runs.append(dict(seed=seed, train=t_wall, train_rss=t_rss, codes=c_wall, codes_rss=c_rss,
                         model_mb=os.path.getsize(model) / 1e6, index=index, bits=bits))
        os.remove(model)

    def agree(x, y):  # (n11 + n00) / K
        return float(np.mean(x == y))

    hashed = lambda w: (wv[w] @ planes) > 0
    results = {}
    for set_name, pairs in sets.items():
        used = [(p, q, s) for p, q, s in pairs
                if p in wv and q in wv and all(p in r["index"] and q in r["index"] for r in runs)]
        res = {"pairs": len(used), "total": len(pairs)}
        if len(used) < 3:
            results[set_name] = res
            continue
        scorer = Scorer([s for _, _, s in used])
        cosine = [float(wv.similarity(p, q)) for p, q, _ in used]
        simhash = [agree(hashed(p), hashed(q)) for p, q, _ in used]
        res["w2v cosine"] = scorer.score(cosine)
        res["w2v SimHash-400"] = scorer.score(simhash)
        fly = []
        for r in runs:
            sims = [agree(r["bits"][r["index"][p]], r["bits"][r["index"][q]]) for p, q, _ in used]
            fly.append((scorer.score(sims), sims))
        res["FlyVec seeds"] = [f[0] for f in fly]
        median = sorted(fly, key=lambda f: f[0][0])[len(fly) // 2]
        res["FlyVec median"] = median[0]
        res["vs cosine"] = scorer.difference(median[1], cosine)
        res["vs SimHash"] = scorer.difference(median[1], simhash)
        results[set_name] = res
    return dict(name=name, corpus=corpus, words=words, w2v_wall=w_wall, w2v_rss=w_rss,
                w2v_mb=os.path.getsize(w2v_file) / 1e6, runs=runs, results=results)


def verdict(diff, pairs):
    lo, hi = diff[1]
    if pairs < MIN_PAIRS:
        return "too few pairs"
    return "above" if lo > 0 else "below" if hi < 0 else "within noise"


def table(c, a):
    med = lambda v: sorted(v)[len(v) // 2]
    ci = lambda s: f"{s[0]:.3f} [{s[1][0]:.2f}, {s[1][1]:.2f}]"
    runs = c["runs"]
    lines = [f"### {c['name']}", "",
             f"`{os.path.relpath(c['corpus'], ROOT)}`: {c['words']:,} tokens (FlyVec's tokenizer, fed to both). "
             f"FlyVec options: `{' '.join(a.flyvec_args) or '(defaults)'}`, seeds {', '.join(map(str, a.seeds))}.", "",
             "| | FlyVec train | FlyVec codes | word2vec train |", "|---|---|---|---|",
             f"| wall time (median) | {med([r['train'] for r in runs]):.1f} s | {med([r['codes'] for r in runs]):.1f} s | {c['w2v_wall']:.1f} s |",
             f"| peak RSS (median) | {med([r['train_rss'] for r in runs]):.0f} MB | {med([r['codes_rss'] for r in runs]):.0f} MB | {c['w2v_rss']:.0f} MB |",
             f"| file | model {runs[0]['model_mb']:.0f} MB | | vectors {c['w2v_mb']:.0f} MB |",
             f"| word2vec's wall time over FlyVec's train + codes | {c['w2v_wall'] / (med([r['train'] for r in runs]) + med([r['codes'] for r in runs])):.1f}× | | |",
             ""]
    lines.append("| Spearman [95% bootstrap] | " + " | ".join(
        f"{n} ({r['pairs']} of {r['total']} pairs, {r['total'] - r['pairs']} OOV)" for n, r in c["results"].items()) + " |")
    lines.append("|---|" + "---|" * len(c["results"]))
    rows = [(f"FlyVec seed {r['seed']}", lambda res, i=i: ci(res["FlyVec seeds"][i])) for i, r in enumerate(runs)]
    rows += [("word2vec cosine", lambda res: ci(res["w2v cosine"])),
             ("word2vec SimHash 400 bits", lambda res: ci(res["w2v SimHash-400"])),
             ("FlyVec (median seed) − cosine", lambda res: ci(res["vs cosine"]) + f" {verdict(res['vs cosine'], res['pairs'])}"),
             ("FlyVec (median seed) − SimHash", lambda res: ci(res["vs SimHash"]) + f" {verdict(res['vs SimHash'], res['pairs'])}")]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(res) if "FlyVec median" in res else "–" for res in c["results"].values()) + " |")
    return "\n".join(lines) + "\n"


def write_section(name, text):
    path = os.path.join(ROOT, "docs", "RESULTS.md")
    old = open(path).read() if os.path.exists(path) else "# Results\n\n"
    start, end = f"<!-- compare {name} -->", f"<!-- /compare {name} -->"
    if start in old:
        head, _, rest = old.partition(start)
        new = head + start + "\n" + text + end + rest.split(end, 1)[-1]
    else:
        new = old.rstrip() + "\n\n" + start + "\n" + text + end + "\n"
    with open(path + ".tmp", "w") as f:
        f.write(new)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", help="a corpus (repeat; default data/en-mix.txt.zst)")
    ap.add_argument("--benchmarks", default=os.path.join(ROOT, "data", "benchmarks"))
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--write", action="store_true", help="write each corpus's table into docs/RESULTS.md")
    ap.add_argument("--json", help="also write the figures as JSON to this file")
    ap.add_argument("--pretokenized", action="store_true",
                    help="the corpora are pretokenized text (e.g. from flyvec phrases): both sides read it as it is")
    ap.add_argument("--w2v-child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("flyvec_args", nargs="*", help="extra options for flyvec train")
    a = ap.parse_args()
    if a.w2v_child:
        return train_word2vec(*a.w2v_child)
    sets = {name: read_pairs(os.path.join(a.benchmarks, f)) for name, f in
            (("WS353", "wordsim353.tsv"), ("SimLex", "simlex999.txt"))}
    everything = []
    for corpus in a.corpus or [os.path.join(ROOT, "data", "en-mix.txt.zst")]:
        with tempfile.TemporaryDirectory(prefix="flyvec-compare-") as tmp:
            c = compare(corpus, a, sets, tmp)
        text = table(c, a)
        print(text, flush=True)
        if a.write:
            write_section(c["name"], text)
        for r in c["runs"]:
            r.pop("index"), r.pop("bits")
        everything.append(c)
    if a.json:
        os.makedirs(os.path.dirname(a.json) or ".", exist_ok=True)
        with open(a.json, "w") as f:
            json.dump(everything, f, default=lambda v: v.tolist() if hasattr(v, "tolist") else float(v), indent=1)


if __name__ == "__main__":
    main()
