# description: audit export --output never overwrites an existing file: exit 8
setup: init
setup: file $TMP/exists.jsonl
args: audit export --output $TMP/exists.jsonl --data $DATA
exit: 8
stderr-contains: $TMP/exists.jsonl
