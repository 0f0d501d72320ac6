# description: a CSV export imports into another installation with the same agencies and users: every dataset created, the confirmed classifications confirmed again
before-sh: $KHOMUN_BIN init --data $TMP/src --demo --format json > /dev/null && $KHOMUN_BIN catalog export --data $TMP/src --format csv --output $TMP/c.csv
setup: init
before: agency add --slug mdes --name-th กระทรวงดิจิทัล --data $DATA
before: agency add --slug dga --name-th สำนักงานพัฒนารัฐบาลดิจิทัล --data $DATA
before: agency add --slug nso --name-th สำนักงานสถิติแห่งชาติ --data $DATA
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
before: user add --name malee.owner --agency mdes --role owner --clearance secret --data $DATA
before: user add --name thanakorn.dga --agency dga --role owner --clearance secret --data $DATA
before: user add --name siriporn.nso --agency nso --role owner --data $DATA
before: user add --name wanpen.moph --agency moph --role owner --clearance secret --data $DATA
args: catalog import $TMP/c.csv --data $DATA
exit: 0
stdout-contains: 21 created, 0 updated, 0 unchanged, 10 classifications confirmed
