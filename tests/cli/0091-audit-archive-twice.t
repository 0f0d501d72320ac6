# description: a second archive continues from the first anchor; its file starts with that anchor and verifies offline
setup: init
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
before: audit archive --before 2 --output $TMP/a1.jsonl --data $DATA
before: agency add --slug mof --name-th กระทรวงการคลัง --data $DATA
before: audit archive --before 4 --output $TMP/a2.jsonl --data $DATA
before-sh: grep -q '"kind":"anchor","seq":2,' $TMP/a2.jsonl
args: audit verify --export $TMP/a2.jsonl --public-key $DATA/keys/signing.pub
exit: 0
stdout-contains: audit: OK — 2 events and 3 checkpoints verified after anchor 2; head 4
