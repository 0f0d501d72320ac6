# description: --format jsonl writes finding, column, file and summary records in the documented shape
before-sh: printf 'ชื่อ,เลขประจำตัวประชาชน\nนายก,1-2345-67890-12-1\n' > a.csv
args: scan --format jsonl a.csv
exit: 0
stdout-starts-with: {"kind":"finding","file":"a.csv","type":"TH_TNIN","start":
stdout-contains: "line":2,"row":0,"field":"เลขประจำตัวประชาชน","score":0.99,"pdpa":"personal","value":"1-2345-XXXXX-XX-1"}
stdout-contains: {"kind":"column","file":"a.csv","index":1,"field":"เลขประจำตัวประชาชน","type":"TH_TNIN","rows":1,"matched":1,"share":1.00,"score":0.99,"pdpa":"personal","sensitive":[]}
stdout-contains: "types":{"TH_TNIN":1},"pdpa":"personal","sensitive":[],"suggested_category":"ข้อมูลส่วนบุคคล","suggested_classification":"ชั้นเผยแพร่ภายในองค์กร"
stdout-contains: {"kind":"summary","files":1,
