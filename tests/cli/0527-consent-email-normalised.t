# description: an e-mail subject is compared case-insensitively: the grant and the check name the same person
before: init --data $DATA --demo
before: consent grant --data $DATA --agency mdes --subject somsri.demo@example.com --subject-type email --purpose e-newsletter --method electronic
args: consent check --data $DATA --agency mdes --subject SOMSRI.Demo@Example.COM --subject-type email --purpose e-newsletter
exit: 0
stdout-starts-with: allow: e-newsletter
