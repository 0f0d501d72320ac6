/* khomun dataset scan|quality|classification|search: one catalog dataset's scan, quality and
 * classification, and the catalog's search, straight on the data directory (docs/cli/dataset.md,
 * docs/cli/dataset-search.md). Thin over the library: search is khm_dataset_search, as GET
 * /api/v1/datasets?q=… runs it (the operator of the data directory sees every dataset);
 * the same three-step scan as POST /api/v1/datasets/{id}/scan (khm_dataset_scan_*), the same
 * profiles and report as GET/POST …/quality, the same classification document as GET
 * …/classification. --format json prints the API's JSON; the table is drawn from that JSON, so
 * the two never disagree. */
#include "cli.h"

#include <khomun/access.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/json.h>
#include <khomun/quality.h>
#include <khomun/resource.h>
#include <khomun/scan.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse what @p w wrote into a jansson value (*@p out, new reference). */
static int jw_value(khm_jw *w, khm_buf *b, json_t **out)
{
    int rc = khm_jw_finish(w);
    *out = rc == 0 ? json_loadb(b->ptr, b->len, 0, NULL) : NULL;
    khm_buf_dispose(b);
    if (rc < 0)
        return rc;
    return *out ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

/* A dataset command's answer @p v (consumed): indented JSON with --format json, else @p print's
 * terminal form for the dataset @p name. */
typedef void (*answer_printer)(const json_t *v, const char *name, khm_arena *a);

static int print_answer(const khm_common *c, json_t *v, answer_printer print, const char *name,
                        khm_arena *a)
{
    if (c->format == KHM_OUT_JSON)
        return khm_cli_print_json(v);
    print(v, name, a);
    json_decref(v);
    return 0;
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "-";
}

/* An integer or real member as text ("-" when null or absent). */
static const char *jnum(const json_t *o, const char *key, khm_arena *a)
{
    const json_t *v = json_object_get(o, key);
    if (json_is_integer(v))
        return khm_arena_printf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v))
        return khm_arena_printf(a, "%.1f", json_real_value(v));
    return "-";
}

/* "ข้อมูลส่วนบุคคล / ชั้นเผยแพร่ภายในองค์กร (personal / internal)" of a classification object. */
static const char *klass(const json_t *o, khm_arena *a)
{
    return khm_arena_printf(a, "%s / %s (%s / %s)", jstr(o, "category_th"), jstr(o, "level_th"),
                            jstr(o, "category"), jstr(o, "level"));
}

/* The suggestion and the flag of a scan result or a classification document. */
static void print_suggestion(const json_t *v, khm_arena *a)
{
    const json_t *flag = json_object_get(v, "classification_flag");
    printf("suggested:      %s\n", klass(json_object_get(v, "suggested"), a));
    if (json_is_object(flag))
        printf("flag:           %s: %s\n                %s\n", jstr(flag, "code"),
               jstr(flag, "message_th"), jstr(flag, "message"));
    else
        printf("flag:           none (the classification reflects the scans)\n");
}

/* ---- scan ------------------------------------------------------------------------------ */

static void print_scan(const json_t *v, const char *name, khm_arena *a)
{
    const json_t *sum = json_object_get(v, "summary"), *res = json_object_get(v, "resources");
    const json_t *cl = json_object_get(v, "classification"), *q = json_object_get(v, "quality");
    printf("dataset %s (%s): %s resources, %s scanned, %s skipped, %s failed; %s bytes read in "
           "%.3f ms\n",
           name, jstr(v, "dataset_id"), jnum(sum, "resources", a), jnum(sum, "scanned", a),
           jnum(sum, "skipped", a), jnum(sum, "failed", a), jnum(sum, "bytes", a),
           json_number_value(json_object_get(sum, "ms")));
    khm_table t;
    khm_table_init(&t, 6, a);
    const char *head[] = { "NAME", "STATUS", "BYTES", "MS", "FOUND", "REASON" };
    khm_table_row(&t, head);
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        khm_buf f = KHM_BUF_INIT(4096);
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(r, "findings"), k, x)
        {
            khm_buf_printf(&f, "%s%s×%lld", k ? ", " : "", jstr(x, "type"),
                           (long long)json_integer_value(json_object_get(x, "count")));
        }
        const json_t *ms = json_object_get(r, "ms");
        const char *row[] = {
            jstr(r, "name"),
            jstr(r, "status"),
            jnum(r, "bytes", a),
            json_is_number(ms) ? khm_arena_printf(a, "%.3f", json_number_value(ms)) : "-",
            f.len ? khm_arena_strdup(a, f.ptr) : "-",
            json_is_string(json_object_get(r, "reason"))
                ? khm_arena_printf(a, "%s: %s", jstr(r, "code"), jstr(r, "reason_th"))
                : "-"
        };
        khm_buf_dispose(&f);
        khm_table_row(&t, row);
    }
    khm_table_print(&t);
    printf("personal data:  %s%s\n",
           json_is_true(json_object_get(v, "personal_data")) ? "found" : "none",
           json_is_true(json_object_get(v, "sensitive_data")) ? ", sensitive (PDPA s.26)" : "");
    printf("classification: %s%s\n", klass(cl, a),
           json_is_true(json_object_get(cl, "confirmed")) ? ", confirmed" : ", not confirmed");
    print_suggestion(v, a);
    printf("quality:        %s/100\n", jnum(q, "score", a));
}

static int dataset_scan(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &c, NULL, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "dataset scan needs DATASET");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_scanner *sc = NULL;
    khm_tx *tx = NULL;
    khm_dataset d;
    khm_dataset_scan scan;
    json_t *v = NULL;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    /* plan (read), read the files (no transaction), store (write, audited) */
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        rc = khm_dataset_scan_plan(tx, &d, args[0], KHM_SCAN_ON_UPLOAD_MAX, &scan, a);
        khm_tx_rollback(tx);
    }
    if (rc == 0 && (rc = khm_scanner_new(&sc, NULL)) == 0)
        rc = khm_dataset_scan_run(&scan, sc, c.data_dir, a);
    if (rc == 0 && (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = khm_dataset_scan_apply(tx, &d, &scan, NULL, khm_time_now_ms(), a)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "dataset.scan", khm_arena_printf(a, "dataset/%s", d.id))) ==
                0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0) {
        khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
        khm_jw w;
        khm_jw_init(&w, &b);
        khm_dataset_scan_write_json(&w, &d, &scan);
        rc = jw_value(&w, &b, &v);
    }
    if (rc == 0) {
        rc = print_answer(&c, v, print_scan, d.slug, a);
        v = NULL;
    }
    json_decref(v);
    khm_scanner_free(sc);
    return khm_cli_close(rc, s, a);
}

/* ---- quality --------------------------------------------------------------------------- */

/* Explanations in Thai then English under @p title; none: nothing. */
static void print_notes(const json_t *notes, const char *title)
{
    size_t i;
    json_t *n;
    json_array_foreach(notes, i, n)
    {
        if (i == 0)
            printf("%s\n", title);
        printf("  [%s] %s\n         %s\n", jstr(n, "dimension"), jstr(n, "message_th"),
               jstr(n, "message"));
    }
}

static void print_quality(const json_t *v, const char *name, khm_arena *a)
{
    const json_t *dims = json_object_get(v, "dimensions"), *st = json_object_get(v, "stored");
    printf("dataset %s: quality %s/100 (%s of %s files profiled)\n", name, jnum(v, "score", a),
           jnum(v, "profiled", a), jnum(v, "files", a));
    printf("stored score %s/100 at %s\n", jnum(st, "score", a), jstr(st, "computed_at"));
    khm_table t;
    khm_table_init(&t, 4, a);
    const char *head[] = { "DIMENSION", "SCORE", "WEIGHT", "MEASURED ON" };
    khm_table_row(&t, head);
    static const char *const names[] = { "completeness", "validity", "uniqueness", "timeliness" };
    for (size_t i = 0; i < 4; i++) {
        const json_t *d = json_object_get(dims, names[i]);
        const char *on =
            i == 0   ? khm_arena_printf(a, "%s empty of %s cells", jnum(d, "empty", a),
                                        jnum(d, "cells", a))
            : i == 1 ? khm_arena_printf(a, "%s invalid of %s checked", jnum(d, "invalid", a),
                                        jnum(d, "checked", a))
            : i == 2 ? khm_arena_printf(a, "%s duplicate rows, %s duplicate keys of %s rows",
                                        jnum(d, "duplicate_rows", a), jnum(d, "duplicate_keys", a),
                                        jnum(d, "rows", a))
                     : jstr(d, "status");
        const char *row[] = { names[i], jnum(d, "score", a), jnum(d, "weight", a), on };
        khm_table_row(&t, row);
    }
    khm_table_print(&t);
    printf("%s\n", jstr(v, "formula"));
    size_t i;
    json_t *r;
    print_notes(json_object_get(v, "explanations"), "explanations:");
    khm_table f;
    khm_table_init(&f, 4, a);
    const char *fhead[] = { "FILE", "STATUS", "SCORE", "ROWS" };
    khm_table_row(&f, fhead);
    json_array_foreach(json_object_get(v, "resources"), i, r)
    {
        const char *row[] = { jstr(r, "name"), jstr(r, "status"), jnum(r, "score", a),
                              jnum(r, "rows", a) };
        khm_table_row(&f, row);
    }
    if (!json_array_size(json_object_get(v, "resources")))
        return;
    khm_table_print(&f);
    /* each file's own problems: the column, how many, where */
    json_array_foreach(json_object_get(v, "resources"), i, r)
    {
        print_notes(json_object_get(r, "explanations"),
                    khm_arena_printf(a, "file %s:", jstr(r, "name")));
    }
}

static int dataset_quality(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    int recompute = 0;
    const khm_cli_opt opts[] = {
        { "recompute", NULL, &recompute },
        { NULL, NULL, NULL },
    };
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "dataset quality needs DATASET");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx = NULL;
    khm_dataset d;
    khm_resource_rec *files = NULL;
    khm_quality_item *items = NULL;
    size_t nfiles = 0, nitems = 0;
    json_t *v = NULL;
    int64_t now = khm_time_now_ms();
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        if ((rc = khm_store_dataset_get(tx, &d, args[0], a)) == 0) {
            if (recompute)
                rc = khm_resource_list_all(tx, &files, &nfiles, d.id, a);
            else
                rc = khm_quality_write_report(tx, &w, &d, now, a);
        }
        khm_tx_rollback(tx);
    }
    if (rc == 0 && recompute &&
        (rc = khm_quality_profile_files(&items, &nitems, c.data_dir, files, nfiles, a)) == 0 &&
        (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        /* store the profiles and the score, report, audit: one transaction */
        if ((rc = khm_store_dataset_get(tx, &d, args[0], a)) == 0 &&
            (rc = khm_quality_save_files(tx, &d, items, nitems, now, a)) == 0 &&
            (rc = khm_quality_write_report(tx, &w, &d, now, a)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "dataset.quality_compute",
                                khm_arena_printf(a, "dataset/%s", d.id))) == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0)
        rc = jw_value(&w, &b, &v);
    else
        khm_buf_dispose(&b);
    if (rc == 0) {
        rc = print_answer(&c, v, print_quality, d.slug, a);
        v = NULL;
    }
    json_decref(v);
    return khm_cli_close(rc, s, a);
}

/* ---- classification -------------------------------------------------------------------- */

static void print_classification(const json_t *v, const char *name, khm_arena *a)
{
    const json_t *cur = json_object_get(v, "current");
    int cat = khm_dataset_category_named(json_string_value(json_object_get(cur, "category")));
    int lev = khm_dataset_level_named(json_string_value(json_object_get(cur, "level")));
    printf("dataset %s (%s)\n", name, jstr(v, "dataset_id"));
    printf("current:        %s / %s (%s / %s), %s, C/I/A %s\n",
           cat >= 0 ? khm_category_label_th(cat) : "-", lev >= 0 ? khm_level_label_th(lev) : "-",
           jstr(cur, "category"), jstr(cur, "level"),
           json_is_true(json_object_get(cur, "confirmed")) ? "confirmed" : "not confirmed",
           jstr(cur, "cia"));
    printf("scans found:    %s%s\n",
           json_is_true(json_object_get(v, "personal_data")) ? "personal data" : "no personal data",
           json_is_true(json_object_get(v, "sensitive_data")) ? ", sensitive (PDPA s.26)" : "");
    print_suggestion(v, a);
    khm_table t;
    khm_table_init(&t, 6, a);
    const char *head[] = { "AT", "KIND", "FROM", "TO", "BY", "REASON" };
    khm_table_row(&t, head);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(v, "history"), i, e)
    {
        const json_t *from = json_object_get(e, "from"), *to = json_object_get(e, "to");
        const char *row[] = {
            jstr(e, "at"),
            jstr(e, "kind"),
            khm_arena_printf(a, "%s/%s", jstr(from, "category"), jstr(from, "level")),
            khm_arena_printf(a, "%s/%s", jstr(to, "category"), jstr(to, "level")),
            jstr(e, "by"),
            jstr(e, "reason"),
        };
        khm_table_row(&t, row);
    }
    printf("history:\n");
    khm_table_print(&t);
}

static int dataset_classification(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &c, NULL, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "dataset classification needs DATASET");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx = NULL;
    khm_dataset d;
    json_t *v = NULL;
    khm_dataset_class *all = NULL;
    size_t nall = 0, cap = 0;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        /* the whole history, every page */
        khm_page page = { NULL, KHM_PAGE_MAX };
        int more = (rc = khm_store_dataset_get(tx, &d, args[0], a)) == 0;
        while (rc == 0 && more) {
            khm_dataset_class *items;
            size_t n;
            if ((rc = khm_store_dataset_class_list(tx, &items, &n, &more, d.id, &page, a)) < 0)
                break;
            if (nall + n > cap) {
                size_t nc = (nall + n) * 2;
                khm_dataset_class *bigger = khm_arena_calloc(a, nc, sizeof(*bigger));
                if (!bigger) {
                    rc = khm_err_set(KHM_ENOMEM, "out of memory");
                    break;
                }
                if (nall)
                    memcpy(bigger, all, nall * sizeof(*all));
                all = bigger;
                cap = nc;
            }
            if (n)
                memcpy(all + nall, items, n * sizeof(*items));
            nall += n;
            if (!n)
                break;
            page.after = items[n - 1].id;
        }
        khm_tx_rollback(tx);
    }
    if (rc == 0) {
        khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
        khm_jw w;
        khm_jw_init(&w, &b);
        khm_dataset_classification_write_json(&w, &d, all, nall, NULL);
        rc = jw_value(&w, &b, &v);
    }
    if (rc == 0) {
        rc = print_answer(&c, v, print_classification, d.slug, a);
        v = NULL;
    }
    json_decref(v);
    return khm_cli_close(rc, s, a);
}

/* ---- search ---------------------------------------------------------------------------- */

/* The slug of agency @p id, looked up once per agency (a table run is a page at most). */
static const char *agency_slug(khm_tx *tx, const char *id, const char **ids, const char **slugs,
                               size_t *n, khm_arena *a)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(ids[i], id) == 0)
            return slugs[i];
    khm_agency ag;
    const char *slug = khm_store_agency_get(tx, &ag, id, a) == 0 ? ag.slug : id;
    khm_err_clear();
    if (*n < KHM_SEARCH_MAX) {
        ids[*n] = id;
        slugs[(*n)++] = slug;
    }
    return slug;
}

static int dataset_search(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *agency = NULL, *tag = NULL, *limit_s = NULL;
    const khm_cli_opt opts[] = {
        { "agency", &agency, NULL },
        { "tag", &tag, NULL },
        { "limit", &limit_s, NULL },
        { NULL, NULL, NULL },
    };
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "dataset search needs QUERY (the words to search for)");
    size_t limit = 20;
    if (limit_s) {
        char *end;
        long v = strtol(limit_s, &end, 10);
        if (!*limit_s || *end || v < 1 || v > KHM_SEARCH_MAX)
            return khm_cli_fail(khm_err_field("limit", "จำนวนผลลัพธ์ต้องเป็นจำนวนเต็ม 1–500",
                                              "must be an integer from 1 to %d", KHM_SEARCH_MAX));
        limit = (size_t)v;
    }
    if (tag && (!*tag || !khm_utf8_is_text(tag, strlen(tag), 100)))
        return khm_cli_fail(khm_err_field("tag", "คำสำคัญต้องเป็นข้อความ 1–100 ตัวอักษร",
                                          "must be one tag of 1-100 characters"));
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx = NULL;
    khm_dataset *items = NULL;
    const char **keys = NULL;
    size_t n = 0;
    int more = 0;
    khm_dataset_query q = { args[0], KHM_DATASET_FILTER_INIT, KHM_DSORT_RELEVANCE, NULL, NULL, 0 };
    q.filter.tag = tag;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        khm_agency ag;
        if (agency && (rc = khm_store_agency_get(tx, &ag, agency, a)) == KHM_ENOTFOUND) {
            khm_err_clear();
            rc = khm_err_field("agency", "ไม่พบหน่วยงานนี้", "unknown agency '%s'", agency);
        }
        if (rc == 0 && agency)
            q.filter.agency_id = ag.id;
        if (rc == 0)
            rc = khm_dataset_search(tx, &q, limit, NULL, NULL, &items, &keys, &n, &more, a);
        if (rc == 0 && c.format == KHM_OUT_JSON) { /* the API's page: items, more */
            khm_jw w;
            khm_jw_init(&w, &b);
            khm_jw_obj(&w);
            khm_jw_key(&w, "query");
            khm_jw_str(&w, args[0]);
            khm_jw_key(&w, "items");
            khm_jw_arr(&w);
            for (size_t i = 0; i < n; i++)
                khm_dataset_write_json(&w, &items[i]);
            khm_jw_arr_end(&w);
            khm_jw_key(&w, "more");
            khm_jw_bool(&w, more);
            khm_jw_obj_end(&w);
            rc = khm_jw_finish(&w);
        } else if (rc == 0 && n) {
            const char **ids = khm_arena_calloc(a, n, sizeof(*ids));
            const char **slugs = khm_arena_calloc(a, n, sizeof(*slugs));
            size_t nag = 0;
            khm_table t;
            khm_table_init(&t, 4, a);
            const char *head[] = { "NAME", "TITLE", "AGENCY", "CLASSIFICATION" };
            khm_table_row(&t, head);
            for (size_t i = 0; ids && slugs && i < n; i++) {
                const khm_dataset *d = &items[i];
                const char *row[] = {
                    d->slug,
                    d->title,
                    agency_slug(tx, d->agency_id, ids, slugs, &nag, a),
                    khm_arena_printf(a, "%s / %s",
                                     d->category >= 0 ? khm_category_label_th(d->category) : "-",
                                     d->level >= 0 ? khm_level_label_th(d->level) : "-"),
                };
                khm_table_row(&t, row);
            }
            if ((rc = khm_table_format(&t, &b)) == 0)
                rc = khm_buf_printf(&b, "%zu dataset%s%s\n", n, n == 1 ? "" : "s",
                                    more ? ", more follow (--limit)" : "");
        } else if (rc == 0) {
            rc = khm_buf_printf(&b, "no dataset matches '%s' / ไม่พบชุดข้อมูลที่ตรงกับคำค้นหา\n", args[0]);
        }
        khm_tx_rollback(tx);
    }
    if (rc == 0 && b.len)
        fwrite(b.ptr, 1, b.len, stdout);
    if (rc < 0)
        rc = khm_cli_fail(rc);
    khm_buf_dispose(&b);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

int khm_cmd_dataset(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "scan", dataset_scan },
        { "quality", dataset_quality },
        { "classification", dataset_classification },
        { "search", dataset_search },
        { NULL, NULL },
    };
    return khm_cli_dispatch("dataset", subs, argc, argv);
}
