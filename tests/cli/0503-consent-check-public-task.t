# description: PDPA s.24(4) — a purpose on the public task is allowed without a consent record, naming the basis
before: init --data $DATA --demo
args: consent check --data $DATA --agency mdes --subject 3100600000005 --purpose complaint-handling
exit: 0
stdout-starts-with: allow: complaint-handling
stdout-contains: basis    s24(4)
stdout-contains: reason   basis:
stdout-not-contains: consent  0
