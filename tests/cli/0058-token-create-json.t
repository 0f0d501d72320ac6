# description: token create --format json has the token record and the secret
setup: init
args: token create --user admin --name ci --expires 30d --data $DATA --format json
exit: 0
stdout-json: true
stdout-contains: "token": "khm_
stdout-contains: "name": "ci"
stdout-not-contains: hash
