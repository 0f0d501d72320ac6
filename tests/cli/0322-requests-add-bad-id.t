# description: a national ID with a wrong check digit is refused, named in English and Thai, never echoed; exit 5
setup: init
args: requests add --data $DATA --agency demo --type access --channel email --subject 1103702071812
exit: 5
stderr-contains: subject: not a valid Thai national ID: the check digit (13th, mod 11) does not match (เลขตรวจสอบของเลขประจำตัวประชาชนไม่ถูกต้อง)
stderr-not-contains: 1103702071812
