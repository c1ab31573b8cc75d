#!/usr/bin/env bash
# Takes the word-similarity sets out of the gensim wheel on PyPI, as a user on a fresh machine would:
# wordsim353.tsv, simlex999.txt and questions-words.txt from gensim/test/test_data/.
# Output: data/benchmarks/ (git-ignored). Usage: scripts/fetch-benchmarks.sh [OUT_DIR]
set -euo pipefail
out=${1:-data/benchmarks}
mkdir -p "$out"
if [ -f "$out/wordsim353.tsv" ] && [ -f "$out/simlex999.txt" ] && [ -f "$out/questions-words.txt" ]; then
  echo "benchmarks already in $out"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --no-deps -q -d "$tmp" gensim
wheel=$(ls "$tmp"/gensim-*.whl | head -n 1)
python3 - "$wheel" "$out" <<'PY'
import sys, zipfile, os
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in ("wordsim353.tsv", "simlex999.txt", "questions-words.txt"):
        data = z.read("gensim/test/test_data/" + name)
        tmp = os.path.join(out, name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(out, name))
PY
echo "wrote $out/wordsim353.tsv $out/simlex999.txt $out/questions-words.txt"
