# description: an unknown option of 'serve' is a usage error with a hint at 'serve --help'
args: serve --bogus --data $DATA
exit: 2
stderr-contains: unknown option '--bogus'
stderr-contains: Try 'khomun serve --help'.
not-exists: $DATA
stderr-not-contains: listening
