# description: the archive file of a first archive (no anchor line) verifies offline with only the public key
setup: init
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
before: audit archive --before 2 --output $TMP/archive.jsonl --data $DATA
before-sh: ! grep -q '"kind":"anchor"' $TMP/archive.jsonl
args: audit verify --export $TMP/archive.jsonl --public-key $DATA/keys/signing.pub
exit: 0
stdout-contains: audit: OK — 2 events and 2 checkpoints verified; head 2, last checkpoint at 2
