# description: init creates the data directory with its database and keys and prints a token once
args: init --data $DATA
stdin: y
exit: 0
stdout-contains: Initialised $DATA
stdout-contains: Admin token (shown once
stdout-contains:   khm_
stdout-contains: หน่วยงานสาธิต
exists: $DATA/khomun.db
exists: $DATA/keys
exists: $DATA/resources
