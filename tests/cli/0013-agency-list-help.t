# description: 'khomun agency list --help' prints the usage on stdout and does nothing else
args: agency list --help
exit: 0
stdout-starts-with: Usage: khomun agency add
