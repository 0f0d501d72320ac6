# description: 'khomun token --help' prints the usage on stdout and does nothing else
args: token --help
exit: 0
stdout-starts-with: Usage: khomun token create
