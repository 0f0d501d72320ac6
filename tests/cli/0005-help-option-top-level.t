# description: 'khomun --help' is 'khomun help'
args: --help
exit: 0
stdout-contains: Commands:
stdout-contains:   agency    Add and list agencies
