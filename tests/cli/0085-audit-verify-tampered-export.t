# description: an edited export is found offline: exit 10 with the kind
setup: init
before: audit export --output $TMP/audit.jsonl --data $DATA
before-sh: sed -i 's/"outcome":"success"/"outcome":"failure"/' $TMP/audit.jsonl
args: audit verify --export $TMP/audit.jsonl --public-key $DATA/keys/signing.pub
exit: 10
stdout-contains: audit: TAMPERED — modified
