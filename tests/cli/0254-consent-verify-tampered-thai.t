# description: one Thai letter of the controller's name changed: the signature no longer matches; exit 10
before-sh: cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/given-th.json" o.json && sed 's/กรมควบคุมโรค/กรมควบคุมโลก/' o.json > r.json
args: consent verify r.json
exit: 10
stdout-contains: receipt: INVALID — r.json: 1 problem
stdout-contains: bad-signature at jws.signature: the signature does not match: the receipt was changed after signing
stdout-contains: ลายมือชื่อไม่ตรงกับใบรับรอง
