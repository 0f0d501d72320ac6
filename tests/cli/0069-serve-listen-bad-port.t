# description: 'serve --listen 127.0.0.1:99999' is invalid input, rejected before anything listens
setup: init
args: serve --listen 127.0.0.1:99999 --data $DATA
exit: 5
stderr-contains: listen:
stderr-not-contains: listening on
