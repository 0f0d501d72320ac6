# description: export ropa --output writes the file (the demo's moph activity with its s.29 safeguards)
before: init --data $DATA --demo
args: export ropa --format csv --agency moph --output $TMP/moph.csv --data $DATA
exit: 0
exists: $TMP/moph.csv
