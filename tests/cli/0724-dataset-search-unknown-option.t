# description: an unknown option of dataset search is a usage error (exit 2) naming it
before: init --data $DATA --demo
args: dataset search budget --agnecy mdes --data $DATA
exit: 2
stderr-contains: --agnecy
stdout-not-contains: digital-budget-2567
