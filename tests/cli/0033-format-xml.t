# description: --format takes only table or json
args: version --format xml
exit: 2
stderr-contains: --format must be table or json, not 'xml'
stderr-contains: Try 'khomun version --help'.
