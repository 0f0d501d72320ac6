/* Tests for src/lib/catalog/resource.c on a real store: a file resource with its data map from
 * a scan, the dataset's flags and the "suggest" history entry (issue 4: personal → ข้อมูลส่วนบุคคล
 * at least ชั้นเผยแพร่ภายในองค์กร; sensitive → at least ลับ, thai-rules.md §2.3), the flag cleared
 * by a fitting confirmation, field errors that store nothing, a link, delete of the last
 * reference, the format guess, and khm_dataset_suggest(). */
#include "unit.h"

#include <khomun/resource.h>

#include <fcntl.h>
#include <unistd.h>

static json_t *meta(const char *category, const char *level)
{
    json_t *m =
        json_pack("{s:s, s:s, s:s, s:s, s:[s], s:s, s:[s], s:s, s:s, s:s, s:[s], s:s, s:s, s:s}",
                  "data_type", "ข้อมูลระเบียน", "title", "ทะเบียนผู้ป่วย", "maintainer", "กองยุทธศาสตร์",
                  "maintainer_email", "data@agency.go.th", "tag_string", "สุขภาพ", "notes", "ทดสอบ",
                  "objective", "พันธกิจหน่วยงาน", "update_frequency_unit", "ปี", "geo_coverage",
                  "ประเทศ", "data_source", "กองยุทธศาสตร์", "data_format", "CSV", "license_id",
                  "Open Data Common", "data_category", category, "data_classification", level);
    assert_non_null(m);
    return m;
}

static const char csv[] = "เลขประจำตัวประชาชน,โทรศัพท์,โรคประจำตัว\n"
                          "1100600445639,081-234-5678,เบาหวาน\n"
                          "3100600445635,089-765-4321,ความดันโลหิตสูง\n"
                          "1234567890121,062-111-2233,หอบหืด\n";

static khm_blob_writer *blob_of(const char *dir, const char *data)
{
    khm_blob_writer *w;
    assert_int_equal(khm_blob_begin(&w, dir, 0), 0);
    assert_int_equal(khm_blob_write(w, data, strlen(data)), 0);
    return w;
}

static void test_catalog_resource__upload_scan_suggest_confirm(void **state)
{
    (void)state;
    khm_test_env e;
    khm_tx *tx;
    khm_dataset d;
    khm_resource_rec r;
    khm_resource_scan scan;
    khm_scanner *sc;
    khm_test_env_open(&e);
    assert_int_equal(khm_scanner_new(&sc, NULL), 0);
    json_t *m = meta("ข้อมูลใช้ภายใน", "ชั้นเผยแพร่ภายในองค์กร");
    khm_dataset_input din = { "patients", NULL, NULL, NULL, m };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_dataset_create(tx, &d, &din, e.init.agency.id, NULL, 1, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);

    khm_blob_writer *w = blob_of(e.dir, csv);
    char sha[KHM_SHA256_HEX_LEN];
    uint64_t size;
    assert_int_equal(khm_blob_finish(w, NULL, sha, &size), 0);
    int fd = open(khm_blob_temp_path(w), O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(khm_resource_scan_fd(sc, fd, "p.csv", "CSV", &scan, e.arena), 0);
    close(fd);
    assert_string_equal(scan.status, "scanned");
    assert_int_equal(scan.ncols, 3);
    assert_string_equal(scan.cols[0].type, "TH_TNIN");
    assert_string_equal(scan.cols[1].type, "PHONE_NUMBER");
    assert_string_equal(scan.cols[2].type, "HEALTH");
    assert_string_equal(scan.cols[2].sensitive, "health");
    assert_true(scan.sensitive);

    json_t *f = json_pack("{s:s}", "name", "patients.csv");
    khm_resource_input in = { NULL, NULL, NULL, "text/csv", f };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_resource_create(tx, &r, &d, &in, w, &scan, NULL, 2, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_blob_free(w);
    assert_string_equal(r.format, "CSV");
    assert_string_equal(r.sha256, sha);
    assert_true(khm_blob_exists(e.dir, sha));
    assert_true(d.personal && d.sensitive);
    int c, l;
    assert_int_equal(khm_dataset_suggest(&d, &c, &l), 1);
    assert_int_equal(c, KHM_CAT_PERSONAL);
    assert_int_equal(l, KHM_LEVEL_CONFIDENTIAL);

    /* stored: the data map, the dataset's flags, the "suggest" entry */
    khm_dataset s;
    khm_resource_column *cols;
    size_t n, nh;
    int more;
    khm_dataset_class *h;
    khm_page page = { NULL, 100 };
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_resource_columns(tx, r.id, &cols, &n, e.arena), 0);
    assert_int_equal(n, 3);
    assert_string_equal(cols[0].type, "TH_TNIN");
    assert_true(cols[0].share > 0.99);
    assert_int_equal(khm_store_dataset_get(tx, &s, d.id, e.arena), 0);
    assert_true(s.personal && s.sensitive);
    assert_int_equal(khm_store_dataset_class_list(tx, &h, &nh, &more, d.id, &page, e.arena), 0);
    khm_tx_rollback(tx);
    assert_int_equal(nh, 2);
    assert_string_equal(h[1].kind, "suggest");
    assert_int_equal(h[1].to_category, KHM_CAT_PERSONAL);
    assert_int_equal(h[1].to_level, KHM_LEVEL_CONFIDENTIAL);
    assert_non_null(strstr(h[1].reason, "TH_TNIN"));

    /* a confirmation below the floor is refused; a fitting one clears the flag */
    khm_dataset_confirm_input low = { "personal", "internal", NULL, "ต่ำเกินไป" };
    khm_dataset_confirm_input ok = { "personal", "confidential", NULL, "ตามผลการตรวจ" };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_dataset_confirm(tx, &s, &low, s.version, NULL, 3), KHM_EINVALID);
    assert_int_equal(khm_dataset_confirm(tx, &s, &ok, s.version, NULL, 3), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(khm_dataset_suggest(&s, &c, &l), 0);

    /* delete the last reference: the file goes once committed */
    char trash[4200];
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_resource_delete(tx, &s, &r, e.dir, NULL, 4, trash, sizeof(trash)), 0);
    assert_false(khm_blob_exists(e.dir, sha));
    khm_tx_rollback(tx);
    khm_resource_trash_finish(trash, e.dir, sha, 0); /* rolled back: put back */
    assert_true(khm_blob_exists(e.dir, sha));
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_dataset_get(tx, &s, d.id, e.arena), 0);
    assert_int_equal(khm_resource_delete(tx, &s, &r, e.dir, NULL, 4, trash, sizeof(trash)), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_resource_trash_finish(trash, e.dir, sha, 1);
    assert_false(khm_blob_exists(e.dir, sha));
    assert_false(s.personal); /* no resource left */

    json_decref(f);
    json_decref(m);
    khm_scanner_free(sc);
    khm_test_env_close(&e);
}

static void test_catalog_resource__bad_fields_store_nothing_and_links(void **state)
{
    (void)state;
    khm_test_env e;
    khm_tx *tx;
    khm_dataset d;
    khm_resource_rec r;
    khm_test_env_open(&e);
    json_t *m = meta("ข้อมูลสาธารณะ", "เปิดเผย");
    khm_dataset_input din = { "budget", NULL, NULL, NULL, m };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_dataset_create(tx, &d, &din, e.init.agency.id, NULL, 1, e.arena), 0);
    khm_blob_writer *w = blob_of(e.dir, "a,b\n1,2\n");
    json_t *bad = json_pack("{s:s, s:s}", "name", "x.csv", "resource_created_date", "2024-02-30");
    khm_resource_input in = { NULL, NULL, NULL, NULL, bad };
    assert_int_equal(khm_resource_create(tx, &r, &d, &in, w, NULL, NULL, 2, e.arena), KHM_EINVALID);
    size_t nf;
    assert_string_equal(khm_err_fields(&nf)[0].field, "resource_created_date");
    khm_blob_free(w); /* not committed: nothing in the store */
    khm_page page = { NULL, 100 };
    khm_resource_rec *items;
    size_t n;
    int more;
    assert_int_equal(khm_store_resource_list(tx, &items, &n, &more, d.id, &page, e.arena), 0);
    assert_int_equal(n, 0);
    /* a link: its format from the URL */
    json_t *link =
        json_pack("{s:s, s:s}", "name", "ลิงก์", "url", "https://data.go.th/x/budget.xlsx");
    khm_resource_input lin = { NULL, NULL, NULL, NULL, link };
    assert_int_equal(khm_resource_create(tx, &r, &d, &lin, NULL, NULL, NULL, 2, e.arena), 0);
    assert_string_equal(r.format, "XLSX");
    assert_int_equal(r.size, -1);
    assert_string_equal(r.scan_status, "none");
    assert_int_equal(
        khm_store_resource_list_agency(tx, &items, &n, &more, d.agency_id, &page, e.arena), 0);
    assert_int_equal(n, 1);
    assert_int_equal(khm_tx_commit(tx), 0);
    json_decref(bad);
    json_decref(link);
    json_decref(m);
    khm_test_env_close(&e);
}

static void test_catalog_resource__format_guess(void **state)
{
    (void)state;
    const char *f, *mt;
    khm_resource_guess_format("r.pdf", (const unsigned char *)"%PDF-1.7", 8, &f, &mt);
    assert_string_equal(f, "PDF");
    khm_resource_guess_format("book.xlsx", (const unsigned char *)"PK\x03\x04xx", 6, &f, &mt);
    assert_string_equal(f, "XLSX");
    khm_resource_guess_format("noext", (const unsigned char *)" [{\"a\":1}]", 10, &f, &mt);
    assert_string_equal(f, "JSON");
    khm_resource_guess_format(NULL, (const unsigned char *)"a,b,c\n1,2,3\n", 12, &f, &mt);
    assert_string_equal(f, "CSV");
    assert_string_equal(mt, "text/csv");
    khm_resource_guess_format("x.csv.gz", (const unsigned char *)"\x1f\x8b\x08", 3, &f, &mt);
    assert_string_equal(f, "CSV");
    assert_string_equal(mt, "application/gzip");
    khm_resource_guess_format("blob", (const unsigned char *)"\x00\x01\x02", 3, &f, &mt);
    assert_string_equal(f, "BIN");
}

static void test_catalog_resource__suggest_rules(void **state)
{
    (void)state;
    khm_dataset d;
    int c, l;
    memset(&d, 0, sizeof(d));
    d.category = KHM_CAT_PUBLIC;
    d.level = KHM_LEVEL_PUBLIC;
    assert_int_equal(khm_dataset_suggest(&d, &c, &l), 0); /* no personal data: keep */
    d.personal = 1;
    assert_int_equal(khm_dataset_suggest(&d, &c, &l), 1);
    assert_int_equal(c, KHM_CAT_PERSONAL);
    assert_int_equal(l, KHM_LEVEL_INTERNAL);
    d.category = KHM_CAT_SECURITY; /* a stricter category stays */
    d.level = KHM_LEVEL_SECRET;
    d.sensitive = 1;
    assert_int_equal(khm_dataset_suggest(&d, &c, &l), 0);
    d.category = KHM_CAT_PERSONAL;
    d.level = KHM_LEVEL_INTERNAL;
    assert_int_equal(khm_dataset_suggest(&d, &c, &l), 1);
    assert_int_equal(l, KHM_LEVEL_CONFIDENTIAL);
}

/* A resource of @p d from @p data, not scanned (status "pending", as an upload over the cap). */
static khm_resource_rec add_file(khm_test_env *e, khm_dataset *d, const char *name,
                                 const char *data)
{
    khm_tx *tx;
    khm_resource_rec r;
    khm_blob_writer *w = blob_of(e->dir, data);
    json_t *f = json_pack("{s:s}", "name", name);
    khm_resource_input in = { NULL, NULL, NULL, NULL, f };
    assert_int_equal(khm_tx_begin(&tx, e->store, 1), 0);
    assert_int_equal(khm_resource_create(tx, &r, d, &in, w, NULL, NULL, 2, e->arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_blob_free(w);
    json_decref(f);
    assert_string_equal(r.scan_status, "pending");
    return r;
}

static const khm_dataset_scan_item *item_of(const khm_dataset_scan *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].rec.id, id) == 0)
            return &s->items[i];
    fail_msg("resource %s not in the scan", id);
    return NULL;
}

/* khm_dataset_scan_*(): every file of a dataset declared public is read, a link and a file over
 * the cap are skipped, the flags, one "suggest" entry (issue 4, thai-rules.md §2.3: personal →
 * ข้อมูลส่วนบุคคล at least ชั้นเผยแพร่ภายในองค์กร) and the quality score follow once; a resource
 * deleted between reading and storing is skipped; an archived dataset is refused. */
static void test_catalog_resource__dataset_scan(void **state)
{
    (void)state;
    khm_test_env e;
    khm_tx *tx;
    khm_dataset d, got;
    khm_resource_rec link;
    khm_scanner *sc;
    khm_dataset_scan s;
    khm_test_env_open(&e);
    assert_int_equal(khm_scanner_new(&sc, NULL), 0);
    json_t *m = meta("ข้อมูลสาธารณะ", "เปิดเผย");
    khm_dataset_input din = { "survey", NULL, NULL, NULL, m };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_dataset_create(tx, &d, &din, e.init.agency.id, NULL, 1, e.arena), 0);
    json_t *lf = json_pack("{s:s, s:s}", "name", "พอร์ทัล", "url", "https://data.go.th/x");
    khm_resource_input lin = { NULL, NULL, NULL, NULL, lf };
    assert_int_equal(khm_resource_create(tx, &link, &d, &lin, NULL, NULL, NULL, 2, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    static const char people[] = "เลขประจำตัวประชาชน,โทรศัพท์\n"
                                 "1100600445639,081-234-5678\n"
                                 "3100600445635,089-765-4321\n";
    static const char budget[] = "ปี,งบประมาณ\n2567,1000\n2568,2000\n";
    khm_resource_rec rp = add_file(&e, &d, "ประชาชน.csv", people);
    khm_resource_rec rb = add_file(&e, &d, "งบ.csv", budget);
    char big[4096];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    big[10] = '\n';
    khm_resource_rec rbig = add_file(&e, &d, "ใหญ่.txt", big);

    /* plan with a 1 KiB cap: the link and the 4 KiB file are skipped at once */
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_dataset_scan_plan(tx, &got, "survey", 1024, &s, e.arena), 0);
    khm_tx_rollback(tx);
    assert_string_equal(got.id, d.id);
    assert_int_equal(s.n, 4);
    assert_string_equal(item_of(&s, link.id)->code, "link");
    assert_string_equal(item_of(&s, rbig.id)->status, "skipped");
    assert_string_equal(item_of(&s, rbig.id)->code, "too_large");
    assert_non_null(strstr(item_of(&s, rbig.id)->reason, "1024-byte cap"));
    assert_string_equal(item_of(&s, rp.id)->status, "pending");

    assert_int_equal(khm_dataset_scan_run(&s, sc, e.dir, e.arena), 0);
    const khm_dataset_scan_item *ip = item_of(&s, rp.id), *ib = item_of(&s, rb.id);
    assert_string_equal(ip->status, "scanned");
    assert_true(ip->ran && ip->scan.personal);
    assert_true(ip->scan.nfindings >= 2);
    assert_int_equal(ip->scan.findings[0].count, 2);
    assert_true(strcmp(ip->scan.findings[0].type, "TH_TNIN") == 0 ||
                strcmp(ip->scan.findings[0].type, "PHONE_NUMBER") == 0);
    assert_string_equal(ib->status, "scanned");
    assert_false(ib->scan.personal);
    assert_int_equal(s.scanned, 2);
    assert_int_equal(s.skipped, 2);
    assert_int_equal(s.failed, 0);
    assert_int_equal(s.bytes, (int64_t)(strlen(people) + strlen(budget)));

    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_dataset_scan_apply(tx, &got, &s, NULL, 10, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_true(got.personal);
    assert_false(got.sensitive);
    assert_int_equal(got.quality_at, 10);
    assert_true(got.quality_score >= 0 && got.quality_score <= 100);
    int c, l;
    assert_int_equal(khm_dataset_suggest(&got, &c, &l), 1);
    assert_int_equal(c, KHM_CAT_PERSONAL);
    assert_int_equal(l, KHM_LEVEL_INTERNAL);

    /* stored: the data map and scan status of each file read, one "suggest" entry */
    khm_resource_rec now;
    khm_resource_column *cols;
    size_t n, nh;
    int more;
    khm_dataset_class *h;
    khm_page page = { NULL, 100 };
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_resource_get(tx, &now, d.id, rp.id, e.arena), 0);
    assert_string_equal(now.scan_status, "scanned");
    assert_int_equal(now.scanned_at, 10);
    assert_int_equal(khm_store_resource_columns(tx, rp.id, &cols, &n, e.arena), 0);
    assert_int_equal(n, 2);
    assert_string_equal(cols[0].type, "TH_TNIN");
    assert_int_equal(khm_store_resource_get(tx, &now, d.id, rbig.id, e.arena), 0);
    assert_string_equal(now.scan_status, "pending"); /* over the cap: left alone */
    assert_int_equal(khm_store_dataset_class_list(tx, &h, &nh, &more, d.id, &page, e.arena), 0);
    khm_tx_rollback(tx);
    assert_int_equal(nh, 2);
    assert_string_equal(h[1].kind, "suggest");
    assert_int_equal(h[1].to_category, KHM_CAT_PERSONAL);
    assert_int_equal(h[1].to_level, KHM_LEVEL_INTERNAL);
    assert_non_null(strstr(h[1].reason, "dataset scan found personal data in 'ประชาชน.csv'"));
    assert_null(strstr(h[1].reason, "งบ.csv"));

    /* the JSON names every resource and the suggestion */
    khm_buf b = KHM_BUF_INIT(1 << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_dataset_scan_write_json(&w, &got, &s);
    assert_int_equal(khm_jw_finish(&w), 0);
    json_t *j = json_loadb(b.ptr, b.len, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "resources")), 4);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(j, "suggested"), "category_th")),
        "ข้อมูลส่วนบุคคล");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(j, "classification_flag"), "code")),
        "scan_disagrees");
    json_decref(j);
    khm_buf_dispose(&b);

    /* read, then deleted before it is stored: skipped, and the flags follow what is left */
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_dataset_scan_plan(tx, &got, d.id, 0, &s, e.arena), 0);
    khm_tx_rollback(tx);
    assert_string_equal(item_of(&s, rbig.id)->status, "pending"); /* no cap */
    assert_int_equal(khm_dataset_scan_run(&s, sc, e.dir, e.arena), 0);
    assert_string_equal(item_of(&s, rbig.id)->status, "scanned");
    char trash[4200];
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_resource_delete(tx, &got, &rp, e.dir, NULL, 11, trash, sizeof(trash)), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_resource_trash_finish(trash, e.dir, rp.sha256, 1);
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_dataset_scan_apply(tx, &got, &s, NULL, 12, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_string_equal(item_of(&s, rp.id)->status, "skipped");
    assert_string_equal(item_of(&s, rp.id)->code, "deleted");
    assert_int_equal(s.scanned, 2);
    assert_false(got.personal);
    assert_int_equal(khm_dataset_suggest(&got, &c, &l), 0);

    /* archived: refused, naming the dataset */
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_dataset_archive(tx, &got, got.version, 13), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_dataset_scan_plan(tx, &got, d.id, 0, &s, e.arena), KHM_EINVALID);
    size_t nf;
    assert_string_equal(khm_err_fields(&nf)[0].field, "dataset");
    assert_int_equal(khm_dataset_scan_plan(tx, &got, "no-such", 0, &s, e.arena), KHM_ENOTFOUND);
    khm_tx_rollback(tx);

    json_decref(lf);
    json_decref(m);
    khm_scanner_free(sc);
    khm_test_env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_catalog_resource__upload_scan_suggest_confirm),
              cmocka_unit_test(test_catalog_resource__dataset_scan),
              cmocka_unit_test(test_catalog_resource__bad_fields_store_nothing_and_links),
              cmocka_unit_test(test_catalog_resource__format_guess),
              cmocka_unit_test(test_catalog_resource__suggest_rules))
