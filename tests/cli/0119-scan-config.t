# description: --config adds custom detectors (docs/scan-config.md): a pattern with context words, a Luhn-validated one and a sensitive one, reported like built-in types
before-sh: printf '{"detectors":[{"name":"EMPLOYEE_ID","pattern":"\\\\bEMP-[0-9]{6}\\\\b","context":["รหัสพนักงาน"],"score":0.5},{"name":"MEMBER_CARD","pattern":"\\\\b[0-9]{4}( [0-9]{4}){3}\\\\b","validator":"luhn"},{"name":"CASE_NO","pattern":"คดีที่ [0-9]+/25[0-9]{2}","pdpa":"sensitive","sensitive":"criminal_record"}]}' > det.json
before-sh: printf 'รหัสพนักงาน EMP-123456\nบัตร 4111 1111 1111 1111 / 4111 1111 1111 1112\nคดีที่ 123/2566\n' > a.txt
args: scan --config det.json --show-values --format jsonl a.txt
exit: 0
stdout-contains: "type":"EMPLOYEE_ID","start":34,"end":44,"line":1,"row":null,"field":null,"score":0.70,"pdpa":"personal","value":"EMP-123456"}
stdout-contains: "type":"MEMBER_CARD"
stdout-contains: "value":"4111 1111 1111 1111"}
stdout-not-contains: 4111 1111 1111 1112
stdout-contains: "type":"CASE_NO",
stdout-contains: "pdpa":"sensitive","sensitive":"criminal_record","value":"คดีที่ 123/2566"}
stdout-contains: "types":{"EMPLOYEE_ID":1,"MEMBER_CARD":1,"CASE_NO":1},"pdpa":"sensitive","sensitive":["criminal_record"]
