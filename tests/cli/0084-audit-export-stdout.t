# description: audit export without --output writes JSON Lines to stdout: header, checkpoint, event
setup: init
args: audit export --data $DATA
exit: 0
stdout-starts-with: {"kind":"khomun-audit-export","version":1,"from":1,
stdout-contains: {"kind":"checkpoint","seq":1,"event_seq":1,
stdout-contains: "action":"system.init"
