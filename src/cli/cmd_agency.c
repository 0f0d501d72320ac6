/* khomun agency add|list: agencies, straight on the data directory's store. */
#include "cli.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <stdio.h>
#include <string.h>

static int agency_add(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    khm_agency_input in = { 0 };
    const khm_cli_opt opts[] = {
        { "slug", &in.slug, NULL },
        { "name-th", &in.name_th, NULL },
        { "name-en", &in.name_en, NULL },
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
    if (rc < 0)
        rc = khm_cli_fail(rc);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
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

int khm_cmd_agency(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "add", agency_add },
        { "list", agency_list },
        { NULL, NULL },
    };
    return khm_cli_dispatch("agency", subs, argc, argv);
}
