# description: an event changed in the database file is found and named: exit 10, modified at 1
setup: init
before-sh: sqlite3 $DATA/khomun.db "UPDATE audit_event SET status=1 WHERE seq=1"
args: audit verify --data $DATA
exit: 10
stdout-contains: audit: TAMPERED — modified
stdout-contains: event 1 was modified
