/* khomun user add|list: users of agencies, straight on the data directory's store. */
#include "cli.h"

#include <khomun/access.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <stdio.h>
#include <string.h>

static int user_add(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    khm_user_input in = { 0 };
    const khm_cli_opt opts[] = {
        { "name", &in.name, NULL },   { "agency", &in.agency, NULL },
        { "role", &in.role, NULL },   { "display-name", &in.display_name, NULL },
        { "email", &in.email, NULL }, { "clearance", &in.clearance, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_user u;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = khm_user_create(tx, &u, &in, khm_time_now_ms(), a)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "user.create", khm_arena_printf(a, "user/%s", u.id))) == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON)
            rc = khm_cli_print_json(khm_user_to_json(&u));
        else
            printf("user %s created (id %s, role %s)\n", u.name, u.id, khm_role_name(u.role));
    }
    return khm_cli_close(rc, s, a);
}

static int user_list(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *agency = NULL;
    const khm_cli_opt opts[] = { { "agency", &agency, NULL }, { NULL, NULL, NULL } };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    json_t *arr = json_array();
    khm_table t;
    khm_table_init(&t, 6, a);
    const char *head[] = { "NAME", "DISPLAY NAME", "ROLE", "CLEARANCE", "STATUS", "ID" };
    khm_table_row(&t, head);
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        khm_agency ag;
        if (agency && (rc = khm_store_agency_get(tx, &ag, agency, a)) == KHM_ENOTFOUND)
            rc = khm_err_field("agency", "ไม่พบหน่วยงานนี้", "unknown agency '%s'", agency);
        khm_page page = { NULL, KHM_PAGE_MAX };
        int more = rc == 0;
        while (rc == 0 && more) {
            khm_user *items;
            size_t n;
            rc = khm_store_user_list(tx, &items, &n, &more, agency ? ag.id : NULL, &page, a);
            for (size_t i = 0; rc == 0 && i < n; i++) {
                const char *row[] = { items[i].name,
                                      items[i].display_name,
                                      khm_role_name(items[i].role),
                                      khm_level_name(items[i].clearance),
                                      items[i].disabled ? "disabled" : "active",
                                      items[i].id };
                khm_table_row(&t, row);
                json_array_append_new(arr, khm_user_to_json(&items[i]));
            }
            if (n)
                page.after = items[n - 1].id;
        }
        khm_tx_rollback(tx);
    }
    return khm_cli_finish_list(rc, &c, arr, &t, s, a);
}

int khm_cmd_user(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "add", user_add },
        { "list", user_list },
        { NULL, NULL },
    };
    return khm_cli_dispatch("user", subs, argc, argv);
}
