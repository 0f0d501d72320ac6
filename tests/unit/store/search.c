/* Tests for src/lib/store/search.c and the searches of khm_store_dataset_find (dataset_find.c):
 * the indexed text of a dataset (khm_search_doc_build), the index kept current by every dataset
 * write (insert, update, classify, archive), Thai and English searches with real Thai phrases
 * (the seed's งบประมาณ / บูรณาการรัฐบาลดิจิทัล / a name, พัฒนพันธ์ชัย, found whole), ranking (a
 * title match above a description-only one), filters, keyset paging by relevance, bad queries,
 * and a dataset made before migration 5 found after it. The store cases run on SQLite and, when
 * KHOMUN_TEST_PG is set (bash scripts/pg.sh), on PostgreSQL, with the same expectations. */
#include "unit_pg.h"
#include "unit_search.h"

#include "store_internal.h"

#include <khomun/gdc.h>
#include <khomun/policy.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

/* ---- khm_search_doc_build ---- */

static void test_store_search__doc_parts(void **state)
{
    (void)state;
    khm_search_doc doc;
    const char *meta =
        "{\"data_type\": \"ข้อมูลสถิติ\", \"title\": \"ไม่ใช้: คอลัมน์ title มาแทน\","
        " \"notes\": \"สรุปการใช้งบประมาณ\", \"tag_string\": [\"ครัวเรือน\", \"household\"],"
        " \"maintainer\": \"กองสถิติสังคม\", \"objective\": [\"พันธกิจหน่วยงาน\", \"ยุทธศาสตร์ชาติ\"],"
        " \"first_year_of_data\": 2564, \"bbox_west_long\": 97.5, \"high_value_dataset\": "
        "\"True\"}";
    assert_int_equal(khm_search_doc_build(&doc, "การสำรวจภาวะเศรษฐกิจ", "Household survey", meta,
                                          "สำนักงานสถิติแห่งชาติ", "National Statistical Office"),
                     0);
    assert_string_equal(doc.title.ptr, "การสำรวจภาวะเศรษฐกิจ\nHousehold survey");
    assert_string_equal(doc.tags.ptr, "ครัวเรือน\nhousehold");
    assert_string_equal(doc.agency.ptr, "สำนักงานสถิติแห่งชาติ\nNational Statistical Office");
    /* notes first, then the field table's order; a choice also by its English label */
    const char *b = doc.body.ptr;
    assert_non_null(b);
    assert_true(strncmp(b, "สรุปการใช้งบประมาณ\n", strlen("สรุปการใช้งบประมาณ\n")) == 0);
    assert_non_null(strstr(b, "ข้อมูลสถิติ\n"));
    assert_non_null(strstr(b, khm_gdc_data_type_label_en(KHM_GDC_TYPE_STAT)));
    assert_non_null(strstr(b, "กองสถิติสังคม"));
    assert_non_null(strstr(b, "พันธกิจหน่วยงาน\n"));
    assert_non_null(strstr(b, "ยุทธศาสตร์ชาติ"));
    assert_non_null(strstr(b, "2564"));
    assert_true(strstr(b, "ข้อมูลสถิติ") < strstr(b, "กองสถิติสังคม")); /* data_type first */
    /* not indexed: the metadata title (the column is), coordinates, True/False */
    assert_null(strstr(b, "ไม่ใช้"));
    assert_null(strstr(b, "97"));
    assert_null(strstr(b, "True"));
    khm_search_doc_free(&doc);

    /* the same text whatever the JSON's member order */
    khm_search_doc a2;
    assert_int_equal(khm_search_doc_build(&a2, "t", NULL,
                                          "{\"maintainer\": \"ข\", \"data_type\": \"ข้อมูลสถิติ\"}",
                                          "ก", NULL),
                     0);
    khm_search_doc b2;
    assert_int_equal(khm_search_doc_build(&b2, "t", NULL,
                                          "{\"data_type\": \"ข้อมูลสถิติ\", \"maintainer\": \"ข\"}",
                                          "ก", NULL),
                     0);
    assert_string_equal(a2.body.ptr, b2.body.ptr);
    assert_string_equal(a2.agency.ptr, "ก");
    assert_int_equal(a2.tags.len, 0);
    khm_search_doc_free(&a2);
    khm_search_doc_free(&b2);

    /* not JSON, or no metadata: the title and agency only */
    assert_int_equal(khm_search_doc_build(&doc, "ชื่อ", "", "{not json", NULL, NULL), 0);
    assert_string_equal(doc.title.ptr, "ชื่อ");
    assert_int_equal(doc.body.len + doc.tags.len + doc.agency.len, 0);
    khm_search_doc_free(&doc);
}

/* ---- khm_store__facets: an entry's words, a filter's terms ---- */

static void test_store_search__facets(void **state)
{
    (void)state;
    khm_buf e = KHM_BUF_INIT(4096), q = KHM_BUF_INIT(4096), p = KHM_BUF_INIT(4096);
    const char *agency = "0193b6b2-7c1e-7a3b-8c4d-5e6f7a8b9c0d";
    assert_int_equal(khm_store__facets(&e, 0, 0, agency, KHM_CAT_PERSONAL, KHM_LEVEL_CONFIDENTIAL,
                                       "ข้อมูลสถิติ", 1, "งบประมาณ\nBudget\n๒๕๖๔"),
                     0);
    /* words only (letters and digits: one token each for both backends' parsers) */
    for (const char *c = e.ptr; *c; c++)
        assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == ' ');
    assert_non_null(strstr(e.ptr, "ag0193b6b27c1e7a3b8c4d5e6f7a8b9c0d "));
    assert_non_null(strstr(e.ptr, " ca2 lv2 dt"));
    assert_non_null(strstr(e.ptr, " pd1 tg"));
    /* a filter's tag is folded as the entry's are: Budget = budget, ๒๕๖๔ = 2564 */
    assert_int_equal(khm_store__facets(&q, 0, 1, NULL, -1, -1, NULL, -1, "budget"), 0);
    assert_int_equal(q.ptr[0], '"');
    char tok[64];
    snprintf(tok, sizeof(tok), "%.*s", (int)(strlen(q.ptr) - 2), q.ptr + 1);
    assert_non_null(strstr(e.ptr, tok));
    khm_buf_reset(&q);
    assert_int_equal(khm_store__facets(&q, 0, 1, NULL, -1, -1, NULL, -1, "2564"), 0);
    snprintf(tok, sizeof(tok), "%.*s", (int)(strlen(q.ptr) - 2), q.ptr + 1);
    assert_non_null(strstr(e.ptr, tok));
    /* the query forms: FTS5 phrases, tsquery lexemes ANDed */
    khm_buf_reset(&q);
    assert_int_equal(khm_store__facets(&q, 0, 1, agency, KHM_CAT_PUBLIC, -1, NULL, 0, NULL), 0);
    assert_string_equal(q.ptr, "\"ag0193b6b27c1e7a3b8c4d5e6f7a8b9c0d\" \"ca0\" \"pd0\"");
    assert_int_equal(khm_store__facets(&p, 1, 1, agency, KHM_CAT_PUBLIC, -1, NULL, 0, NULL), 0);
    assert_string_equal(p.ptr, "'ag0193b6b27c1e7a3b8c4d5e6f7a8b9c0d' & 'ca0' & 'pd0'");
    /* nothing: "" */
    khm_buf_reset(&q);
    assert_int_equal(khm_store__facets(&q, 1, 1, NULL, -1, -1, NULL, -1, NULL), 0);
    assert_string_equal(q.ptr, "");
    khm_buf_dispose(&e);
    khm_buf_dispose(&q);
    khm_buf_dispose(&p);
}

/* ---- the store, on either backend ---- */

static void mk_agency(khm_tx *tx, khm_agency *ag, const char *slug, const char *th, const char *en)
{
    memset(ag, 0, sizeof(*ag));
    khm_id_new(ag->id);
    ag->slug = slug;
    ag->name_th = th;
    ag->name_en = en;
    ag->created_at = 1700000000000;
    assert_int_equal(khm_store_agency_insert(tx, ag), 0);
}

/* A dataset with @p notes and @p tags (a JSON array text) in its metadata. */
static void mk_dataset(khm_tx *tx, khm_dataset *d, char *meta, size_t cap, const char *slug,
                       const khm_agency *ag, const char *title, const char *title_en,
                       const char *notes, const char *tags, int category)
{
    memset(d, 0, sizeof(*d));
    khm_id_new(d->id);
    snprintf(meta, cap,
             "{\"data_type\": \"ข้อมูลระเบียน\", \"title\": \"%s\", \"notes\": \"%s\","
             " \"tag_string\": %s}",
             title, notes, tags);
    d->slug = slug;
    memcpy(d->agency_id, ag->id, KHM_ID_LEN);
    d->title = title;
    d->title_en = title_en;
    d->data_type = "ข้อมูลระเบียน";
    d->category = category;
    d->level = category == KHM_CAT_PUBLIC ? KHM_LEVEL_PUBLIC : KHM_LEVEL_INTERNAL;
    d->metadata = meta;
    d->version = 1;
    d->created_at = d->updated_at = 1700000000000;
    assert_int_equal(khm_store_dataset_insert(tx, d), 0);
}

#define FOUND(s, q, f) khm_test_found((s), (q), (f), buf, sizeof(buf))

static void search_suite(khm_store *s)
{
    khm_tx *tx;
    khm_agency nso, mdes;
    khm_dataset d1, d2, d3, d4, d5;
    char m1[1024], m2[1024], m3[1024], m4[1024], m5[1024], buf[1024];

    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    mk_agency(tx, &nso, "nso", "สำนักงานสถิติแห่งชาติ", "National Statistical Office");
    mk_agency(tx, &mdes, "mdes", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
              "Ministry of Digital Economy and Society");
    /* the seed document's phrases (/work/shared/seed) */
    mk_dataset(tx, &d1, m1, sizeof(m1), "plan-2564", &mdes,
               "แผนงบประมาณบูรณาการรัฐบาลดิจิทัล ประจำปีงบประมาณ พ.ศ. 2564", NULL, "แผนงานบูรณาการ",
               "[\"แผนงาน\"]", KHM_CAT_PUBLIC);
    mk_dataset(tx, &d2, m2, sizeof(m2), "expenditure", &nso, "ตารางงบประมาณรายจ่าย",
               "Annual budget expenditure", "รายจ่ายจำแนกตามหน่วยงาน", "[\"การคลัง\"]",
               KHM_CAT_PUBLIC);
    mk_dataset(tx, &d3, m3, sizeof(m3), "executives", &mdes, "ทะเบียนผู้บริหารกระทรวง", NULL,
               "นางสาวอัจฉรินทร์ พัฒนพันธ์ชัย ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "[\"ผู้บริหาร\"]",
               KHM_CAT_INTERNAL);
    mk_dataset(tx, &d4, m4, sizeof(m4), "household", &nso, "การสำรวจภาวะเศรษฐกิจและสังคมของครัวเรือน",
               NULL, "สำรวจทุกสองปี", "[\"ครัวเรือน\", \"household\"]", KHM_CAT_INTERNAL);
    mk_dataset(tx, &d5, m5, sizeof(m5), "annual-report", &mdes, "รายงานประจำปี", NULL,
               "สรุปการใช้งบประมาณของกระทรวง", "[]", KHM_CAT_PUBLIC);
    assert_int_equal(khm_tx_commit(tx), 0);

    /* Thai inside a title run, whole words only; titles above the description-only match */
    FOUND(s, "งบประมาณ", NULL);
    if (strcmp(buf, "expenditure plan-2564 annual-report") != 0)
        assert_string_equal(buf, "plan-2564 expenditure annual-report");
    assert_string_equal(FOUND(s, "บูรณาการรัฐบาลดิจิทัล", NULL), "plan-2564");
    assert_string_equal(FOUND(s, "ประมาณ", NULL), "");
    /* English: the English title, as a prefix while typing, any case */
    assert_string_equal(FOUND(s, "budget", NULL), "expenditure");
    assert_string_equal(FOUND(s, "BUDG", NULL), "expenditure");
    assert_string_equal(FOUND(s, "budg ", NULL), ""); /* ended: a whole word */
    /* a name found whole; a tag; the agency's Thai and English names */
    assert_string_equal(FOUND(s, "พัฒนพันธ์ชัย", NULL), "executives");
    assert_string_equal(FOUND(s, "household", NULL), "household");
    /* (both match by their agency's name, one tier: the later indexed first) */
    assert_string_equal(FOUND(s, "สำนักงานสถิติแห่งชาติ", NULL), "household expenditure");
    assert_string_equal(FOUND(s, "statistical office", NULL), "household expenditure");
    /* words are ANDed */
    assert_string_equal(FOUND(s, "งบประมาณ รายจ่าย", NULL), "expenditure");
    /* a metadata value (data_type, with its English label) finds every dataset */
    FOUND(s, "ข้อมูลระเบียน", NULL);
    for (size_t i = 0; i < 5; i++)
        assert_non_null(strstr(buf, (const char *[]){ "annual-report", "executives", "expenditure",
                                                      "household", "plan-2564" }[i]));
    FOUND(s, "record", NULL); /* its English label */
    assert_non_null(strstr(buf, "household"));

    /* filters */
    khm_dataset_filter f = KHM_DATASET_FILTER_INIT;
    f.agency_id = nso.id;
    assert_string_equal(FOUND(s, "งบประมาณ", &f), "expenditure");
    f.agency_id = NULL;
    f.category = KHM_CAT_INTERNAL;
    assert_string_equal(FOUND(s, "สังคม", &f), "household executives"); /* title first */
    f.category = -1;
    f.level = KHM_LEVEL_PUBLIC;
    f.data_type = "ข้อมูลระเบียน";
    FOUND(s, "งบประมาณ", &f);
    if (strcmp(buf, "expenditure plan-2564 annual-report") != 0)
        assert_string_equal(buf, "plan-2564 expenditure annual-report");
    f.data_type = "ข้อมูลสถิติ";
    assert_string_equal(FOUND(s, "งบประมาณ", &f), "");

    /* keyset pages by relevance: one more row tells there is more; the next page continues
     * after the last row's (key, id) */
    {
        khm_dataset *items;
        const char **keys;
        size_t n;
        int more;
        khm_arena *a = khm_arena_new(0);
        khm_dataset_query dq = {
            "งบประมาณ", KHM_DATASET_FILTER_INIT, KHM_DSORT_RELEVANCE, NULL, NULL, 2
        };
        assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
        assert_int_equal(khm_store_dataset_find(tx, &dq, &items, &keys, &n, &more, a), 0);
        assert_int_equal(n, 2);
        assert_int_equal(more, 1);
        char first[64];
        snprintf(first, sizeof(first), "%s %s", items[0].slug, items[1].slug);
        if (strcmp(first, "expenditure plan-2564") != 0)
            assert_string_equal(first, "plan-2564 expenditure");
        /* the key is the relevance, an integer: smaller is better */
        assert_true(strtoll(keys[0], NULL, 10) <= strtoll(keys[1], NULL, 10));
        dq.after_key = keys[1];
        dq.after_id = items[1].id;
        assert_int_equal(khm_store_dataset_find(tx, &dq, &items, &keys, &n, &more, a), 0);
        assert_int_equal(n, 1);
        assert_int_equal(more, 0);
        assert_string_equal(items[0].slug, "annual-report");
        /* a key that is not a relevance is the caller's bad cursor */
        dq.after_key = "abc";
        assert_int_equal(khm_store_dataset_find(tx, &dq, &items, &keys, &n, &more, a),
                         KHM_EINVALID);
        dq.after_key = NULL;
        /* bad queries name q, in Thai too */
        const char *bad[] = { "!!! ... ", "" };
        for (size_t i = 0; i < 2; i++) {
            dq.text = bad[i];
            assert_int_equal(khm_store_dataset_find(tx, &dq, &items, &keys, &n, &more, a),
                             KHM_EINVALID);
            size_t nf;
            const khm_field_error *fe = khm_err_fields(&nf);
            assert_int_equal(nf, 1);
            assert_string_equal(fe[0].field, "q");
            assert_true(strlen(fe[0].message_th) > 0);
        }
        dq.text = "ก";
        dq.limit = 0;
        assert_int_equal(khm_store_dataset_find(tx, &dq, &items, &keys, &n, &more, a),
                         KHM_EINVALID);
        /* hostile input is words, never syntax */
        dq.text = "budget\" OR \"x' | !ก & (:*";
        dq.limit = 5;
        assert_int_equal(khm_store_dataset_find(tx, &dq, &items, &keys, &n, &more, a), 0);
        assert_int_equal(n, 0);
        khm_tx_rollback(tx);
        khm_arena_free(a);
    }

    /* update: the new text is found, the old is gone, in the same transaction */
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    int64_t nv;
    snprintf(m5, sizeof(m5),
             "{\"data_type\": \"ข้อมูลระเบียน\", \"title\": \"รายงานประจำปี\","
             " \"notes\": \"ผลการดำเนินงาน\", \"tag_string\": []}");
    d5.title_en = "Annual report";
    assert_int_equal(khm_store_dataset_update(tx, &d5, 1, &nv), 0);
    assert_string_equal(FOUND(s, "ผลการดำเนินงาน", NULL), ""); /* not committed: not seen */
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_string_equal(FOUND(s, "ผลการดำเนินงาน", NULL), "annual-report");
    assert_string_equal(FOUND(s, "annual report", NULL), "annual-report");
    FOUND(s, "งบประมาณ", NULL);
    if (strcmp(buf, "expenditure plan-2564") != 0)
        assert_string_equal(buf, "plan-2564 expenditure");

    /* classify keeps it; archive removes it; a stale change changes nothing */
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    d1.confirmed = 1;
    assert_int_equal(khm_store_dataset_classify(tx, &d1, 1, &nv), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_string_equal(FOUND(s, "บูรณาการ", NULL), "plan-2564");
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    assert_int_equal(khm_store_dataset_archive(tx, d1.id, 1, 1700000001000, &nv), KHM_ESTALE);
    assert_int_equal(khm_store_dataset_archive(tx, d1.id, 2, 1700000001000, &nv), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_string_equal(FOUND(s, "บูรณาการ", NULL), "");
    assert_string_equal(FOUND(s, "งบประมาณ", NULL), "expenditure");

    /* a rolled-back write leaves the index as it was */
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    assert_int_equal(khm_store_dataset_archive(tx, d2.id, 1, 1700000001000, &nv), 0);
    khm_tx_rollback(tx);
    assert_string_equal(FOUND(s, "งบประมาณ", NULL), "expenditure");
    (void)d3;
    (void)d4;
}

static void test_store_search__sqlite(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    search_suite(e.store);
    khm_test_env_close(&e);
}

/* The stored entry of @p id: title, tags, agency, body, facets (SQLite's raw parts). */
static void entry_text(khm_tx *tx, const char *id, char *out, size_t cap)
{
    khm_stmt *st;
    const khm_store_driver *D = tx->s->drv;
    size_t len = 0;
    out[0] = '\0';
    assert_int_equal(khm_store__stmt(tx, KHM_Q_SEARCH_OLD, &st), 0);
    D->bind_text(st, 1, id);
    if (D->step(st) == 1)
        for (int i = 1; i < 6; i++)
            len += (size_t)snprintf(out + len, cap - len, "%s|", D->col_text(st, i));
    D->reset(st);
}

/* A new dataset's entry is built from the values inserted (khm_store__search_index_new: no
 * read back, the agency's names once per transaction): it must be exactly the entry made from
 * the stored row (khm_store__search_index, as an update rebuilds it) — text, facets. */
static void test_store_search__new_entry_as_rebuilt(void **state)
{
    (void)state;
    khm_test_env e;
    khm_tx *tx;
    khm_agency nso, mdes;
    khm_dataset d[4];
    char m[4][1024], before[4][4096], after[4096];
    khm_test_env_open(&e);
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    mk_agency(tx, &nso, "nso", "สำนักงานสถิติแห่งชาติ", "National Statistical Office");
    mk_agency(tx, &mdes, "mdes", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", NULL); /* no English */
    mk_dataset(tx, &d[0], m[0], sizeof(m[0]), "expenditure", &nso, "ตารางงบประมาณรายจ่าย",
               "Annual budget expenditure", "รายจ่ายจำแนกตามหน่วยงาน", "[\"การคลัง\", \"Budget\"]",
               KHM_CAT_PUBLIC);
    mk_dataset(tx, &d[1], m[1], sizeof(m[1]), "executives", &mdes, "ทะเบียนผู้บริหารกระทรวง", NULL,
               "นางสาวอัจฉรินทร์ พัฒนพันธ์ชัย", "[\"ผู้บริหาร\"]", KHM_CAT_PERSONAL);
    /* the agency changes between two datasets: the cached names follow */
    mk_dataset(tx, &d[2], m[2], sizeof(m[2]), "household", &nso, "การสำรวจครัวเรือน", NULL,
               "สำรวจทุกสองปี", "[]", KHM_CAT_INTERNAL);
    /* parsed metadata given (the import's path), sensitive data, no level */
    memset(&d[3], 0, sizeof(d[3]));
    khm_id_new(d[3].id);
    snprintf(m[3], sizeof(m[3]),
             "{\"data_type\": \"ข้อมูลสถิติ\", \"title\": \"x\", "
             "\"tag_string\": [\"สุขภาพ\"], \"objective\": [\"พันธกิจหน่วยงาน\"]}");
    d[3].slug = "health";
    memcpy(d[3].agency_id, nso.id, KHM_ID_LEN);
    d[3].title = "ทะเบียนผู้ป่วยโรคติดต่อ";
    d[3].data_type = "ข้อมูลสถิติ";
    d[3].category = KHM_CAT_INTERNAL;
    d[3].level = -1;
    d[3].sensitive = 1;
    d[3].metadata = m[3];
    d[3].version = 1;
    json_t *pm = json_loads(m[3], 0, NULL);
    assert_non_null(pm);
    assert_int_equal(khm_store_dataset_insert_parsed(tx, &d[3], pm), 0);
    json_decref(pm);
    for (int i = 0; i < 4; i++) {
        entry_text(tx, d[i].id, before[i], sizeof(before[i]));
        assert_true(strlen(before[i]) > 10);
    }
    assert_non_null(strstr(before[0], "National Statistical Office"));
    assert_non_null(strstr(before[3], "pd1")); /* sensitive: a personal-data facet */
    for (int i = 0; i < 4; i++) {
        assert_int_equal(khm_store__search_index(tx, d[i].id), 0);
        entry_text(tx, d[i].id, after, sizeof(after));
        assert_string_equal(before[i], after);
    }
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_test_env_close(&e);
}

/* ---- PostgreSQL (KHOMUN_TEST_PG): the same expectations ---- */

static void test_store_search__postgres(void **state)
{
    (void)state;
    if (!khm_test_pg())
        skip();
    char name[64], uri[1024];
    khm_test_pg_create(name, uri, "khm_search", NULL);
    khm_store *s;
    assert_int_equal(khm_store_open(&s, uri, NULL), 0);
    assert_int_equal(khm_store_schema_version(s), khm_store_migrations_known());
    search_suite(s);
    khm_store_close(s);
    khm_test_pg_drop(name);
}

/* ---- a dataset from before migration 5 ---- */

static void test_store_search__dataset_before_migration_found(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir(), path[1024], buf[256];
    snprintf(path, sizeof(path), "%s.db", dir); /* beside d, in the fresh directory */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE khm_schema (version INTEGER PRIMARY KEY, "
                                  "name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    for (int i = 0; i < 4; i++) {
        char ins[128];
        assert_int_equal(sqlite3_exec(db, khm_store__migrations[i].sql, NULL, NULL, NULL),
                         SQLITE_OK);
        snprintf(ins, sizeof(ins), "INSERT INTO khm_schema VALUES (%d, 'm', 0)", i + 1);
        assert_int_equal(sqlite3_exec(db, ins, NULL, NULL, NULL), SQLITE_OK);
    }
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO agency VALUES ('a1', 'nso', 'สำนักงานสถิติแห่งชาติ', NULL, 0);"
                     "INSERT INTO dataset (id, slug, agency_id, title, data_type, metadata, "
                     "version, created_at, updated_at) VALUES ('d1', 'old-one', 'a1', "
                     "'แผนงบประมาณบูรณาการรัฐบาลดิจิทัล', 'ข้อมูลระเบียน', "
                     "'{\"notes\": \"ก่อนมีการค้นหา\"}', 1, 0, 0);"
                     "INSERT INTO dataset (id, slug, agency_id, title, data_type, metadata, "
                     "version, created_at, updated_at, archived_at) VALUES ('d2', 'gone', 'a1', "
                     "'งบประมาณเก่า', 'ข้อมูลระเบียน', '{}', 2, 0, 0, 5);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    khm_store *s;
    if (khm_store_open(&s, path, NULL) < 0)
        fail_msg("open: %s", khm_err_last()->message);
    assert_int_equal(khm_store_schema_version(s), khm_store_migrations_known());
    assert_string_equal(FOUND(s, "งบประมาณ", NULL), "old-one");
    assert_string_equal(FOUND(s, "ก่อนมีการค้นหา", NULL), "old-one");
    assert_string_equal(FOUND(s, "สำนักงานสถิติแห่งชาติ", NULL), "old-one");
    khm_store_close(s);
    khm_test_rmtree(dir);
    free(dir);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_search__doc_parts),
              cmocka_unit_test(test_store_search__facets),
              cmocka_unit_test(test_store_search__sqlite),
              cmocka_unit_test(test_store_search__new_entry_as_rebuilt),
              cmocka_unit_test(test_store_search__postgres),
              cmocka_unit_test(test_store_search__dataset_before_migration_found))
