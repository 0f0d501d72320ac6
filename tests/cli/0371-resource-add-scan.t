# description: resource add stores a CSV of Thai personal data by its SHA-256 and prints its data map (TH_TNIN, PHONE_NUMBER, HEALTH)
before: init --data $DATA --demo --format json
before-sh: printf 'เลขประจำตัวประชาชน,โทรศัพท์,โรคประจำตัว\n1100600445639,081-234-5678,เบาหวาน\n3100600445635,089-765-4321,ความดันโลหิตสูง\n' > $TMP/p.csv
args: resource add staff-directory $TMP/p.csv --name patients.csv --data $DATA
exit: 0
stdout-contains: (patients.csv, CSV, 
stdout-contains: scan: scanned, personal data, sensitive (s.26)
stdout-contains: TH_TNIN
stdout-contains: PHONE_NUMBER
stdout-contains: HEALTH
