/* Datasets: create, list (what the caller may see), get, update and archive with optimistic
 * concurrency (ETag / If-Match), and the classification (current + history, the owner's
 * confirmation). Validation, storage and the rules are the library's (catalog.h, gdc.h); the
 * router has decided on the dataset as stored (routes.c, khm_resolve_dataset); a change that
 * would move the dataset to another level is decided again here on what it becomes. */
#include "server_internal.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/gdc.h>
#include <khomun/segment.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void write_dataset(khm_jw *w, const void *rec)
{
    khm_dataset_write_json(w, rec);
}

static void write_class(khm_jw *w, const void *rec)
{
    khm_dataset_class_write_json(w, rec);
}

/* Reply with a dataset, its ETag and (for 201) its Location. */
static int reply_dataset(khm_req *r, unsigned status, const khm_dataset *d)
{
    char etag[32], loc[160];
    int rc;
    khm_dataset_etag(d, etag, sizeof(etag));
    r->audit_target = khm_arena_printf(r->arena, "dataset/%s", d->id);
    if ((rc = khm_reply_record(r, status, write_dataset, d)) < 0)
        return rc;
    if ((rc = khm_reply_header(r, MHD_HTTP_HEADER_ETAG, etag)) < 0)
        return rc;
    if (status == 201) {
        snprintf(loc, sizeof(loc), "/api/v1/datasets/%s", d->id);
        rc = khm_reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
    }
    return rc;
}

/* May the caller @p action the dataset as it will be? (the router decided on it as it was) */
static int decide_again(khm_req *r, int action, const khm_dataset *d)
{
    khm_resource res = KHM_RESOURCE_INIT(KHM_RES_DATASET);
    khm_decision dec;
    int rc;
    khm_dataset_resource(d, &res);
    if ((rc = khm_access_decide(r->policy, &r->who, action, &res, NULL, &dec)) < 0)
        return rc;
    if (!dec.allow)
        return khm_err_set(KHM_EDENIED,
                           "%s dataset at level '%s' is not allowed for the role '%s': %s "
                           "(rule %s, policy %s)",
                           khm_action_name(action), d->level >= 0 ? khm_level_name(d->level) : "?",
                           khm_role_name(r->who.user.role), dec.reason, dec.rule,
                           dec.policy_version);
    return 0;
}

/* The agency a new dataset goes to: the caller's, or (admin) the one named. */
static int target_agency(khm_req *r, const char *named, char out[KHM_ID_LEN])
{
    khm_agency ag;
    int rc;
    if (!named || strcmp(named, r->who.agency.id) == 0 ||
        (r->who.agency.slug && strcmp(named, r->who.agency.slug) == 0)) {
        memcpy(out, r->who.agency.id, KHM_ID_LEN);
        return 0;
    }
    if ((rc = khm_store_agency_get(r->tx, &ag, named, r->arena)) == KHM_ENOTFOUND) {
        khm_err_clear();
        return khm_err_field("agency", "ไม่พบหน่วยงานนี้", "unknown agency '%s' (give its id or slug)",
                             named);
    }
    if (rc < 0)
        return rc;
    memcpy(out, ag.id, KHM_ID_LEN);
    return 0;
}

int khm_h_datasets_create(khm_req *r)
{
    khm_dataset_input in;
    khm_dataset d;
    char agency[KHM_ID_LEN];
    int rc;
    if ((rc = khm_dataset_input_from_json(&in, r->json)) < 0 ||
        (rc = target_agency(r, in.agency, agency)) < 0 ||
        (rc = khm_dataset_create(r->tx, &d, &in, agency, r->who.user.id, khm_time_now_ms(),
                                 r->arena)) < 0 ||
        (rc = decide_again(r, KHM_ACTION_WRITE, &d)) < 0)
        return rc;
    return reply_dataset(r, 201, &d);
}

/* The dataset named by the path, in @p tx (the router's write transaction, or a read one). */
static int load(khm_req *r, khm_tx *tx, khm_dataset *d)
{
    return khm_store_dataset_get(tx, d, r->params[0], r->arena);
}

int khm_h_datasets_get(khm_req *r)
{
    khm_dataset d;
    khm_tx *tx;
    int rc;
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = load(r, tx, &d);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return reply_dataset(r, 200, &d);
}

/* 1 / 0 for "1", "true" / "0", "false", -1 for anything else */
static int flag_of(const char *s)
{
    if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
        return 1;
    if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
        return 0;
    return -1;
}

/* quality_below's N, 1..101, or -1 */
static int quality_bound(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v >= 1 && v <= 101 ? (int)v : -1;
}

/* The listing's filters from the query string (agency, category, level, data_type, tag,
 * personal), each named in its error; the agency looked up in @p tx. */
static int list_filter(khm_req *r, khm_tx *tx, khm_dataset_filter *f)
{
    const char *agency_q = khm_req_query(r, "agency"), *cat_q = khm_req_query(r, "category");
    const char *level_q = khm_req_query(r, "level"), *type_q = khm_req_query(r, "data_type");
    const char *tag_q = khm_req_query(r, "tag"), *personal_q = khm_req_query(r, "personal");
    int rc, type;
    if (cat_q && khm_category_parse(cat_q, &f->category) < 0)
        return KHM_EINVALID; /* (the error names "category") */
    if (level_q && khm_level_parse(level_q, &f->level) < 0) {
        khm_err_clear();
        return khm_err_field("level",
                             "ระดับชั้นข้อมูลไม่ถูกต้อง (เปิดเผย, ชั้นเผยแพร่ภายในองค์กร, ลับ, ลับมาก, "
                             "ลับที่สุด)",
                             "unknown level '%s' (allowed: public, internal, confidential, "
                             "secret, top_secret, or the Thai name)",
                             level_q);
    }
    if (type_q) {
        if (khm_gdc_data_type_parse(type_q, &type) < 0)
            return KHM_EINVALID; /* (names "data_type") */
        f->data_type = khm_gdc_data_type_value(type);
    }
    /* a tag as GD-Catalog's คำสำคัญ are: 1–100 characters of text */
    if (tag_q && (!*tag_q || !khm_utf8_is_text(tag_q, strlen(tag_q), 100)))
        return khm_err_field("tag", "คำสำคัญต้องเป็นข้อความ 1–100 ตัวอักษร",
                             "must be one tag of 1-100 characters (metadata.tag_string)");
    f->tag = tag_q;
    if (personal_q && (f->personal = flag_of(personal_q)) < 0)
        return khm_err_field("personal", "ต้องเป็น 1 (มีข้อมูลส่วนบุคคล) หรือ 0 (ไม่มี)",
                             "must be 1 (holds personal data) or 0 (does not)");
    /* quality_below=N: checked here, applied with the visibility (visible()) on the stored
     * score (migration 11): datasets with a score under N; those never profiled do not match */
    const char *qb = khm_req_query(r, "quality_below");
    if (qb && quality_bound(qb) < 0)
        return khm_err_field("quality_below", "ต้องเป็นจำนวนเต็ม 1–101 (คะแนนคุณภาพต่ำกว่าค่านี้)",
                             "must be a whole number 1-101: datasets whose quality score is "
                             "below it");
    if (agency_q) {
        khm_agency ag;
        if ((rc = khm_store_agency_get(tx, &ag, agency_q, r->arena)) == KHM_ENOTFOUND) {
            khm_err_clear();
            rc = khm_err_field("agency", "ไม่พบหน่วยงานนี้", "unknown agency '%s'", agency_q);
        }
        if (rc < 0)
            return rc;
        f->agency_id = khm_arena_strdup(r->arena, ag.id);
        if (!f->agency_id)
            return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    return 0;
}

/* A listing's row filter: the request, and its flagged / quality_below looked up once (not
 * per row: each lookup walks the request's arguments). */
typedef struct {
    khm_req *r;
    int flagged;     /* ?flagged=1 */
    int quality_max; /* ?quality_below=N: N, else -1 */
} row_filter;

/* May the caller see this dataset in a listing? (the one decision point, docs/policy.md) */
static int visible(const row_filter *rf, const khm_dataset *d, int *allow)
{
    khm_req *r = rf->r;
    khm_resource res = KHM_RESOURCE_INIT(KHM_RES_DATASET);
    khm_decision dec;
    khm_dataset_resource(d, &res);
    int rc = khm_access_decide(r->policy, &r->who, KHM_ACTION_READ_METADATA, &res, NULL, &dec);
    *allow = rc == 0 && dec.allow;
    /* ?flagged=1: only datasets whose scans disagree with their classification */
    int c, l;
    if (*allow && rf->flagged)
        *allow = khm_dataset_suggest(d, &c, &l);
    /* ?quality_below=N: only datasets whose stored quality score is under N */
    if (*allow && rf->quality_max >= 0)
        *allow = d->quality_score >= 0 && d->quality_score < rf->quality_max;
    return rc;
}

/* OPTIMIZATION: the rows the caller could see at all, asked of the decision point before
 * reading (khm_access_class_allowed): when no dataset of another agency matching the filter's
 * category, level and personal may be seen, only the caller's agency's are read (filter agency =
 * theirs), and when none of either may be, nothing is (@p none). Before, a listing of another
 * agency's personal datasets read and decided on every one of them (10,000 of bench/catalog's
 * 100,000, 60 ms) to answer an empty page. Every row read is still decided on by visible(): the
 * page and its cursor are the same. @p partial: some of the rows read may be denied.
 *
 * A class is one category with the levels the catalog lets it hold (thai-rules.md §2.3,
 * khm_gdc_levels_allowed: every write of a category or level checks the pair — create, update,
 * the owner's confirmation, import; a scan changes the personal flags only). Were a stored pair
 * ever outside them, the row would be left out of listings of other agencies: a denial, never a
 * disclosure. */
static int narrow(khm_req *r, khm_dataset_filter *f, int *none, int *partial)
{
    const khm_principal *who = r->authed ? &r->who : NULL;
    int allowed[2] = { 0, 0 }, denied[2] = { 0, 0 }, rc; /* [0] own agency, [1] another */
    unsigned other[KHM_DATASET_FENCE_CATS] = { 0 }; /* the levels another's rows may be seen at */
    int fence = 0;
    *none = 0;
    *partial = 1;
    for (int c = 0; c < KHM_CAT__COUNT; c++) {
        if (f->category >= 0 && c != f->category)
            continue;
        unsigned levels = khm_gdc_levels_allowed(c);
        if (f->level >= 0)
            levels &= 1u << f->level;
        /* each level of the class on its own: the pairs no row of another agency could be
         * seen in are fenced off (khm_dataset_filter.fence_levels) */
        for (int l = 0; l <= KHM_LEVEL__COUNT; l++) { /* (KHM_LEVEL__COUNT: no level) */
            if (!(levels & (1u << l)))
                continue;
            khm_resource_class cls = { 1u << l, c, f->personal };
            int v[2];
            if ((rc = khm_access_class_allowed(r->policy, who, KHM_ACTION_READ_METADATA,
                                               KHM_RES_DATASET, &cls, &v[0], &v[1])) < 0)
                return rc;
            for (int o = 0; o < 2; o++) {
                allowed[o] |= v[o] != KHM_CLASS_NONE;
                denied[o] |= v[o] != KHM_CLASS_ALL;
            }
            if (l == KHM_LEVEL__COUNT)
                continue; /* (rows without a level are read in any case) */
            if (v[1] != KHM_CLASS_NONE)
                other[c] |= 1u << l;
            else
                fence = 1;
        }
    }
    int mine = who != NULL && who->agency.id[0];
    if (allowed[1]) {
        if (f->agency_id && mine && strcmp(f->agency_id, who->agency.id) == 0)
            *partial = denied[0]; /* the caller's agency's rows only */
        else if (f->agency_id)
            *partial = denied[1]; /* another's only */
        else
            *partial = denied[1] || (mine && denied[0]);
        /* another agency's rows are read in the pairs they may be seen in only (a listing of
         * personal=1 by an agency's admin: another's public datasets, not its 10,000 personal
         * ones, each read and denied) */
        if (fence && !(f->agency_id && mine && strcmp(f->agency_id, who->agency.id) == 0)) {
            f->fence_agency = mine ? who->agency.id : "";
            memcpy(f->fence_levels, other, sizeof(other));
        }
        return 0;
    }
    if (!allowed[0] || (f->agency_id && strcmp(f->agency_id, who->agency.id) != 0)) {
        *none = 1;
        return 0;
    }
    f->agency_id = who->agency.id;
    *partial = denied[0];
    return 0;
}

/* khm_dataset_search's keep: visible() */
static int keep_visible(void *ctx, const khm_dataset *d, int *keep)
{
    return visible(ctx, d, keep);
}

static void row_filter_init(row_filter *rf, khm_req *r)
{
    const char *fl = khm_req_query(r, "flagged"), *qb = khm_req_query(r, "quality_below");
    rf->r = r;
    rf->flagged = fl && flag_of(fl) == 1;
    rf->quality_max = qb ? quality_bound(qb) : -1;
}

/* GET /api/v1/datasets[?q=…]: one page of the live datasets (or of a search's matches) the
 * caller may see, in the order asked (sort), after the cursor's row. Reads the store's pages in
 * that order and keeps the visible rows until the page is full and one more visible row says
 * another page follows; the cursor names the order, the last row's sort key and its id. */
int khm_h_datasets_list(khm_req *r)
{
    khm_page page;
    int rc, sort;
    khm_tx *tx;
    const char *q = khm_req_query(r, "q"), *fl = khm_req_query(r, "flagged");
    const char *cursor = khm_req_query(r, "cursor");
    khm_dataset_query dq = { q, KHM_DATASET_FILTER_INIT, 0, NULL, NULL, 0 };
    if ((rc = khm_page_parse(&page, khm_req_query(r, "limit"), NULL, r->arena)) < 0 ||
        (rc = khm_dataset_sort_parse(khm_req_query(r, "sort"), q != NULL, &sort)) < 0)
        return rc;
    if (fl && flag_of(fl) < 0)
        return khm_err_field("flagged", "ต้องเป็น 1 หรือ 0", "must be 1 (true) or 0 (false)");
    if (cursor && (rc = khm_page_parse_keyed(cursor, khm_dataset_sort_name(sort), &dq.after_key,
                                             &dq.after_id, r->arena)) < 0)
        return rc;
    if (q) {
        /* bad words are the caller's mistake: 400 before any reading */
        khm_buf check = KHM_BUF_INIT(64 * 1024);
        rc = khm_fts_query(q, &check);
        khm_buf_dispose(&check);
        if (rc < 0)
            return rc;
    }
    dq.sort = sort;
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    khm_dataset *out = NULL;
    const char **keys = NULL;
    size_t n = 0;
    int more = 0;
    /* the one decision point decides on every row (docs/policy.md); rows it would deny
     * whatever they hold are not read (narrow()) */
    int none = 0, partial = 1;
    if ((rc = list_filter(r, tx, &dq.filter)) == 0 &&
        (rc = narrow(r, &dq.filter, &none, &partial)) == 0 && !none) {
        /* some rows may be denied: a first read of twice the page (khm_dataset_search) */
        dq.limit = partial ? 2 * page.limit + 1 : 0;
        row_filter rf;
        row_filter_init(&rf, r);
        rc = khm_dataset_search(tx, &dq, page.limit, keep_visible, &rf, &out, &keys, &n, &more,
                                r->arena);
    }
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    const char *next = NULL;
    if (more && !(next = khm_page_cursor_keyed(khm_dataset_sort_name(sort), keys[n - 1],
                                               out[n - 1].id, r->arena)))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return khm_reply_page(r, out, n, sizeof(*out), next, write_dataset);
}

static int if_match(khm_req *r, int64_t *version)
{
    return khm_dataset_parse_etag(
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH), version);
}

int khm_h_datasets_update(khm_req *r)
{
    khm_dataset_input in;
    khm_dataset d;
    int64_t version;
    int rc;
    if ((rc = if_match(r, &version)) < 0 || (rc = khm_dataset_input_from_json(&in, r->json)) < 0 ||
        (rc = load(r, r->tx, &d)) < 0 ||
        (rc = khm_dataset_update(r->tx, &d, &in, version, r->who.user.id, khm_time_now_ms(),
                                 r->arena)) < 0 ||
        (rc = decide_again(r, KHM_ACTION_WRITE, &d)) < 0)
        return rc;
    return reply_dataset(r, 200, &d);
}

int khm_h_datasets_archive(khm_req *r)
{
    khm_dataset d;
    int64_t version;
    int rc;
    if ((rc = if_match(r, &version)) < 0 || (rc = load(r, r->tx, &d)) < 0 ||
        (rc = khm_dataset_archive(r->tx, &d, version, khm_time_now_ms())) < 0)
        return rc;
    return reply_dataset(r, 200, &d);
}

int khm_h_datasets_classification(khm_req *r)
{
    khm_dataset d;
    khm_dataset_class *items;
    khm_page page;
    size_t n;
    int more, rc;
    khm_tx *tx;
    if ((rc = khm_req_page(r, &page)) < 0 || (rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = load(r, tx, &d);
    if (rc == 0)
        rc = khm_store_dataset_class_list(tx, &items, &n, &more, d.id, &page, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    khm_buf b = KHM_BUF_INIT((size_t)16 << 20);
    khm_jw w;
    char etag[32];
    khm_dataset_etag(&d, etag, sizeof(etag));
    khm_jw_init(&w, &b);
    khm_dataset_classification_write_json(
        &w, &d, items, n, more && n ? khm_page_cursor(items[n - 1].id, r->arena) : NULL);
    (void)write_class;
    if ((rc = khm_reply_jw(r, 200, &w, &b)) == 0)
        rc = khm_reply_header(r, MHD_HTTP_HEADER_ETAG, etag);
    return rc;
}

static const khm_json_field confirm_fields[] = {
    { "category", KHM_JSON_STRING, 1, 100, "หมวดหมู่ข้อมูล", 0 },
    { "level", KHM_JSON_STRING, 0, 100, "ระดับชั้นข้อมูล", 1 },
    { "cia", KHM_JSON_STRING, 0, 40, "ระดับผลกระทบ C/I/A", 1 },
    { "reason", KHM_JSON_STRING, 1, 1000, "เหตุผล", 0 },
    { NULL },
};

int khm_h_datasets_classify(khm_req *r)
{
    khm_dataset d;
    khm_dataset_confirm_input in;
    int64_t version;
    int rc;
    if ((rc = if_match(r, &version)) < 0 || (rc = khm_json_check(r->json, confirm_fields)) < 0)
        return rc;
    in.category = khm_json_str(r->json, "category");
    in.level = khm_json_str(r->json, "level");
    in.cia = khm_json_str(r->json, "cia");
    in.reason = khm_json_str(r->json, "reason");
    if ((rc = load(r, r->tx, &d)) < 0 ||
        (rc = khm_dataset_confirm(r->tx, &d, &in, version, r->who.user.id, khm_time_now_ms())) <
            0 ||
        (rc = decide_again(r, KHM_ACTION_CLASSIFY, &d)) < 0)
        return rc;
    return reply_dataset(r, 200, &d);
}
