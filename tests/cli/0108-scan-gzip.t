# description: gzip input is recognised by its magic bytes; a .csv.gz is read as CSV
before-sh: printf 'ชื่อ,โทรศัพท์\nสมชาย,081-234-5678\nสมหญิง,02-123-4567\n' > p.csv && gzip p.csv
args: scan --format jsonl --show-values p.csv.gz
exit: 0
stdout-contains: "field":"โทรศัพท์","score":
stdout-contains: "value":"081-234-5678"
stdout-contains: "kind":"file","file":"p.csv.gz","format":"csv","encoding":"utf-8","gzip":true
stdout-contains: "rows":2,"findings":4,
