# description: 'khomun user add --help' prints the usage on stdout and does nothing else
args: user add --help
exit: 0
stdout-starts-with: Usage: khomun user add
