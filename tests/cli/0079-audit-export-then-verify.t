# description: audit export to a file, then audit verify --export of it with only the public key
setup: init
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
before: audit export --output $TMP/audit.jsonl --data $DATA
args: audit verify --export $TMP/audit.jsonl --public-key $DATA/keys/signing.pub
exit: 0
stdout-starts-with: audit: OK
stdout-contains: 2 events and 2 checkpoints verified
