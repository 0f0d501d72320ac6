# description: audit archive moves events 1..2 (both checkpointed) to a new file and says where the chain goes on
setup: init
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
args: audit archive --before 2 --output $TMP/archive.jsonl --data $DATA
exit: 0
stdout-starts-with: audit: archived events 1..2 (2 events, 2 checkpoints) to $TMP/archive.jsonl
stdout-contains: the chain continues after anchor 2
stdout-contains: event 3 (audit.archive) records archive 1
stdout-not-contains: rounded
exists: $TMP/archive.jsonl
