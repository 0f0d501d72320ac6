# description: help takes --data like every command (and never reads it)
args: help token --data $DATA
exit: 0
stdout-contains: Command: khomun token
not-exists: $DATA
