# description: 'khomun user list --help' prints the usage on stdout and does nothing else
args: user list --help
exit: 0
stdout-starts-with: Usage: khomun user add
