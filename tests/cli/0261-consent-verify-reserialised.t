# description: the same receipt compact and with its members sorted still verifies (JCS canonical form)
before-sh: cp "$(git -C "$(dirname "$KHOMUN_BIN")" rev-parse --show-toplevel)/tests/fixtures/receipts/given-th.json" o.json && node -e 'const fs=require("fs");const s=(v)=>Array.isArray(v)?v.map(s):v&&typeof v==="object"?Object.fromEntries(Object.keys(v).sort().reverse().map((k)=>[k,s(v[k])])):v;fs.writeFileSync("r.json",JSON.stringify(s(JSON.parse(fs.readFileSync("o.json","utf8")))))'
args: consent verify r.json --key e271953b921a7c982750d28eb4d4752e8ea9ecf871c6041a431933c2ce153da2
exit: 0
stdout-contains: receipt: VALID
