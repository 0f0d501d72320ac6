# description: resource --help prints the four subcommands and exits 0
args: resource --help
exit: 0
stdout-contains: Usage: khomun resource add DATASET FILE [--name NAME] [--format FORMAT]
stdout-contains: khomun resource download DATASET RESOURCE [--output FILE]
