# description: --limit 0 is invalid input naming the field limit in English and Thai (exit 5)
before: init --data $DATA --demo
args: dataset search budget --limit 0 --data $DATA
exit: 5
stderr-contains: limit: must be an integer from 1 to 500
stderr-contains: จำนวนผลลัพธ์ต้องเป็นจำนวนเต็ม 1–500
