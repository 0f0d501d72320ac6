/* Tests for src/lib/setup/demo_files.c: the demo catalog's synthetic files are the same bytes on
 * every run, small, shaped as their format says, their national IDs valid (thai-rules.md §4.1)
 * except the defects planted on purpose, and the planted subject of the demo in one file only. */
#include "unit.h"

#include "demo_int.h"

static const khm_demo_file *file_of(const char *dataset)
{
    size_t n;
    const khm_demo_file *f = khm_setup__demo_files(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].dataset, dataset) == 0)
            return &f[i];
    fail_msg("no demo file for %s", dataset);
    return NULL;
}

static void make(const khm_demo_file *f, khm_buf *b)
{
    khm_buf_init(b, KHM_DEMO_FILE_MAX);
    if (f->make(b) != 0)
        fail_msg("%s: %s", f->name, khm_err_last()->message);
}

/* The @p col-th comma-separated cell of each data line (after the header) into @p out. */
static size_t column(const char *text, int col, char out[][64], size_t cap)
{
    size_t n = 0;
    const char *line = strchr(text, '\n');
    while (line && line[1] && n < cap) {
        const char *p = line + 1;
        for (int c = 0; c < col && p; c++) {
            p = strchr(p, ',');
            p = p ? p + 1 : NULL;
        }
        assert_non_null(p);
        size_t len = strcspn(p, ",\r\n");
        assert_true(len < 64);
        memcpy(out[n], p, len);
        out[n][len] = '\0';
        n++;
        line = strchr(line + 1, '\n');
    }
    return n;
}

static void test_demo_files__deterministic_and_small(void **state)
{
    (void)state;
    size_t n, total = 0;
    const khm_demo_file *f = khm_setup__demo_files(&n);
    assert_true(n >= 19);
    for (size_t i = 0; i < n; i++) {
        khm_buf a, b;
        make(&f[i], &a);
        make(&f[i], &b);
        assert_true(a.len > 300);
        assert_true(a.len <= 200 * 1024); /* a few KB to ~200 KB: init --demo stays fast */
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.ptr, b.ptr, a.len);
        assert_non_null(f[i].description);
        for (size_t k = 0; k < i; k++) /* one file per dataset */
            assert_string_not_equal(f[k].dataset, f[i].dataset);
        total += a.len;
        khm_buf_dispose(&a);
        khm_buf_dispose(&b);
    }
    assert_true(total < 1024 * 1024);
}

/* thai-rules.md §4.1: every synthetic national ID carries a valid check digit; none is the
 * planted subject (1101000000009) or the ID discovery must find nowhere (1101000000017). */
static void test_demo_files__national_ids_valid(void **state)
{
    (void)state;
    static char ids[500][64];
    khm_buf b;
    make(file_of("welfare-applicants"), &b);
    size_t n = column(b.ptr, 1, ids, 500);
    assert_int_equal(n, 400);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(strlen(ids[i]), 13);
        if (!khm_th_tnin_check(ids[i]))
            fail_msg("welfare row %zu: %s", i + 1, ids[i]);
        assert_string_not_equal(ids[i], "1101000000009");
        assert_string_not_equal(ids[i], "1101000000017");
    }
    khm_buf_dispose(&b);

    /* the migrated accounts: exactly rows 17, 33 and 61 fail the check digit; rows 30 and 55
     * share an ID, so do 5 and 70 */
    make(file_of("eservice-accounts-migration"), &b);
    n = column(b.ptr, 1, ids, 500);
    assert_int_equal(n, 80);
    for (size_t i = 0; i < n; i++) {
        int bad = i + 1 == 17 || i + 1 == 33 || i + 1 == 61;
        assert_int_equal(khm_th_tnin_check(ids[i]), !bad);
    }
    assert_string_equal(ids[29], ids[54]);
    assert_string_equal(ids[4], ids[69]);
    assert_non_null(strstr(b.ptr, ",31/02/2567,"));
    khm_buf_dispose(&b);

    /* the register's first row is the planted subject */
    make(file_of("chronic-patient-register"), &b);
    n = column(b.ptr, 0, ids, 500);
    assert_int_equal(n, 40);
    assert_string_equal(ids[0], "1101000000009");
    for (size_t i = 0; i < n; i++)
        assert_true(khm_th_tnin_check(ids[i]));
    khm_buf_dispose(&b);
}

/* Data-subject discovery (tests/api/discovery.test.mjs) finds the planted subject in exactly one
 * file; the subject of the demo access request is in the complaints of mdes. */
static void test_demo_files__planted_subject_once(void **state)
{
    (void)state;
    size_t n, holders = 0;
    const khm_demo_file *f = khm_setup__demo_files(&n);
    for (size_t i = 0; i < n; i++) {
        khm_buf b;
        make(&f[i], &b);
        if (strstr(b.ptr, "1101000000009")) {
            holders++;
            assert_string_equal(f[i].dataset, "chronic-patient-register");
        }
        assert_null(strstr(b.ptr, "1101000000017"));
        if (strcmp(f[i].dataset, "citizen-complaints") == 0)
            assert_non_null(strstr(b.ptr, "\"1103702071811\""));
        khm_buf_dispose(&b);
    }
    assert_int_equal(holders, 1);
}

/* The legacy export is TIS-620 (one byte per Thai character, 0xA1–0xFB), not UTF-8, and decodes
 * back to the Thai header; the complaints are JSON, one record a line. */
static void test_demo_files__encodings_and_formats(void **state)
{
    (void)state;
    khm_buf b;
    make(file_of("gdx-connected-agencies"), &b);
    size_t bom = 0;
    assert_int_equal(khm_enc_detect((const unsigned char *)b.ptr, b.len, &bom), KHM_ENC_TIS620);
    size_t bad_at = 0;
    assert_false(khm_utf8_valid(b.ptr, b.len, &bad_at));
    /* "รหัส" in TIS-620 */
    assert_memory_equal(b.ptr, "\xC3\xCB\xD1\xCA", 4);
    assert_non_null(strstr(b.ptr, "\r\n"));
    khm_buf_dispose(&b);

    make(file_of("citizen-complaints"), &b);
    size_t lines = 0;
    for (char *p = b.ptr, *e; *p; p = e + 1) {
        e = strchr(p, '\n');
        assert_non_null(e);
        json_error_t err;
        json_t *j = json_loadb(p, (size_t)(e - p), 0, &err);
        if (!j)
            fail_msg("complaints line %zu: %s", lines + 1, err.text);
        assert_non_null(json_object_get(json_object_get(j, "ผู้ร้องเรียน"), "ที่อยู่"));
        json_decref(j);
        lines++;
    }
    assert_int_equal(lines, 150);
    khm_buf_dispose(&b);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_demo_files__deterministic_and_small),
              cmocka_unit_test(test_demo_files__national_ids_valid),
              cmocka_unit_test(test_demo_files__planted_subject_once),
              cmocka_unit_test(test_demo_files__encodings_and_formats))
