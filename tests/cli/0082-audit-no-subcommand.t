# description: audit without verify or export is a usage error
args: audit
exit: 2
stderr-contains: verify
