# description: without --data or $KHOMUN_DATA, init uses ./khomun-data
args: init
exit: 0
stdout-contains: Initialised khomun-data
exists: khomun-data/khomun.db
