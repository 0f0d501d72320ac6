# description: an unknown option of 'init' is a usage error with a hint at 'init --help'
args: init --bogus --data $DATA
exit: 2
stderr-contains: unknown option '--bogus'
stderr-contains: Try 'khomun init --help'.
not-exists: $DATA
