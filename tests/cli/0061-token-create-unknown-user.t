# description: token create for a user that does not exist is invalid input on user
setup: init
args: token create --user nobody --data $DATA
exit: 5
stderr-contains: user: unknown user 'nobody'
stdout-not-contains: khm_
