/* Tests for src/lib/scan/profile.c: the dominant type of a column. */
#include "helpers.h"

static void test_scan_profile__dominant(void **state)
{
    (void)state;
    const char *s = "a,b\n0812345678,x\n0898765432,a@b.co\n1234567890121,\n";
    khm_scanner *sc = scanner_for(NULL);
    khm_scan_state *st = khm_scan_state_new(sc);
    khm_profile p;
    assert_int_equal(khm_scan_csv(sc, st, s, strlen(s), ',', &p, NULL, NULL), 4);
    assert_int_equal(khm_profile_dominant(&p, 0), khm_scan_detector_find("PHONE_NUMBER"));
    assert_int_equal(khm_profile_dominant(&p, 1), khm_scan_detector_find("EMAIL_ADDRESS"));
    assert_int_equal(p.cols[1].rows, 2); /* empty cells are not rows of a column */
    assert_int_equal(khm_profile_dominant(&p, 2), -1);
    assert_int_equal(khm_profile_dominant(NULL, 0), -1);
    khm_profile_dispose(&p);
    khm_profile_dispose(&p); /* twice is harmless */
    khm_scan_state_free(st);
    khm_scanner_free(sc);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_profile__dominant))
