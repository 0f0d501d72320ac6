# description: --jobs must be a number from 1 to 64
args: scan --jobs 0 x
exit: 2
stderr-contains: --jobs must be a number from 1 to 64, not '0'
