# description: 'serve --consent-staleness-ms 5s' (not a whole number of milliseconds) is invalid input naming the option
setup: init
args: serve --consent-staleness-ms 5s --data $DATA
exit: 5
stderr-contains: consent-staleness-ms:
stderr-not-contains: listening on
