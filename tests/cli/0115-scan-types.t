# description: --types limits the detectors; an unknown type is a usage error
stdin: โทร 081-234-5678 อีเมล somchai@example.com
args: scan --format jsonl --types EMAIL_ADDRESS -
exit: 0
stdout-contains: "type":"EMAIL_ADDRESS"
stdout-not-contains: PHONE_NUMBER
