# description: dataset classification of a dataset that does not exist exits 3
setup: init
args: dataset classification no-such-dataset --data $DATA
exit: 3
stderr-contains: no dataset 'no-such-dataset'
