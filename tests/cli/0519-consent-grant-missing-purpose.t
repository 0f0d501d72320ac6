# description: grant without --purpose is a usage error (exit 2)
setup: init
args: consent grant --data $DATA --agency demo --subject 3100600000005 --method written
exit: 2
stderr-contains: consent grant needs --agency, --subject and --purpose
