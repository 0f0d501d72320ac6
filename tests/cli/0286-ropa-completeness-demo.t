# description: ropa completeness names the s.39 items an activity lacks (Thai and English) and the agency's figure
before: init --data $DATA --demo
args: ropa completeness --agency mdes --data $DATA
exit: 0
stdout-contains: agency mdes: 88% complete, 2 activities
stdout-contains: cctv 75%
stdout-contains: missing PDPA s.39(4): retention period / ระยะเวลาการเก็บรักษาข้อมูลส่วนบุคคล
stdout-not-contains: no_dpo
