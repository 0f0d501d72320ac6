# description: grant --receipt FILE never overwrites a file: exit 4 and nothing is recorded (the history stays empty)
before: init --data $DATA --demo
before-sh: echo keep > $TMP/r.json; $KHOMUN_BIN consent grant --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter --method written --receipt $TMP/r.json 2> $TMP/err; test $? -eq 4 && grep -q "exists" $TMP/err && grep -qx keep $TMP/r.json
args: consent history --data $DATA --agency mdes --subject 3100600000005
exit: 0
stdout-contains: : 0 consent events
