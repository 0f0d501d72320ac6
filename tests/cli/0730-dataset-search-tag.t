# description: --tag keeps the matches that carry the tag (metadata.tag_string): งบประมาณ with the tag จัดซื้อจัดจ้าง is the procurement contracts only
before: init --data $DATA --demo
args: dataset search งบประมาณ --tag จัดซื้อจัดจ้าง --data $DATA
exit: 0
stdout-contains: procurement-contracts-2566
stdout-contains: 1 dataset
stdout-not-contains: digital-budget-2567
stdout-not-contains: drug-price-reference
