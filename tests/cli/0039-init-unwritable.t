# description: init under a regular file cannot create the directory: I/O error 8
setup: file $TMP/file
args: init --data $TMP/file/x
exit: 8
stderr-contains: khomun: error:
stderr-contains: $TMP/file/x
stdout-not-contains: khm_
