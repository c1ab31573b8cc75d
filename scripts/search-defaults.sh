#!/usr/bin/env bash
# The runs behind FlyVec's default batch and learning rate: each setting, three seeds, WS353 and
# SimLex Spearman of the default codes, wall time. Appends rows to docs/search-defaults.tsv.
# Usage: [SEEDS="1 2 3"] [KS="16 32"] [READOUT=sum] [USAGE_WINDOW=N] [USAGE_ORDER=N] [USAGE_METHOD=dense|sparse] scripts/search-defaults.sh LABEL CORPUS [flyvec train options...]
# Rows made before 2026-12-04 used --preset classic's settings (then the defaults) and the dense usage method.
set -euo pipefail
label=$1; corpus=$2; shift 2
bin=${FLYVEC:-.build/release/flyvec}
bench=${BENCH:-data/benchmarks}
out=${OUT:-docs/search-defaults.tsv}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -f "$out" ] || printf 'label\tcorpus\toptions\tseed\tbatch\tlr\tseconds\tk\tws353\tws353_pairs\tsimlex\tsimlex_pairs\n' > "$out"
for seed in ${SEEDS:-1 2 3}; do
  start=$(date +%s.%N)
  "$bin" train "$corpus" -o "$tmp/m.flyvec" --seed "$seed" --quiet "$@"
  secs=$(echo "$(date +%s.%N) - $start" | bc -l)
  info=$("$bin" info "$tmp/m.flyvec")
  batch=$(echo "$info" | sed -n 's/.*batch \([0-9]*\);.*/\1/p'); lr=$(echo "$info" | sed -n 's/.*; lr \([0-9.e-]*\);.*/\1/p')
  for k in ${KS:-16 32}; do
    usage=()  # the usage read-out reads the corpus (and USAGE_WINDOW, USAGE_ORDER, if set)
    [ "${READOUT:-sum}" = usage ] && usage=(--corpus "$corpus" ${USAGE_WINDOW:+--usage-window "$USAGE_WINDOW"} ${USAGE_ORDER:+--usage-order "$USAGE_ORDER"} ${USAGE_METHOD:+--usage-method "$USAGE_METHOD"})
    "$bin" eval "$tmp/m.flyvec" -k "$k" --readout "${READOUT:-sum}" "${usage[@]}" --json "$bench/wordsim353.tsv" "$bench/simlex999.txt" > "$tmp/e.json"
    python3 - "$tmp/e.json" "$label" "$corpus" "$*" "$seed" "$batch" "$lr" "$secs" "$k" >> "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
label, corpus, opts, seed, batch, lr, secs, k = sys.argv[2:]
print("\t".join([label, corpus, opts or "-", seed, batch, lr, f"{float(secs):.1f}", k,
                 f"{r[0]['spearman']:.3f}", str(r[0]['pairs']), f"{r[1]['spearman']:.3f}", str(r[1]['pairs'])]))
PY
  done
done
