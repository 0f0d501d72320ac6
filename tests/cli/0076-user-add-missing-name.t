# description: user add without --name says the name is required (in English and Thai)
setup: init
args: user add --agency demo --role analyst --data $DATA
exit: 5
stderr-contains: name: is required
stderr-contains: ต้องระบุชื่อผู้ใช้
