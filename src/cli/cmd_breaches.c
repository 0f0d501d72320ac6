/* khomun breaches list|add|show: the breach register (PDPA s.37(4)), straight on the data
 * directory's store, with the 72-hour clock computed when read. The rules are the library's
 * (breach.h); every change is audited as "cli:<login>". */
#include "cli.h"

#include <khomun/breach.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <stdio.h>
#include <string.h>

typedef struct {
    const khm_breach *b;
    const khm_breach_action *acts;
    size_t n;
    int64_t now;
} view;

static void write_view(khm_jw *w, const void *rec)
{
    const view *v = rec;
    khm_breach_write_json(w, v->b, v->acts, v->n, v->now);
}

static int agency_of(khm_tx *tx, const char *name, khm_agency *out, khm_arena *a)
{
    int rc = khm_store_agency_get(tx, out, name, a);
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        return khm_err_field("agency", "ไม่พบหน่วยงานนี้", "unknown agency '%s'", name);
    }
    return rc;
}

/* "a,b,c" as a JSON array of strings (NULL/empty → empty array). */
static json_t *split(const char *s)
{
    json_t *arr = json_array();
    while (arr && s && *s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        json_array_append_new(arr, json_stringn(s, n));
        s = e ? e + 1 : NULL;
    }
    return arr;
}

static const char *left_of(const khm_breach *b, int64_t now, khm_arena *a)
{
    char left[48];
    if (b->closed_at)
        return "closed";
    if (!khm_breach_office_pending(b))
        return b->risk == KHM_BREACH_RISK_NONE ? "not required" : "notified";
    khm_cli_left(left, sizeof(left), khm_breach_remaining_ms(b, now));
    return khm_arena_strdup(a, left);
}

static void print_one(const khm_breach *b, const khm_breach_action *acts, size_t n, khm_out format,
                      int64_t now, khm_arena *a)
{
    if (format == KHM_OUT_JSON) {
        view v = { b, acts, n, now };
        khm_cli_print_json(khm_jw_to_jansson(write_view, &v));
        return;
    }
    char aware[KHM_TIME_RFC3339_LEN], due[KHM_TIME_RFC3339_LEN], th[96];
    khm_time_format(aware, b->aware_at);
    khm_time_format(due, b->office_due_at);
    khm_time_format_th(th, sizeof(th), b->office_due_at);
    printf("breach %s\n  risk        %s (%s)\n  aware at    %s\n  office due  %s (%s): %s\n"
           "  subjects    %s\n  description %s\n",
           b->id, khm_breach_risk_name(b->risk), khm_breach_risk_label_th(b->risk), aware, due, th,
           left_of(b, now, a),
           b->subjects_notified_at ? "notified"
           : b->subjects_required  ? "to notify (high risk)"
                                   : "not required",
           b->description);
    for (size_t i = 0; i < n; i++) {
        char at[KHM_TIME_RFC3339_LEN];
        khm_time_format(at, acts[i].ts);
        printf("  %s  %s%s%s\n", at, acts[i].kind, acts[i].text ? ": " : "",
               acts[i].text ? acts[i].text : "");
    }
}

static int breaches_add(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    khm_breach_input in = { 0 };
    const char *agency = NULL, *cia = NULL, *datasets = NULL, *count = NULL;
    const khm_cli_opt opts[] = {
        { "agency", &agency, NULL },     { "aware-at", &in.aware_at, NULL },
        { "cia", &cia, NULL },           { "description", &in.description, NULL },
        { "datasets", &datasets, NULL }, { "subjects", &count, NULL },
        { "risk", &in.risk, NULL },      { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (!agency || !in.aware_at || !cia || !in.description || !in.risk)
        return khm_cli_usage(cmd, "breaches add needs --agency, --aware-at, --cia, --description "
                                  "and --risk");
    long long n = 0;
    char tail;
    if (count && sscanf(count, "%lld%c", &n, &tail) != 1)
        return khm_cli_fail(khm_err_field("subjects", "ต้องเป็นจำนวนเต็ม", "must be an integer"));
    json_t *jcia = split(cia), *jds = split(datasets), *jn = count ? json_integer(n) : NULL;
    in.cia = jcia;
    in.datasets = jds;
    in.subject_count = jn;
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_breach b;
    khm_agency ag;
    char actor[96];
    int64_t now = khm_time_now_ms();
    khm_cli_actor(actor, sizeof(actor));
    if (!a || !jcia || !jds)
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    else if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = agency_of(tx, agency, &ag, a)) == 0 &&
            (rc = khm_breach_create(tx, &b, &in, ag.id, actor, now, a)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "breach.report", khm_arena_printf(a, "breach/%s", b.id))) ==
                0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON)
            print_one(&b, NULL, 0, c.format, now, a);
        else {
            char th[96];
            khm_time_format_th(th, sizeof(th), b.office_due_at);
            printf("breach %s reported (risk %s; the Office is due by %s: %s)\n", b.id,
                   khm_breach_risk_name(b.risk), th, left_of(&b, now, a));
        }
    }
    if (rc < 0)
        rc = khm_cli_fail(rc);
    json_decref(jcia);
    json_decref(jds);
    json_decref(jn);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

static int breaches_show(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    char **args;
    int nargs, rc = khm_cli_parse(cmd, &c, NULL, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "breaches show needs the breach's id");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_breach b;
    khm_breach_action *acts = NULL;
    size_t n = 0;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        if ((rc = khm_store_breach_get(tx, &b, args[0], a)) == 0)
            rc = khm_store_breach_action_list(tx, &acts, &n, b.id, a);
        khm_tx_rollback(tx);
    }
    if (rc == 0)
        print_one(&b, acts, n, c.format, khm_time_now_ms(), a);
    else
        rc = khm_cli_fail(rc);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

static int breaches_list(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *agency = NULL;
    int open = 0;
    const khm_cli_opt opts[] = {
        { "agency", &agency, NULL },
        { "open", NULL, &open },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    int64_t now = khm_time_now_ms();
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    json_t *arr = json_array();
    khm_table t;
    khm_table_init(&t, 6, a);
    const char *head[] = { "ID", "RISK", "AWARE", "OFFICE DUE", "กำหนดแจ้ง (พ.ศ.)", "LEFT" };
    khm_table_row(&t, head);
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        khm_agency one, *ags = NULL;
        size_t nag = 0;
        int amore = 0;
        khm_page ap = { NULL, KHM_PAGE_MAX };
        if (agency) {
            if ((rc = agency_of(tx, agency, &one, a)) == 0) {
                ags = &one;
                nag = 1;
            }
        } else {
            rc = khm_store_agency_list(tx, &ags, &nag, &amore, &ap, a);
        }
        for (size_t k = 0; rc == 0 && k < nag; k++) {
            khm_page page = { NULL, KHM_PAGE_MAX };
            int more = 1;
            while (rc == 0 && more) {
                khm_breach *items;
                size_t n;
                rc = khm_store_breach_list(tx, &items, &n, &more, ags[k].id, open, &page, a);
                for (size_t i = 0; rc == 0 && i < n; i++) {
                    const khm_breach *b = &items[i];
                    char *aware = khm_arena_alloc(a, KHM_TIME_RFC3339_LEN);
                    char *due = khm_arena_alloc(a, KHM_TIME_RFC3339_LEN);
                    char *th = khm_arena_alloc(a, 96);
                    if (!aware || !due || !th) {
                        rc = khm_err_set(KHM_ENOMEM, "out of memory");
                        break;
                    }
                    khm_time_format(aware, b->aware_at);
                    khm_time_format(due, b->office_due_at);
                    khm_time_format_th(th, 96, b->office_due_at);
                    aware[16] = due[16] = '\0';
                    const char *row[] = { b->id, khm_breach_risk_name(b->risk),
                                          aware, due,
                                          th,    left_of(b, now, a) };
                    khm_table_row(&t, row);
                    view v = { b, NULL, 0, now };
                    json_array_append_new(arr, khm_jw_to_jansson(write_view, &v));
                }
                if (n)
                    page.after = items[n - 1].id;
            }
        }
        khm_tx_rollback(tx);
    }
    return khm_cli_finish_list(rc, &c, arr, &t, s, a);
}

int khm_cmd_breaches(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "list", breaches_list },
        { "add", breaches_add },
        { "show", breaches_show },
        { NULL, NULL },
    };
    return khm_cli_dispatch("breaches", subs, argc, argv);
}
