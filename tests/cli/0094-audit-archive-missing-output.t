# description: audit archive without --output says it is required (in English and Thai): exit 5
setup: init
args: audit archive --before 1 --data $DATA
exit: 5
stderr-contains: output: is required
stderr-contains: ต้องระบุแฟ้ม
