# description: catalog import --dry-run checks every row and says what it would do, writing nothing
before-sh: $KHOMUN_BIN init --data $TMP/src --demo --format json > /dev/null && $KHOMUN_BIN catalog export --data $TMP/src --agency nso --output $TMP/nso.json
setup: init
before: agency add --slug nso --name-th สำนักงานสถิติแห่งชาติ --data $DATA
before: user add --name siriporn.nso --agency nso --role owner --data $DATA
args: catalog import --dry-run $TMP/nso.json --data $DATA
exit: 0
stdout-contains: dry run (nothing written): 6 created, 0 updated, 0 unchanged
