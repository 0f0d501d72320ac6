# description: audit verify on a fresh init: the system.init event, signed by init's checkpoint
setup: init
args: audit verify --data $DATA
exit: 0
stdout-starts-with: audit: OK
stdout-contains: 1 events and 1 checkpoints verified; head 1, last checkpoint at 1
