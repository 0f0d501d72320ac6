# description: user add with a bad role is invalid input naming the field
setup: init
args: user add --name somchai --agency demo --role king --data $DATA
exit: 5
stderr-contains: khomun: error: invalid input
stderr-contains:   role:
stdout-not-contains: created
