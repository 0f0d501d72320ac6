/* khomun requests list|add|show|transition|discover|package: the data-subject request register
 * (PDPA s.30-36),
 * straight on the data directory's store. The rules and clocks are the library's (request.h);
 * every change is audited as "cli:<login>". */
#include "cli.h"

#include <khomun/err.h>
#include <khomun/request.h>
#include <khomun/setup.h>
#include <khomun/time.h>

#include <stdio.h>
#include <string.h>

typedef struct {
    const khm_dsr *r;
    const khm_dsr_event *ev;
    size_t n;
    int64_t now;
} view;

static void write_view(khm_jw *w, const void *rec)
{
    const view *v = rec;
    khm_dsr_write_json(w, v->r, v->ev, v->n, v->now);
}

/* The agency named by --agency (id or slug) into @p out. */
static int agency_of(khm_tx *tx, const char *name, khm_agency *out, khm_arena *a)
{
    int rc = khm_store_agency_get(tx, out, name, a);
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        return khm_err_field("agency", "ไม่พบหน่วยงานนี้", "unknown agency '%s'", name);
    }
    return rc;
}

static void print_one(const khm_dsr *r, const khm_dsr_event *ev, size_t n, khm_out format,
                      int64_t now)
{
    if (format == KHM_OUT_JSON) {
        view v = { r, ev, n, now };
        khm_cli_print_json(khm_jw_to_jansson(write_view, &v));
        return;
    }
    char rec[KHM_TIME_RFC3339_LEN], due[KHM_TIME_RFC3339_LEN], th[96], left[48];
    khm_time_format(rec, r->received_at);
    khm_time_format(due, r->due_at);
    khm_time_format_th(th, sizeof(th), r->due_at);
    khm_cli_left(left, sizeof(left), r->due_at - now);
    printf("request %s\n  type        %s (%s)\n  status      %s\n  received    %s\n"
           "  due         %s (%s)%s%s\n  subject     %s\n",
           r->id, khm_dsr_rule_of(r->type)->name, khm_dsr_rule_of(r->type)->section,
           khm_dsr_status_name(r->status), rec, due, th, r->closed_at ? "" : ", ",
           r->closed_at ? "" : left, r->subject);
    for (size_t i = 0; i < n; i++) {
        char at[KHM_TIME_RFC3339_LEN];
        khm_time_format(at, ev[i].ts);
        printf("  %s  %s%s%s%s%s\n", at, ev[i].kind, ev[i].to_status ? " → " : "",
               ev[i].to_status ? ev[i].to_status : "", ev[i].text ? ": " : "",
               ev[i].text ? ev[i].text : "");
    }
}

static int requests_add(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    khm_dsr_input in = { 0 };
    const char *agency = NULL;
    const khm_cli_opt opts[] = {
        { "agency", &agency, NULL },
        { "type", &in.type, NULL },
        { "channel", &in.channel, NULL },
        { "subject", &in.subject, NULL },
        { "subject-kind", &in.subject_kind, NULL },
        { "contact", &in.contact, NULL },
        { "received-at", &in.received_at, NULL },
        { "assignee", &in.assignee, NULL },
        { "note", &in.note, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (!agency || !in.type || !in.channel || !in.subject)
        return khm_cli_usage(cmd, "requests add needs --agency, --type, --channel and --subject");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_dsr r;
    khm_agency ag;
    khm_keys keys;
    char actor[96];
    int64_t now = khm_time_now_ms();
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    khm_cli_actor(actor, sizeof(actor));
    memset(&keys, 0, sizeof(keys));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_keys_load(&keys, c.data_dir)) == 0 &&
        (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = agency_of(tx, agency, &ag, a)) == 0 &&
            (rc = khm_dsr_create(tx, &r, &in, &keys, ag.id, actor, now, a)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "request.create",
                                khm_arena_printf(a, "request/%s", r.id))) == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    khm_keys_wipe(&keys);
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON)
            print_one(&r, NULL, 0, c.format, now);
        else {
            char due[KHM_TIME_RFC3339_LEN], th[96];
            khm_time_format(due, r.due_at);
            khm_time_format_th(th, sizeof(th), r.due_at);
            printf("request %s registered (%s, %s; due %s, %s)\n", r.id,
                   khm_dsr_rule_of(r.type)->name, khm_dsr_rule_of(r.type)->section, due, th);
        }
    }
    return khm_cli_close(rc, s, a);
}

static int requests_show(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    char **args;
    int nargs, rc = khm_cli_parse(cmd, &c, NULL, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "requests show needs the request's id");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_dsr r;
    khm_dsr_event *ev = NULL;
    size_t n = 0;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        if ((rc = khm_store_dsr_get(tx, &r, args[0], a)) == 0)
            rc = khm_store_dsr_event_list(tx, &ev, &n, r.id, a);
        khm_tx_rollback(tx);
    }
    if (rc == 0)
        print_one(&r, ev, n, c.format, khm_time_now_ms());
    else
        rc = khm_cli_fail(rc);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

static int requests_transition(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    khm_dsr_transition_input in = { 0 };
    char **args;
    int nargs;
    const khm_cli_opt opts[] = {
        { "to", &in.to, NULL },
        { "method", &in.method, NULL },
        { "verification", &in.verification, NULL },
        { "reason", &in.reason, NULL },
        { "legal-ground", &in.legal_ground, NULL },
        { "assignee", &in.assignee, NULL },
        { "note", &in.note, NULL },
        { "ropa-activity", &in.ropa_activity, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "requests transition needs the request's id");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_dsr r;
    char actor[96];
    int64_t now = khm_time_now_ms();
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    khm_cli_actor(actor, sizeof(actor));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = khm_store_dsr_get(tx, &r, args[0], a)) == 0 &&
            (rc = khm_dsr_transition(tx, &r, &in, actor, now, a)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "request.transition",
                                khm_arena_printf(a, "request/%s", r.id))) == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON)
            print_one(&r, NULL, 0, c.format, now);
        else
            printf("request %s is now %s\n", r.id, khm_dsr_status_name(r.status));
    } else {
        rc = khm_cli_fail(rc);
    }
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

static int requests_list(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *agency = NULL, *status = NULL, *within = NULL;
    int overdue = 0, soon = 0;
    const khm_cli_opt opts[] = {
        { "agency", &agency, NULL }, { "status", &status, NULL },     { "overdue", NULL, &overdue },
        { "due-soon", NULL, &soon }, { "due-within", &within, NULL }, { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (overdue && (soon || within))
        return khm_cli_usage(cmd, "--overdue and --due-soon/--due-within exclude each other");
    int64_t now = khm_time_now_ms(), window = (int64_t)KHM_DSR_DUE_SOON_DAYS * 86400000;
    khm_dsr_filter f = { NULL, -1, 0, 0, 0 };
    if (status && (f.status = khm_dsr_status_parse(status)) < 0)
        return khm_cli_fail(khm_err_field("status", "สถานะไม่ถูกต้อง",
                                          "unknown status '%s' (received, verified, "
                                          "in_progress, fulfilled, refused)",
                                          status));
    if (within && khm_dsr_parse_window(within, &window, "due-within") < 0)
        return khm_cli_fail(KHM_EINVALID);
    if (overdue)
        khm_dsr_filter_overdue(&f, now);
    else if (soon || within) {
        khm_dsr_filter_due_soon(&f, now, 0);
        f.due_to = now + window;
    }
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    json_t *arr = json_array();
    khm_table t;
    khm_table_init(&t, 7, a);
    const char *head[] = { "ID", "TYPE", "STATUS", "RECEIVED", "DUE", "กำหนด (พ.ศ.)", "LEFT" };
    khm_table_row(&t, head);
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        /* every agency, or the one named */
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
            f.agency_id = ags[k].id;
            while (rc == 0 && more) {
                khm_dsr *items;
                size_t n;
                rc = khm_store_dsr_list(tx, &items, &n, &more, &f, &page, a);
                for (size_t i = 0; rc == 0 && i < n; i++) {
                    const khm_dsr *r = &items[i];
                    char *rec = khm_arena_alloc(a, KHM_TIME_RFC3339_LEN);
                    char *due = khm_arena_alloc(a, KHM_TIME_RFC3339_LEN);
                    char *th = khm_arena_alloc(a, 96), *left = khm_arena_alloc(a, 48);
                    if (!rec || !due || !th || !left) {
                        rc = khm_err_set(KHM_ENOMEM, "out of memory");
                        break;
                    }
                    khm_time_format(rec, r->received_at);
                    khm_time_format(due, r->due_at);
                    khm_time_format_th(th, 96, r->due_at);
                    if (r->closed_at)
                        snprintf(left, 48, "-");
                    else
                        khm_cli_left(left, 48, r->due_at - now);
                    rec[16] = due[16] = '\0'; /* minutes are enough in a table */
                    const char *row[] = { r->id,
                                          khm_dsr_rule_of(r->type)->name,
                                          khm_dsr_status_name(r->status),
                                          rec,
                                          due,
                                          th,
                                          left };
                    khm_table_row(&t, row);
                    view v = { r, NULL, 0, now };
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

/* The package in --format json (as kept) or csv, to --out or stdout. */
static int write_package(const char *package, size_t n, const char *format, const char *out)
{
    khm_buf b = KHM_BUF_INIT(KHM_DSR_PACKAGE_MAX);
    int csv, rc = khm_dsr_package_render(&b, package, n, format, "package-format", &csv);
    if (rc == 0 && !csv && khm_buf_putc(&b, '\n') < 0)
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    if (rc == 0)
        rc = khm_cli_write_out(out, &b);
    khm_buf_dispose(&b);
    return rc;
}

/* khomun requests discover ID --subject X: scan the agency's files for the subject (s.30) and
 * keep the access package; print it (or write it with --out). */
static int requests_discover(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *subject = NULL, *kind = NULL, *pformat = NULL, *out = NULL;
    char **args;
    int nargs;
    const khm_cli_opt opts[] = {
        { "subject", &subject, NULL },
        { "subject-kind", &kind, NULL },
        { "package-format", &pformat, NULL },
        { "out", &out, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1 || !subject)
        return khm_cli_usage(cmd, "requests discover needs the request's id and --subject");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_dsr r;
    khm_keys keys;
    khm_buf b = KHM_BUF_INIT(KHM_DSR_PACKAGE_MAX);
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    memset(&keys, 0, sizeof(keys));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_keys_load(&keys, c.data_dir)) == 0 &&
        (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = khm_store_dsr_get(tx, &r, args[0], a)) == 0 &&
            (rc = khm_dsr_discover_request(tx, &keys, c.data_dir, &r, kind, subject,
                                           khm_time_now_ms(), &b, a)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "request.discover",
                                khm_arena_printf(a, "request/%s", r.id))) == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    khm_keys_wipe(&keys);
    if (rc == 0)
        rc = write_package(b.ptr, b.len, pformat, out);
    if (rc < 0)
        rc = khm_cli_fail(rc);
    khm_buf_dispose(&b);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

/* khomun requests package ID [--package-format csv] [--out FILE]: the kept access package. */
static int requests_package(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *pformat = NULL, *out = NULL;
    char **args;
    int nargs;
    const khm_cli_opt opts[] = {
        { "package-format", &pformat, NULL },
        { "out", &out, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "requests package needs the request's id");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_dsr r;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        rc = khm_store_dsr_get(tx, &r, args[0], a);
        khm_tx_rollback(tx);
    }
    if (rc == 0 && !r.package)
        rc = khm_err_set(KHM_ENOTFOUND,
                         "request %s has no access package yet: run 'khomun requests discover %s "
                         "--subject …' first (ยังไม่มีชุดข้อมูลตอบคำขอ)",
                         r.id, r.id);
    if (rc == 0)
        rc = write_package(r.package, strlen(r.package), pformat, out);
    return khm_cli_close(rc, s, a);
}

int khm_cmd_requests(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "list", requests_list },
        { "add", requests_add },
        { "show", requests_show },
        { "transition", requests_transition },
        { "discover", requests_discover },
        { "package", requests_package },
        { NULL, NULL },
    };
    return khm_cli_dispatch("requests", subs, argc, argv);
}
