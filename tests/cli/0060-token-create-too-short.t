# description: --expires below 60 seconds is invalid input
setup: init
args: token create --user admin --expires 30s --data $DATA
exit: 5
stderr-contains: expires: must be between 60 seconds and 10 years
