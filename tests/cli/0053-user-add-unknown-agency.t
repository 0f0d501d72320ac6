# description: user add with an agency that does not exist is invalid input on agency
setup: init
args: user add --name somchai --agency nope --role analyst --data $DATA
exit: 5
stderr-contains: agency: unknown agency 'nope'
