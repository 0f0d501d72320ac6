# description: dataset search ฝุ่น finds the PM2.5 dataset by the start of its word ฝุ่นละออง (the last word matches as a prefix)
before: init --data $DATA --demo
args: dataset search ฝุ่น --data $DATA
exit: 0
stdout-contains: air-quality-pm25-2567
stdout-contains: ค่าฝุ่นละออง PM2.5
stdout-contains: 1 dataset
