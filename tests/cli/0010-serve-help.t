# description: 'khomun serve --help' prints the usage on stdout and does nothing else
args: serve --help
exit: 0
stdout-starts-with: Usage: khomun serve [OPTIONS]
stderr-not-contains: listening
