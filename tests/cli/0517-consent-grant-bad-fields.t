# description: bad input names every field at fault in English and Thai (subject_type, method, given_at), nothing recorded
before: init --data $DATA --demo
args: consent grant --data $DATA --agency mdes --subject 3100600000005 --subject-type passport --purpose e-newsletter --method telepathy --given-at 2999-01-01T00:00:00Z
exit: 5
stderr-contains: subject_type: unknown subject type 'passport'
stderr-contains: method: must be one of written, electronic, verbal-recorded
stderr-contains: given_at: is in the future
stderr-contains: เวลาอยู่ในอนาคต
