# description: init --agency with a bad slug is invalid input naming the slug, and leaves nothing
args: init --data $DATA --agency Bad_Slug
exit: 5
stderr-contains: slug:
not-exists: $DATA
