# description: a user name in use is refused with 4
setup: init
args: user add --name admin --agency demo --role analyst --data $DATA
exit: 4
stderr-contains: already exists
