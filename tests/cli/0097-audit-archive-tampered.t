# description: audit archive refuses a chain that does not verify up to --before: exit 10, nothing archived, no file left
setup: init
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
before-sh: sqlite3 $DATA/khomun.db "UPDATE audit_event SET status=1 WHERE seq=1"
args: audit archive --before 2 --output $TMP/archive.jsonl --data $DATA
exit: 10
stderr-contains: does not verify up to event 2: modified at 1
stderr-contains: nothing was archived
not-exists: $TMP/archive.jsonl
