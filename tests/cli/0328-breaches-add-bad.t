# description: future awareness, an unknown dataset, a negative count and a bad risk — each named; nothing stored (exit 5)
setup: init
before-sh: $KHOMUN_BIN breaches add --data $DATA --agency demo --aware-at 2099-01-01T00:00:00Z --cia x --risk severe --description d --datasets no-such --subjects -5 2> $TMP/err; test $? -eq 5
before-sh: grep -q 'aware_at: is in the future' $TMP/err && grep -q "datasets\[0\]: unknown dataset 'no-such'" $TMP/err && grep -q 'subject_count: must be 0 or more' $TMP/err && grep -q 'risk: must be none' $TMP/err && grep -q 'cia: each item' $TMP/err
args: breaches list --data $DATA --format json
exit: 0
stdout-json: true
stdout-starts-with: []
