# description: PDPA s.19 para 5 — a demo subject withdrew from the newsletter: deny, exit 1, reason withdrawn in Thai and English
before: init --data $DATA --demo
args: consent check --data $DATA --agency mdes --subject 1102000168385 --purpose e-newsletter
exit: 1
stdout-starts-with: deny: e-newsletter
stdout-contains: reason   withdrawn: เจ้าของข้อมูลถอนความยินยอมแล้ว (มาตรา 19 วรรคห้า)
stdout-contains: the subject withdrew their consent (PDPA s.19 para 5)
