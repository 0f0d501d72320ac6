# description: --expires 5x is invalid input on expires
setup: init
args: token create --user admin --expires 5x --data $DATA
exit: 5
stderr-contains: expires:
stdout-not-contains: khm_
