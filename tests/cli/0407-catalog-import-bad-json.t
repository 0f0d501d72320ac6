# description: a JSON import names each bad dataset by position: not an object, no metadata, a bad name
setup: init
before-sh: printf '{"datasets":[{"name":"x"},5,{"name":"A B","agency":"demo","metadata":{"title":"t"}}]}' > $TMP/bad.json
args: catalog import $TMP/bad.json --data $DATA
exit: 5
stderr-contains: datasets[0].metadata: a GD-Catalog metadata object is required
stderr-contains: datasets[1]: must be an object (ต้องเป็นออบเจกต์)
stderr-contains: datasets[2].name: must match
stderr-contains: datasets[2].metadata.data_type
