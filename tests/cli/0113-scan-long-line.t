# description: a 9.2 MB single line is scanned in overlapping pieces in bounded memory: every value found, one notice
before-sh: for i in $(seq 1000 1999); do printf 'โทร 081-234-%s ' $i; done > part && for i in $(seq 1 400); do cat part; done > long.txt && rm part
args: scan --format jsonl --types PHONE_NUMBER long.txt
exit: 0
stdout-contains: "kind":"file","file":"long.txt","format":"text","encoding":"utf-8","gzip":false,"bytes":9200000,"rows":null,"findings":400000,
stdout-contains: "split":1,
stderr-contains: khomun: notice: long.txt: 1 line, record or value over 1 MiB scanned in pieces
