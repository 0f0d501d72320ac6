# description: a search that matches nothing says so in English and Thai and exits 0
before: init --data $DATA --demo
args: dataset search ภูเขาน้ำแข็งขั้วโลก --data $DATA
exit: 0
stdout-contains: no dataset matches 'ภูเขาน้ำแข็งขั้วโลก'
stdout-contains: ไม่พบชุดข้อมูลที่ตรงกับคำค้นหา
stdout-not-contains: NAME
