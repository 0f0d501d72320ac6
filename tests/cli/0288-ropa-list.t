# description: ropa list shows every activity of the demo record with its completeness
before: init --data $DATA --demo
args: ropa list --data $DATA
exit: 0
stdout-contains: citizen-complaints
stdout-contains: welfare-application
stdout-contains: 75%
