/* Tests for src/lib/store/dataset_find.c (khm_store_dataset_find, khm_dataset_sort_parse): the
 * orders of a listing and a search (name, title by code point, change time, each either way;
 * relevance), keyset pages that concatenate to the whole list for every order and statement
 * shape (agency or tag leading, guards), the tag filter (whole tags, folded: English without
 * case, Thai digits) and the personal-data filter (a scan's flags or the category), the errors
 * naming sort / cursor / limit / tag, and the tags of a dataset made before migration 10. Real
 * Thai titles. On SQLite and, with KHOMUN_TEST_PG (bash scripts/pg.sh), on PostgreSQL, with the
 * same expectations. */
#include "unit_pg.h"
#include "unit_search.h"

#include "store_internal.h"

#include <khomun/policy.h>
#include <libpq-fe.h>
#include <unistd.h>

static void assert_field(const char *field)
{
    size_t n;
    const khm_field_error *fe = khm_err_fields(&n);
    assert_int_equal(n, 1);
    assert_string_equal(fe[0].field, field);
    assert_true(strlen(fe[0].message_th) > 0);
}

/* ---- khm_dataset_sort_parse ---- */

static void test_store_dataset_find__sort_names(void **state)
{
    (void)state;
    int s;
    for (int i = 0; i < KHM_DSORT__COUNT; i++) {
        assert_int_equal(khm_dataset_sort_parse(khm_dataset_sort_name(i), 1, &s), 0);
        assert_int_equal(s, i);
    }
    assert_int_equal(khm_dataset_sort_parse(NULL, 1, &s), 0);
    assert_int_equal(s, KHM_DSORT_RELEVANCE);
    assert_int_equal(khm_dataset_sort_parse(NULL, 0, &s), 0);
    assert_int_equal(s, KHM_DSORT_NAME);
    assert_int_equal(khm_dataset_sort_parse("-updated", 0, &s), 0);
    assert_int_equal(s, KHM_DSORT_UPDATED_DESC);
    const char *bad[] = { "", "Name", "+name", "-relevance", "updated_at", "ชื่อ" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_err_clear();
        assert_int_equal(khm_dataset_sort_parse(bad[i], 1, &s), KHM_EINVALID);
        assert_field("sort");
    }
    khm_err_clear();
    assert_int_equal(khm_dataset_sort_parse("relevance", 0, &s), KHM_EINVALID);
    assert_field("sort");
}

/* ---- the store, on either backend ---- */

typedef struct {
    khm_agency nso, mdes;
    khm_dataset d[8];
    char meta[8][512];
} fixture;

static void mk_agency(khm_tx *tx, khm_agency *ag, const char *slug, const char *th)
{
    memset(ag, 0, sizeof(*ag));
    khm_id_new(ag->id);
    ag->slug = slug;
    ag->name_th = th;
    ag->created_at = 1700000000000;
    assert_int_equal(khm_store_agency_insert(tx, ag), 0);
}

static void mk_notes(khm_tx *tx, fixture *fx, int i, const char *slug, const khm_agency *ag,
                     const char *title, const char *tags, int category, int personal,
                     int64_t updated, const char *notes)
{
    khm_dataset *d = &fx->d[i];
    memset(d, 0, sizeof(*d));
    khm_id_new(d->id);
    snprintf(fx->meta[i], sizeof(fx->meta[i]),
             "{\"data_type\": \"ข้อมูลระเบียน\", \"title\": \"%s\", \"notes\": \"%s\","
             " \"tag_string\": %s}",
             title, notes, tags);
    d->slug = slug;
    memcpy(d->agency_id, ag->id, KHM_ID_LEN);
    d->title = title;
    d->data_type = "ข้อมูลระเบียน";
    d->category = category;
    d->level = category == KHM_CAT_PUBLIC ? KHM_LEVEL_PUBLIC : KHM_LEVEL_INTERNAL;
    d->personal = personal;
    d->metadata = fx->meta[i];
    d->version = 1;
    d->created_at = 1700000000000;
    d->updated_at = updated;
    assert_int_equal(khm_store_dataset_insert(tx, d), 0);
}

static void mk(khm_tx *tx, fixture *fx, int i, const char *slug, const khm_agency *ag,
               const char *title, const char *tags, int category, int personal, int64_t updated)
{
    mk_notes(tx, fx, i, slug, ag, title, tags, category, personal, updated, "ข้อมูลของกระทรวง");
}

/* Every page of @p q (limit @p limit) after the cursors, the slugs joined by spaces. */
static void all_pages(khm_store *s, khm_dataset_query q, size_t limit, khm_buf *out)
{
    khm_arena *a = khm_arena_new(0);
    q.limit = limit;
    for (int guard = 0; guard < 100; guard++) {
        khm_tx *tx;
        khm_dataset *items;
        const char **keys;
        size_t n;
        int more;
        assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
        if (khm_store_dataset_find(tx, &q, &items, &keys, &n, &more, a) < 0)
            fail_msg("find: %s", khm_err_last()->message);
        khm_tx_rollback(tx);
        for (size_t i = 0; i < n; i++)
            khm_buf_printf(out, "%s%s", out->len ? " " : "", items[i].slug);
        if (!more)
            break;
        assert_int_equal(n, limit); /* a page with more after it is full */
        q.after_key = keys[n - 1];
        q.after_id = items[n - 1].id;
    }
    khm_arena_free(a);
}

/* Every page of @p q two at a time, the slugs joined by spaces in @p out. */
static const char *paged(khm_store *s, khm_dataset_query q, char *out, size_t cap)
{
    khm_buf b = KHM_BUF_INIT(1 << 20);
    all_pages(s, q, 2, &b);
    snprintf(out, cap, "%s", b.len ? b.ptr : "");
    khm_buf_dispose(&b);
    return out;
}

static int find_rc(khm_store *s, const khm_dataset_query *q)
{
    khm_tx *tx;
    khm_dataset *items;
    const char **keys;
    size_t n;
    int more;
    khm_arena *a = khm_arena_new(0);
    assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
    khm_err_clear();
    int rc = khm_store_dataset_find(tx, q, &items, &keys, &n, &more, a);
    khm_tx_rollback(tx);
    khm_arena_free(a);
    return rc;
}

#define Q(text, sort)                                           \
    {                                                           \
        (text), KHM_DATASET_FILTER_INIT, (sort), NULL, NULL, 50 \
    }

static void find_suite(khm_store *s)
{
    fixture fx;
    khm_tx *tx;
    char buf[1024], all[1024];
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    mk_agency(tx, &fx.nso, "nso", "สำนักงานสถิติแห่งชาติ");
    mk_agency(tx, &fx.mdes, "mdes", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม");
    /* titles in code point order: ก… < ต… < ท… < แ… (a leading vowel sorts as written) */
    mk(tx, &fx, 0, "plan-2564", &fx.mdes, "แผนงบประมาณบูรณาการรัฐบาลดิจิทัล พ.ศ. 2564",
       "[\"งบประมาณ\", \"Budget\", \"๒๕๖๔\"]", KHM_CAT_PUBLIC, 0, 1700000000500);
    mk(tx, &fx, 1, "expenditure", &fx.nso, "ตารางงบประมาณรายจ่าย", "[\"งบประมาณ\", \"การคลัง\"]",
       KHM_CAT_PUBLIC, 0, 1700000000300);
    mk(tx, &fx, 2, "executives", &fx.mdes, "ทะเบียนผู้บริหารกระทรวง", "[\"ผู้บริหาร\"]", KHM_CAT_INTERNAL,
       0, 1700000000300); /* the same time as expenditure: the id decides */
    mk(tx, &fx, 3, "household", &fx.nso, "การสำรวจภาวะเศรษฐกิจและสังคมของครัวเรือน",
       "[\"ครัวเรือน\", \"household\"]", KHM_CAT_INTERNAL, 1, 1700000000100);
    mk(tx, &fx, 4, "clinic", &fx.mdes, "ทะเบียนผู้รับบริการคลินิก", "[\"สาธารณสุข\"]", KHM_CAT_PERSONAL, 0,
       1700000000900);
    mk(tx, &fx, 5, "annual-report", &fx.mdes, "รายงานประจำปีงบประมาณ", "[]", KHM_CAT_PUBLIC, 0,
       1700000000700);
    assert_int_equal(khm_tx_commit(tx), 0);
    /* the later id of the two at the same time */
    int exp_first = strcmp(fx.d[1].id, fx.d[2].id) < 0;

    /* ---- orders of a listing ---- */
    khm_dataset_query q = Q(NULL, KHM_DSORT_NAME);
    assert_string_equal(khm_test_find_names(s, &q, buf, sizeof(buf), NULL),
                        "annual-report clinic executives expenditure household plan-2564");
    q.sort = KHM_DSORT_NAME_DESC;
    assert_string_equal(khm_test_find_names(s, &q, buf, sizeof(buf), NULL),
                        "plan-2564 household expenditure executives clinic annual-report");
    q.sort = KHM_DSORT_TITLE;
    assert_string_equal(khm_test_find_names(s, &q, buf, sizeof(buf), NULL),
                        "household expenditure executives clinic annual-report plan-2564");
    q.sort = KHM_DSORT_TITLE_DESC;
    assert_string_equal(khm_test_find_names(s, &q, buf, sizeof(buf), NULL),
                        "plan-2564 annual-report clinic executives expenditure household");
    q.sort = KHM_DSORT_UPDATED;
    assert_string_equal(khm_test_find_names(s, &q, buf, sizeof(buf), NULL),
                        exp_first
                            ? "household expenditure executives plan-2564 annual-report clinic"
                            : "household executives expenditure plan-2564 annual-report clinic");
    q.sort = KHM_DSORT_UPDATED_DESC;
    assert_string_equal(khm_test_find_names(s, &q, buf, sizeof(buf), NULL),
                        exp_first
                            ? "clinic annual-report plan-2564 executives expenditure household"
                            : "clinic annual-report plan-2564 expenditure executives household");

    /* ---- keyset pages = the whole list, every order, every statement shape ---- */
    const char *tag_budget = "งบประมาณ";
    for (int sort = KHM_DSORT_NAME; sort < KHM_DSORT__COUNT; sort++)
        for (int shape = 0; shape < 4; shape++) {
            khm_dataset_query p = Q(NULL, sort);
            if (shape == 1)
                p.filter.agency_id = fx.mdes.id; /* the agency leads */
            else if (shape == 2)
                p.filter.tag = tag_budget; /* the tag leads */
            else if (shape == 3)
                p.filter.category = KHM_CAT_PUBLIC; /* a guard */
            khm_test_find_names(s, &p, all, sizeof(all), NULL);
            assert_string_equal(paged(s, p, buf, sizeof(buf)), all);
            if (shape == 1)
                assert_null(strstr(all, "household"));
        }
    /* and a search, by relevance and by the other orders */
    for (int sort = 0; sort < KHM_DSORT__COUNT; sort++) {
        khm_dataset_query p = Q("กระทรวง", sort);
        khm_test_find_names(s, &p, all, sizeof(all), NULL);
        assert_int_equal(strlen(all) > 0, 1);
        assert_string_equal(paged(s, p, buf, sizeof(buf)), all);
        p.filter.agency_id = fx.mdes.id;
        khm_test_find_names(s, &p, all, sizeof(all), NULL);
        assert_string_equal(paged(s, p, buf, sizeof(buf)), all);
    }
    /* a search ranks a title match first; sorted by name it is the same matches */
    khm_dataset_query sq = Q("งบประมาณ", KHM_DSORT_RELEVANCE);
    khm_test_find_names(s, &sq, all, sizeof(all), NULL);
    sq.sort = KHM_DSORT_NAME;
    assert_string_equal(khm_test_find_names(s, &sq, buf, sizeof(buf), NULL),
                        "annual-report expenditure plan-2564");
    assert_true(strstr(all, "annual-report") && strstr(all, "expenditure") &&
                strstr(all, "plan-2564"));

    /* ---- tags: whole, folded; with the agency, with words ---- */
    khm_dataset_query t = Q(NULL, KHM_DSORT_NAME);
    t.filter.tag = "งบประมาณ";
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL),
                        "expenditure plan-2564");
    t.filter.tag = "BUDGET";
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL), "plan-2564");
    t.filter.tag = "2564"; /* stored ๒๕๖๔ */
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL), "plan-2564");
    t.filter.tag = "งบ"; /* not a tag of any */
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL), "");
    t.filter.tag = "งบประมาณ";
    t.filter.agency_id = fx.nso.id;
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL), "expenditure");
    t.filter.agency_id = NULL;
    t.text = "ตาราง";
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL), "expenditure");
    t.text = NULL;
    /* an empty tag is no tag filter, listing or search */
    t.filter.tag = "";
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL),
                        "annual-report clinic executives expenditure household plan-2564");
    t.text = "ตาราง";
    t.sort = KHM_DSORT_RELEVANCE;
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL), "expenditure");
    t.text = NULL;
    t.sort = KHM_DSORT_NAME;

    /* ---- personal data: a scan's flag or the category ---- */
    khm_dataset_query pq = Q(NULL, KHM_DSORT_NAME);
    pq.filter.personal = 1;
    assert_string_equal(khm_test_find_names(s, &pq, buf, sizeof(buf), NULL), "clinic household");
    pq.filter.personal = 0;
    assert_string_equal(khm_test_find_names(s, &pq, buf, sizeof(buf), NULL),
                        "annual-report executives expenditure plan-2564");
    pq.filter.personal = 1;
    pq.text = "ทะเบียน";
    assert_string_equal(khm_test_find_names(s, &pq, buf, sizeof(buf), NULL), "clinic");

    /* ---- the fence: another agency's rows only in the pairs given (h_datasets.c) ---- */
    khm_dataset_query fq = Q(NULL, KHM_DSORT_NAME);
    fq.filter.fence_agency = fx.nso.id;
    fq.filter.fence_levels[KHM_CAT_PUBLIC] = 1u << KHM_LEVEL_PUBLIC;
    assert_string_equal(khm_test_find_names(s, &fq, buf, sizeof(buf), NULL),
                        "annual-report expenditure household plan-2564");
    assert_string_equal(paged(s, fq, all, sizeof(all)),
                        "annual-report expenditure household plan-2564");
    fq.sort = KHM_DSORT_UPDATED_DESC;
    assert_string_equal(paged(s, fq, all, sizeof(all)),
                        "annual-report plan-2564 expenditure household");
    fq.sort = KHM_DSORT_NAME;
    fq.filter.fence_levels[KHM_CAT_PERSONAL] = 1u << KHM_LEVEL_INTERNAL;
    assert_string_equal(khm_test_find_names(s, &fq, buf, sizeof(buf), NULL),
                        "annual-report clinic expenditure household plan-2564");
    fq.filter.personal = 1; /* with another filter */
    assert_string_equal(khm_test_find_names(s, &fq, buf, sizeof(buf), NULL), "clinic household");
    fq.filter.fence_levels[KHM_CAT_PERSONAL] = 0;
    assert_string_equal(khm_test_find_names(s, &fq, buf, sizeof(buf), NULL), "household");
    fq.filter.personal = -1;
    fq.filter.tag = "งบประมาณ"; /* with the tag's probe */
    assert_string_equal(khm_test_find_names(s, &fq, buf, sizeof(buf), NULL),
                        "expenditure plan-2564");
    fq.filter.tag = NULL;
    fq.filter.fence_agency = ""; /* no agency of the caller's: every one is another */
    assert_string_equal(khm_test_find_names(s, &fq, buf, sizeof(buf), NULL),
                        "annual-report expenditure plan-2564");
    fq.filter.fence_levels[KHM_CAT_PUBLIC] = 0; /* nothing may be read */
    assert_string_equal(khm_test_find_names(s, &fq, buf, sizeof(buf), NULL), "");

    /* ---- changes: tags follow updates, archived datasets leave ---- */
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    int64_t nv;
    snprintf(fx.meta[1], sizeof(fx.meta[1]),
             "{\"data_type\": \"ข้อมูลระเบียน\", \"title\": \"ตารางงบประมาณรายจ่าย\","
             " \"tag_string\": [\"การคลัง\"]}");
    fx.d[1].updated_at = 1700000001000;
    assert_int_equal(khm_store_dataset_update(tx, &fx.d[1], 1, &nv), 0);
    assert_int_equal(khm_store_dataset_archive(tx, fx.d[0].id, 1, 1700000001000, &nv), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    t.filter.tag = "งบประมาณ";
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL), "");
    t.filter.tag = "การคลัง";
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL), "expenditure");
    q.sort = KHM_DSORT_UPDATED_DESC;
    assert_string_equal(khm_test_find_names(s, &q, buf, sizeof(buf), NULL),
                        "expenditure clinic annual-report executives household");

    /* ---- errors ---- */
    khm_dataset_query e = Q(NULL, KHM_DSORT_RELEVANCE);
    assert_int_equal(find_rc(s, &e), KHM_EINVALID);
    assert_field("sort");
    e.sort = KHM_DSORT__COUNT;
    assert_int_equal(find_rc(s, &e), KHM_EINVALID);
    assert_field("sort");
    e.sort = KHM_DSORT_UPDATED;
    e.after_key = "yesterday";
    e.after_id = fx.d[1].id;
    assert_int_equal(find_rc(s, &e), KHM_EINVALID);
    assert_field("cursor");
    e.sort = KHM_DSORT_TITLE;
    e.after_key = "ตาราง";
    e.after_id = NULL;
    assert_int_equal(find_rc(s, &e), KHM_EINVALID);
    assert_field("cursor");
    e.after_key = NULL;
    e.limit = 0;
    assert_int_equal(find_rc(s, &e), KHM_EINVALID);
    assert_field("limit");
    e.limit = KHM_SEARCH_MAX + 1;
    assert_int_equal(find_rc(s, &e), KHM_EINVALID);
    assert_field("limit");
    e.limit = 5;
    char longtag[600];
    memset(longtag, 'a', sizeof(longtag) - 1);
    longtag[sizeof(longtag) - 1] = '\0';
    e.filter.tag = longtag;
    assert_int_equal(find_rc(s, &e), KHM_EINVALID);
    assert_field("tag");
    e.filter.tag = NULL;
    e.text = "   ";
    assert_int_equal(find_rc(s, &e), KHM_EINVALID);
    assert_field("q");
    /* a next page of a name with no row after it */
    khm_dataset_query last = Q(NULL, KHM_DSORT_NAME);
    last.after_key = "zzz";
    int more;
    assert_string_equal(khm_test_find_names(s, &last, buf, sizeof(buf), &more), "");
    assert_int_equal(more, 0);

    /* ---- relevance: the tiers (title, tags, agency names, the rest), pages across them ---- */
    khm_agency hh;
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    mk_agency(tx, &hh, "hh", "กองสำรวจครัวเรือน");
    mk_notes(tx, &fx, 6, "debt", &fx.nso, "หนี้สินรายจังหวัด", "[]", KHM_CAT_INTERNAL, 0, 1700000002000,
             "หนี้สินของครัวเรือนไทย"); /* the rest: notes */
    mk(tx, &fx, 7, "poverty", &fx.nso, "ความยากจน", "[\"ครัวเรือน\"]", KHM_CAT_PUBLIC, 0,
       1700000002000); /* tags */
    khm_dataset rent;
    char rent_meta[256];
    memset(&rent, 0, sizeof(rent));
    khm_id_new(rent.id);
    snprintf(rent_meta, sizeof(rent_meta), "{\"tag_string\": []}");
    rent.slug = "rent";
    memcpy(rent.agency_id, hh.id, KHM_ID_LEN);
    rent.title = "ค่าเช่าที่อยู่อาศัย"; /* its agency's name */
    rent.data_type = "ข้อมูลระเบียน";
    rent.category = KHM_CAT_PUBLIC;
    rent.level = KHM_LEVEL_PUBLIC;
    rent.metadata = rent_meta;
    rent.version = 1;
    rent.created_at = rent.updated_at = 1700000002000;
    assert_int_equal(khm_store_dataset_insert(tx, &rent), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_dataset_query r = Q("ครัวเรือน", KHM_DSORT_RELEVANCE);
    assert_string_equal(khm_test_find_names(s, &r, buf, sizeof(buf), NULL),
                        "household poverty rent debt");
    assert_string_equal(paged(s, r, buf, sizeof(buf)), "household poverty rent debt");
    r.limit = 1;
    assert_string_equal(paged(s, r, buf, sizeof(buf)), "household poverty rent debt");
    r.limit = 50;
    /* the filters are index terms of the same search */
    r.filter.category = KHM_CAT_INTERNAL;
    assert_string_equal(khm_test_find_names(s, &r, buf, sizeof(buf), NULL), "household debt");
    r.filter.category = -1;
    r.filter.agency_id = hh.id;
    assert_string_equal(khm_test_find_names(s, &r, buf, sizeof(buf), NULL), "rent");
    r.filter.agency_id = NULL;
    r.filter.tag = "Household";
    assert_string_equal(khm_test_find_names(s, &r, buf, sizeof(buf), NULL), "household");
    r.filter.tag = NULL;
    r.filter.personal = 1;
    assert_string_equal(khm_test_find_names(s, &r, buf, sizeof(buf), NULL), "household");
    r.filter.personal = -1;
    r.filter.data_type = "ข้อมูลระเบียน";
    r.filter.level = KHM_LEVEL_PUBLIC;
    assert_string_equal(khm_test_find_names(s, &r, buf, sizeof(buf), NULL), "poverty rent");
    r.filter.data_type = NULL;
    r.filter.level = -1;
    /* the facets are not words anyone can search for */
    const char *facet_words[] = { "pd1", "ca0", "lv0", "pd0" };
    for (size_t i = 0; i < sizeof(facet_words) / sizeof(facet_words[0]); i++) {
        khm_dataset_query fw = Q(facet_words[i], KHM_DSORT_RELEVANCE);
        assert_string_equal(khm_test_find_names(s, &fw, buf, sizeof(buf), NULL), "");
        fw.sort = KHM_DSORT_NAME;
        assert_string_equal(khm_test_find_names(s, &fw, buf, sizeof(buf), NULL), "");
    }
    /* an archived dataset leaves the tiers */
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    assert_int_equal(khm_store_dataset_archive(tx, fx.d[7].id, 1, 1700000003000, &nv), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_string_equal(khm_test_find_names(s, &r, buf, sizeof(buf), NULL), "household rent debt");
    /* the fence reads a row without a level, whoever owns it: the caller decides on it */
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    mk(tx, &fx, 6, "draft", &fx.mdes, "ร่างบัญชีข้อมูล", "[\"ร่าง\"]", KHM_CAT_INTERNAL, 0,
       1700000004000);
    fx.d[6].level = -1;
    fx.d[6].version = 1;
    assert_int_equal(khm_store_dataset_classify(tx, &fx.d[6], 1, &nv), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_dataset_query dq = Q(NULL, KHM_DSORT_NAME);
    dq.filter.tag = "ร่าง";
    dq.filter.fence_agency = fx.nso.id;
    dq.filter.fence_levels[KHM_CAT_PUBLIC] = 1u << KHM_LEVEL_PUBLIC;
    assert_string_equal(khm_test_find_names(s, &dq, buf, sizeof(buf), NULL), "draft");
}

/* ---- a search by another order with many matches (dataset_find.c, find_walk) ---- */

#define MANY 2300 /* above WALK_MIN_MATCHES: SQLite walks the order's index */

typedef struct {
    char id[KHM_ID_LEN], slug[16], title[128];
    int64_t updated;
    int personal;
} many_row;

static int many_updated_asc(const void *x, const void *y)
{
    const many_row *a = x, *b = y;
    if (a->updated != b->updated)
        return a->updated < b->updated ? -1 : 1;
    return strcmp(a->id, b->id);
}

static int many_title(const void *x, const void *y)
{
    const many_row *a = x, *b = y;
    int c = strcmp(a->title, b->title);
    return c ? c : strcmp(a->id, b->id);
}

static int many_updated_desc(const void *x, const void *y)
{
    const many_row *a = x, *b = y;
    if (a->updated != b->updated)
        return a->updated < b->updated ? 1 : -1;
    return -strcmp(a->id, b->id);
}

static int many_slug(const void *x, const void *y)
{
    return strcmp(((const many_row *)x)->slug, ((const many_row *)y)->slug);
}

/* 2,300 datasets whose titles hold งบประมาณ (and 300 that do not), their change times and
 * titles with ties: a search by change time (latest first, earliest first), by name and by
 * title pages through exactly the matches in that order, with and without the personal-data
 * filter (thai-rules.md §3: title, tag_string). */
static void many_suite(khm_store *s)
{
    static many_row rows[MANY + 300];
    khm_agency ag;
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    mk_agency(tx, &ag, "tmd", "กรมอุตุนิยมวิทยา");
    for (int i = 0; i < MANY + 300; i++) {
        many_row *r = &rows[i];
        khm_dataset d;
        char meta[256], *title = r->title;
        int match = i < MANY;
        memset(&d, 0, sizeof(d));
        khm_id_new(d.id);
        memcpy(r->id, d.id, KHM_ID_LEN);
        snprintf(r->slug, sizeof(r->slug), "m-%05d", (i * 7919) % (MANY + 300));
        r->updated = 1700000000000 + (i * 31) % 97; /* many ties: the id breaks them */
        r->personal = i % 3 == 0;
        /* (50 titles: the id breaks their ties) */
        snprintf(title, sizeof(r->title), "%s ชุดที่ %d",
                 match ? "รายงานงบประมาณรายจ่าย" : "สถิติฝุ่นละออง", i % 50);
        snprintf(meta, sizeof(meta),
                 "{\"data_type\": \"ข้อมูลระเบียน\", \"title\": \"%s\", \"notes\": \"ข้อมูลประจำปี\"}",
                 title);
        d.slug = r->slug;
        memcpy(d.agency_id, ag.id, KHM_ID_LEN);
        d.title = title;
        d.data_type = "ข้อมูลระเบียน";
        d.category = KHM_CAT_INTERNAL;
        d.level = KHM_LEVEL_INTERNAL;
        d.personal = r->personal;
        d.metadata = meta;
        d.version = 1;
        d.created_at = 1700000000000;
        d.updated_at = r->updated;
        if (khm_store_dataset_insert(tx, &d) < 0)
            fail_msg("insert %d: %s", i, khm_err_last()->message);
    }
    assert_int_equal(khm_tx_commit(tx), 0);
    static const int orders[] = { KHM_DSORT_UPDATED_DESC, KHM_DSORT_NAME, KHM_DSORT_TITLE,
                                  KHM_DSORT_UPDATED };
    int (*const cmps[])(const void *, const void *) = { many_updated_desc, many_slug, many_title,
                                                        many_updated_asc };
    for (int pass = 0; pass < 8; pass++) {
        int personal_only = pass & 1, order = pass >> 1;
        many_row *want = calloc(MANY, sizeof(*want));
        size_t nw = 0;
        for (int i = 0; i < MANY; i++)
            if (!personal_only || rows[i].personal)
                want[nw++] = rows[i];
        qsort(want, nw, sizeof(*want), cmps[order]);
        khm_buf exp = KHM_BUF_INIT(1 << 20), got = KHM_BUF_INIT(1 << 20);
        for (size_t i = 0; i < nw; i++)
            khm_buf_printf(&exp, "%s%s", i ? " " : "", want[i].slug);
        khm_dataset_query q = Q("งบประมาณ", orders[order]);
        if (personal_only)
            q.filter.personal = 1;
        all_pages(s, q, 500, &got);
        assert_non_null(got.ptr);
        if (strcmp(got.ptr, exp.ptr) != 0) { /* where they part, not 16 KB of names */
            size_t k = 0;
            while (got.ptr[k] && got.ptr[k] == exp.ptr[k])
                k++;
            size_t from = k > 40 ? k - 40 : 0;
            fail_msg("pass %d: at byte %zu of %zu: got \"%.80s\", expected \"%.80s\"", pass, k,
                     exp.len, got.ptr + from, exp.ptr + from);
        }
        khm_buf_dispose(&exp);
        khm_buf_dispose(&got);
        free(want);
    }
}

static void test_store_dataset_find__many_matches(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    many_suite(e.store);
    khm_test_env_close(&e);
}

static void test_store_dataset_find__sqlite(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    find_suite(e.store);
    khm_test_env_close(&e);
}

/* ---- PostgreSQL (KHOMUN_TEST_PG): the same expectations ---- */

static void test_store_dataset_find__postgres(void **state)
{
    (void)state;
    if (!khm_test_pg())
        skip();
    char name[64], uri[1024];
    /* a collation that does not order by code point: the orders must not follow it (the
     * server's default where it has no such locale) */
    khm_test_pg_create(name, uri, "khm_find", "LC_COLLATE 'en_US.UTF-8' LC_CTYPE 'en_US.UTF-8'");
    khm_store *s;
    assert_int_equal(khm_store_open(&s, uri, NULL), 0);
    find_suite(s);
    khm_store_close(s);
    khm_test_pg_drop(name);
}

/* ---- a dataset made before migration 10 has its tags after it ---- */

static void test_store_dataset_find__tags_of_datasets_before_migration(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir(), path[1024], buf[256];
    snprintf(path, sizeof(path), "%s.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(khm_store__fts_thai_register(db), 0);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE khm_schema (version INTEGER PRIMARY KEY, "
                                  "name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    for (int i = 0; i < 9; i++) {
        char ins[128];
        if (sqlite3_exec(db, khm_store__migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK)
            fail_msg("migration %d: %s", i + 1, sqlite3_errmsg(db));
        snprintf(ins, sizeof(ins), "INSERT INTO khm_schema VALUES (%d, 'm', 0)", i + 1);
        assert_int_equal(sqlite3_exec(db, ins, NULL, NULL, NULL), SQLITE_OK);
    }
    /* as migration 5's triggers indexed it */
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO agency (id, slug, name_th, created_at) VALUES ('a1', 'nso', "
                     "'สำนักงานสถิติแห่งชาติ', 0);"
                     "INSERT INTO dataset (id, slug, agency_id, title, data_type, metadata, "
                     "version, created_at, updated_at) VALUES ('d1', 'old-one', 'a1', "
                     "'แผนงบประมาณบูรณาการ', 'ข้อมูลระเบียน', "
                     "'{\"tag_string\": [\"งบประมาณ\", \"Budget\"]}', 1, 0, 0);"
                     "INSERT INTO dataset_search (dataset_id, title, tags, agency, body) VALUES "
                     "('d1', 'แผนงบประมาณบูรณาการ', 'งบประมาณ\nBudget', 'สำนักงานสถิติแห่งชาติ', '');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    khm_store *s;
    if (khm_store_open(&s, path, NULL) < 0)
        fail_msg("open: %s", khm_err_last()->message);
    khm_dataset_query t = Q(NULL, KHM_DSORT_NAME);
    t.filter.tag = "budget";
    assert_string_equal(khm_test_find_names(s, &t, buf, sizeof(buf), NULL), "old-one");
    /* the index (rebuilt, without its triggers) still finds it, and follows a change */
    khm_dataset_query w = Q("บูรณาการ", KHM_DSORT_RELEVANCE);
    assert_string_equal(khm_test_find_names(s, &w, buf, sizeof(buf), NULL), "old-one");
    khm_tx *tx;
    khm_dataset d;
    khm_arena *a = khm_arena_new(0);
    int64_t nv;
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    assert_int_equal(khm_store_dataset_get(tx, &d, "old-one", a), 0);
    d.title = "ตารางรายจ่าย";
    assert_int_equal(khm_store_dataset_update(tx, &d, 1, &nv), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_string_equal(khm_test_find_names(s, &w, buf, sizeof(buf), NULL), "");
    w.text = "รายจ่าย";
    assert_string_equal(khm_test_find_names(s, &w, buf, sizeof(buf), NULL), "old-one");
    khm_arena_free(a);
    khm_store_close(s);
    /* the FTS5 index agrees with its content table */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(khm_store__fts_thai_register(db), 0);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO dataset_fts (dataset_fts, rank) VALUES "
                                  "('integrity-check', 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM sqlite_master WHERE type = "
                                        "'trigger' AND tbl_name = 'dataset_search'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    khm_test_rmtree(dir);
    free(dir);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_dataset_find__sort_names),
              cmocka_unit_test(test_store_dataset_find__sqlite),
              cmocka_unit_test(test_store_dataset_find__many_matches),
              cmocka_unit_test(test_store_dataset_find__postgres),
              cmocka_unit_test(test_store_dataset_find__tags_of_datasets_before_migration))
