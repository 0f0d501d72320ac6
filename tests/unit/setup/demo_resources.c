/* Tests for src/lib/setup/demo_resources.c: the demo catalog is alive once seeded (issue 4) —
 * its files stored, scanned into the data map and profiled, two datasets flagged because a scan
 * disagrees with their classification (thai-rules.md §2.3), owners' confirmations of what the
 * scans suggest, quality scores that differ, Thai and English search finding the demo datasets;
 * seeded once, and an operator's dataset of a demo name left alone. */
#include "unit.h"

#include <khomun/quality.h>
#include <khomun/resource.h>

#include <fcntl.h>
#include <unistd.h>

static void seed(khm_test_env *e)
{
    int seeded = -1;
    assert_int_equal(khm_setup_demo(e->store, &seeded), 0);
    assert_int_equal(seeded, 1);
    seeded = -1;
    if (khm_setup_demo_resources(e->store, e->dir, &seeded) != 0)
        fail_msg("demo resources: %s", khm_err_last()->message);
    assert_int_equal(seeded, 1);
}

static khm_dataset get(khm_tx *tx, const char *name, khm_arena *a)
{
    khm_dataset d;
    if (khm_store_dataset_get(tx, &d, name, a) != 0)
        fail_msg("no dataset %s", name);
    return d;
}

/* How many times @p needle occurs in blob @p sha256. */
static int blob_holds(const char *dir, const char *sha256, const char *needle)
{
    int fd;
    uint64_t size;
    assert_int_equal(khm_blob_open(dir, sha256, &fd, &size), 0);
    char *buf = malloc(size + 1);
    assert_non_null(buf);
    assert_int_equal(read(fd, buf, size), (ssize_t)size);
    close(fd);
    buf[size] = '\0';
    int n = 0;
    for (const char *p = buf; (p = strstr(p, needle)) != NULL; p++)
        n++;
    free(buf);
    return n;
}

static void test_demo_resources__living_catalog(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    seed(&e);
    khm_tx *tx;
    khm_dataset *ds;
    size_t nd;
    int more;
    khm_page all = { NULL, 100 };
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_dataset_list(tx, &ds, &nd, &more, NULL, &all, e.arena), 0);
    assert_true(nd >= 20);

    /* every file is scanned, with its data map; the planted subject is in one file only */
    size_t with_files = 0, scanned = 0, links = 0, planted = 0, personal = 0, confirmed = 0;
    int scores[101] = { 0 }, distinct = 0, lowest = 100;
    for (size_t i = 0; i < nd; i++) {
        khm_resource_rec *rs;
        size_t nr;
        assert_int_equal(khm_store_resource_list(tx, &rs, &nr, &more, ds[i].id, NULL, e.arena), 0);
        int has_file = 0;
        for (size_t k = 0; k < nr; k++) {
            if (rs[k].url) {
                links++;
                continue;
            }
            has_file = 1;
            if (strcmp(rs[k].scan_status, "scanned") != 0)
                fail_msg("%s: %s is %s", ds[i].slug, rs[k].name, rs[k].scan_status);
            scanned++;
            assert_true(rs[k].rows > 0);
            khm_resource_column *cols;
            size_t nc;
            assert_int_equal(khm_store_resource_columns(tx, rs[k].id, &cols, &nc, e.arena), 0);
            assert_true(nc >= 3);
            assert_true(rs[k].size <= 200 * 1024);
            int hits = blob_holds(e.dir, rs[k].sha256, "1101000000009");
            if (hits) {
                assert_int_equal(hits, 1);
                assert_string_equal(ds[i].slug, "chronic-patient-register");
                planted++;
            }
        }
        with_files += has_file;
        personal += ds[i].personal;
        confirmed += ds[i].confirmed;
        if (has_file) {
            assert_true(ds[i].quality_score >= 0 && ds[i].quality_score <= 100);
            if (!scores[ds[i].quality_score]++)
                distinct++;
            if (ds[i].quality_score < lowest)
                lowest = ds[i].quality_score;
        } else {
            assert_int_equal(ds[i].quality_score, -1); /* nothing to judge */
        }
    }
    assert_true(with_files >= 19);
    assert_int_equal(scanned, with_files);
    assert_int_equal(links, 1);
    assert_int_equal(planted, 1);
    assert_true(personal >= 6);
    assert_true(confirmed >= 8);
    /* quality differs: the population table's defects (94), the migrated accounts' (lowest) */
    assert_true(distinct >= 3);
    assert_true(lowest < 97);
    assert_int_equal(get(tx, "population-by-province-2566", e.arena).quality_score, 94);
    assert_int_equal(get(tx, "digital-budget-2567", e.arena).quality_score, 100);
    assert_int_equal(get(tx, "eservice-accounts-migration", e.arena).quality_score, lowest);

    /* flagged (scan_disagrees): exactly the staff directory (blood groups are health data,
     * PDPA s.26: at least ลับ) and the volunteers published as public (names and phones) */
    const char *flagged[4];
    size_t nf = 0;
    for (size_t i = 0; i < nd; i++) {
        int c, l;
        if (khm_dataset_suggest(&ds[i], &c, &l) && nf < 4)
            flagged[nf++] = ds[i].slug;
    }
    assert_int_equal(nf, 2);
    assert_string_equal(flagged[0], "staff-directory");
    assert_string_equal(flagged[1], "village-health-volunteers");
    khm_dataset d = get(tx, "staff-directory", e.arena);
    int c, l;
    assert_true(d.sensitive);
    assert_true(khm_dataset_suggest(&d, &c, &l));
    assert_int_equal(c, KHM_CAT_PERSONAL);
    assert_int_equal(l, KHM_LEVEL_CONFIDENTIAL);
    d = get(tx, "village-health-volunteers", e.arena);
    assert_int_equal(d.category, KHM_CAT_PUBLIC);
    assert_true(d.personal);
    assert_false(d.sensitive);
    assert_true(khm_dataset_suggest(&d, &c, &l));
    assert_int_equal(c, KHM_CAT_PERSONAL);
    assert_int_equal(l, KHM_LEVEL_INTERNAL);

    /* the owner confirmed what the scan of the complaints suggests: a "confirm" entry by the
     * owner after the scan; the patient register is left for its owner */
    d = get(tx, "citizen-complaints", e.arena);
    assert_true(d.confirmed);
    assert_true(d.personal);
    assert_int_equal(d.category, KHM_CAT_PERSONAL);
    assert_int_equal(d.level, KHM_LEVEL_CONFIDENTIAL);
    khm_dataset_class *h;
    size_t nh;
    assert_int_equal(khm_store_dataset_class_list(tx, &h, &nh, &more, d.id, NULL, e.arena), 0);
    assert_int_equal(nh, 2);
    assert_string_equal(h[1].kind, "confirm");
    assert_string_equal(h[1].actor_user, d.owner_user);
    assert_false(get(tx, "chronic-patient-register", e.arena).confirmed);

    /* the legacy TIS-620 export is decoded: Thai column names in the data map */
    d = get(tx, "gdx-connected-agencies", e.arena);
    khm_resource_rec *rs;
    size_t nr;
    assert_int_equal(khm_store_resource_list(tx, &rs, &nr, &more, d.id, NULL, e.arena), 0);
    assert_int_equal(nr, 1);
    khm_resource_column *cols;
    size_t nc;
    assert_int_equal(khm_store_resource_columns(tx, rs[0].id, &cols, &nc, e.arena), 0);
    assert_string_equal(cols[1].field, "ชื่อหน่วยงาน");

    /* search, Thai and English (segmented: งบประมาณ inside วงเงินงบประมาณ too) */
    khm_dataset *hits;
    size_t nhits;
    const char **keys;
    khm_dataset_query dq = { NULL, KHM_DATASET_FILTER_INIT, KHM_DSORT_RELEVANCE, NULL, NULL, 50 };
    assert_int_equal((dq.text = "งบประมาณ",
                      khm_store_dataset_find(tx, &dq, &hits, &keys, &nhits, &more, e.arena)),
                     0);
    assert_true(nhits >= 2);
    /* ranked by tiers, the latest changed first within one (store.h): both are among them */
    int procurement = 0, budget = 0;
    for (size_t i = 0; i < nhits; i++) {
        procurement |= strcmp(hits[i].slug, "procurement-contracts-2566") == 0;
        budget |= strcmp(hits[i].slug, "digital-budget-2567") == 0;
    }
    assert_true(procurement && budget);
    assert_int_equal(
        (dq.text = "budget", khm_store_dataset_find(tx, &dq, &hits, &keys, &nhits, &more, e.arena)),
        0);
    assert_true(nhits >= 1);
    budget = 0;
    for (size_t i = 0; i < nhits; i++)
        budget |= strcmp(hits[i].slug, "digital-budget-2567") == 0;
    assert_true(budget);
    assert_int_equal((dq.text = "air quality",
                      khm_store_dataset_find(tx, &dq, &hits, &keys, &nhits, &more, e.arena)),
                     0);
    assert_int_equal(nhits, 1);
    assert_string_equal(hits[0].slug, "air-quality-pm25-2567");
    assert_int_equal((dq.text = "โรงพยาบาล",
                      khm_store_dataset_find(tx, &dq, &hits, &keys, &nhits, &more, e.arena)),
                     0);
    assert_true(nhits >= 1);
    assert_string_equal(hits[0].slug, "hospital-locations");
    khm_tx_rollback(tx);

    /* once: a second run adds nothing */
    int seeded = -1;
    assert_int_equal(khm_setup_demo_resources(e.store, e.dir, &seeded), 0);
    assert_int_equal(seeded, 0);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    d = get(tx, "staff-directory", e.arena);
    assert_int_equal(khm_store_resource_list(tx, &rs, &nr, &more, d.id, NULL, e.arena), 0);
    assert_int_equal(nr, 1);
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

/* An operator's own dataset that happens to have a demo name gets no demo file and no demo
 * confirmation; the rest of the demo is seeded as usual. */
static void test_demo_resources__keeps_operator_dataset(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_agency ag;
    khm_dataset mine;
    json_t *m = json_pack(
        "{s:s, s:s, s:s, s:s, s:[s,s], s:s, s:[s], s:s, s:s, s:s, s:[s], s:s, s:s}", "data_type",
        "ข้อมูลระเบียน", "title", "ทะเบียนเรื่องร้องเรียนของหน่วยงานเอง", "maintainer", "กองกลาง",
        "maintainer_email", "data@agency.go.th", "tag_string", "ร้องเรียน", "complaints", "notes",
        "ชุดข้อมูลของผู้ดูแลระบบ", "objective", "พันธกิจหน่วยงาน", "update_frequency_unit", "ปี",
        "geo_coverage", "ประเทศ", "data_source", "กองกลาง", "data_format", "CSV", "license_id",
        "Open Data Common", "data_category", "ข้อมูลใช้ภายใน");
    assert_non_null(m);
    khm_dataset_input in = { "citizen-complaints", NULL, NULL, NULL, m };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_agency_get(tx, &ag, "demo", e.arena), 0);
    assert_int_equal(khm_dataset_create(tx, &mine, &in, ag.id, NULL, 1000, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    json_decref(m);

    int seeded = -1;
    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    assert_int_equal(khm_setup_demo_resources(e.store, e.dir, &seeded), 0);
    assert_int_equal(seeded, 1);
    khm_dataset d;
    khm_resource_rec *rs;
    size_t nr;
    int more;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &d, "citizen-complaints", e.arena), 0);
    assert_string_equal(d.id, mine.id);
    assert_false(d.confirmed);
    assert_false(d.personal);
    assert_int_equal(khm_store_resource_list(tx, &rs, &nr, &more, d.id, NULL, e.arena), 0);
    assert_int_equal(nr, 0);
    assert_int_equal(khm_store_dataset_get(tx, &d, "welfare-applicants", e.arena), 0);
    assert_true(d.confirmed);
    assert_int_equal(khm_store_resource_list(tx, &rs, &nr, &more, d.id, NULL, e.arena), 0);
    assert_int_equal(nr, 1);
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_demo_resources__living_catalog),
              cmocka_unit_test(test_demo_resources__keeps_operator_dataset))
