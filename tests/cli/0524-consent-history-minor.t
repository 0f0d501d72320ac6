# description: PDPA s.20 — the demo child's consent was given by the guardian
before: init --data $DATA --demo
args: consent history --data $DATA --agency mdes --subject 1102001514619 --format json
exit: 0
stdout-contains: "given_by": "guardian"
stdout-contains: "age": 9
stdout-contains: "guardian_relation": "มารดา"
