# description: 'khomun agency add --help' prints the usage on stdout and does nothing else
args: agency add --help
exit: 0
stdout-starts-with: Usage: khomun agency add
