#!/usr/bin/env bash
# Codes and usage profiles, same sitting, median of 5 runs each (wall time and peak RSS):
#  - `flyvec codes` of a default model (stored profile) beside `zstd -dc` of the same file's
#    payload, the least any reader of the model must do;
#  - a usage profile made from the corpus (`--corpus`, order 1 and 2) with the sparse method
#    beside the dense one, on a `--preset wide` model (K 4096).
# With BASELINE=path/to/an/earlier/flyvec, every FlyVec row is also run with that build, in turn
# with this one (the same models and corpus), so that a change is measured in one sitting.
# Usage: scripts/bench-codes.sh CORPUS [WORKDIR]   (trains the two models into WORKDIR once)
set -euo pipefail
corpus=${1:-data/en-mix.txt.zst}
work=${2:-out/bench-codes}
bin=${FLYVEC:-.build/release/flyvec}
mkdir -p "$work"
[ -f "$work/default.flyvec" ] || "$bin" train "$corpus" -o "$work/default.flyvec" --quiet
[ -f "$work/wide.flyvec" ] || "$bin" train "$corpus" --preset wide -o "$work/wide.flyvec" --quiet
tail -c +17 "$work/default.flyvec" > "$work/payload.zst"
median() {  # LABEL then a command: 5 runs, prints the median wall time and that run's peak RSS
  label=$1; shift
  for _ in 1 2 3 4 5; do /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -n 1; done |
    sort -n | sed -n 3p | awk -v l="$label" '{printf "%-56s %6.2f s  %5.0f MB\n", l, $1, $2 / 1024}'
}
builds=("$bin")
[ -n "${BASELINE:-}" ] && builds+=("$BASELINE")
name() { [ "$1" = "$bin" ] && echo "" || echo " [baseline]"; }
for b in "${builds[@]}"; do
  # An older build may not read the format this build's default model is written in.
  if "$b" codes "$work/default.flyvec" -o "$work/c.flycodes" >/dev/null 2>&1; then
    median "flyvec codes (default model)$(name "$b")" "$b" codes "$work/default.flyvec" -o "$work/c.flycodes"
  else
    echo "flyvec codes (default model)$(name "$b"): cannot read this model's format"
  fi
done
median "zstd -dc of the same payload" zstd -dc "$work/payload.zst" -o /dev/null -f
# Count weights, as every build before 2026-12-07 made these profiles (older builds have no
# --usage-weighting), then this build's default order-2 profile, log-ratio weights.
counted() { [ "$1" = "$bin" ] && echo --usage-weighting count; }
for order in 1 2; do
  for method in sparse dense; do
    for b in "${builds[@]}"; do
      median "wide model, --corpus, order $order, $method$(name "$b")" "$b" codes "$work/wide.flyvec" --readout usage -k 32 \
        --usage-window 11 --usage-order "$order" --usage-method "$method" $(counted "$b") --corpus "$corpus" -o "$work/u.flycodes"
    done
  done
done
median "wide model, --corpus, order 2, sparse, log-ratio" "$bin" codes "$work/wide.flyvec" --readout usage -k 64 \
  --usage-window 11 --usage-order 2 --usage-method sparse --usage-weighting log-ratio --corpus "$corpus" -o "$work/u.flycodes"
