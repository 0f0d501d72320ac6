# description: export ropa --output never overwrites a file (exit 4)
setup: init
before-sh: printf 'keep' > $TMP/r.csv
args: export ropa --format csv --output $TMP/r.csv --data $DATA
exit: 4
stderr-contains: exists
