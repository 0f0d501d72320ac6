# description: received → fulfilled is not a transition of the workflow; nothing changes (exit 5)
setup: init
before-sh: $KHOMUN_BIN requests add --data $DATA --agency demo --type erasure --channel web --subject 1103702071811 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' > $TMP/id
before-sh: $KHOMUN_BIN requests transition $(cat $TMP/id) --data $DATA --to fulfilled 2> $TMP/err; test $? -eq 5 && grep -q "cannot go from 'received' to 'fulfilled'" $TMP/err
args: requests list --data $DATA --status received --format json
exit: 0
stdout-json: true
stdout-contains: "status": "received"
stdout-contains: "days": 90
