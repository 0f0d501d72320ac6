# description: 'serve --listen nonsense' is invalid input, rejected before anything listens
setup: init
args: serve --listen nonsense --data $DATA
exit: 5
stderr-contains: listen:
stderr-not-contains: listening on
