# description: a slug in use is refused with 4
setup: init
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
args: agency add --slug moph --name-th ซ้ำ --data $DATA
exit: 4
stderr-contains: already exists
