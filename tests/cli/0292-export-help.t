# description: export --help prints the usage of export ropa
args: export --help
exit: 0
stdout-contains: Usage: khomun export ropa [--format csv|json] [--agency AGENCY] [--output FILE]
