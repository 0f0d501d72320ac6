# description: init --format json prints one JSON object with the token and the first agency
args: init --data $DATA --format json
exit: 0
stdout-json: true
stdout-contains: "token": "khm_
stdout-contains: "slug": "demo"
stdout-contains: "name_th": "หน่วยงานสาธิต"
stdout-contains: "schema_version": 
