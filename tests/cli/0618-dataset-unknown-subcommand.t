# description: an unknown dataset subcommand is a usage error naming the three (exit 2)
args: dataset rescan x
exit: 2
stderr-contains: scan, quality, classification
