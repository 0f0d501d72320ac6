# description: user add with a bad email is invalid input naming the field
setup: init
args: user add --name somchai --agency demo --role analyst --email nope --data $DATA
exit: 5
stderr-contains: khomun: error: invalid input
stderr-contains:   email:
stdout-not-contains: created
