# description: user add with a bad name is invalid input naming the field
setup: init
args: user add --name Somchai --agency demo --role analyst --data $DATA
exit: 5
stderr-contains: khomun: error: invalid input
stderr-contains:   name:
stdout-not-contains: created
