# description: PDPA s.19 para 5 — withdrawal takes the same shape as the grant and the next check denies at once
before: init --data $DATA --demo
before: consent grant --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter --method written
before: consent withdraw --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter
args: consent check --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter
exit: 1
stdout-contains: reason   withdrawn:
