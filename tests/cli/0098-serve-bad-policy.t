# description: serve --policy with a malformed policy file exits 5 naming the rule, and never listens
setup: init
before-sh: printf '{"version":"x","rules":[{"id":"r","effect":"maybe","actions":["read-metadata"]}]}' > $TMP/policy.json
args: serve --policy $TMP/policy.json --listen 127.0.0.1:0 --data $DATA
exit: 5
stderr-contains: rules[0]
stderr-not-contains: listening on
