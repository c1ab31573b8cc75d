#!/usr/bin/env python3
"""FlyVec document codes beside word2vec mean vectors and TF-IDF, on a labelled collection.

Task: k-nearest-neighbour classification (10 neighbours, majority vote, ties to the nearest) of
the Debian package descriptions of data/packages-en.tsv by section, 5 folds split by a hash of the
package name: each fold's documents are the queries, the other four the searched collection.
All three sides learn from the same text, the collection itself without its labels:
  FlyVec     `flyvec train` on the descriptions, `flyvec index` of the four folds, `flyvec search`
             of the fifth (Hamming distance of the document codes);
  word2vec   gensim skip-gram (300 dims, window 5, negative 5, min_count 5, 5 epochs) on FlyVec's
             tokens of the same text; a document is the mean of its words' vectors (and, as a
             second row, their smooth-inverse-frequency-weighted mean, FlyVec's weighting);
             cosine search with FAISS IndexFlatIP;
  TF-IDF     scikit-learn's TfidfVectorizer (sublinear tf) on the same tokens, cosine.
Accuracy is the mean over the folds with a 95% bootstrap interval over the documents. Search
speed: queries per second over one fold's queries, one query at a time, one thread each: FlyVec's
search (coding the query excluded, as FAISS gets its vectors made) against FAISS IndexFlatIP on the
word2vec vectors; memory: bytes per document of each search structure.

Run through `make compare-documents`, or:
  scripts/compare_documents.py [--data data] [--json OUT] [--skip-baselines] [--train "TRAIN OPTIONS"] [-- FLYVEC INDEX OPTIONS]
It prints the figures as JSON, then as a Markdown table (the one in docs/RESULTS.md).
"""
import argparse, collections, hashlib, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLYVEC = os.path.join(ROOT, ".build", "release", "flyvec")
NEIGHBOURS = 10
FOLDS = 5
BOOTSTRAP = 1000


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return p


def timed(cmd, **kw):
    """(wall seconds, peak RSS MB, completed process) of cmd under /usr/bin/time -v."""
    start = time.monotonic()
    p = run(["/usr/bin/time", "-v"] + cmd, **kw)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return time.monotonic() - start, rss, p


def fold_of(name):
    return int(hashlib.md5(name.encode()).hexdigest(), 16) % FOLDS


def vote(labels):
    """Majority of the neighbours' labels (nearest first); a tie goes to the label seen first."""
    counts = collections.Counter(labels)
    best = max(counts.values())
    return next(l for l in labels if counts[l] == best)


def interval(correct, seed=0):
    import numpy as np
    correct = np.asarray(correct, dtype=float)
    rng = np.random.default_rng(seed)
    means = correct[rng.integers(0, len(correct), size=(BOOTSTRAP, len(correct)))].mean(axis=1)
    return correct.mean(), np.percentile(means, 2.5), np.percentile(means, 97.5)


def train_word2vec(tokens, out):
    """Child process, so that /usr/bin/time measures only the training."""
    from gensim.models import Word2Vec
    m = Word2Vec(corpus_file=tokens, sg=1, vector_size=300, window=5, negative=5, min_count=5,
                 epochs=5, workers=os.cpu_count(), seed=1)
    m.wv.save_word2vec_format(out, binary=True)


def tokens_of(text, vocab=None):
    """Lower-cased words as FlyVec's tokenizer cuts them (letters, digits, inner apostrophes and
    hyphens); digit-bearing tokens become <NUM> as there."""
    out = []
    for t in re.findall(r"[^\W_]+(?:['\-][^\W_]+)*", text.lower()):
        if any(c.isdigit() for c in t):
            t = "<NUM>"
        if vocab is None or t in vocab:
            out.append(t)
    return out


def knn_dense(vectors, labels, folds, speed_fold=0):
    """Cosine kNN with FAISS IndexFlatIP per fold; accuracy list and single-query timings."""
    import faiss, numpy as np
    faiss.omp_set_num_threads(1)
    x = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    x = x.astype(np.float32)
    correct, qps = [], None
    for f in range(FOLDS):
        train = np.flatnonzero(folds != f)
        test = np.flatnonzero(folds == f)
        index = faiss.IndexFlatIP(x.shape[1])
        index.add(x[train])
        _, found = index.search(x[test], NEIGHBOURS)
        for q, row in zip(test, found):
            correct.append(vote([labels[train[j]] for j in row]) == labels[q])
        if f == speed_fold:
            start = time.perf_counter()
            for q in test:
                index.search(x[q:q + 1], NEIGHBOURS)
            single = len(test) / (time.perf_counter() - start)
            start = time.perf_counter()
            index.search(x[test], NEIGHBOURS)
            batch = len(test) / (time.perf_counter() - start)
            qps = (single, batch)
    return correct, qps


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(ROOT, "data"))
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--skip-baselines", action="store_true", help="FlyVec only (for trying options)")
    ap.add_argument("--train", default="", help="options for flyvec train, in one string (for trying options)")
    ap.add_argument("flyvec_args", nargs="*", help="options for flyvec index (after --)")
    a = ap.parse_args()
    import numpy as np

    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(a.data, "packages-en.tsv"), encoding="utf-8")]
    labels = [r[0] for r in rows]
    names = [r[1] for r in rows]
    texts = [r[2] for r in rows]
    folds = np.array([fold_of(n) for n in names])
    corpus = os.path.join(a.data, "packages-en.txt.zst")
    results = {"documents": len(rows), "sections": len(set(labels)), "flyvec_args": a.flyvec_args,
               "train_args": a.train.split()}
    print(f"{len(rows)} documents, {len(set(labels))} sections", file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmp:
        # FlyVec: train, then per fold index four folds and search the fifth.
        model = os.path.join(tmp, "m.flyvec")
        wall, rss, _ = timed([FLYVEC, "train", corpus, "-o", model, "--quiet"] + a.train.split())
        results["flyvec_train"] = {"seconds": wall, "rss_mb": rss}
        correct, index_bytes, speed = [], None, None
        for f in range(FOLDS):
            train = [i for i in range(len(rows)) if folds[i] != f]
            test = [i for i in range(len(rows)) if folds[i] == f]
            docs = os.path.join(tmp, "docs.txt")
            with open(docs, "w", encoding="utf-8") as out:
                for i in train:
                    out.write(f"{i}\t{texts[i]}\n")
            index = os.path.join(tmp, "docs.flyindex")
            wall, rss, _ = timed([FLYVEC, "index", model, docs, "--ids", "-o", index, "--quiet"] + a.flyvec_args)
            if f == 0:
                results["flyvec_index"] = {"seconds": wall, "rss_mb": rss, "file_bytes": os.path.getsize(index),
                                           "documents": len(train)}
            queries = "\n".join(texts[i] for i in test) + "\n"
            p = run([FLYVEC, "search", index, "--json", "--timing", "-n", str(NEIGHBOURS)], input=queries)
            answers = [json.loads(l) for l in p.stdout.splitlines()]
            assert len(answers) == len(test)
            for q, ans in zip(test, answers):
                found = [labels[int(d["id"])] for d in ans.get("documents", [])]
                correct.append(bool(found) and vote(found) == labels[q])
            m = re.search(r"(\d+) queries: coding ([\d.]+) s, searching ([\d.]+) s .*?(\d+) documents, (\d+) bytes", p.stderr)
            if f == 0:
                speed = {"queries": int(m.group(1)), "coding_s": float(m.group(2)), "search_s": float(m.group(3)),
                         "bytes_per_document": int(m.group(5)) / int(m.group(4))}
            print(f"fold {f}: FlyVec {np.mean(correct):.4f} so far", file=sys.stderr)
        results["flyvec"] = {"accuracy": interval(correct), **speed,
                             "qps": speed["queries"] / speed["search_s"]}
        if a.skip_baselines:
            print(json.dumps(results, indent=1))
            return

        # word2vec on FlyVec's tokens of the same text.
        tokens = os.path.join(tmp, "tokens.txt")
        with open(tokens, "w") as out:
            subprocess.run([FLYVEC, "tokenize", corpus, "--quiet"], stdout=out, check=True)
        w2v = os.path.join(tmp, "w2v.bin")
        wall, rss, _ = timed([sys.executable, __file__, "--train-word2vec", tokens, w2v])
        results["word2vec_train"] = {"seconds": wall, "rss_mb": rss}
        from gensim.models import KeyedVectors
        kv = KeyedVectors.load_word2vec_format(w2v, binary=True)
        counts = collections.Counter(t for line in open(tokens, encoding="utf-8") for t in line.split())
        total = sum(counts.values())
        docs_tokens = [tokens_of(t, kv.key_to_index) for t in texts]
        for name, weight in (("word2vec_mean", lambda t: 1.0), ("word2vec_sif", lambda t: 1e-3 / (1e-3 + counts[t] / total))):
            vectors = np.zeros((len(rows), kv.vector_size), dtype=np.float32)
            for i, ts in enumerate(docs_tokens):
                if ts:
                    vectors[i] = np.average([kv[t] for t in ts], axis=0, weights=[weight(t) for t in ts])
            correct, (single, batch) = knn_dense(vectors, labels, folds)
            results[name] = {"accuracy": interval(correct), "qps": single, "qps_batch": batch,
                             "bytes_per_document": kv.vector_size * 4}
            print(f"{name}: {np.mean(correct):.4f}", file=sys.stderr)

        # TF-IDF cosine on the same tokens.
        from sklearn.feature_extraction.text import TfidfVectorizer
        tfidf = TfidfVectorizer(analyzer=lambda t: tokens_of(t), sublinear_tf=True)
        x = tfidf.fit_transform(texts)
        correct = []
        for f in range(FOLDS):
            train = np.flatnonzero(folds != f)
            test = np.flatnonzero(folds == f)
            xt = x[train].T.tocsr()
            for lo in range(0, len(test), 500):
                sims = (x[test[lo:lo + 500]] @ xt).toarray()
                # The 10 best, ties to the lower position, as the other searches break them.
                part = np.argpartition(-sims, NEIGHBOURS, axis=1)[:, :NEIGHBOURS + 1]
                for q, s_row, cand in zip(test[lo:lo + 500], sims, part):
                    cut = np.sort(s_row[cand])[::-1][NEIGHBOURS - 1]
                    best = np.flatnonzero(s_row >= cut)
                    best = best[np.lexsort((best, -s_row[best]))][:NEIGHBOURS]
                    correct.append(vote([labels[train[j]] for j in best]) == labels[q])
        results["tfidf"] = {"accuracy": interval(correct), "bytes_per_document": x.nnz * 12 / x.shape[0]}
        print(f"tfidf: {np.mean(correct):.4f}", file=sys.stderr)
    print(json.dumps(results, indent=1))
    if a.json:
        os.makedirs(os.path.dirname(a.json) or ".", exist_ok=True)
        with open(a.json, "w") as out:
            json.dump(results, out, indent=1)
    print(table(results))


def table(r):
    def acc(x):
        m, lo, hi = x["accuracy"]
        return f"{100 * m:.1f}% [{100 * lo:.1f}, {100 * hi:.1f}]"
    f, w = r["flyvec"], r["word2vec_mean"]
    rows = [
        "| | accuracy (95% interval) | bytes a document | queries/s, one at a time | queries/s, batch |",
        "|---|---|---|---|---|",
        f"| FlyVec codes ({' '.join(r['flyvec_args']) or 'defaults'}) | {acc(f)} | {f['bytes_per_document']:.0f} | "
        f"{f['qps']:,.0f} | — |",
        f"| word2vec mean, FAISS IndexFlatIP | {acc(w)} | {w['bytes_per_document']} | {w['qps']:,.0f} | {w['qps_batch']:,.0f} |",
        f"| word2vec SIF-weighted mean, FAISS IndexFlatIP | {acc(r['word2vec_sif'])} | {r['word2vec_sif']['bytes_per_document']} | "
        f"{r['word2vec_sif']['qps']:,.0f} | {r['word2vec_sif']['qps_batch']:,.0f} |",
        f"| TF-IDF cosine | {acc(r['tfidf'])} | {r['tfidf']['bytes_per_document']:.0f} | — | — |",
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--train-word2vec":
        train_word2vec(sys.argv[2], sys.argv[3])
    else:
        main()
