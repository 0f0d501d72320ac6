# description: 'khomun help --help' prints the usage of help
args: help --help
exit: 0
stdout-starts-with: Usage: khomun help [COMMAND]
