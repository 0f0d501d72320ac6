# description: a header that names another algorithm: unknown-alg (and the signed header changed)
before-sh: cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/given-th.json" o.json && h=$(printf '{"alg":"HS256","b64":false,"crit":["b64"],"kid":"moph"}' | base64 -w0 | tr '+/' '-_' | tr -d =) && sed -E "s/\"jws\": \"[^.]*\\./\"jws\": \"$h./" o.json > r.json
args: consent verify r.json --format json
exit: 10
stdout-json: true
stdout-contains: "code": "unknown-alg"
stdout-contains: "path": "jws.header.alg"
