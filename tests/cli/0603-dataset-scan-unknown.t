# description: dataset scan of a dataset that does not exist changes nothing and exits 3
setup: init
args: dataset scan no-such-dataset --data $DATA
exit: 3
stderr-contains: no dataset 'no-such-dataset'
