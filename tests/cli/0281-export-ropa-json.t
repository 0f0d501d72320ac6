# description: export ropa (json by default) is one JSON document with every agency's activities, refusals and completeness
before: init --data $DATA --demo
args: export ropa --data $DATA
exit: 0
stdout-json: true
stdout-contains: "format":"khomun.ropa/1"
stdout-contains: "code":"chronic-care"
stdout-contains: "transfer_mechanism":"safeguards"
stdout-contains: "code":"no_dpo","section":"PDPA s.41"
