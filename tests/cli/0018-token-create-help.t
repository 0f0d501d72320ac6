# description: 'khomun token create --help' prints the usage on stdout and does nothing else
args: token create --help
exit: 0
stdout-starts-with: Usage: khomun token create
