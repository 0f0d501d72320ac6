# description: no command at all is a usage error (2) that still shows the command list
args:
exit: 2
stdout-contains: Usage: khomun COMMAND [OPTIONS]
stdout-contains:   serve     Run the HTTP API and web UI
stdout-contains:   token     Create, list and revoke API tokens
