# description: 'khomun agency --help' prints the usage on stdout and does nothing else
args: agency --help
exit: 0
stdout-starts-with: Usage: khomun agency add
