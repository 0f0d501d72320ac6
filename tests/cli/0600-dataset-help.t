# description: dataset --help prints the three subcommands and exits 0
args: dataset --help
exit: 0
stdout-contains: Usage: khomun dataset scan DATASET [--format table|json]
stdout-contains: khomun dataset quality DATASET [--recompute] [--format table|json]
stdout-contains: khomun dataset classification DATASET [--format table|json]
