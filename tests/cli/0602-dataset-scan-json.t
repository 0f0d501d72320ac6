# description: dataset scan --format json prints the API's document: per resource status, findings by type, bytes and ms, the suggestion and the scan_disagrees flag
setup: init
before-sh: printf '%s' '{"khomun_catalog":1,"datasets":[{"name":"survey-2567","agency":"demo","metadata":{"data_type":"ข้อมูลระเบียน","title":"ผลสำรวจความพึงพอใจ ปี 2567","maintainer":"กองยุทธศาสตร์","maintainer_email":"data@agency.go.th","tag_string":["สำรวจ"],"notes":"ผลสำรวจความพึงพอใจต่อบริการภาครัฐ","objective":["พันธกิจหน่วยงาน"],"update_frequency_unit":"ปี","geo_coverage":"ประเทศ","data_source":"กองยุทธศาสตร์","data_format":["CSV"],"license_id":"Open Data Common","data_category":"ข้อมูลสาธารณะ"}}]}' > $TMP/cat.json && printf 'เลขประจำตัวประชาชน,ชื่อ-สกุล,โทรศัพท์\n1100600445639,สมชาย ใจดี,081-234-5678\n3100600445635,สมหญิง รักไทย,089-765-4321\n1234567890121,วิชัย มั่นคง,062-111-2233\n' > $TMP/people.csv && printf 'ปีงบประมาณ,โครงการ,งบประมาณ\n2567,ศูนย์ข้อมูลภาครัฐ,12500000\n2568,คลาวด์กลางภาครัฐ,48000000\n' > $TMP/budget.csv
before: catalog import $TMP/cat.json --data $DATA
before: resource add survey-2567 $TMP/people.csv --name ผู้ตอบแบบสำรวจ.csv --data $DATA
before: resource add survey-2567 $TMP/budget.csv --name งบประมาณ.csv --data $DATA
args: dataset scan survey-2567 --data $DATA --format json
exit: 0
stdout-json: true
stdout-contains: "max_bytes": 67108864
stdout-contains: "name": "ผู้ตอบแบบสำรวจ.csv"
stdout-contains: "status": "scanned"
stdout-contains: "type": "TH_TNIN"
stdout-contains: "category_th": "ข้อมูลส่วนบุคคล"
stdout-contains: "level_th": "ชั้นเผยแพร่ภายในองค์กร"
stdout-contains: "code": "scan_disagrees"
