# description: 'serve --threads 0' is invalid input, rejected before anything listens
setup: init
args: serve --threads 0 --data $DATA
exit: 5
stderr-contains: threads:
stderr-not-contains: listening on
