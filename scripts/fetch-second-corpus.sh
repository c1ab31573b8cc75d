#!/usr/bin/env bash
# Builds misc-en, a second real English corpus (~1.5M words) with no text in common with en-mix,
# from Debian packages: the FOLDOC, Jargon File and Devil's Dictionary dictd databases, the fortune
# cookies of `fortunes`, and the HTML of the Debian Reference (tags stripped). Used to check whether
# a setting that helps on en-mix holds elsewhere (docs/RESULTS.md).
# Output: data/misc-en.txt.zst (git-ignored). Usage: scripts/fetch-second-corpus.sh [OUT_DIR]
set -euo pipefail
out=${1:-data}
mkdir -p "$out"
. "$(dirname "$0")/apt-missing.sh"
missing=()
for d in foldoc jargon devil; do [ -f "/usr/share/dictd/$d.dict.dz" ] || missing+=("dict-$d"); done
[ -f /usr/share/games/fortunes/fortunes ] || missing+=(fortunes)
ls /usr/share/debian-reference/*.en.html >/dev/null 2>&1 || missing+=(debian-reference-en)
command -v zstd >/dev/null || missing+=(zstd)
apt_missing ${missing[@]+"${missing[@]}"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in foldoc jargon devil; do zcat "/usr/share/dictd/$d.dict.dz"; done > "$tmp/misc.txt"
# Fortune files: plain text with "%" lines between cookies (the .dat indexes and .u8 links skipped).
for f in /usr/share/games/fortunes/*; do
  case "$f" in *.dat|*.u8) ;; *) [ -f "$f" ] && sed 's/^%$//' "$f" ;; esac
done >> "$tmp/misc.txt"
for f in /usr/share/debian-reference/*.en.html; do sed -e 's/<[^>]*>/ /g' "$f"; done >> "$tmp/misc.txt"
zstd -q -6 "$tmp/misc.txt" -o "$tmp/misc-en.txt.zst"
mv "$tmp/misc-en.txt.zst" "$out/misc-en.txt.zst"
echo "wrote $out/misc-en.txt.zst ($(zstd -dc "$out/misc-en.txt.zst" | wc -w) words)"
