# description: agency set gives an agency its DPO (PDPA s.41); show then lists no gap
before: init --data $DATA --demo
before: agency set nso --dpo-user kittipong.an --dpo-name กิตติพงษ์_วงศ์ใหญ่ --dpo-email dpo@nso.example.go.th --data $DATA
args: agency show nso --data $DATA
exit: 0
stdout-contains: dpo_email           dpo@nso.example.go.th
stdout-contains: ministry            กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม
stdout-not-contains: gap:
