# description: verify without a file names what is missing
args: consent verify
exit: 2
stderr-contains: name the receipt file (or - for stdin)
