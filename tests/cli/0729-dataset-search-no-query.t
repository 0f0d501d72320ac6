# description: dataset search without QUERY is a usage error (exit 2)
setup: init
args: dataset search --data $DATA
exit: 2
stderr-contains: dataset search needs QUERY
