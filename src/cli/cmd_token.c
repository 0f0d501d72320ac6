/* khomun token create|list|revoke: API tokens, straight on the data directory's store. The
 * token text is printed once by create and never stored. */
#include "cli.h"

#include <khomun/access.h>
#include <khomun/err.h>
#include <khomun/json.h>
#include <khomun/time.h>

#include <stdio.h>
#include <string.h>

static int token_create(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    khm_token_input in = { 0 };
    const char *expires = NULL;
    const khm_cli_opt opts[] = {
        { "user", &in.user, NULL },
        { "name", &in.name, NULL },
        { "expires", &expires, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (expires && (rc = khm_token_parse_duration(expires, &in.expires_in_s)) < 0)
        return khm_cli_fail(rc);
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_token t;
    char secret[KHM_TOKEN_STR_LEN];
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = khm_token_create(tx, &t, secret, &in, khm_time_now_ms(), a)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "token.create", khm_arena_printf(a, "token/%s", t.id))) ==
                0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON) {
            json_t *j = khm_token_to_json(&t);
            json_object_set_new(j, "token", json_string(secret));
            rc = khm_cli_print_json(j);
        } else {
            char exp[KHM_TIME_RFC3339_LEN] = "never";
            if (t.expires_at)
                khm_time_format(exp, t.expires_at);
            printf("token %s for %s (expires %s); shown once, keep it safe:\n%s\n", t.id, in.user,
                   exp, secret);
        }
    }
    memset(secret, 0, sizeof(secret));
    return khm_cli_close(rc, s, a);
}

static int token_list(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *user = NULL;
    const khm_cli_opt opts[] = { { "user", &user, NULL }, { NULL, NULL, NULL } };
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
    const char *head[] = { "ID", "NAME", "USER", "CREATED", "EXPIRES", "STATUS" };
    khm_table_row(&t, head);
    int64_t now = khm_time_now_ms();
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        khm_user u;
        if (user && (rc = khm_store_user_get(tx, &u, user, a)) == KHM_ENOTFOUND)
            rc = khm_err_field("user", "ไม่พบผู้ใช้นี้", "unknown user '%s'", user);
        khm_page page = { NULL, KHM_PAGE_MAX };
        int more = rc == 0;
        while (rc == 0 && more) {
            khm_token *items;
            size_t n;
            rc = khm_store_token_list(tx, &items, &n, &more, user ? u.id : NULL, &page, a);
            for (size_t i = 0; rc == 0 && i < n; i++) {
                khm_token *k = &items[i];
                char *cr = khm_arena_alloc(a, KHM_TIME_RFC3339_LEN);
                char *ex = khm_arena_alloc(a, KHM_TIME_RFC3339_LEN);
                if (!cr || !ex) {
                    rc = khm_err_set(KHM_ENOMEM, "out of memory");
                    break;
                }
                khm_time_format(cr, k->created_at);
                if (k->expires_at)
                    khm_time_format(ex, k->expires_at);
                else
                    strcpy(ex, "never");
                const char *status = k->revoked_at                           ? "revoked"
                                     : k->expires_at && k->expires_at <= now ? "expired"
                                                                             : "active";
                khm_user owner;
                const char *who =
                    khm_store_user_get(tx, &owner, k->user_id, a) == 0 ? owner.name : k->user_id;
                const char *row[] = { k->id, k->name, who, cr, ex, status };
                khm_table_row(&t, row);
                json_array_append_new(arr, khm_token_to_json(k));
            }
            if (n)
                page.after = items[n - 1].id;
        }
        khm_tx_rollback(tx);
    }
    return khm_cli_finish_list(rc, &c, arr, &t, s, a);
}

static int token_revoke(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &c, NULL, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "token revoke takes exactly one token ID");
    const char *id = args[0];
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_token t;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = khm_store_token_revoke(tx, id, khm_time_now_ms())) == 0 &&
            (rc = khm_store_token_get(tx, &t, id, a)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "token.revoke", khm_arena_printf(a, "token/%s", t.id))) ==
                0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON)
            rc = khm_cli_print_json(khm_token_to_json(&t));
        else
            printf("token %s revoked\n", t.id);
    }
    return khm_cli_close(rc, s, a);
}

int khm_cmd_token(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "create", token_create },
        { "list", token_list },
        { "revoke", token_revoke },
        { NULL, NULL },
    };
    return khm_cli_dispatch("token", subs, argc, argv);
}
