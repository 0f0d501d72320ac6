# description: dataset search งบประมาณ on the demo catalog finds the budget plan and the procurement contracts (Thai words inside longer titles: แผนงบประมาณบูรณาการ, ปีงบประมาณ; issue 4 Search) and counts them
before: init --data $DATA --demo
args: dataset search งบประมาณ --data $DATA
exit: 0
stdout-contains: NAME
stdout-contains: CLASSIFICATION
stdout-contains: digital-budget-2567
stdout-contains: แผนงบประมาณบูรณาการรัฐบาลดิจิทัล
stdout-contains: procurement-contracts-2566
stdout-contains: ข้อมูลสาธารณะ / เปิดเผย
stdout-contains: 4 datasets
stdout-not-contains: air-quality-pm25-2567
