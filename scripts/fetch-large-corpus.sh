#!/usr/bin/env bash
# Builds large-en, a corpus of ~17M words, over twice en-mix's size: en-mix, misc-en and docs-en
# (built first by their own scripts when missing) followed by new text, the Linux manual pages of
# the Debian packages manpages and manpages-dev with their roff markup stripped. Used to check that
# a default which holds on the ~6M-word corpora holds on a larger one (docs/RESULTS.md).
# Output: data/large-en.txt.zst (git-ignored). Usage: scripts/fetch-large-corpus.sh [OUT_DIR]
set -euo pipefail
out=${1:-data}
here=$(dirname "$0")
mkdir -p "$out"
. "$here/apt-missing.sh"
[ -f "$out/en-mix.txt.zst" ] || "$here/fetch-corpora.sh" "$out"
[ -f "$out/misc-en.txt.zst" ] || "$here/fetch-second-corpus.sh" "$out"
[ -f "$out/docs-en.txt.zst" ] || "$here/fetch-docs-corpus.sh" "$out"
missing=()
for p in manpages manpages-dev; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
apt_missing ${missing[@]+"${missing[@]}"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in en-mix misc-en docs-en; do zstd -dcq "$out/$c.txt.zst"; done > "$tmp/large.txt"
# Manual pages: only these two packages' files (sorted), so the text is the same on every machine;
# request lines (".TH", ".SH"…) and font escapes (\fB, \fR, \-) dropped.
dpkg -L manpages manpages-dev | grep -E '^/usr/share/man/man[0-9]/.*\.gz$' | LC_ALL=C sort \
  | while read -r f; do [ -f "$f" ] && zcat "$f"; done \
  | sed -e '/^\.\\"/d' -e 's/^\.[A-Za-z]\{1,3\}\( \|$\)//' -e 's/\\f[A-Z(][A-Z]\{0,1\}//g' -e 's/\\[-&e(]//g' -e 's/\\\*[A-Za-z(]//g' \
  >> "$tmp/large.txt"
zstd -q -6 "$tmp/large.txt" -o "$tmp/large-en.txt.zst"
mv "$tmp/large-en.txt.zst" "$out/large-en.txt.zst"
echo "wrote $out/large-en.txt.zst ($(zstd -dc "$out/large-en.txt.zst" | wc -w) words)"
