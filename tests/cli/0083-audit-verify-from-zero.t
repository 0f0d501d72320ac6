# description: audit verify --from 0 is an invalid value naming --from: exit 5
setup: init
args: audit verify --from 0 --data $DATA
exit: 5
stderr-contains: from
