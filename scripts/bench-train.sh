#!/usr/bin/env bash
# Whole `flyvec train` processes beside gensim word2vec's training (skip-gram 300-d, window 5,
# negative 5, 5 epochs, both cores: scripts/compare.py's settings) on the same tokens, in one
# sitting: word2vec RUNS times, and in turn with it each FlyVec setting RUNS times (the defaults,
# and --preset wide). Prints each run, then the medians of wall time and peak RSS and word2vec's
# median over FlyVec's. With BASELINE=path/to/an/earlier/flyvec every FlyVec run is repeated with
# that build, so that a change is measured in the same sitting (the two builds take turns at
# running first).
# Usage: [RUNS=3] [BASELINE=…] scripts/bench-train.sh CORPUS   (needs `make venv`)
set -euo pipefail
corpus=${1:-data/en-mix.txt.zst}
bin=${FLYVEC:-.build/release/flyvec}
python=${PYTHON:-.venv/bin/python}
runs=${RUNS:-3}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$bin" tokenize "$corpus" --quiet > "$tmp/tokens.txt"
builds=("$bin")
[ -n "${BASELINE:-}" ] && builds+=("$BASELINE")
run() {  # LABEL then a command: prints "LABEL seconds MB"
  label=$1; shift
  /usr/bin/time -f "$label %e %M" "$@" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%s %s %.0f\n", $1, $2, $3 / 1024}'
}
for r in $(seq "$runs"); do
  run word2vec "$python" scripts/compare.py --w2v-child "$tmp/tokens.txt" "$tmp/w2v.bin"
  # The build that runs right after word2vec was the slower in most pairs of one sitting, whichever
  # it was: the two take turns.
  order=("${builds[@]}")
  [ $((r % 2)) = 0 ] && [ ${#builds[@]} = 2 ] && order=("${builds[1]}" "${builds[0]}")
  for b in "${order[@]}"; do
    tag=$([ "$b" = "$bin" ] && echo this || echo baseline)
    run "flyvec-defaults-$tag" "$b" train "$corpus" -o "$tmp/m.flyvec" --seed "$r" --quiet
    run "flyvec-wide-$tag" "$b" train "$corpus" --preset wide -o "$tmp/m.flyvec" --seed "$r" --quiet
  done
done | tee "$tmp/runs.txt"
echo "medians of $runs runs (wall s, peak RSS MB; word2vec's wall over this row's):"
w2v=$(awk '$1 == "word2vec" {print $2}' "$tmp/runs.txt" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
for label in $(awk '{print $1}' "$tmp/runs.txt" | sort -u); do
  awk -v l="$label" '$1 == l {print $2, $3}' "$tmp/runs.txt" | sort -n |
    awk -v l="$label" -v w="$w2v" '{t[NR] = $1; m[NR] = $2} END {i = int((NR + 1) / 2); printf "%-26s %7.2f s %6d MB %6.1fx\n", l, t[i], m[i], w / t[i]}'
done
