# description: --types with an unknown detector name is a usage error naming it
args: scan --types EMAIL,PHONE_NUMBER x
exit: 2
stderr-contains: --types: unknown detector in 'EMAIL,PHONE_NUMBER'
