# description: a national ID with a wrong check digit is a field error naming subject; the identifier is never echoed
before: init --data $DATA --demo
args: consent check --data $DATA --agency mdes --subject 1101000000008 --purpose e-newsletter
exit: 5
stderr-contains: subject: not a valid Thai national ID
stderr-contains: เลขตรวจสอบของเลขประจำตัวประชาชนไม่ถูกต้อง
stderr-not-contains: 1101000000008
stdout-not-contains: 1101000000008
