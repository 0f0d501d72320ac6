# description: without a privacy notice the consent still counts and grant says which field the agency record lacks (Kantara policyUrl)
before: init --data $DATA --demo
before-sh: $KHOMUN_BIN agency set mdes --data $DATA --privacy-notice-url ''
args: consent grant --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter --method written
exit: 0
stdout-contains: recorded: grant of purpose e-newsletter
stdout-contains: no receipt: the agency record lacks
stdout-contains: policy_url:
stdout-not-contains: KI-CR-v1.1.0
