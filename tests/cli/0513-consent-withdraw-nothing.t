# description: withdrawing a consent that does not exist is not found (exit 3), nothing changed
before: init --data $DATA --demo
args: consent withdraw --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter
exit: 3
stderr-contains: this subject has no consent to purpose 'e-newsletter' to withdraw
