/* khomun version: the version of the binary and the schema it knows. */
#include "cli.h"

#include <khomun/store.h>
#include <khomun/version.h>

#include <stdio.h>

int khm_cmd_version(int argc, char **argv)
{
    static const struct option opts[] = { KHM_COMMON_OPTS, { NULL, 0, NULL, 0 } };
    const khm_cmd *cmd = khm_cli_find("version");
    khm_common c;
    int opt, h;
    khm_cli_common_init(&c);
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
        if ((h = khm_cli_common_opt(opt, cmd, &c, argv)) <= 0)
            return h < 0 ? -1 - h : khm_cli_usage(cmd, "unexpected option");
    if (optind < argc)
        return khm_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (c.format == KHM_OUT_JSON)
        return khm_cli_print_json(json_pack("{s:s, s:s, s:s, s:i}", "name", "khomun", "version",
                                            KHM_VERSION, "api", KHM_API_VERSION, "schema_version",
                                            khm_store_migrations_known())) < 0;
    printf("khomun %s (API %s, schema %d)\n", KHM_VERSION, KHM_API_VERSION,
           khm_store_migrations_known());
    return 0;
}
