# description: an export format other than csv or json is a usage error
setup: init
args: catalog export --format xml --data $DATA
exit: 2
stderr-contains: --format must be csv or json, not 'xml'
