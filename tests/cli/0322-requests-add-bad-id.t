# description: a national ID with a wrong check digit is refused, named in English and Thai, never echoed; exit 5
setup: init
args: requests add --data $DATA --agency demo --type access --channel email --subject 1103702071812
exit: 5
stderr-contains: subject: a Thai national ID of 13 digits with a valid check digit is required (เลขประจำตัวประชาชนต้องมี 13 หลักและเลขตรวจสอบถูกต้อง)
stderr-not-contains: 1103702071812
