# description: serve --demo with a bad --listen fails with 5, never serves and creates nothing
args: serve --demo --listen nonsense --data $DATA
exit: 5
stderr-contains: listen:
stderr-not-contains: listening on
not-exists: $DATA
