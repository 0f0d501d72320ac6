# description: agency add reports the new agency
setup: init
args: agency add --slug dga --name-th สำนักงานพัฒนารัฐบาลดิจิทัล --data $DATA
exit: 0
stdout-contains: agency dga created (id 0
