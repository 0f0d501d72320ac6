# description: s.30 — a request received 23:30 on 31 Jan Bangkok time is due 2 March (Thai date in the table)
setup: init
before: requests add --data $DATA --agency demo --type access --channel counter --subject 1-1037-02071-81-1 --received-at 2026-01-31T23:30:00+07:00
args: requests list --data $DATA
exit: 0
stdout-contains: กำหนด (พ.ศ.)
stdout-contains: 2 มีนาคม 2569
stdout-contains: access
stdout-contains: overdue
stdout-not-contains: 1103702071811
