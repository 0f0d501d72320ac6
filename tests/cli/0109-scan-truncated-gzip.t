# description: a truncated gzip file is an error for that file (what could be read is scanned); the other files are still scanned; exit 8
before-sh: seq 1 20000 | sed 's/^/โทร 081-234-5678 แถว /' | gzip > big.txt.gz && head -c 2000 big.txt.gz > cut.txt.gz && printf 'อีเมล a.b@example.com\n' > ok.txt
args: scan --format jsonl cut.txt.gz ok.txt
exit: 8
stderr-contains: khomun: error: cut.txt.gz: truncated gzip input: the compressed stream ends before its end marker
stdout-contains: "file":"ok.txt","type":"EMAIL_ADDRESS"
stdout-contains: "kind":"file","file":"cut.txt.gz","format":"text","encoding":"utf-8","gzip":true
stdout-contains: "kind":"summary","files":2,
stdout-contains: "errors":1,
