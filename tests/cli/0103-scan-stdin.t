# description: scan - reads stdin as text; --show-values prints the values found
stdin: log 1700000000002 ติดต่อ นายสมชาย โทร 081-234-5678 อีเมล somchai@example.com เลขบัตรประชาชน 3100600445635
args: scan --format jsonl --show-values -
exit: 0
stdout-contains: "file":"-","type":"PHONE_NUMBER"
stdout-contains: "value":"081-234-5678"
stdout-contains: "value":"somchai@example.com"
stdout-contains: "value":"3100600445635"
stdout-contains: "format":"text","encoding":"utf-8"
stdout-contains: "type":"PERSON"
stdout-contains: "value":"นายสมชาย"
stdout-contains: "rows":null,"findings":4,
stdout-not-contains: 1700000000002
