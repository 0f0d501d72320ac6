# description: an unknown option of dataset quality is a usage error (exit 2)
setup: init
args: dataset quality survey-2567 --recompte --data $DATA
exit: 2
stderr-contains: --recompte
