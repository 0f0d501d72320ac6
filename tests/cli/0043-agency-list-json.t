# description: agency list --format json is a JSON array of agency records
setup: init
before: agency add --slug moe --name-th กระทรวงศึกษาธิการ --data $DATA
args: agency list --data $DATA --format json
exit: 0
stdout-json: true
stdout-contains: "slug": "moe"
stdout-contains: "name_th": "กระทรวงศึกษาธิการ"
