/* Tests for src/lib/scan/detectors.c: walk the detector table (style.md §2.7): unique names, a
 * matcher, a trigger, context words, a summary and a page docs/detectors/<NAME>.md each, and a
 * row for every page. Run from the repository root. */
#include "helpers.h"

#include <dirent.h>

static void test_scan_detectors__rows(void **state)
{
    (void)state;
    assert_true(khm_scan_detector_count() > 0);
    assert_int_equal(khm_scan_detector_count(), khm_detector_count);
    for (size_t i = 0; i < khm_detector_count; i++) {
        const khm_detector *d = &khm_detectors[i];
        assert_non_null(d->name);
        assert_non_null(d->fn);
        assert_true(d->trig != 0);
        assert_non_null(d->context);
        assert_non_null(d->context[0]);
        assert_true(d->summary && *d->summary);
        assert_true(d->pdpa == KHM_PDPA_NONE || d->pdpa == KHM_PDPA_PERSONAL ||
                    d->pdpa == KHM_PDPA_SENSITIVE);
        assert_true(d->boost > 0 && d->boost < 0.5);
        assert_int_equal(khm_scan_detector_find(d->name), (int)i);
        assert_string_equal(khm_scan_detector_name(i), d->name);
        assert_int_equal(khm_scan_detector_pdpa(i), d->pdpa);
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->name, khm_detectors[j].name) == 0)
                fail_msg("detector '%s' appears twice", d->name);
        char path[256];
        snprintf(path, sizeof(path), "docs/detectors/%s.md", d->name);
        FILE *f = fopen(path, "rb");
        if (!f)
            fail_msg("detector '%s': page %s is missing", d->name, path);
        fclose(f);
    }
    assert_null(khm_scan_detector_name(khm_detector_count));
    assert_int_equal(khm_scan_detector_pdpa(khm_detector_count), KHM_PDPA_NONE);
    assert_int_equal(khm_scan_detector_find("nosuch"), -1);
    assert_int_equal(khm_scan_detector_find(NULL), -1);
}

static void test_scan_detectors__every_page_has_row(void **state)
{
    (void)state;
    DIR *d = opendir("docs/detectors");
    if (!d)
        fail_msg("cannot open docs/detectors (run from the repository root)");
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 ||
            strcmp(e->d_name, "README.md") == 0)
            continue;
        char name[256];
        snprintf(name, sizeof(name), "%.*s", (int)(len - 3), e->d_name);
        if (khm_scan_detector_find(name) < 0)
            fail_msg("docs/detectors/%s has no row in the detector table", e->d_name);
    }
    closedir(d);
}

static void test_scan_detectors__pdpa_names(void **state)
{
    (void)state;
    assert_string_equal(khm_pdpa_name(KHM_PDPA_PERSONAL), "personal");
    assert_string_equal(khm_pdpa_name(KHM_PDPA_SENSITIVE), "sensitive");
    assert_string_equal(khm_pdpa_name(KHM_PDPA_NONE), "none");
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_detectors__rows),
              cmocka_unit_test(test_scan_detectors__every_page_has_row),
              cmocka_unit_test(test_scan_detectors__pdpa_names))
