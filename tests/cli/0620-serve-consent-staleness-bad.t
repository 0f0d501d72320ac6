# description: 'serve --consent-staleness-ms 60001' (over a minute) is invalid input naming the option, rejected before anything listens
setup: init
args: serve --consent-staleness-ms 60001 --data $DATA
exit: 5
stderr-contains: consent-staleness-ms:
stderr-contains: 0-60000
stderr-not-contains: listening on
