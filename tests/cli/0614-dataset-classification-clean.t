# description: a dataset whose files hold no personal data keeps its classification: no suggestion differs, no flag
setup: init
before-sh: printf '%s' '{"khomun_catalog":1,"datasets":[{"name":"budget-2567","agency":"demo","metadata":{"data_type":"ข้อมูลสถิติ","title":"งบประมาณ ปี 2567","maintainer":"กองคลัง","maintainer_email":"data@agency.go.th","tag_string":["งบประมาณ"],"notes":"งบประมาณรายโครงการ","objective":["พันธกิจหน่วยงาน"],"update_frequency_unit":"ปี","geo_coverage":"ประเทศ","data_source":"กองคลัง","data_format":["CSV"],"license_id":"Open Data Common","data_category":"ข้อมูลสาธารณะ"}}]}' > $TMP/b.json && printf 'ปี,งบประมาณ\n2567,1000\n' > $TMP/b.csv
before: catalog import $TMP/b.json --data $DATA
before: resource add budget-2567 $TMP/b.csv --data $DATA
before: dataset scan budget-2567 --data $DATA
args: dataset classification budget-2567 --data $DATA
exit: 0
stdout-contains: scans found:    no personal data
stdout-contains: suggested:      ข้อมูลสาธารณะ / เปิดเผย (public / public)
stdout-contains: flag:           none
stdout-not-contains: suggest  
