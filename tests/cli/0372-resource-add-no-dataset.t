# description: resource add to a dataset that does not exist stores nothing and exits 3
setup: init
before-sh: printf 'a,b\n1,2\n' > $TMP/x.csv
args: resource add no-such-dataset $TMP/x.csv --data $DATA
exit: 3
stderr-contains: no dataset 'no-such-dataset'
