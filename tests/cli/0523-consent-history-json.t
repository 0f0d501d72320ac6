# description: history --format json: the subject's token and every event with its receipt (portable, s.31)
before: init --data $DATA --demo
args: consent history --data $DATA --agency mdes --subject 1102000168385 --format json
exit: 0
stdout-json: true
stdout-contains: "subject_token": "
stdout-contains: "action": "withdraw"
stdout-contains: "consentEvent": "withdrawn"
