# description: 'khomun help' lists all seven commands and the exit codes
args: help
exit: 0
stdout-starts-with: khomun
stdout-contains: Usage: khomun COMMAND [OPTIONS]
stdout-contains:   help      Show the commands, or one command's manual page
stdout-contains:   version   Print the version
stdout-contains:   init      Create a data directory
stdout-contains:   serve     Run the HTTP API and web UI
stdout-contains:   agency    Add and list agencies
stdout-contains:   user      Add and list users
stdout-contains:   token     Create, list and revoke API tokens
stdout-contains: 9 store unavailable
