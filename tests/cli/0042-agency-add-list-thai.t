# description: agency add then agency list shows Thai names aligned in a table
setup: init
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --name-en MOPH --data $DATA
args: agency list --data $DATA
exit: 0
stdout-starts-with: SLUG
stdout-contains: หน่วยงานสาธิต
stdout-contains: moph  กระทรวงสาธารณสุข  MOPH
