# description: scan rejects an unknown --format value, naming all three
args: scan --format sarif x
exit: 2
stderr-contains: --format must be table, json or jsonl, not 'sarif'
