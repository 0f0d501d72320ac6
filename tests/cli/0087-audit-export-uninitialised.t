# description: audit export on a directory that was never initialised: exit 3, nothing written
args: audit export --output $TMP/a.jsonl --data $DATA
exit: 3
stderr-contains: khomun init --data $DATA
not-exists: $TMP/a.jsonl
