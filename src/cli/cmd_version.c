/* khomun version: the version of the binary and the schema it knows. */
#include "cli.h"

#include <khomun/store.h>
#include <khomun/version.h>

#include <stdio.h>

int khm_cmd_version(int argc, char **argv)
{
    const khm_cmd *cmd = khm_cli_find("version");
    khm_common c;
    int rc = khm_cli_parse(cmd, &c, NULL, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (c.format == KHM_OUT_JSON)
        return khm_cli_print_json(json_pack("{s:s, s:s, s:s, s:i}", "name", "khomun", "version",
                                            KHM_VERSION, "api", KHM_API_VERSION, "schema_version",
                                            khm_store_migrations_known())) < 0;
    printf("khomun %s (API %s, schema %d)\n", KHM_VERSION, KHM_API_VERSION,
           khm_store_migrations_known());
    return 0;
}
