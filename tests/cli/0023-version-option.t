# description: 'khomun --version' is 'khomun version'
args: --version
exit: 0
stdout-starts-with: khomun 0.1.0
