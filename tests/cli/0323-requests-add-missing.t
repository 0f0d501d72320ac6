# description: requests add without --subject is a usage error (exit 2)
setup: init
args: requests add --data $DATA --agency demo --type access --channel email
exit: 2
stderr-contains: requests add needs --agency, --type, --channel and --subject
