# description: 'serve --log-level loud' is invalid input, rejected before anything listens
setup: init
args: serve --log-level loud --data $DATA
exit: 5
stderr-contains: log-level:
stderr-not-contains: listening on
