# description: PDPA s.19 para 5 — the withdrawal gets its own signed receipt (consentEvent withdrawn) that verifies offline
before: init --data $DATA --demo
before: consent grant --data $DATA --agency mdes --subject 3100600000005 --purpose training-health-screening --method written --explicit
before: consent withdraw --data $DATA --agency mdes --subject 3100600000005 --purpose training-health-screening --receipt $TMP/w.json
args: consent verify $TMP/w.json
exit: 0
stdout-starts-with: receipt: VALID
stdout-contains: (withdrawn at
stdout-contains: purpose   training-health-screening
