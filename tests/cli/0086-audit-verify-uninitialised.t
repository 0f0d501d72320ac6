# description: audit verify on a directory that was never initialised: exit 3 with the init hint
args: audit verify --data $DATA
exit: 3
stderr-contains: khomun init --data $DATA
stderr-contains: not an initialised data directory
not-exists: $DATA
