# description: user list --agency with an unknown agency is invalid input
setup: init
args: user list --agency nope --data $DATA
exit: 5
stderr-contains: agency: unknown agency 'nope'
