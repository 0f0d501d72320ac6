# description: consent --help lists every subcommand: grant, withdraw, check, history and verify
args: consent --help
exit: 0
stdout-contains: khomun consent grant --agency AGENCY --subject ID [--subject-type TYPE]
stdout-contains: khomun consent withdraw --agency AGENCY --subject ID [--subject-type TYPE]
stdout-contains: khomun consent check --agency AGENCY --subject ID [--subject-type TYPE]
stdout-contains: khomun consent history --agency AGENCY --subject ID [--subject-type TYPE]
stdout-contains: khomun consent verify RECEIPT.json
stdout-contains: check: 0 allow, 1 deny
