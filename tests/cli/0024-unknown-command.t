# description: an unknown command is a usage error pointing at 'khomun help'
args: frobnicate --data $DATA
exit: 2
stderr-contains: khomun: error: unknown command 'frobnicate'
stderr-contains: Try 'khomun help'.
not-exists: $DATA
