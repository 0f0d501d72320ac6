# description: an invalid --config file is reported field by field in English and Thai; nothing is scanned; exit 5
before-sh: printf '{"detectors":[{"name":"PHONE_NUMBER","pattern":"a","validator":"md5"},{"name":"OK_ONE"}]}' > det.json && printf 'x\n' > a.txt
args: scan --config det.json a.txt
exit: 5
stderr-contains: detectors[0].name: 'PHONE_NUMBER' is a built-in detector; choose another name (ซ้ำกับชนิดข้อมูลที่มีอยู่แล้ว)
stderr-contains: detectors[0].validator: must be one of none, th_id (Thai mod-11), luhn, mod97
stderr-contains: detectors[1].pattern: a regular expression of 1-4096 bytes is required
stdout-not-contains: a.txt
