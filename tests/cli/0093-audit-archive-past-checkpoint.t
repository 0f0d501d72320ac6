# description: --before past the newest checkpoint is refused naming --before, in English and Thai: exit 5, no file left
setup: init
args: audit archive --before 99 --output $TMP/archive.jsonl --data $DATA
exit: 5
stderr-contains: before: must be at or before the newest signed checkpoint, at event 1
stderr-contains: จุดตรวจสอบ
not-exists: $TMP/archive.jsonl
