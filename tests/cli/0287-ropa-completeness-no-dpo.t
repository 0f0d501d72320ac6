# description: an agency without a DPO shows the PDPA s.41 gap and an empty record (s.39) in the completeness report
before: init --data $DATA --demo
args: ropa completeness --agency nso --data $DATA
exit: 0
stdout-contains: agency nso: 0% complete, 0 activities, no DPO
stdout-contains: gap: no_dpo (PDPA s.41)
stdout-contains: gap: no_activities (PDPA s.39)
