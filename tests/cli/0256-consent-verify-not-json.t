# description: a file that is not JSON is named as such
before-sh: printf 'hello receipt' > r.json
args: consent verify r.json
exit: 10
stdout-contains: not-json at $: not a JSON document
