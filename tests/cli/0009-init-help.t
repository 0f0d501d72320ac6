# description: 'khomun init --help' prints the usage on stdout and does nothing else
args: init --help
exit: 0
stdout-starts-with: Usage: khomun init [OPTIONS]
not-exists: khomun-data
