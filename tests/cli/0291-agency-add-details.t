# description: agency add with ministry, parent and the DPO's public contact; bad details named in English and Thai
setup: init
before: agency add --slug mdes --name-th กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม --data $DATA
args: agency add --slug dga --name-th สพร. --parent mdes --phone call-me --dpo-email dpo@dga.or.th --data $DATA
exit: 5
stderr-contains: phone: must be a phone number
stderr-contains: dpo_name: the DPO's public name is required when a DPO is given (PDPA s.41)
