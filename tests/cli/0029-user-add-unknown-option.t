# description: an unknown option of 'user add' is a usage error with a hint at 'user --help'
args: user add -x --data $DATA
exit: 2
stderr-contains: unknown option '-x'
stderr-contains: Try 'khomun user --help'.
not-exists: $DATA
