# description: grant --format json is the API's answer: purpose, consent (the token, never the ID) and the signed receipt
before: init --data $DATA --demo
args: consent grant --data $DATA --agency mdes --subject Somsri.Demo@Example.com --subject-type email --purpose e-newsletter --method electronic --format json
exit: 0
stdout-json: true
stdout-contains: "purpose": "e-newsletter"
stdout-contains: "action": "grant"
stdout-contains: "subject_type": "email"
stdout-contains: "consentEvent": "given"
stdout-not-contains: receipt_error
stdout-not-contains: somsri
