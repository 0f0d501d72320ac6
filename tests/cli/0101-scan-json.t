# description: --format json is one document holding findings, columns, files and the summary
before-sh: printf 'อีเมล,โทร\nsomchai@example.com,0812345678\n' > a.csv
args: scan --format json a.csv
exit: 0
stdout-json: true
stdout-contains: "value":"s****@example.com"
stdout-contains: "value":"08X-XXX-5678"
stdout-contains: "columns":[{"kind":"column","file":"a.csv","index":0,"field":"อีเมล","type":"EMAIL_ADDRESS","rows":1,"matched":1
stdout-contains: "summary":{"kind":"summary","files":1,
