# description: 'khomun version --format json' prints one JSON object
args: version --format json
exit: 0
stdout-json: true
stdout-contains: "name": "khomun"
stdout-contains: "version": "0.1.0"
stdout-contains: "api": "v1"
