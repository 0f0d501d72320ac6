# description: a privacy notice must be an http(s) URL: a field error naming privacy_notice_url, in Thai too
before: init --data $DATA --demo
args: agency set mdes --data $DATA --privacy-notice-url ftp://mdes.example.go.th/privacy
exit: 5
stderr-contains: privacy_notice_url: must be an http:// or https:// URL
stderr-contains: ประกาศความเป็นส่วนตัวต้องเป็น URL
