/* Tests for src/lib/scan/gazetteer.c: the embedded Thai address gazetteer (provinces, districts,
 * sub-districts, postcodes; data/gazetteer/SOURCE.md) and its lookups. */
#include "helpers.h"

#include "gazetteer.h"

#include <pthread.h>

static int id_of(int kind, const char *s)
{
    return khm_gz_find(kind, s, strlen(s));
}

static void test_scan_gazetteer__complete(void **state)
{
    (void)state;
    /* the TSV of the build, row for row: 77 provinces, 900-odd districts, 7,000-odd rows */
    FILE *f = fopen("data/gazetteer/th-subdistricts.tsv", "r");
    assert_non_null(f); /* run from the repository root */
    char line[512];
    size_t rows = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#')
            continue;
        rows++;
        char *p = strtok(line, "\t\n"), *d = strtok(NULL, "\t\n"), *s = strtok(NULL, "\t\n");
        assert_non_null(s);
        assert_true(id_of(KHM_GZ_PROVINCE, p) >= 0);
        assert_true(id_of(KHM_GZ_DISTRICT, d) >= 0);
        assert_true(id_of(KHM_GZ_SUBDISTRICT, s) >= 0);
        assert_true(khm_gz_consistent(id_of(KHM_GZ_PROVINCE, p), id_of(KHM_GZ_DISTRICT, d),
                                      id_of(KHM_GZ_SUBDISTRICT, s), 0));
    }
    fclose(f);
    assert_int_equal(khm_gz_rows(), rows);
    assert_true(rows > 7000);
    assert_int_equal(khm_gz_names(KHM_GZ_PROVINCE), 77);
    assert_true(khm_gz_names(KHM_GZ_DISTRICT) > 900);
    size_t n;
    const char *s = khm_gz_name(KHM_GZ_PROVINCE, id_of(KHM_GZ_PROVINCE, "นนทบุรี"), &n);
    assert_non_null(s);
    assert_memory_equal(s, "นนทบุรี", n);
    assert_null(khm_gz_name(KHM_GZ_PROVINCE, 77, &n));
    assert_int_equal(id_of(KHM_GZ_PROVINCE, "นนทบุร"), -1);
    assert_int_equal(id_of(KHM_GZ_PROVINCE, "Nonthaburi"), -1);
}

static void test_scan_gazetteer__consistent(void **state)
{
    (void)state;
    int non = id_of(KHM_GZ_PROVINCE, "นนทบุรี"), bkk = id_of(KHM_GZ_PROVINCE, "กรุงเทพมหานคร");
    int pk = id_of(KHM_GZ_DISTRICT, "ปากเกร็ด"), pt = id_of(KHM_GZ_DISTRICT, "พญาไท");
    int bp = id_of(KHM_GZ_SUBDISTRICT, "บางพูด"), ssn = id_of(KHM_GZ_SUBDISTRICT, "สามเสนใน");
    assert_true(non >= 0 && bkk >= 0 && pk >= 0 && pt >= 0 && bp >= 0 && ssn >= 0);
    /* ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี 11120 */
    assert_true(khm_gz_consistent(non, pk, bp, 11120));
    assert_true(khm_gz_consistent(non, pk, -1, 11120));
    assert_true(khm_gz_consistent(-1, -1, bp, 11120));
    assert_true(khm_gz_consistent(non, -1, -1, 11120));
    assert_true(khm_gz_consistent(-1, -1, -1, 11120));
    assert_false(khm_gz_consistent(non, pk, bp, 10400)); /* wrong postcode */
    assert_false(khm_gz_consistent(bkk, pk, bp, 11120)); /* wrong province */
    assert_false(khm_gz_consistent(non, pt, bp, 11120)); /* wrong district */
    assert_false(khm_gz_consistent(bkk, pt, bp, 0));     /* sub-district of another district */
    assert_false(khm_gz_consistent(-1, -1, -1, 0));      /* nothing given */
    assert_false(khm_gz_consistent(-1, -1, -1, 99999));  /* no such postcode */
    assert_false(khm_gz_consistent(non, -1, -1, 10400)); /* Bangkok's postcode */
    /* แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 10400 */
    assert_true(khm_gz_consistent(bkk, pt, ssn, 10400));
    /* อ.เมือง: the capital district of the province */
    assert_true(khm_gz_consistent(non, KHM_GZ_MUEANG, id_of(KHM_GZ_SUBDISTRICT, "บางกระสอ"), 0));
    assert_false(khm_gz_consistent(non, KHM_GZ_MUEANG, bp, 0));
    int ayu = id_of(KHM_GZ_PROVINCE, "พระนครศรีอยุธยา");
    assert_true(khm_gz_consistent(ayu, KHM_GZ_MUEANG, -1, 13000));
    assert_true(khm_gz_postcode_known(11120));
    assert_false(khm_gz_postcode_known(11121));
    assert_false(khm_gz_postcode_known(0));
}

static void test_scan_gazetteer__prefixes(void **state)
{
    (void)state;
    khm_gz_hit h[4];
    const char *t = "บางพูด อ.ปากเกร็ด";
    size_t n = khm_gz_prefixes(KHM_GZ_SUBDISTRICT, (const unsigned char *)t, strlen(t), h, 4);
    assert_true(n >= 1);
    assert_int_equal(h[0].len, strlen("บางพูด"));
    assert_int_equal(h[0].id, id_of(KHM_GZ_SUBDISTRICT, "บางพูด"));
    for (size_t k = 1; k < n; k++) /* longest first */
        assert_true(h[k].len < h[k - 1].len);
    /* glued to what follows, and only at character boundaries */
    t = "ปากเกร็ดจ.นนทบุรี";
    n = khm_gz_prefixes(KHM_GZ_DISTRICT, (const unsigned char *)t, strlen(t), h, 4);
    assert_true(n >= 1);
    assert_int_equal(h[0].len, strlen("ปากเกร็ด"));
    t = "กรุงเทพมหานคร";
    n = khm_gz_prefixes(KHM_GZ_PROVINCE, (const unsigned char *)t, strlen(t) - 1, h, 4);
    assert_int_equal(n, 0); /* cut inside the last character */
    assert_int_equal(khm_gz_prefixes(KHM_GZ_PROVINCE, (const unsigned char *)"xyz", 3, h, 4), 0);
    assert_int_equal(khm_gz_prefixes(7, (const unsigned char *)t, strlen(t), h, 4), 0);
}

static void *lookup_many(void *arg)
{
    (void)arg;
    for (int k = 0; k < 1000; k++)
        if (!khm_gz_consistent(-1, -1, -1, 11120))
            return (void *)1;
    return NULL;
}

static void test_scan_gazetteer__threads(void **state)
{
    (void)state;
    /* the first use from several threads at once builds the index once (run under TSan too) */
    pthread_t t[4];
    for (int k = 0; k < 4; k++)
        assert_int_equal(pthread_create(&t[k], NULL, lookup_many, NULL), 0);
    for (int k = 0; k < 4; k++) {
        void *r;
        assert_int_equal(pthread_join(t[k], &r), 0);
        assert_null(r);
    }
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_gazetteer__threads),
              cmocka_unit_test(test_scan_gazetteer__complete),
              cmocka_unit_test(test_scan_gazetteer__consistent),
              cmocka_unit_test(test_scan_gazetteer__prefixes))
