# description: a GD-Catalog format over 100 characters is refused naming the field, in English and Thai; exit 5
before: init --data $DATA --demo --format json
before-sh: printf 'a,b\n1,2\n' > $TMP/x.csv
args: resource add staff-directory $TMP/x.csv --format AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA --data $DATA
exit: 5
stderr-contains: format
