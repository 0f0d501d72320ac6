/* khomun agency add|list|show|set: agencies with their ministry, parent, contact, DPO and
 * privacy notice, straight on the data directory's store. */
#include "cli.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <stdio.h>
#include <string.h>

/* The options of the details (issue 4), shared by add and set. */
#define DETAIL_OPTS(in)                                                                 \
    { "ministry", &(in).ministry, NULL }, { "parent", &(in).parent, NULL },             \
        { "address", &(in).address, NULL }, { "phone", &(in).phone, NULL },             \
        { "email", &(in).email, NULL }, { "website", &(in).website, NULL },             \
        { "dpo-user", &(in).dpo_user, NULL }, { "dpo-name", &(in).dpo_name, NULL },     \
        { "dpo-email", &(in).dpo_email, NULL }, { "dpo-phone", &(in).dpo_phone, NULL }, \
    {                                                                                   \
        "privacy-notice-url", &(in).privacy_notice_url, NULL                            \
    }

static int agency_add(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    khm_agency_input in = { 0 };
    const khm_cli_opt opts[] = {
        { "slug", &in.slug, NULL },
        { "name-th", &in.name_th, NULL },
        { "name-en", &in.name_en, NULL },
        DETAIL_OPTS(in),
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx = NULL;
    khm_agency ag;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = khm_agency_create(tx, &ag, &in, khm_time_now_ms())) == 0 &&
            (rc = khm_cli_audit(tx, &c, "agency.create",
                                khm_arena_printf(a, "agency/%s", ag.id))) == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON)
            rc = khm_cli_print_json(khm_agency_to_json(&ag));
        else
            printf("agency %s created (id %s)\n", ag.slug, ag.id);
    }
    return khm_cli_close(rc, s, a);
}

static int agency_list(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    int rc = khm_cli_parse(cmd, &c, NULL, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    json_t *arr = json_array();
    khm_table t;
    khm_table_init(&t, 4, a);
    const char *head[] = { "SLUG", "NAME (TH)", "NAME (EN)", "ID" };
    khm_table_row(&t, head);
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        khm_page page = { NULL, KHM_PAGE_MAX };
        int more = 1;
        while (rc == 0 && more) {
            khm_agency *items;
            size_t n;
            rc = khm_store_agency_list(tx, &items, &n, &more, &page, a);
            for (size_t i = 0; rc == 0 && i < n; i++) {
                const char *row[] = { items[i].slug, items[i].name_th, items[i].name_en,
                                      items[i].id };
                khm_table_row(&t, row);
                json_array_append_new(arr, khm_agency_to_json(&items[i]));
            }
            if (n)
                page.after = items[n - 1].id;
        }
        khm_tx_rollback(tx);
    }
    return khm_cli_finish_list(rc, &c, arr, &t, s, a);
}

/* The agency's record with its gaps, as a table of fields (or JSON). */
static int agency_show(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &c, NULL, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "agency show needs the agency (slug or id)");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_agency ag;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        rc = khm_store_agency_get(tx, &ag, args[0], a);
        khm_tx_rollback(tx);
    }
    if (rc == 0 && c.format == KHM_OUT_JSON) {
        rc = khm_cli_print_json(khm_agency_to_json(&ag));
    } else if (rc == 0) {
        khm_table t;
        khm_table_init(&t, 2, a);
        const char *rows[][2] = {
            { "slug", ag.slug },
            { "name_th", ag.name_th },
            { "name_en", ag.name_en },
            { "ministry", ag.ministry },
            { "parent_id", ag.parent_id[0] ? ag.parent_id : NULL },
            { "address", ag.address },
            { "phone", ag.phone },
            { "email", ag.email },
            { "website", ag.website },
            { "dpo_user_id", ag.dpo_user[0] ? ag.dpo_user : NULL },
            { "dpo_name", ag.dpo_name },
            { "dpo_email", ag.dpo_email },
            { "dpo_phone", ag.dpo_phone },
            { "privacy_notice_url", ag.privacy_notice_url },
            { "id", ag.id },
        };
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
            khm_table_row(&t, rows[i]);
        khm_table_print(&t);
        khm_agency_gap g[4];
        size_t n = khm_agency_gaps(&ag, g, 4);
        for (size_t i = 0; i < n && i < 4; i++)
            printf("gap: %s (%s): %s / %s\n", g[i].code, g[i].section, g[i].message,
                   g[i].message_th);
    }
    return khm_cli_close(rc, s, a);
}

/* Change the options given; the others keep their stored values ("" clears one). */
static int agency_set(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    khm_agency_input in = { 0 };
    char **args;
    int nargs;
    const khm_cli_opt opts[] = {
        { "name-th", &in.name_th, NULL },
        { "name-en", &in.name_en, NULL },
        DETAIL_OPTS(in),
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "agency set needs the agency (slug or id)");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx = NULL;
    khm_agency ag;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = khm_store_agency_get(tx, &ag, args[0], a)) == 0) {
            /* what was not given keeps its value: the change replaces every member */
#define KEEP(field, stored) \
    if (!in.field)          \
        in.field = (stored);
            KEEP(name_th, ag.name_th);
            KEEP(name_en, ag.name_en);
            KEEP(ministry, ag.ministry);
            KEEP(parent, ag.parent_id[0] ? ag.parent_id : NULL);
            KEEP(address, ag.address);
            KEEP(phone, ag.phone);
            KEEP(email, ag.email);
            KEEP(website, ag.website);
            KEEP(dpo_user, ag.dpo_user[0] ? ag.dpo_user : NULL);
            KEEP(dpo_name, ag.dpo_name);
            KEEP(dpo_email, ag.dpo_email);
            KEEP(dpo_phone, ag.dpo_phone);
            KEEP(privacy_notice_url, ag.privacy_notice_url);
#undef KEEP
            char parent[KHM_ID_LEN], dpo[KHM_ID_LEN];
            memcpy(parent, ag.parent_id, KHM_ID_LEN);
            memcpy(dpo, ag.dpo_user, KHM_ID_LEN);
            if (in.parent == ag.parent_id)
                in.parent = parent;
            if (in.dpo_user == ag.dpo_user)
                in.dpo_user = dpo;
            rc = khm_agency_update(tx, &ag, &in, ag.version, khm_time_now_ms(), a);
        }
        if (rc == 0 && (rc = khm_cli_audit(tx, &c, "agency.update",
                                           khm_arena_printf(a, "agency/%s", ag.id))) == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON)
            rc = khm_cli_print_json(khm_agency_to_json(&ag));
        else
            printf("agency %s changed (version %lld)\n", ag.slug, (long long)ag.version);
    }
    return khm_cli_close(rc, s, a);
}

int khm_cmd_agency(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "add", agency_add }, { "list", agency_list }, { "show", agency_show },
        { "set", agency_set }, { NULL, NULL },
    };
    return khm_cli_dispatch("agency", subs, argc, argv);
}
