# description: grant --receipt FILE writes the receipt, which khomun consent verify checks offline (a purpose's own privacy notice)
before: init --data $DATA --demo
before: consent grant --data $DATA --agency mdes --subject 0812345678 --subject-type phone --purpose e-service-sms --method electronic --receipt $TMP/r.json
args: consent verify $TMP/r.json --format json
exit: 0
stdout-json: true
stdout-contains: "valid": true
stdout-contains: "purpose": "e-service-sms"
stdout-contains: "event": "given"
