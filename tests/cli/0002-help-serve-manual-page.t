# description: 'khomun help serve' prints docs/cli/serve.md, embedded in the binary
args: help serve
exit: 0
stdout-contains: Command: khomun serve
stdout-contains: khomun serve - run the HTTP API and the web UI
stdout-contains: Without --demo, DIR must exist: run khomun init first. A missing DIR exits 3 with a hint.
stdout-contains: # EXIT STATUS
