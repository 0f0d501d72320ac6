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
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/gdc.h>
#include <khomun/json.h>
#include <khomun/policy.h>
#include <khomun/scan.h>
#include <khomun/time.h>

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
    json_error_t je;
    json_t *md = json_loads(d->metadata, 0, &je);
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
            e->names[j] = name;
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
        e->asked[j] = name;
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

/* Ask the store once which of the names added (asked_add) are taken. */
static int ask_names(khm_tx *tx, errs *e)
{
    if (!e->asked_n)
        return 0;
    khm_buf b = KHM_BUF_INIT((size_t)1 << 30);
    int rc = khm_buf_putc(&b, '[');
    for (size_t i = 0; rc == 0 && i < e->asked_cap; i++) {
        if (!e->asked[i])
            continue;
        if (b.len > 1)
            khm_buf_putc(&b, ',');
        khm_jw w;
        khm_jw_init(&w, &b);
        khm_jw_str(&w, e->asked[i]);
        rc = khm_jw_finish(&w);
    }
    if (rc == 0 && (rc = khm_buf_putc(&b, ']')) == 0)
        rc = khm_store_dataset_names_taken(tx, b.ptr, mark_taken, e);
    khm_buf_dispose(&b);
    return rc;
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
                      khm_arena *a)
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
        if ((rc = khm_store_agency_get(tx, &ag, agency, a)) == KHM_ENOTFOUND)
            return bad_row(e, where, "agency", "ไม่พบหน่วยงานนี้", "no such agency");
        if (rc < 0)
            return rc;
        if (e->ag_n < AGENCY_CACHE && (e->ag_key[e->ag_n] = khm_arena_strdup(a, agency)))
            e->ag[e->ag_n++] = ag;
    }
    khm_dataset_input in = { r->name, ag.id, r->owner, r->title_en, r->metadata };
    khm_dataset d;
    rc = r->name && !surely_free(e, r->name) ? khm_store_dataset_get(tx, &d, r->name, a)
                                             : KHM_ENOTFOUND;
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        if ((rc = khm_dataset_create(tx, &d, &in, ag.id, actor, now, a)) < 0) {
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

static const char *opt_str(json_t *o, const char *k, const char *where, const char *th, errs *e,
                           int *bad)
{
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = bad_row(e, where, k, th, "must be a string");
        return NULL;
    }
    return json_string_value(v);
}

static int import_json(khm_tx *tx, const char *buf, size_t len, const char *default_agency,
                       const char *actor, int64_t now, khm_catalog_import_stats *st, errs *e,
                       khm_arena *a)
{
    json_error_t je;
    json_t *doc = json_loadb(buf, len, 0, &je);
    int rc = 0;
    if (!doc)
        return khm_err_field("file", "ไฟล์ไม่ใช่ JSON ที่ถูกต้อง", "not JSON: %s (line %d)", je.text,
                             je.line);
    json_t *list = json_is_object(doc) ? json_object_get(doc, "datasets") : doc;
    if (!json_is_array(list)) {
        json_decref(doc);
        return khm_err_field(
            "datasets", "ต้องเป็นรายการชุดข้อมูล (array)",
            "an array of datasets is required (a Khomun catalog file or an array)");
    }
    size_t i;
    json_t *it;
    /* the names first: which are taken, in one query */
    json_array_foreach(list, i, it)
    {
        json_t *nm = json_object_get(it, "name");
        if (!(e->skip && i < e->skip_len && e->skip[i]) && json_is_string(nm) &&
            (rc = asked_add(e, json_string_value(nm))) < 0)
            break;
    }
    if (rc == 0)
        rc = ask_names(tx, e);
    if (rc == 0)
        rc = khm_tx_bulk(tx);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    /* the rows' writes (no rows read back) go to PostgreSQL IMPORT_BATCH rows at a time */
    int batched = khm_tx_batch_begin(tx) == 0;
    json_array_foreach(list, i, it)
    {
        if (i && i % IMPORT_BATCH == 0 && batched) {
            batched = 0;
            if ((rc = khm_tx_batch_end(tx)) < 0)
                break;
            batched = khm_tx_batch_begin(tx) == 0;
        }
        char *where = khm_arena_printf(a, "datasets[%zu].", i);
        int bad = 0;
        e->row = i;
        if (e->skip && i < e->skip_len && e->skip[i])
            continue;
        if (!json_is_object(it)) {
            bad_row(e, where, "", "ต้องเป็นออบเจกต์", "must be an object");
            continue;
        }
        row r;
        memset(&r, 0, sizeof(r));
        r.name = opt_str(it, "name", where, "ชื่อ URL ต้องเป็นข้อความ", e, &bad);
        r.agency = opt_str(it, "agency", where, "หน่วยงานต้องเป็นข้อความ", e, &bad);
        r.owner = opt_str(it, "owner", where, "เจ้าของข้อมูลต้องเป็นข้อความ", e, &bad);
        r.title_en = opt_str(it, "title_en", where, "ชื่อภาษาอังกฤษต้องเป็นข้อความ", e, &bad);
        r.cia = opt_str(it, "cia", where, "ระดับผลกระทบต้องเป็นข้อความ", e, &bad);
        json_t *c = json_object_get(it, "confirmed");
        if (c && !json_is_boolean(c))
            bad = bad_row(e, where, "confirmed", "ต้องเป็น true หรือ false", "must be true or false");
        r.confirmed = json_is_true(c);
        r.metadata = json_object_get(it, "metadata");
        if (!json_is_object(r.metadata))
            bad = bad_row(e, where, "metadata", "ต้องระบุคำอธิบายชุดข้อมูลตาม GD-Catalog",
                          "a GD-Catalog metadata object is required");
        if (bad)
            continue;
        if ((rc = import_row(tx, &r, default_agency, actor, now, st, e, where, a)) < 0 &&
            rc != KHM_EINVALID)
            break;
        rc = 0;
    }
    if (batched) {
        int rc2 = khm_tx_batch_end(tx);
        if (rc == 0)
            rc = rc2;
    }
    json_decref(doc);
    return rc;
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

static int import_csv(khm_tx *tx, const char *buf, size_t len, const char *default_agency,
                      const char *actor, int64_t now, khm_catalog_import_stats *st, errs *e,
                      khm_arena *a)
{
    enum { MAXC = 160 };
    csv_in c;
    khm_span head[MAXC], cells[MAXC], gdc_head[MAXC], gdc_cells[MAXC];
    int xcol[X__COUNT];
    size_t gcol[MAXC]; /* index of each GD-Catalog column in the file */
    int64_t rowno = 0;
    int rc = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    memset(&c, 0, sizeof(c));
    c.buf = buf;
    khm_csv_init(&c.r, buf, len, ',');
    size_t nh = next_record(&c, head, MAXC, &rowno, a), ng = 0;
    if (nh == 0)
        return khm_err_field("file", "ไฟล์ว่าง", "is empty: a header line is required");
    for (int x = 0; x < X__COUNT; x++)
        xcol[x] = -1;
    for (size_t i = 0; i < nh; i++) {
        int x;
        for (x = 0; x < X__COUNT && !khm_span_eq_cstr(head[i], extra_cols[x]); x++)
            ;
        if (x < X__COUNT) {
            xcol[x] = (int)i;
        } else {
            gcol[ng] = i;
            gdc_head[ng++] = head[i];
        }
    }
    if (khm_gdc_csv_header_check(gdc_head, ng, "header: ") < 0) {
        keep_errs(e, "");
        return 0;
    }
    /* the names first (a pass over the records): which are taken, in one query */
    size_t n, ncol = MAXC;
    for (size_t g = 0; g < ng; g++)
        if (khm_span_eq_cstr(gdc_head[g], "name"))
            ncol = gcol[g];
    if (ncol < MAXC) {
        csv_in c2 = c;
        int64_t rn;
        while ((n = next_record(&c2, cells, MAXC, &rn, a)) > 0) {
            if (ncol >= n || !cells[ncol].len)
                continue;
            const char *nm = khm_arena_strndup(a, cells[ncol].ptr, cells[ncol].len);
            if (!nm)
                return khm_err_set(KHM_ENOMEM, "out of memory");
            if ((rc = asked_add(e, nm)) < 0)
                return rc;
        }
        if ((rc = ask_names(tx, e)) < 0)
            return rc;
    }
    if ((rc = khm_tx_bulk(tx)) < 0)
        return rc;
    /* the rows' writes (no rows read back) go to PostgreSQL IMPORT_BATCH rows at a time */
    int batched = khm_tx_batch_begin(tx) == 0;
    size_t ord = 0;
    while ((n = next_record(&c, cells, MAXC, &rowno, a)) > 0) {
        if (n == 1 && cells[0].len == 0)
            continue; /* a blank line */
        if (ord && ord % IMPORT_BATCH == 0 && batched) {
            batched = 0;
            if ((rc = khm_tx_batch_end(tx)) < 0)
                break;
            batched = khm_tx_batch_begin(tx) == 0;
        }
        e->row = ord++;
        if (e->skip && e->row < e->skip_len && e->skip[e->row])
            continue;
        char *where = khm_arena_printf(a, "row %lld: ", (long long)rowno + 1);
        for (size_t g = 0; g < ng; g++)
            gdc_cells[g] = gcol[g] < n ? cells[gcol[g]] : (khm_span){ "", 0 };
        json_t *md = NULL;
        if (khm_gdc_from_csv_row(&md, gdc_head, ng, gdc_cells, ng, "") < 0) {
            keep_errs(e, where);
            continue;
        }
        row r;
        memset(&r, 0, sizeof(r));
        const char *xs[X__COUNT] = { 0 };
        for (int x = 0; x < X__COUNT; x++)
            if (xcol[x] >= 0 && (size_t)xcol[x] < n && cells[xcol[x]].len)
                xs[x] = khm_arena_strndup(a, cells[xcol[x]].ptr, cells[xcol[x]].len);
        r.title_en = xs[X_TITLE_EN];
        r.owner = xs[X_OWNER];
        r.cia = xs[X_CIA];
        if (xs[X_CONFIRMED] && strcmp(xs[X_CONFIRMED], "true") != 0 &&
            strcmp(xs[X_CONFIRMED], "false") != 0) {
            bad_row(e, where, "khomun_confirmed", "ต้องเป็น true หรือ false", "must be true or false");
            json_decref(md);
            continue;
        }
        r.confirmed = xs[X_CONFIRMED] && strcmp(xs[X_CONFIRMED], "true") == 0;
        json_t *nm = json_object_get(md, "name"), *org = json_object_get(md, "owner_org");
        r.name = nm ? khm_arena_strdup(a, json_string_value(nm)) : NULL;
        r.agency = org ? khm_arena_strdup(a, json_string_value(org)) : NULL;
        json_object_del(md, "name");
        json_object_del(md, "owner_org");
        r.metadata = md;
        rc = import_row(tx, &r, default_agency, actor, now, st, e, where, a);
        json_decref(md);
        if (rc < 0 && rc != KHM_EINVALID)
            break;
        rc = 0;
    }
    if (batched) {
        int rc2 = khm_tx_batch_end(tx);
        if (rc == 0)
            rc = rc2;
    }
    return rc;
}

/* One pass over the file in @p tx; the errors (and bad rows) in @p e. */
static int import_pass(khm_tx *tx, const char *buf, size_t len, int format,
                       const khm_catalog_import_opts *o, khm_catalog_import_stats *st, errs *e)
{
    memset(st, 0, sizeof(*st));
    khm_err_clear();
    if (format == KHM_CATALOG_AUTO) {
        size_t k = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        while (k < len && (buf[k] == ' ' || buf[k] == '\n' || buf[k] == '\r' || buf[k] == '\t'))
            k++;
        format = k < len && (buf[k] == '{' || buf[k] == '[') ? KHM_CATALOG_JSON : KHM_CATALOG_CSV;
    }
    return format == KHM_CATALOG_JSON
               ? import_json(tx, buf, len, o->default_agency, o->actor, o->now, st, e, e->a)
               : import_csv(tx, buf, len, o->default_agency, o->actor, o->now, st, e, e->a);
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
