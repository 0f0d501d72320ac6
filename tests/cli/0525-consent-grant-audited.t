# description: a grant from the command line is audited as consent.grant by cli:<login>, the subject never in clear
before: init --data $DATA --demo
before: consent grant --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter --method written
args: audit export --data $DATA
exit: 0
stdout-contains: "action":"consent.grant"
stdout-contains: "actor":{"user":"cli:
stdout-not-contains: 3100600000005
