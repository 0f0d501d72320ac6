# description: catalog export --format csv --output writes GD-Catalog's columns then the khomun_ ones, with a BOM, renamed into place
before-sh: $KHOMUN_BIN init --data $DATA --demo --format json > /dev/null
args: catalog export --data $DATA --format csv --output catalog.csv
exit: 0
stderr-contains: exported 21 datasets to catalog.csv (csv)
exists: catalog.csv
not-exists: catalog.csv.tmp
