# description: a required Kantara member removed: missing-field with its path, and the signature breaks
before-sh: cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/given-th.json" o.json && sed '/"policyUrl"/d' o.json > r.json
args: consent verify r.json
exit: 10
stdout-contains: missing-field at receipt.policyUrl: required member policyUrl is missing
stdout-contains: bad-signature at jws.signature
