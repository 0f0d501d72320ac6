# description: init --demo seeds an open request due in about 3 days, an overdue one, a fulfilled one, and a high-risk breach inside its 72 hours
before: init --data $DATA --demo --format json
args: requests list --data $DATA --due-soon
exit: 0
stdout-contains: verified
stdout-contains: 3d
