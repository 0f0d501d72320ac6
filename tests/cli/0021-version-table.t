# description: 'khomun version' prints the name and version
args: version
exit: 0
stdout-starts-with: khomun 0.1.0
