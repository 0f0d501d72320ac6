# description: scan --help prints the usage with every format
args: scan --help
exit: 0
stdout-starts-with: Usage: khomun scan
stdout-contains: table (default), json (one document), jsonl (one record a
stdout-contains: or sarif (SARIF 2.1.0)
stdout-contains: --encoding ENCODING
