# description: PDPA s.19 — the demo subject 1101000000009 consented to the newsletter: allow, exit 0, the reason in Thai and English, the consent behind it
before: init --data $DATA --demo
args: consent check --data $DATA --agency mdes --subject 1-1010-00000-00-9 --purpose e-newsletter
exit: 0
stdout-starts-with: allow: e-newsletter
stdout-contains: basis    consent (ฐานความยินยอม)
stdout-contains: อนุญาต: เจ้าของข้อมูลให้ความยินยอมและยังมีผลอยู่ (มาตรา 19)
stdout-contains: allowed: the subject's consent is given and in force (PDPA s.19)
stdout-contains: consent  
stdout-not-contains: 1101000000009
