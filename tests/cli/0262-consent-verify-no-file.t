# description: a receipt file that does not exist: exit 8
args: consent verify no-such-receipt.json
exit: 8
stderr-contains: cannot open no-such-receipt.json
