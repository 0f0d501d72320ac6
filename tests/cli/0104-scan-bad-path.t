# description: an unreadable path is named on stderr, the other paths are still scanned, exit 8
before-sh: printf 'mail me: a.b@example.com\n' > ok.txt
args: scan --format jsonl nosuch.csv ok.txt
exit: 8
stderr-contains: khomun: error: cannot read nosuch.csv: No such file or directory
stdout-contains: "file":"ok.txt","type":"EMAIL_ADDRESS"
stdout-contains: "files":1,"bytes":25,"findings":1,"errors":1
