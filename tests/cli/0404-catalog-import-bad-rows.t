# description: every bad row of a CSV import is listed by line and field in English and Thai; exit 5 and nothing is written
before-sh: $KHOMUN_BIN init --data $TMP/src --demo --format json > /dev/null && $KHOMUN_BIN catalog export --data $TMP/src --format csv | sed 's/ข้อมูลสถิติ,,แผนงบ/ข้อมูลสถิติX,,แผนงบ/; s/,nso,/,nosuch,/' > $TMP/bad.csv
setup: init
before: agency add --slug mdes --name-th กระทรวงดิจิทัล --data $DATA
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
before: user add --name malee.owner --agency mdes --role owner --data $DATA
args: catalog import $TMP/bad.csv --data $DATA
exit: 5
stderr-contains: row 2: metadata.data_type: Data Type (ประเภทชุดข้อมูล): 'ข้อมูลสถิติX' is not an allowed value
stderr-contains: row 12: agency: no such agency (ไม่พบหน่วยงานนี้)
stderr-contains: row 17: agency: no such agency
stdout-not-contains: created
