# description: audit archive --before 0 is an invalid value naming --before: exit 5
setup: init
args: audit archive --before 0 --output $TMP/archive.jsonl --data $DATA
exit: 5
stderr-contains: before
stderr-contains: ลำดับเหตุการณ์ต้องเป็นจำนวนเต็มบวก
not-exists: $TMP/archive.jsonl
