# description: a value given to an option that takes none is named plainly (no control bytes)
args: init --demo=1 --data $DATA
exit: 2
stderr-contains: khomun: error: option '--demo' takes no value
stderr-contains: Try 'khomun init --help'.
not-exists: $DATA
