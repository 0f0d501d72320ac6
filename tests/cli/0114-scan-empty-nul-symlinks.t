# description: an empty file is scanned (nothing found); a file of NULs is skipped as binary; a dangling symlink is an error; a directory loop through a symlink is not followed; the rest is scanned; exit 8
before-sh: mkdir -p d/sub && : > d/empty.txt && head -c 4096 /dev/zero > d/nul.bin && ln -s .. d/sub/loop && ln -s nowhere d/dangling.txt && printf 'a.b@example.com\n' > d/sub/ok.txt
args: scan --format jsonl d
exit: 8
stdout-contains: "kind":"file","file":"d/empty.txt","format":"text","encoding":"utf-8","gzip":false,"bytes":0,
stdout-contains: "file":"d/sub/ok.txt","type":"EMAIL_ADDRESS"
stdout-contains: "kind":"summary","files":2,
stderr-contains: khomun: notice: d/nul.bin: binary file skipped
stderr-contains: khomun: notice: d/sub/loop: symbolic link to a directory skipped
stderr-contains: khomun: error: cannot read d/dangling.txt: No such file or directory
