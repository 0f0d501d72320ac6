# description: after an archive, audit verify starts from the signed archive anchor
setup: init
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
before: audit archive --before 2 --output $TMP/archive.jsonl --data $DATA
args: audit verify --data $DATA
exit: 0
stdout-starts-with: audit: OK
stdout-contains: 1 events and 2 checkpoints verified after archive anchor 2; head 3
