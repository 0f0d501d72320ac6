# description: 'serve --audit-window 50' (under 100 ms) is invalid input naming the option, rejected before anything listens
setup: init
args: serve --audit-window 50 --data $DATA
exit: 5
stderr-contains: audit-window:
stderr-contains: 100-3600000
stderr-not-contains: listening on
