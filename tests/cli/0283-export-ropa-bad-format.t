# description: export ropa --format other than csv or json is a usage error
setup: init
args: export ropa --format xlsx --data $DATA
exit: 2
stderr-contains: --format must be csv or json, not 'xlsx'
