# description: grant prints the signed Kantara v1.1 receipt naming the controller's e-mail, its DPO and the privacy notice; the subject only as its token
before: init --data $DATA --demo
args: consent grant --data $DATA --agency mdes --subject 3100600000005 --purpose e-newsletter --method written
exit: 0
stdout-starts-with: consent 
stdout-contains: recorded: grant of purpose e-newsletter (text version 1)
stdout-contains: "version": "KI-CR-v1.1.0"
stdout-contains: "policyUrl": "https://www.mdes.example.go.th/privacy-notice"
stdout-contains: "email": "saraban@mdes.example.go.th"
stdout-contains: "email": "dpo@mdes.example.go.th"
stdout-contains: "jws": "
stdout-not-contains: 3100600000005
