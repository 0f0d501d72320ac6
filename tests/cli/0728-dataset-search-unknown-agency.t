# description: an unknown --agency is invalid input naming the field agency (exit 5), nothing printed on stdout
before: init --data $DATA --demo
args: dataset search budget --agency no-such-agency --data $DATA
exit: 5
stderr-contains: agency: unknown agency 'no-such-agency'
stderr-contains: ไม่พบหน่วยงานนี้
stdout-not-contains: digital-budget-2567
