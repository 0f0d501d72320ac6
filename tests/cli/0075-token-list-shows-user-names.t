# description: token list shows the owner's user name, not only an id; --expires rejects " 60"
setup: init
before: token create --user admin --name nightly --expires 12h --data $DATA
args: token list --data $DATA
exit: 0
stdout-contains: nightly
stdout-contains: admin
stdout-contains: active
