# description: agency with an unknown subcommand is a usage error naming it
args: agency delete --data $DATA
exit: 2
stderr-contains: unknown subcommand 'delete'
