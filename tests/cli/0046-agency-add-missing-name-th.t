# description: agency add without --name-th is invalid input naming name_th
setup: init
args: agency add --slug moe --data $DATA
exit: 5
stderr-contains: name_th: is required
