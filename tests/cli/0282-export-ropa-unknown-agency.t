# description: export ropa --agency naming no agency fails with exit 3 and writes nothing
setup: init
args: export ropa --agency nope --output $TMP/r.json --data $DATA
exit: 3
stderr-contains: no agency 'nope'
not-exists: $TMP/r.json
