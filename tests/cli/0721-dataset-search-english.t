# description: dataset search budget (English title words) finds the one demo dataset with budget in its English title, with its agency's slug
before: init --data $DATA --demo
args: dataset search budget --data $DATA
exit: 0
stdout-contains: digital-budget-2567
stdout-contains: mdes
stdout-contains: 1 dataset
stdout-not-contains: procurement-contracts-2566
