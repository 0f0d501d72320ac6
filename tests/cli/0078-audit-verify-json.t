# description: audit verify --format json prints one JSON report with ok, counts and no kind
setup: init
args: audit verify --format json --data $DATA
exit: 0
stdout-json: true
stdout-contains: "ok": true
stdout-contains: "events": 1
stdout-contains: "kind": null
