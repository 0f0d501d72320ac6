# description: 'khomun token list --help' prints the usage on stdout and does nothing else
args: token list --help
exit: 0
stdout-starts-with: Usage: khomun token create
