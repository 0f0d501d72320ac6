# description: an unknown agency is a field error naming agency (exit 5)
setup: init
args: consent check --data $DATA --agency no-such --subject 1101000000009 --purpose x
exit: 5
stderr-contains: agency: unknown agency 'no-such'
