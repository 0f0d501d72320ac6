# description: --before between checkpoints is rounded down to the newest checkpoint at or before it, and says so
setup: init
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
before: agency add --slug mof --name-th กระทรวงการคลัง --data $DATA
before-sh: sqlite3 $DATA/khomun.db "DELETE FROM audit_checkpoint WHERE event_seq = 2"
args: audit archive --before 2 --output $TMP/archive.jsonl --format json --data $DATA
exit: 0
stdout-json: true
stdout-contains: "last_seq": 1,
stdout-contains: "requested": 2,
stdout-contains: "rounded": true,
