#!/usr/bin/env bash
# Builds packages-en, a labelled collection of real English documents: the long description of
# every package of Debian 12 (bookworm) main, labelled by the package's section. apt's own indices
# hold it: the Packages index gives each package's section and the checksum of its description, the
# English translation index (fetched by `apt-get update -o Acquire::Languages=en`) the text.
# Packages sharing one description (libfoo1, libfoo-dev, ...) count once, under the section of the
# first in name order; sections with fewer than 400 documents are left out.
# Output (git-ignored): OUT/packages-en.tsv (section TAB package TAB text, one document a line,
# sorted by package) and OUT/packages-en.txt.zst (the text alone, the training corpus).
# Usage: scripts/fetch-packages.sh [OUT_DIR]
set -euo pipefail
out=${1:-data}
mkdir -p "$out"
[ -f "$out/packages-en.tsv" ] && [ -f "$out/packages-en.txt.zst" ] && exit 0
. "$(dirname "$0")/apt-missing.sh"
command -v zstd >/dev/null || apt_missing zstd
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt drops the translation indices at its next plain update, so they are copied out at once.
$sudo apt-get update -q -o Acquire::Languages=en >/dev/null
lists=/var/lib/apt/lists
packages=$(ls $lists/*debian_dists_bookworm_main_binary-amd64_Packages* | head -n 1)
translation=$(ls $lists/*debian_dists_bookworm_main_i18n_Translation-en* | head -n 1)
/usr/lib/apt/apt-helper cat-file "$packages" > "$tmp/Packages"
/usr/lib/apt/apt-helper cat-file "$translation" > "$tmp/Translation-en"
python3 - "$tmp/Packages" "$tmp/Translation-en" "$tmp/packages-en.tsv" <<'EOF'
import collections, sys

def stanzas(path):
    fields, key = {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if fields: yield fields
                fields, key = {}, None
            elif line[0] in " \t" and key:
                fields[key] += "\n" + line
            else:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
    if fields: yield fields

texts = {}
for s in stanzas(sys.argv[2]):
    lines = s.get("Description-en", "").split("\n")
    # The long description: continuation lines, " ." being an empty line.
    body = " ".join(l.strip() for l in lines[1:] if l.strip() != ".")
    texts[s["Description-md5"]] = (lines[0] + ". " + body).strip()

seen, docs = set(), []
for s in sorted(stanzas(sys.argv[1]), key=lambda s: s["Package"]):
    md5 = s.get("Description-md5")
    if md5 is None or md5 in seen or md5 not in texts: continue
    seen.add(md5)
    text = " ".join(texts[md5].replace("\t", " ").split())
    docs.append((s.get("Section", "misc").split("/")[-1], s["Package"], text))
sizes = collections.Counter(d[0] for d in docs)
with open(sys.argv[3], "w", encoding="utf-8") as f:
    for d in docs:
        if sizes[d[0]] >= 400: f.write("\t".join(d) + "\n")
EOF
cut -f 3 "$tmp/packages-en.tsv" | zstd -q -6 -o "$tmp/packages-en.txt.zst"
mv "$tmp/packages-en.tsv" "$out/packages-en.tsv"
mv "$tmp/packages-en.txt.zst" "$out/packages-en.txt.zst"
echo "wrote $out/packages-en.tsv ($(wc -l < "$out/packages-en.tsv") documents, $(cut -f 1 "$out/packages-en.tsv" | sort -u | wc -l) sections, $(zstd -dc "$out/packages-en.txt.zst" | wc -w) words)"
