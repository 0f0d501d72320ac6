# description: a JWS header that is not base64url
before-sh: cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/given-th.json" o.json && sed 's/"jws": "eyJ/"jws": "*yJ/' o.json > r.json
args: consent verify r.json
exit: 10
stdout-contains: bad-base64url at jws.header: the JWS protected header is not unpadded base64url
