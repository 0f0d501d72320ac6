# description: agency without add or list is a usage error
args: agency
exit: 2
stderr-contains: Try 'khomun agency --help'.
