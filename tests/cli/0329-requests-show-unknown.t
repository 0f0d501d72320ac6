# description: requests show of an unknown id is not found (exit 3)
setup: init
args: requests show 01900000-0000-7000-8000-000000000000 --data $DATA
exit: 3
stderr-contains: no data-subject request '01900000-0000-7000-8000-000000000000'
