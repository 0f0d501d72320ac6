# description: user add with a bad clearance is invalid input naming the field
setup: init
args: user add --name somchai --agency demo --role analyst --clearance ultra --data $DATA
exit: 5
stderr-contains: khomun: error: invalid input
stderr-contains:   clearance:
stdout-not-contains: created
