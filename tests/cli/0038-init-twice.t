# description: init on an initialised directory is refused with 4
setup: init
args: init --data $DATA
exit: 4
stderr-contains: already initialised
stdout-not-contains: khm_
