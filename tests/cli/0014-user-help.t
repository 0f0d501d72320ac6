# description: 'khomun user --help' prints the usage on stdout and does nothing else
args: user --help
exit: 0
stdout-starts-with: Usage: khomun user add
