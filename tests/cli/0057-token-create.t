# description: token create prints the token once
setup: init
args: token create --user admin --expires 12h --data $DATA
exit: 0
stdout-contains: for admin (expires 2
stdout-contains: shown once
stdout-contains: khm_
