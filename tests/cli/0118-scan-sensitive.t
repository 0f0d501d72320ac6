# description: s.26 sensitive columns (PDPA, thai-rules.md §1.4): findings masked as [TYPE], column and file records list "sensitive" and suggest ลับ; nationality (สัญชาติ) is not sensitive
before-sh: printf 'ชื่อ,ศาสนา,โรคประจำตัว,สัญชาติ\nนาย ก,พุทธ,เบาหวาน,ไทย\nนาง ข,-,ไม่มี,ไทย\n' > p.csv
args: scan --format jsonl p.csv
exit: 0
stdout-contains: "field":"ศาสนา","score":0.95,"pdpa":"sensitive","sensitive":"religion","value":"[RELIGION]"}
stdout-contains: "field":"โรคประจำตัว","score":0.95,"pdpa":"sensitive","sensitive":"health","value":"[HEALTH]"}
stdout-contains: {"kind":"column","file":"p.csv","index":1,"field":"ศาสนา","type":"RELIGION","rows":2,"matched":1,"share":0.50,"score":0.95,"pdpa":"sensitive","sensitive":["religion"]}
stdout-not-contains: "field":"สัญชาติ"
stdout-contains: "types":{"PERSON":2,"RELIGION":1,"HEALTH":1},"pdpa":"sensitive","sensitive":["religion","health"],"suggested_category":"ข้อมูลส่วนบุคคล","suggested_classification":"ลับ"
stdout-not-contains: ไทย
stdout-not-contains: เบาหวาน
