# description: revoking a token id that does not exist is not found (3)
setup: init
args: token revoke 01890000-0000-7000-8000-000000000000 --data $DATA
exit: 3
stderr-contains: 01890000-0000-7000-8000-000000000000
