# description: dataset scan reads both files of a dataset declared public and prints per file the status, bytes, time and types found, then the suggestion ข้อมูลส่วนบุคคล / ชั้นเผยแพร่ภายในองค์กร (thai-rules.md §2.2-2.3) and the scan_disagrees flag
setup: init
before-sh: printf '%s' '{"khomun_catalog":1,"datasets":[{"name":"survey-2567","agency":"demo","metadata":{"data_type":"ข้อมูลระเบียน","title":"ผลสำรวจความพึงพอใจ ปี 2567","maintainer":"กองยุทธศาสตร์","maintainer_email":"data@agency.go.th","tag_string":["สำรวจ"],"notes":"ผลสำรวจความพึงพอใจต่อบริการภาครัฐ","objective":["พันธกิจหน่วยงาน"],"update_frequency_unit":"ปี","geo_coverage":"ประเทศ","data_source":"กองยุทธศาสตร์","data_format":["CSV"],"license_id":"Open Data Common","data_category":"ข้อมูลสาธารณะ"}}]}' > $TMP/cat.json && printf 'เลขประจำตัวประชาชน,ชื่อ-สกุล,โทรศัพท์\n1100600445639,สมชาย ใจดี,081-234-5678\n3100600445635,สมหญิง รักไทย,089-765-4321\n1234567890121,วิชัย มั่นคง,062-111-2233\n' > $TMP/people.csv && printf 'ปีงบประมาณ,โครงการ,งบประมาณ\n2567,ศูนย์ข้อมูลภาครัฐ,12500000\n2568,คลาวด์กลางภาครัฐ,48000000\n' > $TMP/budget.csv
before: catalog import $TMP/cat.json --data $DATA
before: resource add survey-2567 $TMP/people.csv --name ผู้ตอบแบบสำรวจ.csv --data $DATA
before: resource add survey-2567 $TMP/budget.csv --name งบประมาณ.csv --data $DATA
args: dataset scan survey-2567 --data $DATA
exit: 0
stdout-contains: 2 resources, 2 scanned, 0 skipped, 0 failed
stdout-contains: TH_TNIN×3, PHONE_NUMBER×3
stdout-contains: classification: ข้อมูลสาธารณะ / เปิดเผย (public / public), not confirmed
stdout-contains: suggested:      ข้อมูลส่วนบุคคล / ชั้นเผยแพร่ภายในองค์กร (personal / internal)
stdout-contains: flag:           scan_disagrees: ผลการตรวจทรัพยากรพบข้อมูลส่วนบุคคล
stdout-contains: personal data:  found
