# description: resource list shows a demo dataset's scanned CSV; download of a resource that does not exist exits 3
before: init --data $DATA --demo --format json
args: resource download staff-directory 01900000-0000-7000-8000-000000000000 --data $DATA
exit: 3
stderr-contains: has no resource
