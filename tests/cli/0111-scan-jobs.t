# description: --jobs 2 scans files in parallel; each file's table block still comes in name order (checked over 40 files in before-sh), then the total
before-sh: mkdir -p d && for i in $(seq 10 49); do printf 'โทร 081-234-56%s\n' $i > d/f$i.txt; done
before-sh: "$KHOMUN_BIN" scan --jobs 2 d > out.txt && [ "$(grep -c '^d/f' out.txt)" = 40 ] && grep -o '^d/f[0-9]*' out.txt | sort -c
args: scan --jobs 2 --format jsonl d
exit: 0
stdout-contains: "kind":"summary","files":40,"bytes":920,"findings":40,"errors":0,
