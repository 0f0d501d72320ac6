# description: 'agency list' on a data directory that was never initialised is 3 with a hint
args: agency list --data $DATA
exit: 3
stderr-contains: not an initialised data directory
stderr-contains: khomun init --data $DATA
not-exists: $DATA
