# description: PDPA s.19 — a grant recorded from the command line is what the next check answers from
before: init --data $DATA --demo
before: consent grant --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter --method verbal-recorded
args: consent check --data $DATA --agency mdes --subject 3-1006-00000-00-5 --purpose e-newsletter
exit: 0
stdout-starts-with: allow: e-newsletter
