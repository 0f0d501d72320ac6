# description: token list shows the init token and a new one, never a secret
setup: init
before: token create --user admin --name ci --data $DATA
args: token list --data $DATA --format json
exit: 0
stdout-json: true
stdout-contains: "name": "init"
stdout-contains: "name": "ci"
stdout-not-contains: khm_
