#!/usr/bin/env bash
# Corpus reading beside zstd and wc on the same file, same sitting: median of 5 runs each.
# Usage: scripts/bench-io.sh CORPUS.zst
set -euo pipefail
corpus=${1:-data/en-mix.txt.zst}
bin=${FLYVEC:-.build/release/flyvec}
plain=$(mktemp --suffix=.txt)
trap 'rm -f "$plain" "$plain.time"' EXIT
zstd -dc "$corpus" > "$plain"
median() {  # runs "$@" 5 times, prints the median wall time in seconds
  for _ in 1 2 3 4 5; do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    echo "$e - $s" | bc -l
  done | sort -n | sed -n 3p
}
mb=$(stat -c %s "$plain" | awk '{print $1 / 1e6}')
t_plain=$(median "$bin" vocab "$plain" -o /dev/null --quiet)
t_zst=$(median "$bin" vocab "$corpus" -o /dev/null --quiet)
t_ref=$(median sh -c "zstd -dc '$corpus' | wc -w")
# CPU time (user + system) of one plain-text run: throughput per core, whatever the thread count.
/usr/bin/time -o "$plain.time" -f '%U %S' "$bin" vocab "$plain" -o /dev/null --quiet >/dev/null 2>&1
cpu=$(awk '{print $1 + $2}' "$plain.time")
printf 'plain text, %.1f MB: flyvec vocab %.3f s = %.0f MB/s (reading and tokenizing on one thread, counting on another)\n' "$mb" "$t_plain" "$(echo "$mb / $t_plain" | bc -l)"
printf 'plain text per core: %.0f MB per CPU-second (user + system %.2f s)\n' "$(echo "$mb / $cpu" | bc -l)" "$cpu"
printf 'zstd input: flyvec vocab %.3f s; zstd -dc | wc -w %.3f s; ratio %.2f\n' "$t_zst" "$t_ref" "$(echo "$t_zst / $t_ref" | bc -l)"
