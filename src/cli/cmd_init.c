/* khomun init: create a data directory with its keys, database, first agency, admin user and
 * an admin token (printed once, never stored in clear). */
#include "cli.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/setup.h>

#include <stdio.h>
#include <string.h>

/* The database URI without its password ("postgres://u:***@host/db"): never print a secret. */
static const char *redact(const char *uri, char *buf, size_t cap)
{
    const char *scheme = strstr(uri, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (at && colon && colon < at) {
        snprintf(buf, cap, "%.*s:***%s", (int)(colon - uri), uri, at);
        return buf;
    }
    if (strstr(uri, "password="))
        return "(database URI with a password; not shown)";
    return uri;
}

int khm_cli_print_init(const void *result, const char *data_dir, khm_out format)
{
    const khm_init_result *r = result;
    char shown[1024];
    const char *db = redact(r->db_uri, shown, sizeof(shown));
    if (format == KHM_OUT_JSON)
        return khm_cli_print_json(
            json_pack("{s:s, s:s, s:i, s:o, s:o, s:s, s:o}", "data_dir", data_dir, "database", db,
                      "schema_version", r->schema_version, "agency", khm_agency_to_json(&r->agency),
                      "user", khm_user_to_json(&r->admin), "token", r->secret, "token_record",
                      khm_token_to_json(&r->token)));
    printf("Initialised %s\n"
           "  database  %s (schema %d)\n"
           "  agency    %s  %s\n"
           "  admin     %s\n"
           "\n"
           "Admin token (shown once; keep it safe — only its hash is stored):\n"
           "  %s\n"
           "\n"
           "Try:  curl -H \"Authorization: Bearer %s\" http://127.0.0.1:8080/api/v1/whoami\n",
           data_dir, db, r->schema_version, r->agency.slug, r->agency.name_th, r->admin.name,
           r->secret, r->secret);
    return 0;
}

int khm_cmd_init(int argc, char **argv)
{
    const khm_cmd *cmd = khm_cli_find("init");
    khm_common c;
    khm_init_opts io = { 0 };
    int demo = 0;
    const khm_cli_opt opts[] = {
        { "agency", &io.agency_slug, NULL },
        { "agency-name-th", &io.agency_name_th, NULL },
        { "agency-name-en", &io.agency_name_en, NULL },
        { "admin", &io.admin_name, NULL },
        { "demo", NULL, &demo },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    io.data_dir = c.data_dir;
    io.db_uri = c.db;

    khm_arena *a = khm_arena_new(0);
    khm_init_result res;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_setup_init(&res, &io, a)) < 0) {
        rc = khm_cli_fail(rc);
        khm_arena_free(a);
        return rc;
    }
    if (demo) {
        khm_store *s;
        int seeded;
        khm_keys keys;
        if ((rc = khm_store_open(&s, res.db_uri, NULL)) == 0) {
            if ((rc = khm_keys_load(&keys, c.data_dir)) == 0)
                rc = khm_setup_demo_keys(s, &keys, &seeded);
            khm_keys_wipe(&keys);
            if (rc == 0) {
                int res_seeded;
                rc = khm_setup_demo_resources(s, c.data_dir, &res_seeded);
            }
            khm_store_close(s);
        }
        if (rc < 0) {
            /* the directory is usable; say what failed and still show the token */
            khm_cli_fail(rc);
        }
    }
    int prc = khm_cli_print_init(&res, c.data_dir, c.format);
    memset(res.secret, 0, sizeof(res.secret));
    khm_arena_free(a);
    return prc < 0 ? khm_cli_fail(prc) : (rc < 0 ? khm_err_info_get(rc)->exit_code : 0);
}
