# description: $KHOMUN_DATA is the default data directory
setup: init
env: KHOMUN_DATA=$DATA
args: agency list
exit: 0
stdout-contains: demo
