/* Tests for src/lib/access/role.c: role, level and scope names and Thai labels, parsing, and
 * the fixed role→scope map. */
#include "unit.h"

static void test_access_role__role_names_labels_parse(void **state)
{
    (void)state;
    static const char *const names[KHM_ROLE__COUNT] = { "admin",     "dpo",     "owner",  "steward",
                                                        "custodian", "analyst", "auditor" };
    for (int i = 0; i < KHM_ROLE__COUNT; i++) {
        int r = -1;
        assert_string_equal(khm_role_name(i), names[i]);
        assert_non_null(khm_role_label_th(i));
        assert_true(khm_utf8_valid(khm_role_label_th(i), strlen(khm_role_label_th(i)), NULL));
        assert_int_equal(khm_role_parse(names[i], &r), 0);
        assert_int_equal(r, i);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(khm_role_label_th(i), khm_role_label_th(j));
    }
    assert_string_equal(khm_role_label_th(KHM_ROLE_ADMIN), "ผู้ดูแลระบบ");
    assert_string_equal(khm_role_label_th(KHM_ROLE_DPO), "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล");
    assert_string_equal(khm_role_label_th(KHM_ROLE_OWNER), "เจ้าของข้อมูล"); /* §2.5 */
    assert_string_equal(khm_role_label_th(KHM_ROLE_STEWARD), "บริกรข้อมูล");
}

static void test_access_role__role_parse_rejects_unknown(void **state)
{
    (void)state;
    static const char *const bad[] = { "Admin", "", "root", "admin ", "ผู้ดูแลระบบ" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int r = 42;
        khm_err_clear();
        assert_int_equal(khm_role_parse(bad[i], &r), KHM_EINVALID);
        assert_int_equal(r, 42);
        size_t n;
        const khm_field_error *f = khm_err_fields(&n);
        assert_int_equal(n, 1);
        assert_string_equal(f[0].field, "role");
        assert_non_null(strstr(f[0].message, "auditor")); /* lists the allowed names */
    }
    int r;
    khm_err_clear();
    assert_int_equal(khm_role_parse(NULL, &r), KHM_EINVALID);
}

static void test_access_role__level_names_thai_labels_parse(void **state)
{
    (void)state;
    /* thai-rules.md §2.3, stored exactly */
    static const char *const names[KHM_LEVEL__COUNT] = { "public", "internal", "confidential",
                                                         "secret", "top_secret" };
    static const char *const th[KHM_LEVEL__COUNT] = { "เปิดเผย", "ชั้นเผยแพร่ภายในองค์กร", "ลับ", "ลับมาก",
                                                      "ลับที่สุด" };
    for (int i = 0; i < KHM_LEVEL__COUNT; i++) {
        int l = -1;
        assert_string_equal(khm_level_name(i), names[i]);
        assert_string_equal(khm_level_label_th(i), th[i]);
        assert_int_equal(khm_level_parse(names[i], &l), 0);
        assert_int_equal(l, i);
        l = -1;
        assert_int_equal(khm_level_parse(th[i], &l), 0);
        assert_int_equal(l, i);
    }
    /* ordered: a higher clearance reads a lower level */
    assert_true(KHM_LEVEL_PUBLIC < KHM_LEVEL_INTERNAL);
    assert_true(KHM_LEVEL_SECRET < KHM_LEVEL_TOP_SECRET);
    int l = 9;
    khm_err_clear();
    assert_int_equal(khm_level_parse("ลับสุดยอด", &l), KHM_EINVALID);
    assert_int_equal(l, 9);
    size_t n;
    assert_string_equal(khm_err_fields(&n)[0].field, "clearance");
    assert_int_equal(khm_level_parse("Public", &l), KHM_EINVALID);
    assert_int_equal(khm_level_parse(NULL, &l), KHM_EINVALID);
}

static void test_access_role__scope_names(void **state)
{
    (void)state;
    static const char *const names[KHM_SCOPE__COUNT] = {
        "public",     "self",       "agency:read", "agency:write", "user:read",
        "user:write", "token:read", "token:write", "audit:read",
    };
    for (int i = 0; i < KHM_SCOPE__COUNT; i++)
        assert_string_equal(khm_scope_name(i), names[i]);
}

static void test_access_role__scope_map(void **state)
{
    (void)state;
    uint64_t all = (1ULL << KHM_SCOPE__COUNT) - 1;
    uint64_t everyone = (1ULL << KHM_SCOPE_PUBLIC) | (1ULL << KHM_SCOPE_SELF);
    assert_true(khm_role_scopes(KHM_ROLE_ADMIN) == all);
    for (int s = 0; s < KHM_SCOPE__COUNT; s++)
        assert_int_equal(khm_role_has_scope(KHM_ROLE_ADMIN, s), 1);
    /* the audit trail is readable by the auditor and the DPO too (issue 6; PDPA s.37, s.41) */
    uint64_t audit = 1ULL << KHM_SCOPE_AUDIT_READ;
    for (int r = 1; r < KHM_ROLE__COUNT; r++) {
        uint64_t want = everyone | (r == KHM_ROLE_AUDITOR || r == KHM_ROLE_DPO ? audit : 0);
        assert_true(khm_role_scopes(r) == want);
        for (int s = 0; s < KHM_SCOPE__COUNT; s++)
            assert_int_equal(khm_role_has_scope(r, s), (want >> s) & 1);
    }
}

static void test_access_role__out_of_range(void **state)
{
    (void)state;
    static const int bad[] = { -1, -1000, 1 << 30 };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_null(khm_role_name(bad[i]));
        assert_null(khm_role_label_th(bad[i]));
        assert_null(khm_level_name(bad[i]));
        assert_null(khm_level_label_th(bad[i]));
        assert_null(khm_scope_name(bad[i]));
        assert_true(khm_role_scopes(bad[i]) == 0);
        assert_int_equal(khm_role_has_scope(bad[i], KHM_SCOPE_PUBLIC), 0);
        assert_int_equal(khm_role_has_scope(KHM_ROLE_ADMIN, bad[i]), 0);
    }
    assert_null(khm_role_name(KHM_ROLE__COUNT));
    assert_null(khm_level_name(KHM_LEVEL__COUNT));
    assert_null(khm_level_label_th(KHM_LEVEL__COUNT));
    assert_null(khm_scope_name(KHM_SCOPE__COUNT));
    assert_true(khm_role_scopes(KHM_ROLE__COUNT) == 0);
    assert_int_equal(khm_role_has_scope(KHM_ROLE_ADMIN, KHM_SCOPE__COUNT), 0);
    assert_int_equal(khm_role_has_scope(KHM_ROLE_ADMIN, 63), 0);
    assert_int_equal(khm_role_has_scope(KHM_ROLE_ADMIN, 64), 0);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_access_role__role_names_labels_parse),
              cmocka_unit_test(test_access_role__role_parse_rejects_unknown),
              cmocka_unit_test(test_access_role__level_names_thai_labels_parse),
              cmocka_unit_test(test_access_role__scope_names),
              cmocka_unit_test(test_access_role__scope_map),
              cmocka_unit_test(test_access_role__out_of_range))
