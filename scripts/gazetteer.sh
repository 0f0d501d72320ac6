#!/usr/bin/env bash
# gazetteer.sh — the Thai address gazetteer of the LOCATION detector.
#   scripts/gazetteer.sh tsv PACKAGE.tgz   convert an `npm pack thai-address-database` tarball to
#                                          data/gazetteer/th-subdistricts.tsv (run by hand when
#                                          the data is updated; needs node; see SOURCE.md)
#   scripts/gazetteer.sh inc [TSV]         print the TSV as C string literals, one per line (the
#                                          build embeds it in src/lib/scan/gazetteer.c this way;
#                                          nothing is downloaded at build time)
set -euo pipefail
cd "$(dirname "$0")/.."
out=data/gazetteer/th-subdistricts.tsv
case "${1:-}" in
tsv)
    tgz=${2:?usage: gazetteer.sh tsv thai-address-database-VERSION.tgz}
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    tar xzf "$tgz" -C "$tmp"
    # db.json is jquery.Thailand.js's compacted form: names with A-Z/a-z standing for words of
    # `words`, numbers standing for entries of `lookup`; the tree is
    # [province, [[district, [[sub-district, postcode or [postcodes]] …]] …]] (the package's own
    # preprocess() in lib/index.js, rewritten here so that none of its code runs).
    node - "$tmp/package/database/db.json" >"$out.tmp" <<'JS'
const fs = require('fs');
const db = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const lookup = db.lookup.split('|'), words = db.words.split('|');
const t = (x) => (typeof x === 'number' ? lookup[x] : x).replace(/[A-Z]/gi, (m) => {
    const c = m.charCodeAt(0);
    return words[c < 97 ? c - 65 : 26 + c - 97];
});
const rows = new Set();
for (const p of db.data)
    for (const a of p[1])
        for (const d of a[1])
            for (const z of [].concat(d[1])) {
                const pc = /^\d{5}$/.test(String(z)) ? String(z) : '';
                rows.add([t(p[0]), t(a[0]), t(d[0]), pc].map((s) => s.trim()).join('\t'));
            }
const sorted = [...rows].sort();
process.stdout.write('# province\tdistrict\tsub-district\tpostcode (Thai; see SOURCE.md)\n');
process.stdout.write(sorted.join('\n') + '\n');
JS
    mv "$out.tmp" "$out"
    echo "gazetteer: wrote $out ($(grep -vc '^#' "$out") rows)" >&2
    ;;
inc)
    in=${2:-$out}
    echo "/* Generated from $in by scripts/gazetteer.sh: do not edit. */"
    # data lines only; escape \ and " and ? (no trigraphs), tabs as \t, each line ending in \n
    LC_ALL=C grep -v '^#' "$in" |
        LC_ALL=C sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/\t/\\t/g' \
            -e 's/^/"/' -e 's/$/\\n"/'
    ;;
*)
    echo "usage: scripts/gazetteer.sh tsv PACKAGE.tgz | inc [TSV]" >&2
    exit 2
    ;;
esac
