# description: a directory is scanned recursively in name order; binary files are skipped with a notice
before-sh: mkdir -p d/sub && printf 'tel 0812345678\n' > d/b.txt && printf 'x 192.168.1.20\n' > d/sub/c.txt && printf 'a\0b 0812345678' > d/bin.dat
args: scan --format jsonl d
exit: 0
stdout-contains: "file":"d/b.txt","type":"PHONE_NUMBER"
stdout-contains: "file":"d/sub/c.txt","type":"IP_ADDRESS"
stdout-contains: "kind":"summary","files":2,
stderr-contains: khomun: notice: d/bin.dat: binary file skipped
