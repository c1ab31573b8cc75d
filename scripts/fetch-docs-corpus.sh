#!/usr/bin/env bash
# Builds docs-en, a third real English corpus (~6M words, about en-mix's size) with no text in
# common with en-mix or misc-en: the Linux kernel's documentation (linux-doc-6.1, translations
# left out), the Python 3.11 documentation sources (python3.11-doc), Perl's pod pages (perl-doc)
# and the Debian Administrator's Handbook (debian-handbook, HTML tags stripped). Technical prose
# with a general vocabulary; used to check whether a setting that helps on en-mix holds elsewhere.
# Output: data/docs-en.txt.zst (git-ignored). Usage: scripts/fetch-docs-corpus.sh [OUT_DIR]
set -euo pipefail
out=${1:-data}
mkdir -p "$out"
. "$(dirname "$0")/apt-missing.sh"
kernel=/usr/share/doc/linux-doc-6.1/Documentation
python=/usr/share/doc/python3.11/html/_sources
perl=/usr/share/perl/5.36.0/pod
handbook=/usr/share/doc/debian-handbook/html/en-US
missing=()
[ -d "$kernel" ] || missing+=(linux-doc-6.1)
[ -d "$python" ] || missing+=(python3.11-doc)
[ -f "$perl/perlfunc.pod" ] || missing+=(perl-doc)
[ -d "$handbook" ] || missing+=(debian-handbook)
command -v zstd >/dev/null || missing+=(zstd)
apt_missing ${missing[@]+"${missing[@]}"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Sorted file lists, so that the corpus is the same byte for byte on every machine.
find "$kernel" -path "$kernel/translations" -prune -o \( -name '*.rst.gz' -o -name '*.txt.gz' \) -print \
  | LC_ALL=C sort | xargs zcat > "$tmp/docs.txt"
find "$python" -name '*.rst.txt' | LC_ALL=C sort | xargs cat >> "$tmp/docs.txt"
find "$perl" -name '*.pod' | LC_ALL=C sort | xargs cat >> "$tmp/docs.txt"
find "$handbook" -name '*.html' | LC_ALL=C sort | xargs sed -e 's/<[^>]*>/ /g' >> "$tmp/docs.txt"
zstd -q -6 "$tmp/docs.txt" -o "$tmp/docs-en.txt.zst"
mv "$tmp/docs-en.txt.zst" "$out/docs-en.txt.zst"
echo "wrote $out/docs-en.txt.zst ($(zstd -dc "$out/docs-en.txt.zst" | wc -w) words)"
