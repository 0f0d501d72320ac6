/* Tests for src/lib/catalog/exchange.c: the catalog exported as JSON and CSV (issue 4, "exports
 * to CSV and JSON and imports back without loss") and imported into another installation — the
 * same datasets, owners, English titles and confirmed classifications; an unchanged import
 * changes nothing; every bad row reported and nothing kept when the caller rolls back. */
#include "unit.h"
#include "unit_search.h"

#include <khomun/gdc.h>
#include <libpq-fe.h>
#include <unistd.h>

static json_t *meta(const char *category, const char *level, const char *title)
{
    json_t *m =
        json_pack("{s:s, s:s, s:s, s:s, s:[s,s], s:s, s:[s], s:s, s:s, s:s, s:[s,s], s:s, s:s}",
                  "data_type", "ข้อมูลระเบียน", "title", title, "maintainer", "กองยุทธศาสตร์และแผนงาน",
                  "maintainer_email", "data@agency.go.th", "tag_string", "งบประมาณ", "budget",
                  "notes", "ชุดข้อมูลทดสอบ \"มีเครื่องหมายคำพูด\", และจุลภาค\nบรรทัดใหม่", "objective",
                  "พันธกิจหน่วยงาน", "update_frequency_unit", "ปี", "geo_coverage", "ประเทศ",
                  "data_source", "กองยุทธศาสตร์และแผนงาน", "data_format", "CSV", "JSON", "license_id",
                  "Open Data Common", "data_category", category);
    assert_non_null(m);
    if (level)
        json_object_set_new(m, "data_classification", json_string(level));
    return m;
}

typedef struct {
    khm_test_env e;
    khm_agency ag;
    khm_user owner;
    char pg_db[64]; /* the database made for it on PostgreSQL, or "" */
} fixture;

/* KHOMUN_TEST_PG while the PostgreSQL round of the tests runs (test_catalog_exchange__postgres),
 * else NULL: SQLite */
static const char *pg_base;

static void admin_sql(const char *sql)
{
    PGconn *c = PQconnectdb(pg_base);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

/* An installation: SQLite in a fresh directory, or a fresh database on PostgreSQL. */
static void env_open(fixture *f)
{
    static int n;
    f->pg_db[0] = '\0';
    if (!pg_base) {
        khm_test_env_open(&f->e);
        return;
    }
    char sql[160], uri[1024];
    snprintf(f->pg_db, sizeof(f->pg_db), "khm_exchange_%d_%d", (int)getpid(), n++);
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0", f->pg_db);
    admin_sql(sql);
    const char *host = strstr(pg_base, "://"), *slash = host ? strchr(host + 3, '/') : NULL;
    assert_non_null(slash);
    snprintf(uri, sizeof(uri), "%.*s/%s", (int)(slash - pg_base), pg_base, f->pg_db);
    memset(&f->e, 0, sizeof(f->e));
    f->e.dir = khm_test_tmpdir();
    f->e.arena = khm_arena_new(0);
    khm_init_opts o = { f->e.dir, uri, NULL, NULL, NULL, NULL };
    assert_int_equal(khm_setup_init(&f->e.init, &o, f->e.arena), 0);
    assert_int_equal(khm_store_open(&f->e.store, f->e.init.db_uri, NULL), 0);
}

static void teardown(fixture *f)
{
    khm_test_env_close(&f->e);
    if (f->pg_db[0]) {
        char sql[160];
        snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->pg_db);
        admin_sql(sql);
    }
}

static void setup(fixture *f)
{
    khm_tx *tx;
    env_open(f);
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    assert_int_equal(khm_store_agency_get(tx, &f->ag, f->e.init.agency.id, f->e.arena), 0);
    khm_user_input o = { "malee", "มาลี", NULL, f->ag.slug, "owner", "secret" };
    assert_int_equal(khm_user_create(tx, &f->owner, &o, 1, f->e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
}

/* three datasets: public with an owner and an English title; personal data confirmed with
 * C/I/A; internal, unconfirmed, no owner */
static void fill(fixture *f)
{
    khm_tx *tx;
    khm_dataset d;
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    json_t *m1 = meta("ข้อมูลสาธารณะ", "เปิดเผย", "แผนงบประมาณบูรณาการ"),
           *m2 = meta("ข้อมูลส่วนบุคคล", "ลับ", "ทะเบียนผู้มีสิทธิ"),
           *m3 = meta("ข้อมูลใช้ภายใน", NULL, "ทะเบียนครุภัณฑ์");
    khm_dataset_input i1 = { "budget-2567", NULL, "malee", "Budget plan, FY2024", m1 };
    khm_dataset_input i2 = { "welfare-register", NULL, "malee", NULL, m2 };
    khm_dataset_input i3 = { "assets", NULL, NULL, NULL, m3 };
    assert_int_equal(khm_dataset_create(tx, &d, &i1, f->ag.id, NULL, 1000, f->e.arena), 0);
    assert_int_equal(khm_dataset_create(tx, &d, &i2, f->ag.id, NULL, 1000, f->e.arena), 0);
    khm_dataset_confirm_input ci = { "personal", "confidential", "high,medium,low", "ตรวจแล้ว" };
    assert_int_equal(khm_dataset_confirm(tx, &d, &ci, d.version, f->owner.id, 2000), 0);
    assert_int_equal(khm_dataset_create(tx, &d, &i3, f->ag.id, NULL, 1000, f->e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    json_decref(m1);
    json_decref(m2);
    json_decref(m3);
}

static int to_buf(const char *p, size_t n, void *payload)
{
    return khm_buf_put(payload, p, n);
}

static void export_all(fixture *f, int format, khm_buf *out)
{
    khm_tx *tx;
    size_t n = 0;
    khm_buf_reset(out);
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 0), 0);
    assert_int_equal(khm_catalog_export(tx, format, NULL, 5000, to_buf, out, &n), 0);
    khm_tx_rollback(tx);
    assert_int_equal(khm_buf_putc(out, '\0'), 0);
    out->len--;
}

static int import(fixture *f, const khm_buf *in, int format, khm_catalog_import_stats *st,
                  int commit)
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    int rc = khm_catalog_import(tx, in->ptr, in->len, format, NULL, "cli:test", 9000, st);
    if (rc == 0 && commit)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    return rc;
}

/* the datasets of a JSON export, as a jansson array */
static json_t *datasets(const khm_buf *json)
{
    json_error_t je;
    json_t *doc = json_loadb(json->ptr, json->len, 0, &je);
    assert_non_null(doc);
    json_t *arr = json_incref(json_object_get(doc, "datasets"));
    json_decref(doc);
    assert_true(json_is_array(arr));
    return arr;
}

static void round_trip(int format)
{
    fixture src, dst;
    khm_buf file = KHM_BUF_INIT(1 << 24), again = KHM_BUF_INIT(1 << 24),
            orig = KHM_BUF_INIT(1 << 24);
    khm_catalog_import_stats st;
    setup(&src);
    fill(&src);
    export_all(&src, format, &file);
    export_all(&src, KHM_CATALOG_JSON, &orig);
    setup(&dst); /* another installation: its own agency "demo" and user malee */
    assert_int_equal(import(&dst, &file, KHM_CATALOG_AUTO, &st, 1), 0);
    assert_int_equal(st.created, 3);
    assert_int_equal(st.updated + st.unchanged, 0);
    assert_int_equal(st.confirmed, 1);
    export_all(&dst, KHM_CATALOG_JSON, &again);
    json_t *a = datasets(&orig), *b = datasets(&again);
    if (!json_equal(a, b)) {
        char *x = json_dumps(a, JSON_SORT_KEYS), *y = json_dumps(b, JSON_SORT_KEYS);
        fail_msg("catalog differs after the round trip:\n%s\n%s", x, y);
    }
    assert_int_equal(json_array_size(a), 3);
    json_decref(a);
    json_decref(b);
    /* the same file again: nothing to do */
    assert_int_equal(import(&dst, &file, KHM_CATALOG_AUTO, &st, 1), 0);
    assert_int_equal(st.created + st.updated + st.confirmed, 0);
    assert_int_equal(st.unchanged, 3);
    khm_buf_dispose(&file);
    khm_buf_dispose(&again);
    khm_buf_dispose(&orig);
    teardown(&src);
    teardown(&dst);
}

static void test_catalog_exchange__json_round_trip(void **state)
{
    (void)state;
    round_trip(KHM_CATALOG_JSON);
}

static void test_catalog_exchange__csv_round_trip(void **state)
{
    (void)state;
    round_trip(KHM_CATALOG_CSV);
}

static void test_catalog_exchange__csv_form(void **state)
{
    (void)state;
    fixture f;
    khm_buf csv = KHM_BUF_INIT(1 << 24);
    setup(&f);
    fill(&f);
    export_all(&f, KHM_CATALOG_CSV, &csv);
    assert_memory_equal(csv.ptr, "\xEF\xBB\xBF", 3); /* BOM for Excel */
    const char *eol = strstr(csv.ptr, "\r\n");
    assert_non_null(eol);
    /* GD-Catalog's columns in the field table's order, then ours */
    khm_buf head = KHM_BUF_INIT(1 << 20);
    assert_int_equal(khm_gdc_csv_header(&head), 0);
    assert_memory_equal(csv.ptr + 3, head.ptr, head.len - 2);
    assert_non_null(
        strstr(csv.ptr, ",khomun_title_en,khomun_owner,khomun_confirmed,khomun_cia\r\n"));
    /* a quoted English title with its comma; the owner by login name, confirmed, C/I/A */
    assert_non_null(strstr(csv.ptr, ",\"Budget plan, FY2024\",malee,false,\r\n"));
    assert_non_null(strstr(csv.ptr, ",,malee,true,\"high,medium,low\"\r\n"));
    khm_buf_dispose(&head);
    khm_buf_dispose(&csv);
    teardown(&f);
}

/* Every bad row is named; the caller rolls back, so nothing of the file is kept. */
static void test_catalog_exchange__bad_rows_all_reported(void **state)
{
    (void)state;
    fixture f;
    khm_catalog_import_stats st;
    setup(&f);
    json_t *good = meta("ข้อมูลสาธารณะ", NULL, "ชุดข้อมูลที่ถูกต้อง");
    json_t *badlevel = meta("ข้อมูลส่วนบุคคล", "เปิดเผย", "ระดับชั้นไม่ถูกต้อง"); /* §2.3 */
    json_t *doc =
        json_pack("{s:i, s:[{s:s, s:s, s:O}, {s:s, s:s, s:O}, {s:s, s:s, s:s, s:O}, "
                  "{s:s, s:s, s:O}, i]}",
                  "khomun_catalog", 1, "datasets", "name", "good-one", "agency", "demo", "metadata",
                  good, "name", "bad-level", "agency", "demo", "metadata", badlevel, "name",
                  "no-owner", "agency", "demo", "owner", "nobody", "metadata", good, "name",
                  "no-agency", "agency", "nosuch", "metadata", good, 7);
    assert_non_null(doc);
    char *s = json_dumps(doc, 0);
    khm_buf in = KHM_BUF_INIT(1 << 20);
    assert_int_equal(khm_buf_puts(&in, s), 0);
    assert_int_equal(import(&f, &in, KHM_CATALOG_AUTO, &st, 0), KHM_EINVALID);
    assert_true(has_field("datasets[1].metadata.data_classification"));
    assert_true(has_field("datasets[2].owner"));
    assert_true(has_field("datasets[3].agency"));
    assert_true(has_field("datasets[4]"));
    assert_false(has_field("datasets[0].name"));
    /* rolled back: the good row is not there either */
    khm_tx *tx;
    khm_dataset d;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &d, "good-one", f.e.arena), KHM_ENOTFOUND);
    khm_tx_rollback(tx);
    /* not a catalog at all */
    khm_buf_reset(&in);
    khm_buf_puts(&in, "{\"datasets\": 3}");
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 0), KHM_EINVALID);
    assert_true(has_field("datasets"));
    khm_buf_reset(&in);
    khm_buf_puts(&in, "{not json");
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 0), KHM_EINVALID);
    assert_true(has_field("file"));
    /* a CSV header with a column GD-Catalog does not have */
    khm_buf_reset(&in);
    khm_buf_puts(&in, "title,name,colour\r\nx,y,z\r\n");
    assert_int_equal(import(&f, &in, KHM_CATALOG_CSV, &st, 0), KHM_EINVALID);
    free(s);
    json_decref(doc);
    json_decref(good);
    json_decref(badlevel);
    khm_buf_dispose(&in);
    teardown(&f);
}

/* A dataset name held by another agency is not taken over; an archived one is not revived. */
static void test_catalog_exchange__name_of_another_agency(void **state)
{
    (void)state;
    fixture f;
    khm_catalog_import_stats st;
    khm_tx *tx;
    khm_agency other;
    khm_dataset d;
    setup(&f);
    fill(&f);
    khm_agency_input ai = { "nso", "สำนักงานสถิติแห่งชาติ", NULL };
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_agency_create(tx, &other, &ai, 1), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_buf file = KHM_BUF_INIT(1 << 24);
    export_all(&f, KHM_CATALOG_JSON, &file);
    /* the same file, every dataset claimed by nso */
    json_error_t je;
    json_t *doc = json_loadb(file.ptr, file.len, 0, &je);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(doc, "datasets"), i, it)
        json_object_set_new(it, "agency", json_string("nso"));
    char *s = json_dumps(doc, 0);
    khm_buf_reset(&file);
    khm_buf_puts(&file, s);
    assert_int_equal(import(&f, &file, KHM_CATALOG_AUTO, &st, 0), KHM_EINVALID);
    assert_true(has_field("datasets[0].name"));
    assert_true(has_field("datasets[2].name"));
    free(s);
    json_decref(doc);
    /* archive one, then import its own export: refused, not revived */
    export_all(&f, KHM_CATALOG_JSON, &file);
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_store_dataset_get(tx, &d, "assets", f.e.arena), 0);
    assert_int_equal(khm_dataset_archive(tx, &d, d.version, 3000), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(import(&f, &file, KHM_CATALOG_AUTO, &st, 0), KHM_EINVALID);
    assert_true(has_field("datasets[2].name"));
    khm_buf_dispose(&file);
    teardown(&f);
}

/* A changed title updates the dataset (a new version); the import counts it. */
static void test_catalog_exchange__changed_dataset_updated(void **state)
{
    (void)state;
    fixture f;
    khm_catalog_import_stats st;
    setup(&f);
    fill(&f);
    khm_buf file = KHM_BUF_INIT(1 << 24);
    export_all(&f, KHM_CATALOG_JSON, &file);
    json_error_t je;
    json_t *doc = json_loadb(file.ptr, file.len, 0, &je);
    json_t *first = json_array_get(json_object_get(doc, "datasets"), 0);
    json_object_set_new(json_object_get(first, "metadata"), "title",
                        json_string("แผนงบประมาณบูรณาการ (ฉบับปรับปรุง)"));
    char *s = json_dumps(doc, 0);
    khm_buf_reset(&file);
    khm_buf_puts(&file, s);
    assert_int_equal(import(&f, &file, KHM_CATALOG_AUTO, &st, 1), 0);
    assert_int_equal(st.updated, 1);
    assert_int_equal(st.unchanged, 2);
    khm_tx *tx;
    khm_dataset d;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &d, "budget-2567", f.e.arena), 0);
    assert_string_equal(d.title, "แผนงบประมาณบูรณาการ (ฉบับปรับปรุง)");
    assert_int_equal(d.version, 2);
    khm_tx_rollback(tx);
    free(s);
    json_decref(doc);
    khm_buf_dispose(&file);
    teardown(&f);
}

/* A file of more rows than go to PostgreSQL in one round trip (exchange.c, IMPORT_BATCH): all
 * there after the commit, found by a search, and the same file again changes nothing (every name
 * taken now: each row read and compared). */
static void test_catalog_exchange__many_rows(void **state)
{
    (void)state;
    enum { N = 1234 };
    fixture f;
    khm_catalog_import_stats st;
    khm_buf in = KHM_BUF_INIT(1 << 26), out = KHM_BUF_INIT(1 << 26);
    setup(&f);
    json_t *m = meta("ข้อมูลสาธารณะ", "เปิดเผย", "สถิติจำนวนนักเรียนรายจังหวัด");
    char *ms = json_dumps(m, JSON_COMPACT);
    khm_buf_puts(&in, "{\"khomun_catalog\": 1, \"datasets\": [");
    for (int i = 0; i < N; i++)
        khm_buf_printf(&in,
                       "%s{\"name\": \"students-%04d\", \"agency\": \"demo\", \"metadata\": %s}",
                       i ? "," : "", i, ms);
    khm_buf_puts(&in, "]}");
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 1), 0);
    assert_int_equal(st.created, N);
    khm_tx *tx;
    size_t n = 0;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_catalog_export(tx, KHM_CATALOG_JSON, NULL, 5000, to_buf, &out, &n), 0);
    khm_tx_rollback(tx);
    assert_int_equal(n, N);
    khm_dataset *items;
    const char **keys;
    size_t got;
    int more;
    khm_dataset_query q = {
        "นักเรียน", KHM_DATASET_FILTER_INIT, KHM_DSORT_RELEVANCE, NULL, NULL, 10
    };
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dataset_find(tx, &q, &items, &keys, &got, &more, f.e.arena), 0);
    khm_tx_rollback(tx);
    assert_int_equal(got, 10);
    assert_true(more);
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 1), 0);
    assert_int_equal(st.unchanged, N);
    assert_int_equal(st.created + st.updated, 0);
    /* the same catalog as CSV into another installation, and again there: unchanged */
    fixture g;
    khm_buf csv = KHM_BUF_INIT(1 << 26);
    export_all(&f, KHM_CATALOG_CSV, &csv);
    setup(&g);
    assert_int_equal(import(&g, &csv, KHM_CATALOG_CSV, &st, 1), 0);
    assert_int_equal(st.created, N);
    assert_int_equal(import(&g, &csv, KHM_CATALOG_CSV, &st, 1), 0);
    assert_int_equal(st.unchanged, N);
    khm_buf_dispose(&csv);
    teardown(&g);
    /* one duplicate name far into the file: reported, nothing kept */
    khm_buf_reset(&in);
    khm_buf_puts(&in, "{\"khomun_catalog\": 1, \"datasets\": [");
    for (int i = 0; i < N; i++)
        khm_buf_printf(&in, "%s{\"name\": \"pupils-%04d\", \"agency\": \"demo\", \"metadata\": %s}",
                       i ? "," : "", i == N - 1 ? 7 : i, ms);
    khm_buf_puts(&in, "]}");
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 1), KHM_EINVALID);
    char where[64];
    snprintf(where, sizeof(where), "datasets[%d].name", N - 1);
    assert_true(has_field(where));
    khm_dataset d;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &d, "pupils-0000", f.e.arena), KHM_ENOTFOUND);
    khm_tx_rollback(tx);
    free(ms);
    json_decref(m);
    khm_buf_dispose(&in);
    khm_buf_dispose(&out);
    teardown(&f);
}

/* A file large enough to be read on a thread of its own while the rows are written
 * (exchange.c, PIPE_THREAD_MIN): every bad row named, in every batch of rows; a syntax error far
 * into the file said as json_loadb says it of the whole file (its line too) and nothing kept;
 * members after the datasets array read; a file that ends in something else is not JSON. */
static void test_catalog_exchange__large_file_read_ahead(void **state)
{
    (void)state;
    enum { N = 1600 };
    fixture f;
    khm_catalog_import_stats st;
    khm_buf in = KHM_BUF_INIT(1 << 26);
    setup(&f);
    json_t *m = meta("ข้อมูลสาธารณะ", "เปิดเผย", "สถิติผู้ป่วยนอกรายเดือน");
    char *ms = json_dumps(m, JSON_COMPACT);
    khm_buf_puts(&in, "{\"khomun_catalog\": 1,\n \"datasets\": [\n");
    for (int i = 0; i < N; i++) {
        if (i)
            khm_buf_puts(&in, ",\n");
        if (i == 3) /* bad shape in the first batch */
            khm_buf_printf(&in, "{\"name\": 3, \"agency\": \"demo\", \"metadata\": %s}", ms);
        else if (i == 777) /* bad metadata in the second */
            khm_buf_puts(&in, "{\"name\": \"opd-0777\", \"agency\": \"demo\", \"metadata\": "
                              "{\"title\": \"ผู้ป่วย\"}}");
        else if (i == 1501) /* not an object, in the fourth */
            khm_buf_puts(&in, "\"ผู้ป่วย\"");
        else
            khm_buf_printf(&in, "{\"name\": \"opd-%04d\", \"agency\": \"demo\", \"metadata\": %s}",
                           i, ms);
    }
    khm_buf_puts(&in, "\n],\n \"exported_at\": \"2024-06-01T00:00:00Z\"}\n");
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 0), KHM_EINVALID);
    assert_true(has_field("datasets[3].name"));
    assert_true(has_field("datasets[777].metadata.data_type"));
    assert_true(has_field("datasets[1501]"));
    assert_false(has_field("datasets[0].name"));
    assert_false(has_field("datasets[1599].name"));
    /* the good rows alone: all there, the member after the array read */
    khm_buf_reset(&in);
    khm_buf_puts(&in, "{\"khomun_catalog\": 1, \"datasets\": [");
    for (int i = 0; i < N; i++)
        khm_buf_printf(&in, "%s{\"name\": \"opd-%04d\", \"agency\": \"demo\", \"metadata\": %s}",
                       i ? ",\n" : "", i, ms);
    khm_buf_puts(&in, "], \"exported_at\": \"2024-06-01T00:00:00Z\"}");
    size_t good_len = in.len;
    char *good = strndup(in.ptr, in.len);
    assert_non_null(good);
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 0), 0);
    assert_int_equal(st.created, N);
    /* the same rows, then a syntax error near the end */
    in.len = good_len - 40;
    khm_buf_puts(&in, "{\"name\": \"x\" \"agency\"}]}");
    json_error_t je;
    assert_null(json_loadb(in.ptr, in.len, 0, &je));
    char want[400];
    snprintf(want, sizeof(want), "not JSON: %s (line %d)", je.text, je.line);
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 1), KHM_EINVALID);
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    assert_int_equal(nf, 1);
    assert_string_equal(fe[0].field, "file");
    assert_string_equal(fe[0].message, want);
    khm_tx *tx;
    khm_dataset d;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &d, "opd-0000", f.e.arena), KHM_ENOTFOUND);
    khm_tx_rollback(tx);
    /* something after the catalog: not JSON either */
    khm_buf_reset(&in);
    khm_buf_put(&in, good, good_len);
    khm_buf_puts(&in, " x");
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 0), KHM_EINVALID);
    assert_true(has_field("file"));
    /* datasets twice: which is meant is not clear */
    khm_buf_reset(&in);
    khm_buf_put(&in, good, good_len - 1);
    khm_buf_puts(&in, ", \"datasets\": []}");
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 0), KHM_EINVALID);
    assert_true(has_field("datasets"));
    free(good);
    free(ms);
    json_decref(m);
    khm_buf_dispose(&in);
    teardown(&f);
}

/* The CSV form of a file large enough to be read on a thread of its own (exchange.c,
 * PIPE_THREAD_MIN; the same reader as JSON): every bad row named by its line in the file, in
 * every batch of rows — a value outside its field's list, khomun_confirmed neither true nor
 * false, a value past the header's last column (before, dropped without a word), a name twice,
 * ten values past the header in one row (more than the eight problems a row kept before) —
 * blank lines left out but counted as lines; nothing kept. With --skip-invalid
 * (khm_catalog_import_store) the good rows alone are imported, the bad ones' problems kept as
 * warnings. */
static void test_catalog_exchange__large_csv_read_ahead(void **state)
{
    (void)state;
    enum { N = 1600 };
    static const char head[] =
        "data_type,title,name,owner_org,maintainer,maintainer_email,tag_string,notes,objective,"
        "update_frequency_unit,geo_coverage,data_source,data_format,license_id,data_category,"
        "data_classification,khomun_title_en,khomun_confirmed\r\n";
    static const char good[] = "ข้อมูลระเบียน,ทะเบียนผู้ป่วยนอก %04d,opd-%04d,demo,กองยุทธศาสตร์และแผนงาน,"
                               "data@agency.go.th,\"ผู้ป่วย,outpatients\",\"ข้อมูลผู้ป่วยนอกรายเดือน, "
                               "\"\"ทดสอบ\"\"\",พันธกิจหน่วยงาน,เดือน,ประเทศ,กองยุทธศาสตร์และแผนงาน,CSV,"
                               "Open Data Common,ข้อมูลสาธารณะ,เปิดเผย,Outpatients %04d,false\r\n";
    fixture f;
    khm_catalog_import_stats st;
    khm_buf in = KHM_BUF_INIT(1 << 26);
    setup(&f);
    khm_buf_puts(&in, "\xEF\xBB\xBF");
    khm_buf_puts(&in, head);
    int line = 1;
    char want[8][64];
    for (int i = 0; i < N; i++) {
        line++;
        if (i == 3) { /* a value outside the list, in the first batch */
            khm_buf_printf(&in,
                           "ข้อมูลแปลก,x,opd-%04d,demo,ก,data@agency.go.th,ก,ก,พันธกิจหน่วยงาน,"
                           "เดือน,ประเทศ,ก,CSV,Open Data Common,ข้อมูลสาธารณะ,เปิดเผย,,\r\n",
                           i);
            snprintf(want[0], sizeof(want[0]), "row %d: metadata.data_type", line);
        } else if (i == 777) { /* confirmed neither true nor false, in the second */
            khm_buf_printf(&in, good, i, i, i);
            in.len -= strlen("false\r\n");
            khm_buf_puts(&in, "maybe\r\n");
            snprintf(want[1], sizeof(want[1]), "row %d: khomun_confirmed", line);
        } else if (i == 1200) { /* a value past the header's 18 columns, in the third */
            khm_buf_printf(&in, good, i, i, i);
            in.len -= 2;
            khm_buf_puts(&in, ",,ค่าเกิน\r\n");
            snprintf(want[2], sizeof(want[2]), "row %d: column 20", line);
        } else if (i == 1501) { /* a name twice, in the fourth */
            khm_buf_printf(&in, good, i, 10, i);
            snprintf(want[3], sizeof(want[3]), "row %d: name", line);
        } else if (i == 1550) { /* ten values past the header: more than eight problems */
            khm_buf_printf(&in, good, i, i, i);
            in.len -= 2;
            khm_buf_puts(&in, ",a,b,c,d,e,f,g,h,i,j\r\n");
            snprintf(want[4], sizeof(want[4]), "row %d: column 19", line);
            snprintf(want[5], sizeof(want[5]), "row %d: column 27", line);
            snprintf(want[6], sizeof(want[6]), "row %d: column 28", line);
            /* (a problem of shape: the row's values are not checked) */
            snprintf(want[7], sizeof(want[7]), "row %d: metadata.data_type", line);
        } else {
            khm_buf_printf(&in, good, i, i, i);
        }
        if (i == 100 || i == 1300) { /* blank lines: no row, but a line */
            khm_buf_puts(&in, "\r\n");
            line++;
        }
    }
    assert_true(in.len > 64 * 1024);
    assert_int_equal(import(&f, &in, KHM_CATALOG_AUTO, &st, 1), KHM_EINVALID);
    for (int k = 0; k < 7; k++)
        if (!has_field(want[k])) {
            fail_msg("no problem reported for %s", want[k]);
        }
    assert_false(has_field(want[7]));
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    assert_int_equal(nf, 15);                  /* row 5: data_type and tag_string; one each; ten */
    assert_string_equal(fe[0].field, want[0]); /* in the order of the file */
    assert_string_equal(fe[14].field, want[6]);
    khm_tx *tx;
    khm_dataset d;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &d, "opd-0000", f.e.arena), KHM_ENOTFOUND);
    khm_tx_rollback(tx);
    /* --skip-invalid: the good rows alone, read and written the same way */
    khm_catalog_import_opts o = { NULL, "cli:test", 9000, 0, NULL, NULL, 1 };
    assert_int_equal(khm_catalog_import_store(f.e.store, in.ptr, in.len, KHM_CATALOG_CSV, &o, &st),
                     0);
    assert_int_equal(st.created, N - 5);
    assert_int_equal(st.skipped, 5);
    assert_true(has_field(want[2])); /* (the skipped rows' problems: warnings) */
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &d, "opd-1599", f.e.arena), 0);
    assert_string_equal(d.title_en, "Outpatients 1599");
    assert_int_equal(khm_store_dataset_get(tx, &d, "opd-1200", f.e.arena), KHM_ENOTFOUND);
    assert_int_equal(khm_store_dataset_get(tx, &d, "opd-1550", f.e.arena), KHM_ENOTFOUND);
    khm_tx_rollback(tx);
    khm_buf_dispose(&in);
    teardown(&f);
}

/* An import's datasets of more agencies than the transaction keeps the names of (32): each
 * entry's agency part — segmented once per agency and transaction, the tokens freed when
 * another agency takes its place — finds that agency's datasets and no other's, by its Thai and
 * English names; on SQLite the search indexes keep 64 MB of pending terms from the import on
 * (khm_tx_bulk). */
static void test_catalog_exchange__agencies_searchable_after_import(void **state)
{
    (void)state;
    enum { NAG = 36, PER = 2 };
    fixture f;
    khm_catalog_import_stats st;
    khm_buf in = KHM_BUF_INIT(1 << 24);
    setup(&f);
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    for (int i = 0; i < NAG; i++) {
        char slug[16], th[128], en[64];
        snprintf(slug, sizeof(slug), "prov%02d", i);
        /* every one a สำนักงานสถิติจังหวัด, one of them a โรงพยาบาล too */
        snprintf(th, sizeof(th), "สำนักงานสถิติจังหวัด%s", i == 5 ? " โรงพยาบาลศูนย์" : "");
        snprintf(en, sizeof(en), "Provincial Statistical Office alpha%02d", i);
        khm_agency_input ai = { slug, th, en };
        khm_agency ag;
        assert_int_equal(khm_agency_create(tx, &ag, &ai, 9000), 0);
    }
    assert_int_equal(khm_tx_commit(tx), 0);
    json_t *m = meta("ข้อมูลสาธารณะ", "เปิดเผย", "สถิติผู้ป่วยนอกรายเดือน");
    char *ms = json_dumps(m, JSON_COMPACT);
    khm_buf_puts(&in, "{\"khomun_catalog\": 1, \"datasets\": [");
    for (int k = 0; k < PER; k++) /* agency by agency, then again: each one's names twice */
        for (int i = 0; i < NAG; i++)
            khm_buf_printf(&in,
                           "%s{\"name\": \"stat-%02d-%d\", \"agency\": \"prov%02d\", "
                           "\"metadata\": %s}",
                           k || i ? ",\n" : "", i, k, i, ms);
    khm_buf_puts(&in, "]}");
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 1), 0);
    assert_int_equal(st.created, NAG * PER);
    char buf[4096];
    for (int i = 0; i < NAG; i++) {
        char q[32], want[64];
        snprintf(q, sizeof(q), "alpha%02d", i);
        snprintf(want, sizeof(want), "stat-%02d-1 stat-%02d-0", i, i); /* the latest first */
        assert_string_equal(khm_test_found(f.e.store, q, NULL, buf, sizeof(buf)), want);
    }
    assert_string_equal(khm_test_found(f.e.store, "โรงพยาบาลศูนย์", NULL, buf, sizeof(buf)),
                        "stat-05-1 stat-05-0");
    if (!pg_base) { /* SQLite: the setting khm_tx_bulk made */
        sqlite3 *db;
        assert_int_equal(sqlite3_open_v2(f.e.init.db_uri, &db, SQLITE_OPEN_READONLY, NULL),
                         SQLITE_OK);
        const char *ix[] = { "dataset_fts_config", "dataset_head_config" };
        for (int i = 0; i < 2; i++) {
            char sql[128];
            sqlite3_stmt *q;
            snprintf(sql, sizeof(sql), "SELECT v FROM %s WHERE k = 'hashsize'", ix[i]);
            assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
            assert_int_equal(sqlite3_step(q), SQLITE_ROW);
            assert_int_equal(sqlite3_column_int64(q, 0), (int64_t)64 << 20);
            sqlite3_finalize(q);
        }
        sqlite3_close(db);
    }
    free(ms);
    json_decref(m);
    khm_buf_dispose(&in);
    teardown(&f);
}

/* @p in (UTF-8 of ASCII and Thai only) in TIS-620 (@p utf16 0), or UTF-16LE with its BOM (1) */
static void recode(const khm_buf *in, int utf16, khm_buf *out)
{
    khm_buf_reset(out);
    if (utf16)
        khm_buf_put(out, "\xFF\xFE", 2);
    for (size_t i = 0; i < in->len;) {
        unsigned char c = (unsigned char)in->ptr[i];
        unsigned cp = c;
        size_t n = 1;
        if (c >= 0xE0) { /* three bytes: Thai's U+0E00 block */
            cp = ((c & 0x0Fu) << 12) | (((unsigned char)in->ptr[i + 1] & 0x3Fu) << 6) |
                 ((unsigned char)in->ptr[i + 2] & 0x3Fu);
            n = 3;
        }
        assert_true(c < 0x80 || (c >= 0xE0 && cp >= 0x0E01 && cp <= 0x0E5B));
        if (utf16) {
            char u[2] = { (char)(cp & 0xFF), (char)(cp >> 8) };
            khm_buf_put(out, u, 2);
        } else {
            khm_buf_putc(out, (char)(cp < 0x80 ? cp : 0xA1 + (cp - 0x0E01)));
        }
        i += n;
    }
}

/* A CSV saved in TIS-620 / Windows-874 (what older Excel and agency systems write) or in
 * UTF-16 with its BOM imports as its UTF-8 form does: the same datasets, Thai intact, bad rows
 * named by the same lines. A file in none of these (Latin-1 here) is refused as a whole — "file:
 * is not UTF-8 … on line 3" — before any of its bytes reaches a message; nothing is kept. */
static void test_catalog_exchange__csv_encodings(void **state)
{
    (void)state;
    static const char csv[] =
        "data_type,title,name,owner_org,maintainer,maintainer_email,tag_string,notes,objective,"
        "update_frequency_unit,geo_coverage,data_source,data_format,license_id,data_category,"
        "data_classification\r\n"
        "ข้อมูลสถิติ,สถิติผู้ป่วยนอกรายเดือน,opd-monthly,demo,กองยุทธศาสตร์และแผนงาน,"
        "data@agency.go.th,\"ผู้ป่วย,สถิติ\",จำนวนผู้ป่วยนอกรายเดือนจำแนกตามจังหวัด,"
        "พันธกิจหน่วยงาน,เดือน,ประเทศ,กองยุทธศาสตร์และแผนงาน,CSV,Open Data Common,"
        "ข้อมูลสาธารณะ,เปิดเผย\r\n"
        "ข้อมูลสถิติ,สถิติผู้ป่วยในรายปี,ipd-yearly,demo,กองยุทธศาสตร์และแผนงาน,"
        "data@agency.go.th,ผู้ป่วย,จำนวนผู้ป่วยในรายปี,พันธกิจหน่วยงาน,ปี,ประเทศ,"
        "กองยุทธศาสตร์และแผนงาน,CSV,Open Data Common,ข้อมูลส่วนบุคคล,เปิดเผย\r\n";
    khm_buf utf8 = KHM_BUF_INIT(1 << 20), other = KHM_BUF_INIT(1 << 20);
    khm_catalog_import_stats st;
    khm_buf_puts(&utf8, csv);
    for (int utf16 = 0; utf16 < 2; utf16++) {
        fixture f;
        setup(&f);
        recode(&utf8, utf16, &other);
        /* row 3 holds personal data at level เปิดเผย (§2.3): named by its line, either way */
        assert_int_equal(import(&f, &utf8, KHM_CATALOG_AUTO, &st, 0), KHM_EINVALID);
        assert_true(has_field("row 3: metadata.data_classification"));
        assert_int_equal(import(&f, &other, KHM_CATALOG_AUTO, &st, 0), KHM_EINVALID);
        assert_true(has_field("row 3: metadata.data_classification"));
        /* without it */
        khm_buf one = KHM_BUF_INIT(1 << 20);
        khm_buf_put(&one, csv, (size_t)(strstr(csv, "ข้อมูลสถิติ,สถิติผู้ป่วยใน") - csv));
        recode(&one, utf16, &other);
        assert_int_equal(import(&f, &other, KHM_CATALOG_CSV, &st, 1), 0);
        assert_int_equal(st.created, 1);
        khm_tx *tx;
        khm_dataset d;
        assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
        assert_int_equal(khm_store_dataset_get(tx, &d, "opd-monthly", f.e.arena), 0);
        khm_tx_rollback(tx);
        assert_string_equal(d.title, "สถิติผู้ป่วยนอกรายเดือน");
        assert_non_null(strstr(d.metadata, "\"ผู้ป่วย\",\"สถิติ\""));
        khm_buf_dispose(&one);
        teardown(&f);
    }
    /* Latin-1: é is 0xE9, which starts no UTF-8 character here and is no Thai letter */
    fixture f;
    setup(&f);
    khm_buf_reset(&other);
    khm_buf_puts(&other, "title,name\r\nx,y\r\nCaf\xE9 \xE9t\xE9,z\r\n");
    assert_int_equal(import(&f, &other, KHM_CATALOG_AUTO, &st, 1), KHM_EINVALID);
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    assert_int_equal(nf, 1);
    assert_string_equal(fe[0].field, "file");
    assert_non_null(strstr(fe[0].message, "is not UTF-8: byte 0xE9 on line 3"));
    assert_non_null(strstr(fe[0].message_th, "บรรทัดที่ 3"));
    teardown(&f);
    khm_buf_dispose(&utf8);
    khm_buf_dispose(&other);
}

/* SQLite: every index of the catalog's tables as "name: definition" lines, by name, and
 * PRAGMA integrity_check's word, read on a connection of its own (what readers see). */
static void index_defs(const fixture *f, char *out, size_t cap, char *check, size_t check_cap)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    size_t len = 0;
    assert_int_equal(sqlite3_open_v2(f->e.init.db_uri, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE "
                                        "type = 'index' AND tbl_name IN ('dataset', "
                                        "'dataset_search', 'dataset_tag', 'dataset_class') "
                                        "ORDER BY name",
                                        -1, &q, NULL),
                     SQLITE_OK);
    out[0] = '\0';
    while (sqlite3_step(q) == SQLITE_ROW) {
        int w = snprintf(out + len, cap - len, "%s: %s\n", sqlite3_column_text(q, 0),
                         sqlite3_column_text(q, 1));
        assert_true(w > 0 && (size_t)w < cap - len);
        len += (size_t)w;
    }
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(check, check_cap, "%s", sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* SQLite: an import into an empty catalog drops the indexes led by a dataset's own words
 * (name, title) and makes them again at its commit (store.c, defer_indexes): readers see every
 * index all along, a rollback leaves them as they were, and after the commit they are the same
 * definitions, the database is whole (integrity_check), and the orders they serve list the
 * imported datasets right — the first page and the cursor's next one. */
static void test_catalog_exchange__bulk_indexes_made_at_commit(void **state)
{
    (void)state;
    enum { N = 700 };
    fixture f;
    khm_catalog_import_stats st;
    khm_buf in = KHM_BUF_INIT(1 << 24);
    static char before[16384], during[16384], after[16384];
    char check[64];
    setup(&f);
    index_defs(&f, before, sizeof(before), check, sizeof(check));
    assert_non_null(strstr(before, "dataset_title: CREATE INDEX"));
    assert_non_null(strstr(before, "dataset_search_k_title: CREATE INDEX"));
    json_t *m = meta("ข้อมูลสาธารณะ", "เปิดเผย", "สถิติ");
    khm_buf_puts(&in, "{\"khomun_catalog\": 1, \"datasets\": [");
    for (int i = 0; i < N; i++) {
        /* titles in another order than the names: name k holds title 3k mod N */
        json_object_set_new(m, "title", json_sprintf("สถิติชุดที่ %04d", i * 3 % N));
        char *ms = json_dumps(m, JSON_COMPACT);
        khm_buf_printf(&in, "%s{\"name\": \"set-%04d\", \"agency\": \"demo\", \"metadata\": %s}",
                       i ? ",\n" : "", i, ms);
        free(ms);
    }
    khm_buf_puts(&in, "]}");
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(
        khm_catalog_import(tx, in.ptr, in.len, KHM_CATALOG_JSON, NULL, "cli:test", 9000, &st), 0);
    index_defs(&f, during, sizeof(during), check, sizeof(check));
    assert_string_equal(during, before);
    khm_tx_rollback(tx);
    index_defs(&f, after, sizeof(after), check, sizeof(check));
    assert_string_equal(after, before);
    assert_string_equal(check, "ok");
    assert_int_equal(import(&f, &in, KHM_CATALOG_JSON, &st, 1), 0);
    assert_int_equal(st.created, N);
    index_defs(&f, after, sizeof(after), check, sizeof(check));
    assert_string_equal(after, before);
    assert_string_equal(check, "ok");
    /* by title both ways and by name, two pages each: the indexes made again hold every row.
     * Name k holds title 3k mod N: title 0 is set-0000's, 1 set-0467's (3 * 467 = 1401), … */
    static const struct {
        int sort;
        const char *pages[2];
    } want[] = {
        { KHM_DSORT_TITLE, { "set-0000 set-0467 set-0234", "set-0001 set-0468 set-0235" } },
        { KHM_DSORT_TITLE_DESC, { "set-0233 set-0466 set-0699", "set-0232 set-0465 set-0698" } },
        { KHM_DSORT_NAME_DESC, { "set-0699 set-0698 set-0697", "set-0696 set-0695 set-0694" } },
    };
    for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
        khm_dataset_query q = { NULL, KHM_DATASET_FILTER_INIT, want[k].sort, NULL, NULL, 3 };
        assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
        for (int page = 0; page < 2; page++) {
            khm_dataset *items;
            const char **keys;
            size_t got;
            int more;
            char names[64];
            assert_int_equal(khm_store_dataset_find(tx, &q, &items, &keys, &got, &more, f.e.arena),
                             0);
            assert_int_equal(got, 3);
            assert_true(more);
            snprintf(names, sizeof(names), "%s %s %s", items[0].slug, items[1].slug, items[2].slug);
            assert_string_equal(names, want[k].pages[page]);
            q.after_key = keys[2];
            q.after_id = khm_arena_strdup(f.e.arena, items[2].id);
        }
        khm_tx_rollback(tx);
    }
    json_decref(m);
    khm_buf_dispose(&in);
    teardown(&f);
}

/* Every case again on PostgreSQL (KHOMUN_TEST_PG, bash scripts/pg.sh), where the import's writes
 * are pipelined: the same expectations. */
static void test_catalog_exchange__postgres(void **state)
{
    const char *u = getenv("KHOMUN_TEST_PG");
    if (!u || !*u)
        skip();
    pg_base = u;
    test_catalog_exchange__json_round_trip(state);
    test_catalog_exchange__csv_round_trip(state);
    test_catalog_exchange__csv_form(state);
    test_catalog_exchange__bad_rows_all_reported(state);
    test_catalog_exchange__name_of_another_agency(state);
    test_catalog_exchange__changed_dataset_updated(state);
    test_catalog_exchange__many_rows(state);
    test_catalog_exchange__large_file_read_ahead(state);
    test_catalog_exchange__large_csv_read_ahead(state);
    test_catalog_exchange__csv_encodings(state);
    test_catalog_exchange__agencies_searchable_after_import(state);
    pg_base = NULL;
}

KHM_UNIT_MAIN(cmocka_unit_test(test_catalog_exchange__json_round_trip),
              cmocka_unit_test(test_catalog_exchange__csv_round_trip),
              cmocka_unit_test(test_catalog_exchange__csv_form),
              cmocka_unit_test(test_catalog_exchange__bad_rows_all_reported),
              cmocka_unit_test(test_catalog_exchange__name_of_another_agency),
              cmocka_unit_test(test_catalog_exchange__changed_dataset_updated),
              cmocka_unit_test(test_catalog_exchange__many_rows),
              cmocka_unit_test(test_catalog_exchange__large_file_read_ahead),
              cmocka_unit_test(test_catalog_exchange__large_csv_read_ahead),
              cmocka_unit_test(test_catalog_exchange__csv_encodings),
              cmocka_unit_test(test_catalog_exchange__bulk_indexes_made_at_commit),
              cmocka_unit_test(test_catalog_exchange__agencies_searchable_after_import),
              cmocka_unit_test(test_catalog_exchange__postgres))
