# description: the same dataset name twice in one file is an error of the later row; nothing is written
before-sh: printf '{"datasets":[{"name":"dup-1","agency":"demo","metadata":{"data_type":"ข้อมูลสถิติ","title":"ก","maintainer":"ก","maintainer_email":"a@b.go.th","tag_string":["งบ"],"notes":"ก","objective":["พันธกิจหน่วยงาน"],"update_frequency_unit":"ปี","geo_coverage":"ประเทศ","data_source":"ก","data_format":["CSV"],"data_category":"ข้อมูลสาธารณะ","license_id":"Open Data Common"}},{"name":"dup-1","agency":"demo","metadata":{"title":"ข"}}]}' > $TMP/f.json
setup: init
args: catalog import $TMP/f.json --data $DATA
exit: 5
stderr-contains: datasets[1].name: appears twice in the file (an earlier row has this name) (ชื่อ URL นี้ซ้ำกับชุดข้อมูลก่อนหน้าในไฟล์เดียวกัน)
stdout-not-contains: created
