# description: --age must be a whole number: a field error naming age
before: init --data $DATA --demo
args: consent grant --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter --method written --age สิบ
exit: 5
stderr-contains: age: must be a whole number
stderr-contains: อายุต้องเป็นจำนวนเต็ม
