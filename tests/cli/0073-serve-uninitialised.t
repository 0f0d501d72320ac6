# description: serve without --demo on a missing data directory is 3 with a hint at init
args: serve --listen 127.0.0.1:0 --data $DATA
exit: 3
stderr-contains: khomun init --data $DATA
stderr-not-contains: listening on
not-exists: $DATA
