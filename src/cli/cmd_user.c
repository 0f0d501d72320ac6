/* khomun user add|list: users of agencies, straight on the data directory's store. */
#include "cli.h"

#include <khomun/access.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <stdio.h>
#include <string.h>

static int user_add(const khm_cmd *cmd, int argc, char **argv)
{
    enum { O_NAME = 1, O_AGENCY, O_ROLE, O_DISPLAY, O_EMAIL, O_CLEARANCE };
    static const struct option opts[] = {
        KHM_COMMON_OPTS,
        { "name", required_argument, NULL, O_NAME },
        { "agency", required_argument, NULL, O_AGENCY },
        { "role", required_argument, NULL, O_ROLE },
        { "display-name", required_argument, NULL, O_DISPLAY },
        { "email", required_argument, NULL, O_EMAIL },
        { "clearance", required_argument, NULL, O_CLEARANCE },
        { NULL, 0, NULL, 0 },
    };
    khm_common c;
    khm_user_input in = { 0 };
    int opt, h, rc;
    khm_cli_common_init(&c);
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if ((h = khm_cli_common_opt(opt, cmd, &c, argv)) < 0)
            return -1 - h;
        if (h)
            continue;
        switch (opt) {
        case O_NAME:
            in.name = optarg;
            break;
        case O_AGENCY:
            in.agency = optarg;
            break;
        case O_ROLE:
            in.role = optarg;
            break;
        case O_DISPLAY:
            in.display_name = optarg;
            break;
        case O_EMAIL:
            in.email = optarg;
            break;
        case O_CLEARANCE:
            in.clearance = optarg;
            break;
        default:
            return khm_cli_usage(cmd, "unexpected option");
        }
    }
    if (optind < argc)
        return khm_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
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
    if (rc < 0)
        rc = khm_cli_fail(rc);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

static int user_list(const khm_cmd *cmd, int argc, char **argv)
{
    enum { O_AGENCY = 1 };
    static const struct option opts[] = {
        KHM_COMMON_OPTS,
        { "agency", required_argument, NULL, O_AGENCY },
        { NULL, 0, NULL, 0 },
    };
    khm_common c;
    const char *agency = NULL;
    int opt, h, rc;
    khm_cli_common_init(&c);
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if ((h = khm_cli_common_opt(opt, cmd, &c, argv)) < 0)
            return -1 - h;
        if (h)
            continue;
        if (opt == O_AGENCY)
            agency = optarg;
        else
            return khm_cli_usage(cmd, "unexpected option");
    }
    if (optind < argc)
        return khm_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
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
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON) {
            rc = khm_cli_print_json(arr);
            arr = NULL;
        } else {
            khm_table_print(&t);
        }
    }
    json_decref(arr);
    if (rc < 0)
        rc = khm_cli_fail(rc);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
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
