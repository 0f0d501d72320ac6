# description: token revoke without an ID is a usage error
setup: init
args: token revoke --data $DATA
exit: 2
stderr-contains: exactly one token ID
stderr-contains: Try 'khomun token --help'.
