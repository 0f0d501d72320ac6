# description: scan rejects an unknown --format value, naming all four
args: scan --format xml x
exit: 2
stderr-contains: --format must be table, json, jsonl or sarif, not 'xml'
