# description: check --format json is the API's answer (allow, basis, consent_id, reason_code, reason, reason_th); deny still exits 1
before: init --data $DATA --demo
args: consent check --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter --format json
exit: 1
stdout-json: true
stdout-contains: "allow": false
stdout-contains: "reason_code": "no_consent"
stdout-contains: "reason_th": "ไม่พบความยินยอมของเจ้าของข้อมูลสำหรับวัตถุประสงค์นี้ (มาตรา 19)"
stdout-contains: "consent_id": null
