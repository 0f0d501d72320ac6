# description: 'khomun token revoke --help' prints the usage on stdout and does nothing else
args: token revoke --help
exit: 0
stdout-starts-with: Usage: khomun token create
