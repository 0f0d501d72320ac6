# description: scan a CSV with Thai headers: a table per file naming the columns and their types
before-sh: printf 'ชื่อ,เลขประจำตัวประชาชน,โทรศัพท์\nนายสมชาย ใจดี,1-2345-67890-12-1,081-234-5678\nนางสาวศรี สุข,1234567890122,021234567\n' > a.csv
args: scan a.csv
exit: 0
stdout-contains: a.csv: csv,
stdout-contains: 2 rows, 5 findings, personal -> ข้อมูลส่วนบุคคล / ชั้นเผยแพร่ภายในองค์กร
stdout-contains: PERSON
stdout-contains: TH_TNIN
stdout-contains: 1/2
stdout-contains: PHONE_NUMBER
stdout-contains: scanned 1 file,
stdout-not-contains: 1234567890122
