# description: scan without a path is a usage error
args: scan
exit: 2
stderr-contains: say what to scan
stderr-contains: Try 'khomun scan --help'.
