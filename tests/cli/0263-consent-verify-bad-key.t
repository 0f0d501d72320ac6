# description: --key that is not 64 hex digits is an invalid value (exit 5), before the file is read
args: consent verify r.json --key 12345
exit: 5
stderr-contains: key: --key must be an Ed25519 public key as 64 hex digits
