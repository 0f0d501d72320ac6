# description: export ropa --format csv writes Thai headers with the eight PDPA s.39 items in order, one row per activity
before: init --data $DATA --demo
args: export ropa --format csv --agency mdes --data $DATA
exit: 0
stdout-contains: หน่วยงาน,รหัสกิจกรรม,กิจกรรมการประมวลผล,บทบาท,ข้อมูลส่วนบุคคลที่มีการเก็บรวบรวม,วัตถุประสงค์ของการเก็บรวบรวมข้อมูลส่วนบุคคลแต่ละประเภท,ข้อมูลเกี่ยวกับผู้ควบคุมข้อมูลส่วนบุคคล,ระยะเวลาการเก็บรักษาข้อมูลส่วนบุคคล,
stdout-contains: "การปฏิเสธคำขอหรือการคัดค้านตาม ม.30 ว.3, ม.31 ว.3, ม.32 ว.3 และ ม.36 ว.1"
stdout-contains: mdes,citizen-complaints,รับและติดตามเรื่องร้องเรียนของประชาชน,ผู้ควบคุมข้อมูลส่วนบุคคล
stdout-contains: mdes,cctv,กล้องวงจรปิดภายในอาคารสำนักงาน
stdout-not-contains: chronic-care
