# description: dataset search --format json prints one JSON document with the query, the API's dataset records and whether more follow
before: init --data $DATA --demo
args: dataset search budget --format json --data $DATA
exit: 0
stdout-json: true
stdout-contains: "query":"budget"
stdout-contains: "name":"digital-budget-2567"
stdout-contains: "more":false
