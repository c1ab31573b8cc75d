#!/usr/bin/env bash
# One epoch of default training on en-mix repeated REPEATS times (141: about 1.0 billion tokens),
# streamed from standard input, once per REPEATS value given, to show that memory does not grow
# with the corpus. Prints tokens, wall time, peak RSS (VmHWM), and the peaks of its two parts:
# anonymous memory (RssAnon) and mapped files (RssFile: the spilled ids' page cache, which the
# kernel can drop), sampled every second from /proc, and the peak size of its temporary files
# (unlinked at once, so measured through /proc/PID/fd).
# Usage: scripts/bench-billion.sh [CORPUS] [TEMPDIR] [REPEATS...]   (default: 14 141)
set -euo pipefail
corpus=${1:-data/en-mix.txt.zst}
temp=${2:-${TMPDIR:-/tmp}}
shift $(( $# > 2 ? 2 : $# )) || true
repeats=("$@")
[ ${#repeats[@]} -gt 0 ] || repeats=(14 141)
bin=$(realpath "${FLYVEC:-.build/release/flyvec}")
work=out/bench-billion
mkdir -p "$work"
kb() { awk -v k="$1" '{ if ($1 == k":") print $2 }' "/proc/$2/status" 2>/dev/null || true; }
printf '%8s %14s %9s %10s %10s %10s %10s %9s\n' repeats tokens epoch run "peak RSS" "anon" "file" "temp disk"
for n in "${repeats[@]}"; do
  log="$work/train-$n.log"
  start=$(date +%s.%N)
  ( for _ in $(seq "$n"); do zstd -dcq "$corpus"; done ) |
    "$bin" train - -o "$work/m.flyvec" --temp-dir "$temp" 2> "$log" &
  sleep 1
  pid=$(pgrep -n -f "$bin train - -o $work/m.flyvec")
  anon=0; file=0; hwm=0; disk=0
  while kill -0 "$pid" 2>/dev/null; do
    a=$(kb RssAnon "$pid"); f=$(kb RssFile "$pid"); h=$(kb VmHWM "$pid")
    d=0
    for fd in /proc/"$pid"/fd/*; do
      case $(readlink "$fd" 2>/dev/null) in "$temp"/flyvec-ids-*) d=$(( d + $(stat -L -c %s "$fd" 2>/dev/null || echo 0) / 1024 ));; esac
    done
    [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
    [ -n "$f" ] && [ "$f" -gt "$file" ] && file=$f
    [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
    [ "$d" -gt "$disk" ] && disk=$d
    sleep 1
  done
  wait
  run=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
  tokens=$(tr '\r' '\n' < "$log" | sed -n 's/^tokens *//p' | tail -n 1)
  epoch=$(tr '\r' '\n' < "$log" | sed -n 's/^epoch 1\/1: .*, \([0-9.]*\) s, .*/\1/p' | tail -n 1)
  printf '%8s %14s %8.0fs %9ss %7d MB %7d MB %7d MB %6d MB\n' "$n" "$tokens" "$epoch" "$run" \
    $((hwm / 1024)) $((anon / 1024)) $((file / 1024)) $((disk / 1024))
done
