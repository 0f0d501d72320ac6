# description: PDPA s.20 — a minor of 8 through the holder of parental responsibility: recorded, the receipt names the guardian's relation
before: init --data $DATA --demo
args: consent grant --data $DATA --agency mdes --subject 1100600000009 --purpose e-newsletter --method written --age 8 --given-by guardian --guardian 1101000000009 --guardian-relation บิดา --format json
exit: 0
stdout-json: true
stdout-contains: "given_by": "guardian"
stdout-contains: "relation": "บิดา"
stdout-contains: "age": 8
stdout-not-contains: 1101000000009
