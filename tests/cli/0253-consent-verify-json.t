# description: --format json gives the report document (the API's shape)
before-sh: cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/given-th.json" r.json
args: consent verify r.json --format json
exit: 0
stdout-json: true
stdout-contains: "valid": true
stdout-contains: "receipt_id": "019a2b3c-4d5e-7f60-8a1b-2c3d4e5f6a7b"
stdout-contains: "problems": []
