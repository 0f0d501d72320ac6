# description: user add then user list --agency shows the user with the Thai display name
setup: init
before: agency add --slug moph --name-th กระทรวงสาธารณสุข --data $DATA
before: user add --name somchai --agency moph --role dpo --display-name สมชาย --clearance secret --data $DATA
args: user list --agency moph --data $DATA
exit: 0
stdout-contains: somchai  สมชาย
stdout-contains: dpo
stdout-contains: secret
stdout-not-contains: admin
