# description: catalog export writes every demo dataset as one JSON document, agencies and owners by name
before-sh: $KHOMUN_BIN init --data $DATA --demo --format json > /dev/null
args: catalog export --data $DATA
exit: 0
stdout-json: true
stdout-contains: "khomun_catalog": 1
stdout-contains: "name":"digital-budget-2567","agency":"mdes","owner":"malee.owner"
stdout-contains: "confirmed":true,"cia":"low,medium,medium"
stdout-contains: แผนงบประมาณบูรณาการรัฐบาลดิจิทัล
