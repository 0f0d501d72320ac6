# description: a demo consent to the SMS alerts given 400 days ago for a year has expired: deny with its expiry time
before: init --data $DATA --demo
args: consent check --data $DATA --agency mdes --subject 1102000564337 --purpose e-service-sms
exit: 1
stdout-contains: reason   expired: ความยินยอมหมดอายุแล้ว
stdout-contains: expires  
