# description: an unknown option of 'agency list' is a usage error with a hint at 'agency --help'
args: agency list --bogus --data $DATA
exit: 2
stderr-contains: unknown option '--bogus'
stderr-contains: Try 'khomun agency --help'.
not-exists: $DATA
