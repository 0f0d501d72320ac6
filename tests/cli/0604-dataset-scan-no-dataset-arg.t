# description: dataset scan without DATASET is a usage error (exit 2)
setup: init
args: dataset scan --data $DATA
exit: 2
stderr-contains: dataset scan needs DATASET
