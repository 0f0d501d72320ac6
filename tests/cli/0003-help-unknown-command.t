# description: 'khomun help nope' is a usage error naming the command
args: help nope
exit: 2
stdout-not-contains: Usage
stderr-contains: khomun: error: unknown command 'nope'
stderr-contains: Try 'khomun help
