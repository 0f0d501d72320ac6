# description: an unknown option of 'token create' is a usage error with a hint at 'token --help'
args: token create --bogus --data $DATA
exit: 2
stderr-contains: unknown option '--bogus'
stderr-contains: Try 'khomun token --help'.
not-exists: $DATA
