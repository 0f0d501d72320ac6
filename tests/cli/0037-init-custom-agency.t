# description: init takes the first agency's slug and Thai name and the admin's name
args: init --data $DATA --agency moph --agency-name-th กระทรวงสาธารณสุข --admin somchai
exit: 0
stdout-contains: moph  กระทรวงสาธารณสุข
stdout-contains: admin     somchai
