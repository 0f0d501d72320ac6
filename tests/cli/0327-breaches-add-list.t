# description: s.37(4) — a breach aware at 30 Jan 20:00 Bangkok is due at the Office 2 Feb 13:00 UTC (2 กุมภาพันธ์ 2569); overdue now
setup: init
before: breaches add --data $DATA --agency demo --aware-at 2026-01-30T20:00:00+07:00 --cia confidentiality,integrity --risk risk --description lost-laptop --subjects 40
args: breaches list --data $DATA --open
exit: 0
stdout-contains: 2026-02-02T13:00
stdout-contains: 2 กุมภาพันธ์ 2569
stdout-contains: overdue
