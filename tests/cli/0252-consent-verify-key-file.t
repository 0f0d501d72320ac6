# description: --key-file pins the agency key (64 hex digits in a file)
before-sh: cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/withdrawn-en.json" r.json && cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/test-key.pub" k.pub
args: consent verify r.json --key-file k.pub
exit: 0
stdout-contains: receipt: VALID
stdout-contains: (withdrawn at 2026-01-02T00:00:00.000Z)
stdout-contains: note: signature checked with the pinned key
