# description: audit archive never overwrites an existing file: exit 8, and the file is left alone
setup: init
setup: file $TMP/exists.jsonl
args: audit archive --before 1 --output $TMP/exists.jsonl --data $DATA
exit: 8
stderr-contains: cannot create $TMP/exists.jsonl
exists: $TMP/exists.jsonl
