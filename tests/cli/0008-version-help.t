# description: 'khomun version --help' prints the usage on stdout and does nothing else
args: version --help
exit: 0
stdout-starts-with: Usage: khomun version
