# description: a date in a birth-date column is personal with subtype date_of_birth, masked to its year; other dates are pdpa none
before-sh: printf 'ชื่อ,วันเกิด,วันที่บันทึก\nนายสมชาย ใจดี,15 มี.ค. 2530,2024-03-16 08:30\n' > a.csv
args: scan --format jsonl a.csv
exit: 0
stdout-contains: "field":"วันเกิด","score":0.99,"pdpa":"personal","subtype":"date_of_birth","value":"XX/XX/2530"}
stdout-contains: "field":"วันที่บันทึก","score":0.99,"pdpa":"none","value":"2024-XX-XX"}
stdout-contains: {"kind":"column","file":"a.csv","index":1,"field":"วันเกิด","type":"DATE_TIME","rows":1,"matched":1,"share":1.00,"score":0.99,"pdpa":"personal"
stdout-not-contains: 15 มี.ค.
