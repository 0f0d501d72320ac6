# description: a signed receipt verifies offline, without a data directory; unpinned, it says the key is the receipt's own
before-sh: cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/given-th.json" r.json
args: consent verify r.json
exit: 0
stdout-contains: receipt: VALID — r.json
stdout-contains: agency    moph
stdout-contains: note: signature valid for the key in the receipt; pin a key with --key to trust it
not-exists: khomun-data
