# description: --key and --key-file together are a usage error
args: consent verify r.json --key 1111111111111111111111111111111111111111111111111111111111111111 --key-file k.pub
exit: 2
stderr-contains: give --key or --key-file, not both
