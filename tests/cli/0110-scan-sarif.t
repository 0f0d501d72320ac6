# description: --format sarif writes one SARIF 2.1.0 document: a rule per detector, a result per finding with its location
stdin: ติดต่อ โทร 081-234-5678 อีเมล somchai@example.com
args: scan --format sarif -
exit: 0
stdout-contains: "version":"2.1.0","runs":[{"tool":{"driver":{"name":"khomun","version":"0.1.0"
stdout-contains: {"id":"TH_TNIN","name":"TH_TNIN",
stdout-contains: "ruleId":"PHONE_NUMBER",
stdout-contains: "region":{"startLine":1,"byteOffset":29,"byteLength":12}
stdout-contains: "invocations":[{"executionSuccessful":true}]}]}
stdout-not-contains: 081-234-5678
