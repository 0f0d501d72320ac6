/* khomun ropa list|show|completeness: the record of processing activities (PDPA s.39) read
 * straight from the data directory's store; changes go through the API (docs/api/ropa-*.md). */
#include "cli.h"

#include <khomun/err.h>
#include <khomun/ropa.h>

#include <stdio.h>
#include <string.h>

typedef struct {
    khm_common c;
    khm_arena *a;
    khm_store *s;
    khm_tx *tx;
} ropa_ctx;

static int open_ctx(ropa_ctx *x)
{
    x->s = NULL;
    x->tx = NULL;
    x->a = khm_arena_new(0);
    if (!x->a)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    int rc = khm_cli_open_store(&x->s, &x->c, x->a);
    return rc < 0 ? rc : khm_tx_begin(&x->tx, x->s, 0);
}

static int close_ctx(ropa_ctx *x, int rc)
{
    khm_tx_rollback(x->tx);
    if (rc < 0)
        rc = khm_cli_fail(rc);
    khm_store_close(x->s);
    khm_arena_free(x->a);
    return rc;
}

/* A record written by @p write(w, rec) printed as indented JSON. */
static int print_jw(void (*write)(khm_jw *w, const void *rec), const void *rec)
{
    return khm_cli_print_json(khm_jw_to_jansson(write, rec));
}

static void write_report(khm_jw *w, const void *rec)
{
    khm_ropa_report_write_json(w, rec);
}

static int ropa_list(const khm_cmd *cmd, int argc, char **argv)
{
    ropa_ctx x;
    const char *agency = NULL;
    const khm_cli_opt opts[] = { { "agency", &agency, NULL }, { NULL, NULL, NULL } };
    int rc = khm_cli_parse(cmd, &x.c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    khm_agency ag;
    json_t *arr = json_array();
    khm_table t;
    if ((rc = open_ctx(&x)) == 0 && agency)
        rc = khm_store_agency_get(x.tx, &ag, agency, x.a);
    khm_table_init(&t, 5, x.a);
    const char *head[] = { "AGENCY", "CODE", "ACTIVITY", "COMPLETE", "ID" };
    if (rc == 0)
        khm_table_row(&t, head);
    khm_page page = { NULL, KHM_PAGE_MAX };
    int more = 1;
    while (rc == 0 && more) {
        khm_ropa_row *rows;
        size_t n;
        if ((rc = khm_store_ropa_list(x.tx, &rows, &n, &more, agency ? ag.id : NULL, &page, x.a)) <
            0)
            break;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            khm_agency own;
            khm_ropa_check chk;
            if ((rc = khm_store_agency_get(x.tx, &own, rows[i].agency_id, x.a)) < 0)
                break;
            khm_ropa_check_activity(&rows[i], &own, &chk);
            const char *row[] = { own.slug, rows[i].code, rows[i].name_th,
                                  khm_arena_printf(x.a, "%d%%", chk.score), rows[i].id };
            khm_table_row(&t, row);
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:i}", "id", rows[i].id,
                                                 "agency", own.slug, "code", rows[i].code,
                                                 "name_th", rows[i].name_th, "score", chk.score));
        }
        if (!n)
            break;
        page.after = rows[n - 1].id;
    }
    if (rc == 0) {
        if (x.c.format == KHM_OUT_JSON) {
            rc = khm_cli_print_json(arr);
            arr = NULL;
        } else {
            khm_table_print(&t);
        }
    }
    json_decref(arr);
    return close_ctx(&x, rc);
}

typedef struct {
    khm_ropa_row *row;
    khm_ropa_refusal *ref;
    size_t nref;
    khm_agency *ag;
} shown;

static void write_shown(khm_jw *w, const void *rec)
{
    const shown *s = rec;
    khm_ropa_write_json(w, s->row, s->ref, s->nref, s->ag);
}

static int ropa_show(const khm_cmd *cmd, int argc, char **argv)
{
    ropa_ctx x;
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &x.c, NULL, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "ropa show needs the activity's id");
    khm_ropa_row row;
    khm_agency ag;
    khm_page page = { NULL, KHM_PAGE_MAX };
    int more;
    shown sh = { &row, NULL, 0, &ag };
    if ((rc = open_ctx(&x)) == 0 && (rc = khm_store_ropa_get(x.tx, &row, args[0], x.a)) == 0 &&
        (rc = khm_store_agency_get(x.tx, &ag, row.agency_id, x.a)) == 0 &&
        (rc = khm_store_ropa_refusal_list(x.tx, &sh.ref, &sh.nref, &more, row.id, &page, x.a)) == 0)
        rc = print_jw(write_shown, &sh);
    return close_ctx(&x, rc);
}

static int ropa_completeness(const khm_cmd *cmd, int argc, char **argv)
{
    ropa_ctx x;
    const char *agency = NULL;
    const khm_cli_opt opts[] = { { "agency", &agency, NULL }, { NULL, NULL, NULL } };
    int rc = khm_cli_parse(cmd, &x.c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (!agency)
        return khm_cli_usage(cmd, "ropa completeness needs --agency AGENCY");
    khm_agency ag;
    khm_ropa_report rep;
    if ((rc = open_ctx(&x)) == 0 && (rc = khm_store_agency_get(x.tx, &ag, agency, x.a)) == 0 &&
        (rc = khm_ropa_report_build(x.tx, &rep, &ag, x.a)) == 0) {
        if (x.c.format == KHM_OUT_JSON) {
            rc = print_jw(write_report, &rep);
        } else {
            khm_agency_gap g[4];
            size_t ng = khm_agency_gaps(&ag, g, 4);
            printf("agency %s: %d%% complete, %zu activities%s\n", ag.slug, rep.score, rep.n,
                   rep.has_dpo ? "" : ", no DPO");
            for (size_t i = 0; i < ng && i < 4; i++)
                printf("gap: %s (%s): %s / %s\n", g[i].code, g[i].section, g[i].message,
                       g[i].message_th);
            if (!rep.n)
                printf("gap: no_activities (PDPA s.39): the record of processing has no "
                       "activity / ยังไม่มีกิจกรรมการประมวลผลในบันทึกรายการ\n");
            for (size_t i = 0; i < rep.n; i++) {
                printf("%s %d%% %s\n", rep.activities[i].code, rep.checks[i].score,
                       rep.activities[i].name_th);
                for (int k = 0; k < KHM_ROPA_ITEM__COUNT; k++)
                    if (rep.checks[i].missing & (1u << k))
                        printf("  missing %s: %s / %s\n", khm_ropa_item_section(k),
                               khm_ropa_item_label_en(k), khm_ropa_item_label_th(k));
            }
        }
    }
    return close_ctx(&x, rc);
}

int khm_cmd_ropa(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "list", ropa_list },
        { "show", ropa_show },
        { "completeness", ropa_completeness },
        { NULL, NULL },
    };
    return khm_cli_dispatch("ropa", subs, argc, argv);
}
