# description: an unknown option of 'version' is a usage error with a hint at 'version --help'
args: version --bogus --data $DATA
exit: 2
stderr-contains: unknown option '--bogus'
stderr-contains: Try 'khomun version --help'.
not-exists: $DATA
