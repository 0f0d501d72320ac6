# description: a receipt checked against another agency key: key-mismatch and a bad signature
before-sh: cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/given-th.json" r.json
args: consent verify r.json --key 1111111111111111111111111111111111111111111111111111111111111111
exit: 10
stdout-contains: key-mismatch at receipt.publicKey: publicKey is not the pinned key
stdout-contains: bad-signature at jws.signature
