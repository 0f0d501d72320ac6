# description: agency set refuses a parent that would make a cycle (mdes under dga, which is under mdes); nothing changes
before: init --data $DATA --demo
args: agency set mdes --parent dga --data $DATA
exit: 5
stderr-contains: parent: 'dga' is under this agency already
stderr-contains: (หน่วยงานต้นสังกัดนี้อยู่ภายใต้หน่วยงานนี้เอง (วนซ้ำ))
