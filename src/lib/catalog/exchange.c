/* Catalog export and import (issue 4: "the whole catalog exports to CSV and JSON and imports back
 * without loss"). Two forms of one content:
 *   JSON  {"khomun_catalog": 1, "exported_at", "datasets": [{"name", "agency", "owner",
 *         "title_en", "confirmed", "cia", "metadata"}]} — names, not ids, so a file moves between
 *         installations (agency by slug, owner by login name);
 *   CSV   GD-Catalog's own columns (khomun/gdc.h: the dataset field table, name and owner_org =
 *         the agency's slug), UTF-8 with a BOM, then four Khomun columns after them (title_en,
 *         owner, confirmed, cia), so a GD-Catalog CSV without them imports too.
 * Import validates every row with the same rules as the API (khm_dataset_create/update/confirm)
 * and reports every bad row; the caller commits only when all rows passed. A dataset whose name
 * exists in the same agency is updated (or left alone when nothing differs); the name in another
 * agency is an error. */
#include <khomun/alloc.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/gdc.h>
#include <khomun/json.h>
#include <khomun/policy.h>
#include <khomun/scan.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* the Khomun columns that follow GD-Catalog's in the CSV form */
static const char *const extra_cols[] = { "khomun_title_en", "khomun_owner", "khomun_confirmed",
                                          "khomun_cia" };
enum { X_TITLE_EN, X_OWNER, X_CONFIRMED, X_CIA, X__COUNT };

#define PAGE         200
#define AGENCY_CACHE 64
/* rows whose writes go to PostgreSQL in one round trip (khm_tx_batch_begin; SQLite: no-op) */
#define IMPORT_BATCH 500

/* ---- export ------------------------------------------------------------------------------ */

typedef struct {
    khm_tx *tx;
    khm_arena *a;
    /* one agency and one user looked up at a time is enough: rows come in id order, and the
     * names are cached by the last id seen */
    char ag_id[KHM_ID_LEN];
    const char *ag_slug;
    char user_id[KHM_ID_LEN];
    const char *user_name;
} names;

static int agency_slug(names *nm, const char *id, const char **out)
{
    if (strcmp(nm->ag_id, id) != 0) {
        khm_agency ag;
        int rc = khm_store_agency_get(nm->tx, &ag, id, nm->a);
        if (rc < 0)
            return rc;
        snprintf(nm->ag_id, sizeof(nm->ag_id), "%s", id);
        nm->ag_slug = ag.slug;
    }
    *out = nm->ag_slug;
    return 0;
}

static int user_name(names *nm, const char *id, const char **out)
{
    *out = NULL;
    if (!id[0])
        return 0;
    if (strcmp(nm->user_id, id) != 0) {
        khm_user u;
        int rc = khm_store_user_get(nm->tx, &u, id, nm->a);
        if (rc < 0)
            return rc;
        snprintf(nm->user_id, sizeof(nm->user_id), "%s", id);
        nm->user_name = u.name;
    }
    *out = nm->user_name;
    return 0;
}

static int emit(khm_buf *b, khm_write_fn write, void *payload)
{
    int rc = b->len ? write(b->ptr, b->len, payload) : 0;
    khm_buf_reset(b);
    return rc;
}

static int csv_cell(khm_buf *b, const char *s)
{
    return s ? khm_buf_csv_cell(b, s, strlen(s)) : 0;
}

/* one dataset in the form asked */
static int export_one(khm_buf *b, int format, const khm_dataset *d, names *nm, int first)
{
    const char *slug, *owner;
    int rc;
    if ((rc = agency_slug(nm, d->agency_id, &slug)) < 0 ||
        (rc = user_name(nm, d->owner_user, &owner)) < 0)
        return rc;
    if (format == KHM_CATALOG_JSON) {
        khm_jw w;
        if (!first)
            khm_buf_putc(b, ',');
        khm_buf_puts(b, "\n    ");
        khm_jw_init(&w, b);
        khm_jw_obj(&w);
        khm_jw_key(&w, "name");
        khm_jw_str(&w, d->slug);
        khm_jw_key(&w, "agency");
        khm_jw_str(&w, slug);
        khm_jw_key(&w, "owner");
        khm_jw_str(&w, owner);
        khm_jw_key(&w, "title_en");
        khm_jw_str(&w, d->title_en);
        khm_jw_key(&w, "confirmed");
        khm_jw_bool(&w, d->confirmed);
        khm_jw_key(&w, "cia");
        khm_jw_str(&w, d->cia);
        khm_jw_key(&w, "metadata");
        khm_jw_raw(&w, d->metadata, strlen(d->metadata));
        khm_jw_obj_end(&w);
        return khm_jw_finish(&w);
    }
    /* (OPTIMIZATION: the fast parser — jansson's was 57% of a CSV export — and jansson's when it
     * declines, or when something follows the value) */
    size_t len = strlen(d->metadata), used = 0;
    json_t *md = khm_json_load_value(d->metadata, len, &used);
    if (md && used != len) {
        json_decref(md);
        md = NULL;
    }
    if (!md) {
        json_error_t je;
        md = json_loads(d->metadata, 0, &je);
    }
    if (!md || !json_is_object(md)) {
        json_decref(md);
        return khm_err_set(KHM_ERROR, "dataset %s: stored metadata is not a JSON object", d->slug);
    }
    json_object_set_new(md, "name", json_string(d->slug));
    json_object_set_new(md, "owner_org", json_string(slug));
    size_t before = b->len;
    rc = khm_gdc_csv_row(b, md);
    json_decref(md);
    if (rc < 0)
        return rc;
    /* the row ends in CRLF: put the Khomun cells before it */
    b->len -= 2;
    (void)before;
    rc |= khm_buf_putc(b, ',');
    rc |= csv_cell(b, d->title_en);
    rc |= khm_buf_putc(b, ',');
    rc |= csv_cell(b, owner);
    rc |= khm_buf_putc(b, ',');
    rc |= khm_buf_puts(b, d->confirmed ? "true" : "false");
    rc |= khm_buf_putc(b, ',');
    rc |= csv_cell(b, d->cia);
    rc |= khm_buf_put(b, "\r\n", 2);
    return rc < 0 ? khm_err_set(KHM_ENOMEM, "out of memory") : 0;
}

int khm_catalog_export(khm_tx *tx, int format, const char *agency_id, int64_t now,
                       khm_write_fn write, void *payload, size_t *count)
{
    khm_arena *a = khm_arena_new(64 * 1024);
    khm_buf b = KHM_BUF_INIT(64u << 20);
    names nm;
    int rc = 0;
    size_t n_out = 0;
    if (!a)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    memset(&nm, 0, sizeof(nm));
    nm.tx = tx;
    nm.a = a;
    if (format == KHM_CATALOG_JSON) {
        char ts[KHM_TIME_RFC3339_LEN];
        khm_time_format(ts, now);
        khm_buf_printf(
            &b, "{\n  \"khomun_catalog\": 1,\n  \"exported_at\": \"%s\",\n  \"datasets\": [", ts);
    } else {
        khm_buf_puts(&b, "\xEF\xBB\xBF"); /* BOM: Excel then reads the Thai as UTF-8 */
        if ((rc = khm_gdc_csv_header(&b)) < 0)
            goto out;
        b.len -= 2;
        for (int i = 0; i < X__COUNT; i++) {
            khm_buf_putc(&b, ',');
            khm_buf_puts(&b, extra_cols[i]);
        }
        khm_buf_put(&b, "\r\n", 2);
    }
    khm_dataset_filter f = KHM_DATASET_FILTER_INIT;
    f.agency_id = agency_id;
    const char *after = NULL;
    char last[KHM_ID_LEN];
    for (;;) {
        khm_dataset *ds;
        size_t n;
        int more;
        khm_page page = { after, PAGE };
        if ((rc = khm_store_dataset_list(tx, &ds, &n, &more, &f, &page, a)) < 0)
            goto out;
        for (size_t i = 0; i < n; i++) {
            if ((rc = export_one(&b, format, &ds[i], &nm, n_out == 0)) < 0)
                goto out;
            n_out++;
            if (b.len > (1u << 20) && (rc = emit(&b, write, payload)) < 0)
                goto out;
        }
        if (!more || n == 0)
            break;
        memcpy(last, ds[n - 1].id, KHM_ID_LEN);
        after = last;
        /* the arena holds one page of rows and the two cached names: renew it per page */
        khm_arena_free(a);
        if (!(a = khm_arena_new(64 * 1024))) {
            rc = khm_err_set(KHM_ENOMEM, "out of memory");
            goto out;
        }
        nm.a = a;
        nm.ag_id[0] = nm.user_id[0] = '\0';
    }
    if (format == KHM_CATALOG_JSON)
        khm_buf_puts(&b, n_out ? "\n  ]\n}\n" : "]\n}\n");
    rc = emit(&b, write, payload);
out:
    khm_buf_dispose(&b);
    khm_arena_free(a);
    if (count)
        *count = n_out;
    return rc;
}

/* ---- import ------------------------------------------------------------------------------ */

/* Field errors of the rows, kept across the library calls (each clears the last error). */
typedef struct {
    khm_arena *a;
    const char *field[KHM_ERR_MAX_FIELDS];
    const char *msg[KHM_ERR_MAX_FIELDS];
    const char *msg_th[KHM_ERR_MAX_FIELDS];
    size_t n, dropped;
    /* rows by ordinal (0 = the first dataset of the file): the bad ones found, the ones to skip */
    size_t row;         /* ordinal of the row being imported */
    unsigned char *bad; /* bad[row] = 1 (grown as needed), or NULL */
    size_t bad_cap, nbad;
    const unsigned char *skip; /* skip[row] = 1: leave the row out; NULL = none */
    size_t skip_len;
    /* names seen so far: a duplicate in the file is an error of its later row */
    const char **names;
    size_t names_cap, names_n;
    /* the agencies rows named, by the id or slug they were named by: looked up once per
     * import (AGENCY_CACHE of them; more are looked up each time) */
    const char *ag_key[AGENCY_CACHE];
    khm_agency ag[AGENCY_CACHE];
    size_t ag_n;
    /* the file's names asked about before the rows (khm_store_dataset_names_taken), each with
     * whether a dataset has it: a name asked about and free needs no lookup of its own */
    const char **asked;
    unsigned char *taken;
    size_t asked_cap, asked_n;
} errs;

static void mark_bad(errs *e)
{
    if (e->row >= e->bad_cap) {
        size_t cap = e->bad_cap ? e->bad_cap * 2 : 1024;
        while (cap <= e->row)
            cap *= 2;
        unsigned char *nb = khm_arena_calloc(e->a, cap, 1);
        if (!nb)
            return;
        if (e->bad)
            memcpy(nb, e->bad, e->bad_cap);
        e->bad = nb;
        e->bad_cap = cap;
    }
    if (!e->bad[e->row]) {
        e->bad[e->row] = 1;
        e->nbad++;
    }
}

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* 1 when @p name was seen before in the file (else it is remembered); -1 out of memory. */
static int seen_before(errs *e, const char *name)
{
    if (e->names_n * 2 >= e->names_cap) {
        size_t cap = e->names_cap ? e->names_cap * 2 : 1024;
        const char **nt = khm_arena_calloc(e->a, cap, sizeof(*nt));
        if (!nt)
            return -1;
        for (size_t i = 0; i < e->names_cap; i++)
            if (e->names[i])
                for (size_t j = name_hash(e->names[i]) & (cap - 1);; j = (j + 1) & (cap - 1))
                    if (!nt[j]) {
                        nt[j] = e->names[i];
                        break;
                    }
        e->names = nt;
        e->names_cap = cap;
    }
    for (size_t j = name_hash(name) & (e->names_cap - 1);; j = (j + 1) & (e->names_cap - 1)) {
        if (!e->names[j]) {
            /* (a copy: the row's strings go with its batch) */
            if (!(e->names[j] = khm_arena_strdup(e->a, name)))
                return -1;
            e->names_n++;
            return 0;
        }
        if (strcmp(e->names[j], name) == 0)
            return 1;
    }
}

/* The slot of @p name in the asked table (an empty one when it is not there). */
static size_t asked_slot(const errs *e, const char *name)
{
    size_t j = name_hash(name) & (e->asked_cap - 1);
    while (e->asked[j] && strcmp(e->asked[j], name) != 0)
        j = (j + 1) & (e->asked_cap - 1);
    return j;
}

static int asked_add(errs *e, const char *name)
{
    if (e->asked_n * 2 >= e->asked_cap) {
        size_t cap = e->asked_cap ? e->asked_cap * 2 : 1024;
        const char **old = e->asked;
        size_t old_cap = e->asked_cap;
        if (!(e->asked = khm_arena_calloc(e->a, cap, sizeof(*e->asked))) ||
            !(e->taken = khm_arena_calloc(e->a, cap, 1)))
            return khm_err_set(KHM_ENOMEM, "out of memory");
        e->asked_cap = cap;
        for (size_t i = 0; i < old_cap; i++) /* (nothing is taken yet while asking) */
            if (old[i])
                e->asked[asked_slot(e, old[i])] = old[i];
    }
    size_t j = asked_slot(e, name);
    if (!e->asked[j]) {
        if (!(e->asked[j] = khm_arena_strdup(e->a, name)))
            return khm_err_set(KHM_ENOMEM, "out of memory");
        e->asked_n++;
    }
    return 0;
}

static int mark_taken(const char *slug, void *payload)
{
    errs *e = payload;
    size_t j = asked_slot(e, slug);
    if (e->asked[j])
        e->taken[j] = 1;
    return 0;
}

/* 1 when no dataset has @p name for sure (it was asked about and is free): no lookup needed. A
 * name as long as an id is looked up anyway (khm_store_dataset_get also matches ids). */
static int surely_free(const errs *e, const char *name)
{
    if (!e->asked_n || strlen(name) == KHM_ID_LEN - 1)
        return 0;
    size_t j = asked_slot(e, name);
    return e->asked[j] && !e->taken[j];
}

/* Keep the last error's field errors (or its message) under @p where. */
static void keep_errs(errs *e, const char *where)
{
    size_t nf;
    mark_bad(e);
    const khm_field_error *fe = khm_err_fields(&nf);
    if (nf == 0) {
        if (e->n < KHM_ERR_MAX_FIELDS) {
            e->field[e->n] = khm_arena_strdup(e->a, where);
            e->msg[e->n] = khm_arena_strdup(e->a, khm_err_last()->message);
            e->msg_th[e->n] = "";
            e->n++;
        } else {
            e->dropped++;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        if (e->n >= KHM_ERR_MAX_FIELDS) {
            e->dropped++;
            continue;
        }
        if (!fe[i].field[0]) { /* the whole row: its name without the separator */
            size_t wl = strlen(where);
            while (wl && (where[wl - 1] == '.' || where[wl - 1] == ' ' || where[wl - 1] == ':'))
                wl--;
            e->field[e->n] = khm_arena_strndup(e->a, where, wl);
        } else {
            e->field[e->n] = khm_arena_printf(e->a, "%s%s", where, fe[i].field);
        }
        e->msg[e->n] = khm_arena_strdup(e->a, fe[i].message);
        e->msg_th[e->n] = khm_arena_strdup(e->a, fe[i].message_th);
        e->n++;
    }
    khm_err_clear();
}

static int bad_row(errs *e, const char *where, const char *field, const char *th, const char *en)
{
    khm_err_clear();
    khm_err_field(field, th, "%s", en);
    keep_errs(e, where);
    return KHM_EINVALID;
}

/* One dataset as read from a file (strings in the import's arena). */
typedef struct {
    const char *name, *agency, *owner, *title_en, *cia;
    int confirmed;
    json_t *metadata; /* borrowed from the caller */
} row;

static int same_str(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && strcmp(a, b) == 0;
}

/* Create, update or leave one dataset; then its confirmation. */
static int import_row(khm_tx *tx, const row *r, const char *default_agency, const char *actor,
                      int64_t now, khm_catalog_import_stats *st, errs *e, const char *where,
                      khm_arena *a, const khm_dataset_prep *prep)
{
    khm_agency ag;
    const char *agency = r->agency && *r->agency ? r->agency : default_agency;
    int rc;
    if (r->name && *r->name) {
        if ((rc = seen_before(e, r->name)) < 0)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        if (rc)
            return bad_row(e, where, "name", "ชื่อ URL นี้ซ้ำกับชุดข้อมูลก่อนหน้าในไฟล์เดียวกัน",
                           "appears twice in the file (an earlier row has this name)");
    }
    if (!agency)
        return bad_row(e, where, "agency", "ต้องระบุหน่วยงานเจ้าของชุดข้อมูล (owner_org)",
                       "is required (owner_org in the CSV form, or --agency)");
    size_t k;
    for (k = 0; k < e->ag_n && strcmp(e->ag_key[k], agency) != 0; k++)
        ;
    if (k < e->ag_n) {
        ag = e->ag[k];
    } else {
        /* (in the import's arena: kept across the batches of rows) */
        if ((rc = khm_store_agency_get(tx, &ag, agency, e->a)) == KHM_ENOTFOUND)
            return bad_row(e, where, "agency", "ไม่พบหน่วยงานนี้", "no such agency");
        if (rc < 0)
            return rc;
        if (e->ag_n < AGENCY_CACHE && (e->ag_key[e->ag_n] = khm_arena_strdup(e->a, agency)))
            e->ag[e->ag_n++] = ag;
    }
    khm_dataset_input in = { r->name, ag.id, r->owner, r->title_en, r->metadata };
    khm_dataset d;
    rc = r->name && !surely_free(e, r->name) ? khm_store_dataset_get(tx, &d, r->name, a)
                                             : KHM_ENOTFOUND;
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        rc = prep ? khm_dataset_create_prepared(tx, &d, &in, prep, ag.id, actor, now, a)
                  : khm_dataset_create(tx, &d, &in, ag.id, actor, now, a);
        if (rc < 0) {
            if (rc != KHM_EINVALID && rc != KHM_EEXISTS)
                return rc;
            keep_errs(e, where);
            return KHM_EINVALID;
        }
        st->created++;
    } else if (rc < 0) {
        return rc;
    } else if (strcmp(d.agency_id, ag.id) != 0) {
        return bad_row(e, where, "name", "ชื่อ URL นี้เป็นของชุดข้อมูลของหน่วยงานอื่น",
                       "is a dataset of another agency");
    } else {
        /* a dataset archived here stays archived: importing does not bring it back */
        if (d.archived_at)
            return bad_row(e, where, "name", "ชุดข้อมูลนี้ถูกจัดเก็บถาวร (archived) แล้ว",
                           "is an archived dataset: choose another name");
        khm_user u;
        const char *owner_id = NULL;
        if (r->owner && *r->owner) {
            if ((rc = khm_store_user_get(tx, &u, r->owner, a)) == 0)
                owner_id = u.id;
            else if (rc != KHM_ENOTFOUND)
                return rc;
            khm_err_clear();
        }
        json_error_t je;
        json_t *stored = json_loads(d.metadata, 0, &je);
        int same = stored && json_equal(stored, r->metadata) && same_str(d.title_en, r->title_en) &&
                   (owner_id ? strcmp(owner_id, d.owner_user) == 0
                             : !d.owner_user[0] && !(r->owner && *r->owner));
        json_decref(stored);
        if (same) {
            st->unchanged++;
        } else {
            if ((rc = khm_dataset_update(tx, &d, &in, d.version, actor, now, a)) < 0) {
                if (rc != KHM_EINVALID)
                    return rc;
                keep_errs(e, where);
                return KHM_EINVALID;
            }
            st->updated++;
        }
    }
    if (r->confirmed && !(d.confirmed && same_str(d.cia, r->cia))) {
        khm_dataset_confirm_input ci = { khm_category_name(d.category),
                                         d.level >= 0 ? khm_level_name(d.level) : NULL, r->cia,
                                         "นำเข้าจากไฟล์บัญชีข้อมูล (catalog import)" };
        if ((rc = khm_dataset_confirm(tx, &d, &ci, d.version, actor, now)) < 0) {
            if (rc != KHM_EINVALID)
                return rc;
            keep_errs(e, where);
            return KHM_EINVALID;
        }
        st->confirmed++;
    }
    return 0;
}

/* ---- a reader that parses and checks rows ahead of the writer (JSON; CSV below) ----
 *
 * OPTIMIZATION: parsing the file (jansson, or the CSV's records into metadata), the field
 * table's checks and the stored form of the metadata (khm_dataset_prepare) are about half of an
 * import's CPU, and need nothing of the store; the writer (the rows, the history, the search
 * index) the other half. So a file larger than PIPE_THREAD_MIN is read on a second thread,
 * PIPE_ROWS datasets at a time — one element of the datasets array per json_loadb
 * (JSON_DISABLE_EOF_CHECK: it says where the element ended), or one CSV record —, while the
 * calling thread writes the batch read before (`khomun catalog import` of 100,000 datasets as
 * CSV: 16.0-17.4 s when the CSV form was read on the writer's thread, 10.6 s now). At most
 * PIPE_DEPTH batches are parsed at once (memory stays bounded, whatever the file's size).
 * Everything reported is as before: the writer reports each row's problems in file order, and a
 * file that is not JSON (or not a catalog) is parsed whole again to say exactly what json_loadb
 * says of it — the caller rolls back on any error, so the rows written before the reader found it
 * are not kept. */

#define PIPE_ROWS       IMPORT_BATCH
#define PIPE_DEPTH      3
#define PIPE_THREAD_MIN (64 * 1024)
#define SHAPE_MAX       KHM_ERR_MAX_FIELDS

/* a problem of a row found by the reader, reported by the writer (static strings, or strings
 * in the batch's arena); field NULL: a message of the whole row (an error without fields) */
typedef struct {
    const char *field, *th, *en;
} shape_err;

typedef struct {
    size_t ord; /* 0 = the first dataset of the file */
    int skip;   /* left out (--skip-invalid's second pass) */
    json_t *it; /* the element, owned */
    const char *where;
    row r;
    shape_err se[SHAPE_MAX];
    int nse;
    khm_dataset_prep prep; /* when nse == 0 */
    khm_search_pre *pre;   /* its search entry's text made ahead, or NULL */
} prow;

typedef struct {
    khm_arena *a; /* the rows' strings, and what the writer reads for them */
    prow *rows;
    size_t n;
    int end; /* no rows after these */
    int rc;  /* < 0: the reader stopped on this error (after the rows) */
    char err_field[32], err_th[256], err_msg[1024];
    int state; /* threaded: 0 the reader's to fill, 1 the writer's to write */
} batch;

typedef struct {
    const char *buf;
    size_t len, pos;
    int state;   /* 0 not started, 1 in the datasets array, 2 past it */
    int top_obj; /* the file is an object (members may follow the array) */
    size_t ord;
    const unsigned char *skip;
    size_t skip_len;
    int ahead;     /* threaded: make the search text of rows ahead (khm_search_pre) */
    size_t handed; /* rows in the batches handed to the writer */
    const atomic_size_t *written; /* rows the writer has written */
    struct csv_src *csv;          /* the CSV form: its records after the header; NULL for JSON */
} jreader;

static size_t skip_ws(const jreader *r, size_t p)
{
    while (p < r->len &&
           (r->buf[p] == ' ' || r->buf[p] == '\n' || r->buf[p] == '\r' || r->buf[p] == '\t'))
        p++;
    return p;
}

/* Keep the last error in @p b (the reader's thread-local error goes to the writer). */
static void batch_fail(batch *b)
{
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    b->rc = khm_err_last()->code < 0 ? khm_err_last()->code : KHM_ERROR;
    b->end = 1;
    if (nf) {
        snprintf(b->err_field, sizeof(b->err_field), "%s", fe[0].field);
        snprintf(b->err_th, sizeof(b->err_th), "%s", fe[0].message_th);
        snprintf(b->err_msg, sizeof(b->err_msg), "%s", fe[0].message);
    } else {
        b->err_field[0] = b->err_th[0] = '\0';
        snprintf(b->err_msg, sizeof(b->err_msg), "%s", khm_err_last()->message);
    }
    khm_err_clear();
}

/* The file is not what the reader expected: what json_loadb says of the whole of it, as the
 * import said before it read row by row. */
static void not_catalog(jreader *r, batch *b)
{
    json_error_t je;
    json_t *doc = json_loadb(r->buf, r->len, 0, &je);
    if (!doc) {
        khm_utf8_scrub(je.text); /* (jansson's quote of the input may stop inside a character) */
        khm_err_field("file", "ไฟล์ไม่ใช่ JSON ที่ถูกต้อง", "not JSON: %s (line %d)", je.text, je.line);
    } else {
        json_t *list = json_is_object(doc) ? json_object_get(doc, "datasets") : doc;
        if (!json_is_array(list))
            khm_err_field("datasets", "ต้องเป็นรายการชุดข้อมูล (array)",
                          "an array of datasets is required (a Khomun catalog file or an array)");
        else /* valid JSON whose datasets came twice: which one was meant is not clear */
            khm_err_field("datasets", "ต้องมีรายการชุดข้อมูลเพียงรายการเดียว",
                          "must appear once in the file");
        json_decref(doc);
    }
    r->state = 2;
    batch_fail(b);
}

/* One JSON value at r->pos (any kind), r->pos moved past it; NULL when there is none. */
static json_t *value_at(jreader *r)
{
    size_t used;
    json_t *v = khm_json_load_value(r->buf + r->pos, r->len - r->pos, &used);
    if (v) {
        r->pos += used;
        return v;
    }
    /* what it does not take (a real number, invalid JSON): jansson's own parser */
    json_error_t je;
    v = json_loadb(r->buf + r->pos, r->len - r->pos, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &je);
    if (v)
        r->pos += (size_t)je.position;
    return v;
}

/* Into the datasets array (state 1), past the members of an object before it; 0, or -1 with
 * the error in @p b. */
static int reader_start(jreader *r, batch *b)
{
    r->pos = skip_ws(r, 0);
    if (r->pos < r->len && r->buf[r->pos] == '[') {
        r->pos++;
        r->state = 1;
        return 0;
    }
    if (r->pos >= r->len || r->buf[r->pos] != '{')
        goto bad;
    r->top_obj = 1;
    r->pos++;
    for (int first = 1;; first = 0) {
        r->pos = skip_ws(r, r->pos);
        if (!first) {
            if (r->pos >= r->len || r->buf[r->pos] != ',')
                goto bad; /* '}' before any datasets, or not JSON */
            r->pos = skip_ws(r, r->pos + 1);
        }
        json_t *k = r->pos < r->len && r->buf[r->pos] == '"' ? value_at(r) : NULL;
        int is_ds = json_is_string(k) && strcmp(json_string_value(k), "datasets") == 0;
        json_decref(k);
        if (!k)
            goto bad;
        r->pos = skip_ws(r, r->pos);
        if (r->pos >= r->len || r->buf[r->pos] != ':')
            goto bad;
        r->pos = skip_ws(r, r->pos + 1);
        if (is_ds) {
            if (r->pos >= r->len || r->buf[r->pos] != '[')
                goto bad;
            r->pos++;
            r->state = 1;
            return 0;
        }
        json_t *v = value_at(r);
        if (!v)
            goto bad;
        json_decref(v);
    }
bad:
    not_catalog(r, b);
    return -1;
}

/* Past the array: the rest of the file must be the object's other members, then nothing. */
static int reader_finish(jreader *r, batch *b)
{
    r->state = 2;
    r->pos = skip_ws(r, r->pos);
    while (r->top_obj) {
        if (r->pos < r->len && r->buf[r->pos] == '}') {
            r->pos = skip_ws(r, r->pos + 1);
            break;
        }
        if (r->pos >= r->len || r->buf[r->pos] != ',')
            goto bad;
        r->pos = skip_ws(r, r->pos + 1);
        json_t *k = r->pos < r->len && r->buf[r->pos] == '"' ? value_at(r) : NULL;
        int is_ds = json_is_string(k) && strcmp(json_string_value(k), "datasets") == 0;
        json_decref(k);
        if (!k || is_ds) /* (a second datasets: not_catalog says which) */
            goto bad;
        r->pos = skip_ws(r, r->pos);
        if (r->pos >= r->len || r->buf[r->pos] != ':')
            goto bad;
        r->pos = skip_ws(r, r->pos + 1);
        json_t *v = value_at(r);
        if (!v)
            goto bad;
        json_decref(v);
        r->pos = skip_ws(r, r->pos);
    }
    if (r->pos == r->len)
        return 0;
bad:
    not_catalog(r, b);
    return -1;
}

static void shape(prow *pr, const char *field, const char *th, const char *en)
{
    if (pr->nse < SHAPE_MAX)
        pr->se[pr->nse++] = (shape_err){ field, th, en };
}

static const char *opt_str(prow *pr, const char *k, const char *th)
{
    json_t *v = json_object_get(pr->it, k);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        shape(pr, k, th, "must be a string");
        return NULL;
    }
    return json_string_value(v);
}

static void prepare_row(jreader *rd, prow *pr, khm_arena *a);

/* The checks of one element that need no store: its shape, then prepare_row(). */
static int read_row(jreader *rd, prow *pr, khm_arena *a)
{
    if (!(pr->where = khm_arena_printf(a, "datasets[%zu].", pr->ord)))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if (!json_is_object(pr->it)) {
        shape(pr, "", "ต้องเป็นออบเจกต์", "must be an object");
        return 0;
    }
    row *r = &pr->r;
    r->name = opt_str(pr, "name", "ชื่อ URL ต้องเป็นข้อความ");
    r->agency = opt_str(pr, "agency", "หน่วยงานต้องเป็นข้อความ");
    r->owner = opt_str(pr, "owner", "เจ้าของข้อมูลต้องเป็นข้อความ");
    r->title_en = opt_str(pr, "title_en", "ชื่อภาษาอังกฤษต้องเป็นข้อความ");
    r->cia = opt_str(pr, "cia", "ระดับผลกระทบต้องเป็นข้อความ");
    json_t *c = json_object_get(pr->it, "confirmed");
    if (c && !json_is_boolean(c))
        shape(pr, "confirmed", "ต้องเป็น true หรือ false", "must be true or false");
    r->confirmed = json_is_true(c);
    r->metadata = json_object_get(pr->it, "metadata");
    if (!json_is_object(r->metadata))
        shape(pr, "metadata", "ต้องระบุคำอธิบายชุดข้อมูลตาม GD-Catalog",
              "a GD-Catalog metadata object is required");
    if (pr->nse)
        return 0;
    prepare_row(rd, pr, a);
    return 0;
}

/* What the writer needs of a row of good shape that takes no store (either form): the checks
 * and the stored form of khm_dataset_prepare; when reading ahead, its search text too
 * (segmented when the writer is behind: rows wait for it). */
static void prepare_row(jreader *rd, prow *pr, khm_arena *a)
{
    row *r = &pr->r;
    khm_dataset_input in = { r->name, NULL, r->owner, r->title_en, r->metadata };
    khm_dataset_prepare(&pr->prep, &in, a); /* (its own errors are in pr->prep) */
    if (rd->ahead && pr->prep.rc == 0 && !pr->prep.in_bad) {
        /* OPTIMIZATION: segmenting the text (libthai) is the writer's largest part; the reader
         * takes it over for as long as the writer has rows to write (when the writer has
         * caught up and waits for this batch, it is handed over sooner without), so the two
         * threads share the work whichever is faster on this file and machine */
        size_t waiting = rd->handed - atomic_load_explicit(rd->written, memory_order_relaxed);
        if (khm_search_pre_make(&pr->pre, pr->prep.title, pr->prep.title_en, r->metadata,
                                waiting > 0) < 0)
            khm_err_clear(); /* (no memory for it: the writer makes it) */
    }
}

static void csv_fill(jreader *r, batch *b);

/* Fill @p b with the next rows of the file (b->end when there are no more). */
static void reader_fill(jreader *r, batch *b)
{
    b->n = 0;
    b->end = 0;
    b->rc = 0;
    khm_err_clear();
    if (r->csv) {
        csv_fill(r, b);
        r->handed += b->n;
        return;
    }
    if (r->state == 0 && reader_start(r, b) < 0)
        return;
    while (r->state == 1 && b->n < PIPE_ROWS) {
        r->pos = skip_ws(r, r->pos);
        if (r->ord > 0) { /* after an element: ',' or the end */
            if (r->pos < r->len && r->buf[r->pos] == ',') {
                r->pos = skip_ws(r, r->pos + 1);
            } else if (r->pos < r->len && r->buf[r->pos] == ']') {
                r->pos++;
                break;
            } else {
                not_catalog(r, b);
                return;
            }
        } else if (r->pos < r->len && r->buf[r->pos] == ']') { /* [] */
            r->pos++;
            break;
        }
        json_t *it = value_at(r);
        if (!it) {
            not_catalog(r, b);
            return;
        }
        prow *pr = &b->rows[b->n++];
        memset(pr, 0, sizeof(*pr));
        pr->it = it;
        pr->ord = r->ord++;
        if (r->skip && pr->ord < r->skip_len && r->skip[pr->ord]) {
            pr->skip = 1;
            continue;
        }
        if (read_row(r, pr, b->a) < 0) {
            batch_fail(b);
            return;
        }
    }
    if (r->state == 1 && b->n < PIPE_ROWS) /* the array ended */
        reader_finish(r, b);
    if (r->state == 2)
        b->end = 1;
    r->handed += b->n;
}

/* The rows of @p b and its arena given back (the batch is empty and can be filled again). */
static int batch_release(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        json_decref(b->rows[i].it);
        khm_search_pre_free(b->rows[i].pre);
    }
    b->n = 0;
    khm_arena_free(b->a);
    b->a = khm_arena_new(64 * 1024);
    return b->a ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

typedef struct {
    jreader r;
    batch b[PIPE_DEPTH];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop; /* the writer gave up: the reader stops */
    pthread_t th;
    atomic_size_t written;
} pipe_t;

static void *reader_main(void *arg)
{
    pipe_t *p = arg;
    for (size_t k = 0;; k++) {
        batch *b = &p->b[k % PIPE_DEPTH];
        pthread_mutex_lock(&p->mu);
        while (b->state != 0 && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        /* the rows the writer is done with go here, off the writer's thread */
        if (b->n && batch_release(b) < 0)
            khm_err_clear(); /* (b->a NULL: said below) */
        if (b->a)
            reader_fill(&p->r, b);
        else
            b->end = 1, b->rc = KHM_ENOMEM, b->err_field[0] = '\0',
            snprintf(b->err_msg, sizeof(b->err_msg), "out of memory");
        int end = b->end;
        pthread_mutex_lock(&p->mu);
        b->state = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (end)
            break;
    }
    return NULL;
}

/* The names of @p b's rows: which are taken, in one query (asked_add, then the store). */
static int ask_batch(khm_tx *tx, errs *e, const batch *b)
{
    khm_buf q = KHM_BUF_INIT((size_t)1 << 30);
    int rc = khm_buf_putc(&q, '[');
    for (size_t i = 0; rc == 0 && i < b->n; i++) {
        const char *nm = b->rows[i].r.name; /* (NULL: left out, or no name) */
        if (!nm)
            continue;
        if ((rc = asked_add(e, nm)) < 0)
            break;
        if (q.len > 1)
            khm_buf_putc(&q, ',');
        khm_jw w;
        khm_jw_init(&w, &q);
        khm_jw_str(&w, nm);
        rc = khm_jw_finish(&w);
    }
    if (rc == 0 && q.len > 1 && (rc = khm_buf_putc(&q, ']')) == 0)
        rc = khm_store_dataset_names_taken(tx, q.ptr, mark_taken, e);
    khm_buf_dispose(&q);
    return rc;
}

/* Write the rows of @p b: which names are taken, then each row (its problems kept in @p e). */
static int write_batch(khm_tx *tx, batch *b, const char *default_agency, const char *actor,
                       int64_t now, khm_catalog_import_stats *st, errs *e, atomic_size_t *written)
{
    int rc = ask_batch(tx, e, b);
    if (rc < 0)
        return rc;
    /* the rows' writes (no rows read back) go to PostgreSQL in one round trip */
    int batched = khm_tx_batch_begin(tx) == 0;
    for (size_t i = 0; i < b->n; i++) {
        prow *pr = &b->rows[i];
        e->row = pr->ord;
        if (pr->skip)
            continue;
        for (int k = 0; k < pr->nse; k++) {
            if (pr->se[k].field) {
                bad_row(e, pr->where, pr->se[k].field, pr->se[k].th, pr->se[k].en);
            } else { /* an error without fields: its message, as keep_errs keeps one */
                khm_err_set(KHM_EINVALID, "%s", pr->se[k].en);
                keep_errs(e, pr->where);
            }
        }
        if (pr->nse)
            continue;
        khm_search_pre_use(pr->pre);
        rc = import_row(tx, &pr->r, default_agency, actor, now, st, e, pr->where, b->a, &pr->prep);
        khm_search_pre_use(NULL);
        atomic_fetch_add_explicit(written, 1, memory_order_relaxed);
        if (rc < 0 && rc != KHM_EINVALID)
            break;
        rc = 0;
    }
    if (batched) {
        int rc2 = khm_tx_batch_end(tx);
        if (rc == 0)
            rc = rc2;
    }
    if (rc == 0 && b->rc < 0) { /* the reader stopped here: its error is the import's */
        if (b->err_field[0])
            rc = khm_err_field(b->err_field, b->err_th, "%s", b->err_msg);
        else
            rc = khm_err_set(b->rc, "%s", b->err_msg);
    }
    return rc;
}

/* Read the rows @p from reads (either form) and write them: on a second thread ahead of the
 * writer when the file is larger than PIPE_THREAD_MIN, else batch by batch here. */
static int import_rows(khm_tx *tx, const jreader *from, const char *default_agency,
                       const char *actor, int64_t now, khm_catalog_import_stats *st, errs *e)
{
    pipe_t *p = khm_calloc(1, sizeof(*p));
    int rc = 0, threaded = 0;
    if (!p)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    p->r = *from;
    p->r.written = &p->written;
    int nb = from->len >= PIPE_THREAD_MIN ? PIPE_DEPTH : 1;
    for (int i = 0; i < nb; i++)
        if (!(p->b[i].a = khm_arena_new(64 * 1024)) ||
            !(p->b[i].rows = khm_calloc(PIPE_ROWS, sizeof(prow))))
            rc = khm_err_set(KHM_ENOMEM, "out of memory");
    if (rc == 0)
        rc = khm_tx_bulk(tx);
    if (rc == 0 && nb > 1) {
        pthread_mutex_init(&p->mu, NULL);
        pthread_cond_init(&p->cv, NULL);
        /* no thread (a limit of the process): the rows are read here, batch by batch */
        p->r.ahead = 1;
        threaded = pthread_create(&p->th, NULL, reader_main, p) == 0 ? 1 : -1;
        if (threaded < 0)
            p->r.ahead = 0;
    }
    for (size_t k = 0; rc == 0; k++) {
        batch *b;
        if (threaded == 1) {
            b = &p->b[k % PIPE_DEPTH];
            pthread_mutex_lock(&p->mu);
            while (b->state != 1)
                pthread_cond_wait(&p->cv, &p->mu);
            pthread_mutex_unlock(&p->mu);
        } else {
            b = &p->b[0];
            reader_fill(&p->r, b);
        }
        int end = b->end;
        rc = write_batch(tx, b, default_agency, actor, now, st, e, &p->written);
        if (threaded != 1) { /* (threaded: the reader releases it before filling it again) */
            int rc2 = batch_release(b);
            if (rc == 0)
                rc = rc2;
        }
        if (threaded == 1) {
            pthread_mutex_lock(&p->mu);
            b->state = 0;
            pthread_cond_broadcast(&p->cv);
            pthread_mutex_unlock(&p->mu);
        }
        if (end)
            break;
    }
    if (threaded != 0) {
        if (threaded == 1) {
            pthread_mutex_lock(&p->mu);
            p->stop = 1; /* (when it has not ended by itself: the writer gave up) */
            pthread_cond_broadcast(&p->cv);
            pthread_mutex_unlock(&p->mu);
            pthread_join(p->th, NULL);
        }
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
    }
    for (int i = 0; i < nb; i++) {
        for (size_t j = 0; p->b[i].rows && j < p->b[i].n; j++) {
            json_decref(p->b[i].rows[j].it);
            khm_search_pre_free(p->b[i].rows[j].pre);
        }
        khm_free(p->b[i].rows);
        khm_arena_free(p->b[i].a);
    }
    khm_free(p);
    return rc;
}

static int import_json(khm_tx *tx, const char *buf, size_t len, const char *default_agency,
                       const char *actor, int64_t now, khm_catalog_import_stats *st, errs *e)
{
    jreader r = { buf, len, 0, 0, 0, 0, e->skip, e->skip_len, 0, 0, NULL, NULL };
    return import_rows(tx, &r, default_agency, actor, now, st, e);
}

/* The CSV's records as spans of unescaped cells. */
typedef struct {
    khm_csv r;
    const char *buf;
    khm_csv_cell pending;
    int has_pending;
} csv_in;

static size_t next_record(csv_in *c, khm_span *cells, size_t cap, int64_t *rowno, khm_arena *a)
{
    size_t n = 0;
    khm_csv_cell cell;
    for (;;) {
        if (c->has_pending) {
            cell = c->pending;
            c->has_pending = 0;
        } else if (!khm_csv_next(&c->r, &cell)) {
            return n;
        }
        if (n == 0)
            *rowno = cell.row;
        if (n < cap) {
            const char *p = c->buf + cell.start;
            size_t len = cell.end - cell.start;
            if (cell.quoted && memchr(p, '"', len)) {
                char *u = khm_arena_alloc(a, len + 1);
                size_t w = 0;
                for (size_t k = 0; u && k < len; k++) {
                    u[w++] = p[k];
                    if (p[k] == '"' && k + 1 < len && p[k + 1] == '"')
                        k++;
                }
                if (u) {
                    u[w] = '\0';
                    p = u;
                    len = w;
                }
            }
            cells[n] = (khm_span){ p, len };
        }
        n++;
        if (cell.last)
            return n < cap ? n : cap;
    }
}

/* ---- the CSV form: the same reader, a record a row ---- */

enum { CSV_MAXC = 160 }; /* columns read of a record (GD-Catalog's and Khomun's are fewer) */

/* What the reader needs of the header, and where it is in the records. */
struct csv_src {
    csv_in c;
    khm_span gdc_head[CSV_MAXC]; /* the GD-Catalog columns' names */
    size_t nh;                   /* the header's columns */
    size_t ng, gcol[CSV_MAXC];   /* how many GD-Catalog ones; where each is in a record */
    int xcol[X__COUNT];          /* where each Khomun column is, or -1 */
    int64_t rowno;               /* the last record's first line (0-based) */
};

/* @p s copied into @p a, or the text "(out of memory)" when the arena has no room left */
static const char *keep_str(khm_arena *a, const char *s)
{
    const char *c = khm_arena_strdup(a, s ? s : "");
    return c ? c : "(out of memory)";
}

/* Keep the last error's problems in @p pr (in @p a: the reader's thread-local error goes to the
 * writer, which reports them as keep_errs would have). */
static void keep_shape(prow *pr, khm_arena *a)
{
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    if (nf == 0 && pr->nse < SHAPE_MAX)
        pr->se[pr->nse++] = (shape_err){ NULL, "", keep_str(a, khm_err_last()->message) };
    for (size_t i = 0; i < nf && pr->nse < SHAPE_MAX; i++)
        pr->se[pr->nse++] = (shape_err){ keep_str(a, fe[i].field), keep_str(a, fe[i].message_th),
                                         keep_str(a, fe[i].message) };
    khm_err_clear();
}

/* One record, @p n cells: its GD-Catalog metadata and Khomun columns, then prepare_row(). */
static int csv_row(jreader *rd, prow *pr, const khm_span *cells, size_t n, khm_arena *a)
{
    struct csv_src *cs = rd->csv;
    khm_span gdc_cells[CSV_MAXC];
    if (!(pr->where = khm_arena_printf(a, "row %lld: ", (long long)cs->rowno + 1)))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    for (size_t g = 0; g < cs->ng; g++)
        gdc_cells[g] = cs->gcol[g] < n ? cells[cs->gcol[g]] : (khm_span){ "", 0 };
    /* a value past the header's last column has no field to go to */
    for (size_t i = cs->nh; i < n; i++) {
        size_t k = 0;
        while (k < cells[i].len && (cells[i].ptr[k] == ' ' || cells[i].ptr[k] == '\t'))
            k++;
        if (k < cells[i].len) {
            const char *col = khm_arena_printf(a, "column %zu", i + 1);
            if (!col)
                return khm_err_set(KHM_ENOMEM, "out of memory");
            shape(pr, col, "แถวนี้มีข้อมูลเกินจำนวนคอลัมน์ของหัวตาราง",
                  "the row has a value past the last header column");
        }
    }
    json_t *md = NULL;
    if (khm_gdc_from_csv_row(&md, cs->gdc_head, cs->ng, gdc_cells, cs->ng, "") < 0) {
        keep_shape(pr, a);
        return 0;
    }
    pr->it = md; /* (owned by the row: released with its batch) */
    if (pr->nse)
        return 0;
    row *r = &pr->r;
    const char *xs[X__COUNT] = { 0 };
    for (int x = 0; x < X__COUNT; x++)
        if (cs->xcol[x] >= 0 && (size_t)cs->xcol[x] < n && cells[cs->xcol[x]].len &&
            !(xs[x] = khm_arena_strndup(a, cells[cs->xcol[x]].ptr, cells[cs->xcol[x]].len)))
            return khm_err_set(KHM_ENOMEM, "out of memory");
    r->title_en = xs[X_TITLE_EN];
    r->owner = xs[X_OWNER];
    r->cia = xs[X_CIA];
    if (xs[X_CONFIRMED] && strcmp(xs[X_CONFIRMED], "true") != 0 &&
        strcmp(xs[X_CONFIRMED], "false") != 0) {
        shape(pr, "khomun_confirmed", "ต้องเป็น true หรือ false", "must be true or false");
        return 0;
    }
    r->confirmed = xs[X_CONFIRMED] && strcmp(xs[X_CONFIRMED], "true") == 0;
    json_t *nm = json_object_get(md, "name"), *org = json_object_get(md, "owner_org");
    if ((nm && !(r->name = khm_arena_strdup(a, json_string_value(nm)))) ||
        (org && !(r->agency = khm_arena_strdup(a, json_string_value(org)))))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    json_object_del(md, "name");
    json_object_del(md, "owner_org");
    r->metadata = md;
    prepare_row(rd, pr, a);
    return 0;
}

/* Fill @p b with the next records (b->end after the last). */
static void csv_fill(jreader *r, batch *b)
{
    struct csv_src *cs = r->csv;
    khm_span cells[CSV_MAXC];
    size_t n;
    while (b->n < PIPE_ROWS) {
        /* (unescaped cells in the batch's arena: what a row keeps of them it copies) */
        if ((n = next_record(&cs->c, cells, CSV_MAXC, &cs->rowno, b->a)) == 0) {
            b->end = 1;
            return;
        }
        if (n == 1 && cells[0].len == 0)
            continue; /* a blank line */
        prow *pr = &b->rows[b->n++];
        memset(pr, 0, sizeof(*pr));
        pr->ord = r->ord++;
        if (r->skip && pr->ord < r->skip_len && r->skip[pr->ord]) {
            pr->skip = 1;
            continue;
        }
        if (csv_row(r, pr, cells, n, b->a) < 0) {
            batch_fail(b);
            return;
        }
    }
}

static int import_csv(khm_tx *tx, const char *buf, size_t len, const char *default_agency,
                      const char *actor, int64_t now, khm_catalog_import_stats *st, errs *e,
                      khm_arena *a)
{
    khm_span head[CSV_MAXC];
    struct csv_src *cs = khm_calloc(1, sizeof(*cs));
    if (!cs)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    cs->c.buf = buf;
    khm_csv_init(&cs->c.r, buf, len, ',');
    int rc = 0;
    size_t nh = next_record(&cs->c, head, CSV_MAXC, &cs->rowno, a);
    if (nh == 0) {
        khm_free(cs);
        return khm_err_field("file", "ไฟล์ว่าง", "is empty: a header line is required");
    }
    for (int x = 0; x < X__COUNT; x++)
        cs->xcol[x] = -1;
    cs->nh = nh;
    for (size_t i = 0; i < nh; i++) {
        int x;
        for (x = 0; x < X__COUNT && !khm_span_eq_cstr(head[i], extra_cols[x]); x++)
            ;
        if (x < X__COUNT) {
            cs->xcol[x] = (int)i;
        } else {
            cs->gcol[cs->ng] = i;
            cs->gdc_head[cs->ng++] = head[i];
        }
    }
    if (khm_gdc_csv_header_check(cs->gdc_head, cs->ng, "header: ") < 0) {
        keep_errs(e, "");
    } else {
        jreader r = { buf, len, 0, 0, 0, 0, e->skip, e->skip_len, 0, 0, NULL, cs };
        rc = import_rows(tx, &r, default_agency, actor, now, st, e);
    }
    khm_free(cs);
    return rc;
}

/* The file as UTF-8 (issue 4's "import files with wrong encoding"): UTF-16 (by its BOM) and
 * TIS-620 / Windows-874 — the Thai encodings older Excel and agency systems still save — are
 * decoded into *@p dec (the caller frees it; lines stay lines, so rows keep their numbers), UTF-8
 * is read as it is (a BOM included), and anything else is refused, naming the line of its first
 * byte that is not UTF-8: nothing of a file in an unknown encoding reaches a message. */
static int as_utf8(const char **buf, size_t *len, char **dec)
{
    size_t bom = 0, bad = 0;
    *dec = NULL;
    khm_enc enc = khm_enc_detect((const unsigned char *)*buf, *len < 65536 ? *len : 65536, &bom);
    if (enc == KHM_ENC_UTF16LE || enc == KHM_ENC_UTF16BE || enc == KHM_ENC_TIS620) {
        khm_decoder d;
        khm_decoder_init(&d, enc);
        size_t n = *len - bom, cap = khm_decode_bound(&d, n) + khm_decode_bound(&d, 0) + 1;
        char *out = khm_malloc(cap);
        if (!out)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        size_t w = khm_decode(&d, (const unsigned char *)*buf + bom, n, 0, out, NULL);
        w += khm_decode_finish(&d, out + w, NULL);
        out[w] = '\0';
        if (d.invalid) {
            khm_free(out);
            return khm_err_field("file", "ไฟล์มีอักขระที่อ่านไม่ได้ในการเข้ารหัสของไฟล์ (ควรบันทึกเป็น UTF-8)",
                                 "is not readable as %s: %llu bytes are not characters of it "
                                 "(save the file as UTF-8)",
                                 khm_enc_name(enc), (unsigned long long)d.invalid);
        }
        *buf = *dec = out;
        *len = w;
        return 0;
    }
    if (khm_utf8_valid(*buf, *len, &bad))
        return 0;
    unsigned long long line = 1;
    for (size_t i = 0; i < bad; i++)
        line += (*buf)[i] == '\n';
    char th[256];
    snprintf(th, sizeof(th),
             "ไฟล์ไม่ได้เข้ารหัสเป็น UTF-8 (บรรทัดที่ %llu): บันทึกไฟล์เป็น UTF-8 (หรือ TIS-620) ก่อนนำเข้า", line);
    return khm_err_field("file", th,
                         "is not UTF-8: byte 0x%02X on line %llu is not part of a UTF-8 character "
                         "(save the file as UTF-8; TIS-620 and Windows-874 files are read as such)",
                         (unsigned)(unsigned char)(*buf)[bad], line);
}

/* One pass over the file in @p tx; the errors (and bad rows) in @p e. */
static int import_pass(khm_tx *tx, const char *buf, size_t len, int format,
                       const khm_catalog_import_opts *o, khm_catalog_import_stats *st, errs *e)
{
    char *dec;
    memset(st, 0, sizeof(*st));
    khm_err_clear();
    int rc = as_utf8(&buf, &len, &dec);
    if (rc < 0)
        return rc;
    if (format == KHM_CATALOG_AUTO) {
        size_t k = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        while (k < len && (buf[k] == ' ' || buf[k] == '\n' || buf[k] == '\r' || buf[k] == '\t'))
            k++;
        format = k < len && (buf[k] == '{' || buf[k] == '[') ? KHM_CATALOG_JSON : KHM_CATALOG_CSV;
    }
    rc = format == KHM_CATALOG_JSON
             ? import_json(tx, buf, len, o->default_agency, o->actor, o->now, st, e)
             : import_csv(tx, buf, len, o->default_agency, o->actor, o->now, st, e, e->a);
    khm_free(dec);
    return rc;
}

/* Set the kept field errors as the last error. */
static void report(const errs *e)
{
    khm_err_clear();
    for (size_t i = 0; i < e->n; i++)
        khm_err_field(e->field[i], e->msg_th[i], "%s", e->msg[i]);
    if (e->dropped)
        khm_err_field("…", "ยังมีข้อผิดพลาดอื่นอีก", "%zu more problems not shown", e->dropped);
}

int khm_catalog_import(khm_tx *tx, const char *buf, size_t len, int format,
                       const char *default_agency, const char *actor, int64_t now,
                       khm_catalog_import_stats *st)
{
    khm_catalog_import_opts o = { default_agency, actor, now, 0, NULL, NULL };
    errs e;
    memset(&e, 0, sizeof(e));
    if (!(e.a = khm_arena_new(64 * 1024)))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    int rc = import_pass(tx, buf, len, format, &o, st, &e);
    if (rc == 0 && e.nbad) {
        report(&e);
        rc = KHM_EINVALID;
    }
    khm_arena_free(e.a);
    return rc;
}

int khm_catalog_import_store(khm_store *s, const char *buf, size_t len, int format,
                             const khm_catalog_import_opts *o, khm_catalog_import_stats *st)
{
    errs e;
    khm_tx *tx = NULL;
    int rc;
    memset(&e, 0, sizeof(e));
    if (!(e.a = khm_arena_new(64 * 1024)))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    /* pass 1: the real import; kept when every row is good */
    if ((rc = khm_tx_begin(&tx, s, 1)) < 0)
        goto out;
    rc = import_pass(tx, buf, len, format, o, st, &e);
    if (rc == 0 && !e.nbad) {
        if (!o->dry_run && o->before_commit && (rc = o->before_commit(tx, st, o->payload)) < 0) {
            khm_tx_rollback(tx);
            goto out;
        }
        rc = o->dry_run ? (khm_tx_rollback(tx), 0) : khm_tx_commit(tx);
        goto out;
    }
    khm_tx_rollback(tx);
    if (rc < 0 || !o->skip_invalid) {
        if (rc == 0) {
            report(&e);
            rc = KHM_EINVALID;
        }
        goto out;
    }
    /* pass 2 (--skip-invalid): again without the bad rows; their problems are still reported */
    errs e2;
    memset(&e2, 0, sizeof(e2));
    e2.a = e.a;
    e2.skip = e.bad;
    e2.skip_len = e.bad_cap;
    size_t skipped = e.nbad;
    if ((rc = khm_tx_begin(&tx, s, 1)) < 0)
        goto out;
    rc = import_pass(tx, buf, len, format, o, st, &e2);
    if (rc == 0 && e2.nbad) { /* a row went bad only now: keep nothing */
        khm_tx_rollback(tx);
        report(&e2);
        rc = KHM_EINVALID;
        goto out;
    }
    st->skipped = skipped;
    if (rc == 0 && !o->dry_run && o->before_commit)
        rc = o->before_commit(tx, st, o->payload);
    if (rc < 0 || o->dry_run)
        khm_tx_rollback(tx);
    else
        rc = khm_tx_commit(tx);
    if (rc == 0)
        report(&e); /* the skipped rows' problems, for the caller to show as warnings */
out:
    khm_arena_free(e.a);
    return rc;
}

const char *khm_catalog_format_name(int format)
{
    return format == KHM_CATALOG_JSON ? "json" : format == KHM_CATALOG_CSV ? "csv" : "auto";
}

int khm_catalog_format_parse(const char *s, int *out)
{
    if (s && strcmp(s, "json") == 0)
        *out = KHM_CATALOG_JSON;
    else if (s && strcmp(s, "csv") == 0)
        *out = KHM_CATALOG_CSV;
    else if (s && strcmp(s, "auto") == 0)
        *out = KHM_CATALOG_AUTO;
    else
        return khm_err_field("format", "รูปแบบไฟล์ต้องเป็น csv หรือ json", "must be csv or json");
    return 0;
}
