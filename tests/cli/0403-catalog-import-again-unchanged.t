# description: importing the installation's own JSON export changes nothing (every dataset unchanged); --format json prints the counts
before-sh: $KHOMUN_BIN init --data $DATA --demo --format json > /dev/null && $KHOMUN_BIN catalog export --data $DATA --output $TMP/c.json
args: catalog import $TMP/c.json --data $DATA --format json
exit: 0
stdout-json: true
stdout-contains: "unchanged": 21
stdout-contains: "created": 0
