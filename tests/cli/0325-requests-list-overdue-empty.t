# description: --overdue and --due-soon together are a usage error
setup: init
args: requests list --data $DATA --overdue --due-soon
exit: 2
stderr-contains: --overdue and --due-soon/--due-within exclude each other
