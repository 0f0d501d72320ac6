# description: dataset quality --recompute of a dataset that does not exist exits 3 and writes nothing
setup: init
args: dataset quality no-such-dataset --recompute --data $DATA
exit: 3
stderr-contains: no dataset 'no-such-dataset'
