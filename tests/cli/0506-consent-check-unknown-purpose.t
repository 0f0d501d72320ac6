# description: an unknown purpose is a field error naming purpose (exit 5)
before: init --data $DATA --demo
args: consent check --data $DATA --agency mdes --subject 1101000000009 --purpose no-such-purpose
exit: 5
stderr-contains: purpose: no purpose 'no-such-purpose' in this agency
stderr-contains: ไม่พบวัตถุประสงค์นี้ในหน่วยงาน
