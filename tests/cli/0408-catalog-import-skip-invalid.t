# description: --skip-invalid imports the good rows and lists the bad ones (a bad value, a name twice in the file) as warnings
before-sh: printf '{"datasets":[{"name":"x"},{"name":"dup-1","agency":"demo","metadata":{"data_type":"ข้อมูลสถิติ","title":"ก","maintainer":"ก","maintainer_email":"a@b.go.th","tag_string":["งบ"],"notes":"ก","objective":["พันธกิจหน่วยงาน"],"update_frequency_unit":"ปี","geo_coverage":"ประเทศ","data_source":"ก","data_format":["CSV"],"data_category":"ข้อมูลสาธารณะ","license_id":"Open Data Common"}},{"name":"dup-1","agency":"demo","metadata":{"title":"ข"}}]}' > $TMP/f.json
setup: init
args: catalog import --skip-invalid $TMP/f.json --data $DATA
exit: 0
stdout-contains: 1 created, 0 updated, 0 unchanged, 0 classifications confirmed, 2 invalid rows skipped
stderr-contains: warning: 2 invalid rows skipped
stderr-contains: datasets[0].metadata: a GD-Catalog metadata object is required
stderr-contains: datasets[2].name: appears twice in the file
