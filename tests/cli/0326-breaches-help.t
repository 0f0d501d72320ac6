# description: breaches --help prints the usage and the 72-hour rule
args: breaches --help
exit: 0
stdout-contains: Usage: khomun breaches list [--open] [--agency AGENCY] [--format table|json]
stdout-contains: within 72 hours
