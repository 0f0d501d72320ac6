# description: 'user add' on a data directory that was never initialised is 3 with a hint
args: user add --name somchai --agency demo --role analyst --data $DATA
exit: 3
stderr-contains: not an initialised data directory
stderr-contains: khomun init --data $DATA
not-exists: $DATA
