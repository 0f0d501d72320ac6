# description: consent --help prints the usage of consent verify (checked by contains: the merged usage also lists grant, withdraw, check)
args: consent --help
exit: 0
stdout-contains: khomun consent verify RECEIPT.json [--key HEX | --key-file FILE]
stdout-contains: --key-file FILE
