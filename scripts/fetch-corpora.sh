#!/usr/bin/env bash
# Builds en-mix, a ~6M-word English corpus, from three Debian packages, as a user on a fresh
# machine would: the King James Bible (bible-kjv-text, decoded by `bible` from bible-kjv), the
# GCIDE dictionary (dict-gcide) and the WordNet glosses (wordnet-base).
# Output: data/en-mix.txt.zst (git-ignored). Usage: scripts/fetch-corpora.sh [OUT_DIR]
set -euo pipefail
out=${1:-data}
mkdir -p "$out"
. "$(dirname "$0")/apt-missing.sh"
missing=()
command -v bible >/dev/null || missing+=(bible-kjv bible-kjv-text)
[ -f /usr/share/dictd/gcide.dict.dz ] || missing+=(dict-gcide)
[ -f /usr/share/wordnet/data.noun ] || missing+=(wordnet-base)
command -v zstd >/dev/null || missing+=(zstd)
apt_missing ${missing[@]+"${missing[@]}"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# KJV: one verse a line, the reference ("Ge1:1") stripped.
bible -f gen1:1-rev22:21 </dev/null | sed 's/^[^ ]* //' > "$tmp/kjv.txt"
# GCIDE: the dictd text, each blank-line-separated paragraph joined into one line (entries wrap
# over several lines), source tags such as "[1913 Webster]" and the 00-database header dropped.
zcat /usr/share/dictd/gcide.dict.dz | awk '
  /^00-database/ { skip = 1 }
  /^[ \t]*$/ { if (p != "") print p; p = ""; skip = 0; next }
  skip { next }
  { sub(/^[ \t]+/, ""); sub(/[ \t]+$/, "") }
  /^\[[^]]*\]$/ { next }
  { p = (p == "" ? $0 : p " " $0) }
  END { if (p != "") print p }' > "$tmp/gcide.txt"
# WordNet: the gloss of every synset (the text after " | "), one a line.
for pos in noun verb adj adv; do
  grep -v '^  ' "/usr/share/wordnet/data.$pos" | sed -n 's/^.* | //p'
done > "$tmp/wordnet.txt"
cat "$tmp/kjv.txt" "$tmp/gcide.txt" "$tmp/wordnet.txt" | zstd -q -6 -o "$tmp/en-mix.txt.zst"
mv "$tmp/en-mix.txt.zst" "$out/en-mix.txt.zst"
echo "wrote $out/en-mix.txt.zst ($(zstd -dc "$out/en-mix.txt.zst" | wc -w) words)"
