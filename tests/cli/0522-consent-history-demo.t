# description: PDPA s.31 — the history of the demo subject 1101000000009: the newsletter and the explicit health consent, each with a signed receipt
before: init --data $DATA --demo
args: consent history --data $DATA --agency mdes --subject 1101000000009
exit: 0
stdout-contains: : 2 consent events
stdout-contains: e-newsletter
stdout-contains: training-health-screening
stdout-contains: v1 explicit
stdout-contains: signed
stdout-not-contains: 1101000000009
