# description: 'init --data' without a value is a usage error
args: init --data
exit: 2
stderr-contains: option '--data' needs a value
stderr-contains: Try 'khomun init --help'.
not-exists: khomun-data
