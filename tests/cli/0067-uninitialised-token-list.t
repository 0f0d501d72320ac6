# description: 'token list' on a data directory that was never initialised is 3 with a hint
args: token list --data $DATA
exit: 3
stderr-contains: not an initialised data directory
stderr-contains: khomun init --data $DATA
not-exists: $DATA
