# description: consent --help prints the usage of consent verify
args: consent --help
exit: 0
stdout-starts-with: Usage: khomun consent verify RECEIPT.json
stdout-contains: --key-file FILE
