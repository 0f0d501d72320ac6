# description: 'serve --max-body 12' is invalid input, rejected before anything listens
setup: init
args: serve --max-body 12 --data $DATA
exit: 5
stderr-contains: max-body:
stderr-not-contains: listening on
