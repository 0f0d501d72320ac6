# description: PDPA s.26 para 1 — a purpose using health data needs explicit consent (--explicit); nothing recorded
before: init --data $DATA --demo
args: consent grant --data $DATA --agency mdes --subject 3100600000005 --purpose training-health-screening --method written
exit: 5
stderr-contains: explicit: purpose 'training-health-screening' uses sensitive data (s.26)
stderr-contains: (มาตรา 26)
