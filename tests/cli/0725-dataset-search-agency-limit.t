# description: --agency narrows a search to one agency's datasets and --limit 1 keeps the first, saying more follow
before: init --data $DATA --demo
args: dataset search งบประมาณ --agency mdes --limit 1 --data $DATA
exit: 0
stdout-contains: procurement-contracts-2566
stdout-contains: 1 dataset, more follow (--limit)
stdout-not-contains: gdx-api-usage-2567
stdout-not-contains: drug-price-reference
