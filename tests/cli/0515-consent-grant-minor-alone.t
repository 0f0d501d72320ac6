# description: PDPA s.20 — a minor of 8 cannot consent alone: a field error naming guardian
before: init --data $DATA --demo
args: consent grant --data $DATA --agency mdes --subject 1100600000009 --purpose e-newsletter --method written --age 8
exit: 5
stderr-contains: guardian: a minor of 8 (not over 10) cannot consent alone
stderr-contains: มาตรา 20
