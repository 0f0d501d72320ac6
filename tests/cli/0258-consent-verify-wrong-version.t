# description: a receipt of another Kantara version is refused as such
before-sh: cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/given-th.json" o.json && sed 's/KI-CR-v1.1.0/KI-CR-v1.0.0/' o.json > r.json
args: consent verify r.json
exit: 10
stdout-contains: wrong-version at receipt.version: version is 'KI-CR-v1.0.0', expected KI-CR-v1.1.0
