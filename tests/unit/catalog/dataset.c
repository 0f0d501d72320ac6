/* Tests for src/lib/catalog/dataset.c: datasets with GD-Catalog metadata on a real store —
 * category and level from the metadata with the thai-rules.md §2.3 combinations, versions
 * (optimistic concurrency: a stale version changes nothing), the owner's confirmation with the
 * scan-driven floors, archive, the history of every classification change, ETag parsing. */
#include "unit.h"

#include <khomun/gdc.h>

/* A complete GD-Catalog metadata object (thai-rules.md §3.2–3.3) of @p category / @p level
 * (Thai values; level NULL = absent). */
static json_t *meta(const char *category, const char *level, const char *title)
{
    json_t *m =
        json_pack("{s:s, s:s, s:s, s:s, s:[s,s], s:s, s:[s], s:s, s:s, s:s, s:[s], s:s, s:s}",
                  "data_type", "ข้อมูลระเบียน", "title", title, "maintainer", "กองยุทธศาสตร์และแผนงาน",
                  "maintainer_email", "data@agency.go.th", "tag_string", "งบประมาณ", "budget",
                  "notes", "ชุดข้อมูลทดสอบ", "objective", "พันธกิจหน่วยงาน", "update_frequency_unit", "ปี",
                  "geo_coverage", "ประเทศ", "data_source", "กองยุทธศาสตร์และแผนงาน", "data_format",
                  "CSV", "license_id", "Open Data Common", "data_category", category);
    assert_non_null(m);
    if (level)
        json_object_set_new(m, "data_classification", json_string(level));
    return m;
}

typedef struct {
    khm_test_env e;
    khm_agency ag;
    khm_user steward, owner;
} fixture;

static void setup(fixture *f)
{
    khm_tx *tx;
    khm_test_env_open(&f->e);
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    assert_int_equal(khm_store_agency_get(tx, &f->ag, f->e.init.agency.id, f->e.arena), 0);
    khm_user_input s = { "wichai", "วิชัย", NULL, f->ag.slug, "steward", "confidential" };
    khm_user_input o = { "malee", "มาลี", NULL, f->ag.slug, "owner", "secret" };
    assert_int_equal(khm_user_create(tx, &f->steward, &s, 1, f->e.arena), 0);
    assert_int_equal(khm_user_create(tx, &f->owner, &o, 1, f->e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
}

static int create(fixture *f, khm_dataset *d, const char *name, json_t *m, const char *owner)
{
    khm_tx *tx;
    khm_dataset_input in = { name, NULL, owner, NULL, m };
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    int rc = khm_dataset_create(tx, d, &in, f->ag.id, f->steward.id, 1000, f->e.arena);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    json_decref(m);
    return rc;
}

static void test_catalog_dataset__create_classifies_from_metadata(void **state)
{
    (void)state;
    fixture f;
    khm_dataset d;
    setup(&f);
    assert_int_equal(
        create(&f, &d, "budget-2567", meta("ข้อมูลสาธารณะ", "เปิดเผย", "แผนงบประมาณบูรณาการ"), "malee"),
        0);
    assert_int_equal(d.category, KHM_CAT_PUBLIC);
    assert_int_equal(d.level, KHM_LEVEL_PUBLIC);
    assert_int_equal(d.version, 1);
    assert_false(d.confirmed);
    assert_string_equal(d.owner_user, f.owner.id);
    /* stored as given */
    khm_tx *tx;
    khm_dataset g;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &g, "budget-2567", f.e.arena), 0);
    assert_string_equal(g.title, "แผนงบประมาณบูรณาการ");
    assert_string_equal(g.data_type, "ข้อมูลระเบียน");
    assert_non_null(strstr(g.metadata, "\"maintainer_email\":\"data@agency.go.th\""));
    khm_dataset_class *h;
    size_t n;
    int more;
    khm_page page = { NULL, 10 };
    assert_int_equal(khm_store_dataset_class_list(tx, &h, &n, &more, g.id, &page, f.e.arena), 0);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].kind, "create");
    assert_int_equal(h[0].to_level, KHM_LEVEL_PUBLIC);
    khm_tx_rollback(tx);
    /* thai-rules.md §2.3: ข้อมูลใช้ภายใน implies ชั้นเผยแพร่ภายในองค์กร */
    assert_int_equal(create(&f, &d, "assets", meta("ข้อมูลใช้ภายใน", NULL, "ครุภัณฑ์"), NULL), 0);
    assert_int_equal(d.level, KHM_LEVEL_INTERNAL);
    /* the name is taken */
    assert_int_equal(create(&f, &d, "assets", meta("ข้อมูลใช้ภายใน", NULL, "ซ้ำ"), NULL), KHM_EEXISTS);
    khm_test_env_close(&f.e);
}

static void test_catalog_dataset__bad_input_names_the_field(void **state)
{
    (void)state;
    fixture f;
    khm_dataset d;
    setup(&f);
    /* §2.3: ข้อมูลส่วนบุคคล has no implied level */
    assert_int_equal(create(&f, &d, "people", meta("ข้อมูลส่วนบุคคล", NULL, "ทะเบียนบุคคล"), NULL),
                     KHM_EINVALID);
    assert_true(has_field("metadata.data_classification"));
    /* §2.3: ข้อมูลสาธารณะ is เปิดเผย only */
    assert_int_equal(create(&f, &d, "people", meta("ข้อมูลสาธารณะ", "ลับ", "x"), NULL), KHM_EINVALID);
    assert_true(has_field("metadata.data_classification"));
    /* the owner must be a user of the agency; the name a slug */
    assert_int_equal(create(&f, &d, "Bad Name", meta("ข้อมูลสาธารณะ", "เปิดเผย", "x"), "nobody"),
                     KHM_EINVALID);
    assert_true(has_field("name"));
    assert_true(has_field("owner"));
    /* the field table's errors come with them */
    json_t *m = meta("ข้อมูลสาธารณะ", "เปิดเผย", "x");
    json_object_del(m, "maintainer");
    assert_int_equal(create(&f, &d, "no-maintainer", m, NULL), KHM_EINVALID);
    assert_true(has_field("metadata.maintainer"));
    khm_test_env_close(&f.e);
}

static void test_catalog_dataset__versions_confirm_archive(void **state)
{
    (void)state;
    fixture f;
    khm_dataset d;
    khm_tx *tx;
    setup(&f);
    assert_int_equal(
        create(&f, &d, "patients", meta("ข้อมูลส่วนบุคคล", "ชั้นเผยแพร่ภายในองค์กร", "ผู้ป่วย"), NULL), 0);
    /* update at version 1: version 2; again at version 1: stale, nothing changes */
    json_t *m = meta("ข้อมูลส่วนบุคคล", "ลับ", "ผู้ป่วยโรคเรื้อรัง");
    khm_dataset_input in = { NULL, NULL, NULL, "Chronic patients", m };
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_dataset_update(tx, &d, &in, 1, f.steward.id, 2000, f.e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(d.version, 2);
    assert_int_equal(d.level, KHM_LEVEL_CONFIDENTIAL);
    khm_dataset stale;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_store_dataset_get(tx, &stale, d.id, f.e.arena), 0);
    assert_int_equal(khm_dataset_update(tx, &stale, &in, 1, f.steward.id, 2500, f.e.arena),
                     KHM_ESTALE);
    khm_tx_rollback(tx);
    json_decref(m);
    /* the owner confirms: §2.3 combinations and a reason */
    khm_dataset_confirm_input bad = { "personal", "public", NULL, "x" };
    khm_dataset_confirm_input noreason = { "personal", "confidential", NULL, NULL };
    khm_dataset_confirm_input badcia = { "personal", "confidential", "high,extreme", "x" };
    khm_dataset_confirm_input ok = { "ข้อมูลส่วนบุคคล", "ลับมาก", "high,high,medium", "มีการวินิจฉัยโรค" };
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_dataset_confirm(tx, &d, &bad, 2, f.owner.id, 3000), KHM_EINVALID);
    assert_true(has_field("level"));
    assert_int_equal(khm_dataset_confirm(tx, &d, &noreason, 2, f.owner.id, 3000), KHM_EINVALID);
    assert_true(has_field("reason"));
    assert_int_equal(khm_dataset_confirm(tx, &d, &badcia, 2, f.owner.id, 3000), KHM_EINVALID);
    assert_true(has_field("cia"));
    assert_int_equal(khm_dataset_confirm(tx, &d, &ok, 2, f.owner.id, 3000), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(d.version, 3);
    assert_true(d.confirmed);
    assert_int_equal(d.level, KHM_LEVEL_SECRET);
    /* a scan that found s.26 data holds the level at confidential or above (issue 4) */
    d.sensitive = 1;
    khm_dataset_confirm_input low = { "personal", "internal", NULL, "ลดระดับ" };
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_dataset_confirm(tx, &d, &low, 3, f.owner.id, 3500), KHM_EINVALID);
    assert_true(has_field("level"));
    khm_tx_rollback(tx);
    /* history: create, update (internal → confidential), confirm (→ secret, with the reason) */
    khm_dataset_class *h;
    size_t n;
    int more;
    khm_page page = { NULL, 10 };
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dataset_class_list(tx, &h, &n, &more, d.id, &page, f.e.arena), 0);
    khm_tx_rollback(tx);
    assert_int_equal(n, 3);
    assert_string_equal(h[1].kind, "update");
    assert_int_equal(h[1].from_level, KHM_LEVEL_INTERNAL);
    assert_int_equal(h[1].to_level, KHM_LEVEL_CONFIDENTIAL);
    assert_string_equal(h[2].kind, "confirm");
    assert_string_equal(h[2].reason, "มีการวินิจฉัยโรค");
    assert_string_equal(h[2].cia, "high,high,medium");
    assert_string_equal(h[2].actor_user, f.owner.id);
    /* archive: version 4; no change after it */
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_dataset_archive(tx, &d, 3, 4000), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(d.version, 4);
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_dataset_archive(tx, &d, 4, 5000), KHM_ESTALE);
    khm_tx_rollback(tx);
    khm_test_env_close(&f.e);
}

static void test_catalog_dataset__etag_and_resource(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_int_equal(khm_dataset_parse_etag("\"7\"", &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(khm_dataset_parse_etag("W/\"8\"", &v), 0);
    assert_int_equal(v, 8);
    assert_int_equal(khm_dataset_parse_etag(NULL, &v), KHM_EPRECOND);
    assert_int_equal(khm_dataset_parse_etag("7", &v), KHM_EINVALID);
    assert_true(has_field("If-Match"));
    assert_int_equal(khm_dataset_parse_etag("\"0\"", &v), KHM_EINVALID);
    assert_int_equal(khm_dataset_parse_etag("\"1\" junk", &v), KHM_EINVALID);
    khm_dataset d;
    memset(&d, 0, sizeof(d));
    d.version = 12;
    char e[16];
    khm_dataset_etag(&d, e, sizeof(e));
    assert_string_equal(e, "\"12\"");
    d.category = KHM_CAT_INTERNAL;
    d.level = KHM_LEVEL_INTERNAL;
    d.sensitive = 1;
    khm_resource r = KHM_RESOURCE_INIT(KHM_RES_SYSTEM);
    khm_dataset_resource(&d, &r);
    assert_int_equal(r.kind, KHM_RES_DATASET);
    assert_int_equal(r.level, KHM_LEVEL_INTERNAL);
    assert_true(r.sensitive);
    assert_int_equal(khm_dataset_level_of(KHM_CAT_PUBLIC, -1), KHM_LEVEL_PUBLIC);
    assert_int_equal(khm_dataset_level_of(KHM_CAT_PERSONAL, -1), -1);
    assert_int_equal(khm_dataset_level_of(KHM_CAT_PERSONAL, KHM_LEVEL_SECRET), KHM_LEVEL_SECRET);
}

/* khm_dataset_search's keep: the datasets "ds-NN" whose NN is not a multiple of *ctx (1: none;
 * 0: every one); counts the calls */
typedef struct {
    int every;
    int calls;
} keeper;

static int keep_some(void *ctx, const khm_dataset *d, int *keep)
{
    keeper *k = ctx;
    int nn = atoi(d->slug + 3);
    k->calls++;
    *keep = k->every == 0 || nn % k->every != 0;
    return 0;
}

/* Pages of what a caller keeps are the rows kept, in order, whatever share is kept and however
 * the reads after the first are sized: each page full but the last, `more` exactly when another
 * follows, the cursor going on after the page's last row; none kept: one empty page. */
static void test_catalog_dataset__search_pages_what_is_kept(void **state)
{
    (void)state;
    fixture f;
    khm_dataset d;
    setup(&f);
    enum { N = 60 };
    for (int i = 0; i < N; i++) {
        char name[16], title[128];
        snprintf(name, sizeof(name), "ds-%02d", i);
        snprintf(title, sizeof(title), "สถิติประชากรรายจังหวัด ชุดที่ %d", i);
        assert_int_equal(create(&f, &d, name, meta("ข้อมูลสาธารณะ", "เปิดเผย", title), NULL), 0);
    }
    const int every[] = { 0, 3, 2, 10, 1 }; /* all, 2 of 3, half, 9 of 10, none */
    const size_t limits[] = { 1, 7, 25, 59, 60, 500 };
    for (size_t e = 0; e < sizeof(every) / sizeof(every[0]); e++)
        for (size_t li = 0; li < sizeof(limits) / sizeof(limits[0]); li++) {
            keeper k = { every[e], 0 };
            int want[N], nwant = 0, got = 0, pages = 0, more = 1;
            for (int i = 0; i < N; i++)
                if (every[e] == 0 || i % every[e] != 0)
                    want[nwant++] = i;
            khm_dataset_query q = { NULL, KHM_DATASET_FILTER_INIT, KHM_DSORT_NAME, NULL, NULL, 0 };
            while (more) {
                khm_tx *tx;
                khm_dataset *out;
                const char **keys;
                size_t n;
                assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
                assert_int_equal(khm_dataset_search(tx, &q, limits[li], keep_some, &k, &out, &keys,
                                                    &n, &more, f.e.arena),
                                 0);
                khm_tx_rollback(tx);
                pages++;
                if (more)
                    assert_int_equal(n, limits[li]); /* a page with more after it is full */
                for (size_t i = 0; i < n; i++) {
                    assert_true(got < nwant);
                    char name[16];
                    snprintf(name, sizeof(name), "ds-%02d", want[got++]);
                    assert_string_equal(out[i].slug, name);
                }
                if (more) {
                    q.after_key = keys[n - 1];
                    q.after_id = out[n - 1].id;
                }
                assert_true(pages <= N + 1);
            }
            assert_int_equal(got, nwant);
            if (!nwant)
                assert_int_equal(pages, 1);
            assert_true(k.calls >= nwant); /* each kept row was offered */
        }
    khm_test_env_close(&f.e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_catalog_dataset__create_classifies_from_metadata),
              cmocka_unit_test(test_catalog_dataset__bad_input_names_the_field),
              cmocka_unit_test(test_catalog_dataset__versions_confirm_archive),
              cmocka_unit_test(test_catalog_dataset__etag_and_resource),
              cmocka_unit_test(test_catalog_dataset__search_pages_what_is_kept))
