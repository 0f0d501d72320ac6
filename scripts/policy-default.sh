#!/usr/bin/env bash
# policy-default.sh — regenerate src/lib/access/policy_default.inc, the C string literal of the
# shipped default policy, from src/lib/access/policy_default.json. Run it after editing the JSON
# (tests/unit/access/policy.c fails while the two differ). Every byte is kept, so the policy
# version hash of the embedded copy equals that of the JSON file.
set -euo pipefail
cd "$(dirname "$0")/.."
in=src/lib/access/policy_default.json
out=src/lib/access/policy_default.inc
{
    echo "/* Generated from policy_default.json by scripts/policy-default.sh: do not edit. */"
    # escape \ and " and ? (no trigraphs), one literal per line, each ending in \n
    LC_ALL=C sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$/\\n"/' "$in"
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "policy-default: wrote $out"
