# description: requests --help prints the usage with the subcommands and the deadline rule
args: requests --help
exit: 0
stdout-contains: Usage: khomun requests list [--overdue | --due-soon | --due-within DAYS]
stdout-contains: khomun requests transition ID --to STATUS
stdout-contains: end of the Bangkok day 30 days (erasure: 90)
