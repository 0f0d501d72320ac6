/* Tests for src/lib/access/user.c: user validation (every bad field reported at once),
 * creation with defaults, duplicates, JSON input and output. */
#include "unit.h"

static size_t field_count(void)
{
    size_t n = 0;
    khm_err_fields(&n);
    return n;
}

static int create(khm_test_env *e, khm_user *u, const khm_user_input *in)
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e->store, 1), 0);
    int rc = khm_user_create(tx, u, in, 1700000000000, e->arena);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    return rc;
}

static int64_t user_count(khm_test_env *e)
{
    khm_tx *tx;
    khm_user *items;
    size_t n;
    int more;
    assert_int_equal(khm_tx_begin(&tx, e->store, 0), 0);
    assert_int_equal(khm_store_user_list(tx, &items, &n, &more, NULL, NULL, e->arena), 0);
    khm_tx_rollback(tx);
    return (int64_t)n;
}

static void test_access_user__create_with_defaults(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_user u, got;
    khm_user_input in = {
        "somchai.j", "สมชาย ใจดี", "somchai@example.go.th", "demo", "analyst", NULL
    };
    assert_int_equal(create(&e, &u, &in), 0);
    assert_int_equal(u.clearance, KHM_LEVEL_INTERNAL); /* default */
    assert_int_equal(u.role, KHM_ROLE_ANALYST);
    assert_string_equal(u.agency_id, e.init.agency.id);
    assert_int_equal(u.disabled, 0);
    assert_true(u.created_at == 1700000000000);
    assert_true(khm_id_valid(u.id, 36));

    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_user_get(tx, &got, "somchai.j", e.arena), 0);
    khm_tx_rollback(tx);
    assert_string_equal(got.id, u.id);
    assert_string_equal(got.display_name, "สมชาย ใจดี");
    assert_string_equal(got.email, "somchai@example.go.th");

    /* agency by id, Thai clearance label, empty optional strings stored as NULL */
    khm_user_input in2 = { "u2", "", "", e.init.agency.id, "dpo", "ลับมาก" };
    assert_int_equal(create(&e, &u, &in2), 0);
    assert_int_equal(u.clearance, KHM_LEVEL_SECRET);
    assert_null(u.display_name);
    assert_null(u.email);
    khm_test_env_close(&e);
}

static void test_access_user__every_bad_field_reported(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_user u;
    char longname[202 * 3 + 1];
    for (int i = 0; i < 201; i++)
        memcpy(longname + i * 3, "ข", 3);
    longname[201 * 3] = '\0';
    khm_user_input in = { "Bad Name", longname, "not-an-email", "nowhere", "king", "ultra" };
    assert_int_equal(create(&e, &u, &in), KHM_EINVALID);
    assert_int_equal(field_count(), 6);
    assert_true(has_field("name"));
    assert_true(has_field("display_name"));
    assert_true(has_field("email"));
    assert_true(has_field("agency"));
    assert_true(has_field("role"));
    assert_true(has_field("clearance"));
    assert_non_null(strstr(khm_err_last()->message, "6"));

    /* all missing */
    khm_user_input none = { NULL, NULL, NULL, NULL, NULL, NULL };
    assert_int_equal(create(&e, &u, &none), KHM_EINVALID);
    assert_int_equal(field_count(), 3);
    assert_true(has_field("name"));
    assert_true(has_field("role"));
    assert_true(has_field("agency"));
    assert_int_equal(user_count(&e), 1); /* nothing written */
    khm_test_env_close(&e);
}

static void test_access_user__unknown_agency_is_field_agency(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_user u;
    khm_user_input in = { "someone", NULL, NULL, "no-such-agency", "owner", NULL };
    assert_int_equal(create(&e, &u, &in), KHM_EINVALID);
    assert_int_equal(field_count(), 1);
    assert_true(has_field("agency"));
    assert_non_null(strstr(khm_err_last()->message, "no-such-agency"));
    khm_test_env_close(&e);
}

static void test_access_user__name_rules(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_user u;
    char n63[64], n64[65];
    memset(n63, 'a', 63);
    n63[63] = '\0';
    memset(n64, 'a', 64);
    n64[64] = '\0';
    const char *ok[] = { "ab", "a.b", "a_b", "a-b", "0abc", "x9", n63 };
    const char *bad[] = { "a", "", "Ab", ".ab", "-ab", "_ab", "a b", "a@b", "สมชาย", n64, "ab/" };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        khm_user_input in = { ok[i], NULL, NULL, "demo", "auditor", NULL };
        if (create(&e, &u, &in) != 0)
            fail_msg("name '%s' refused: %s", ok[i], khm_err_last()->message);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_user_input in = { bad[i], NULL, NULL, "demo", "auditor", NULL };
        if (create(&e, &u, &in) != KHM_EINVALID)
            fail_msg("name '%s' accepted", bad[i]);
        assert_int_equal(field_count(), 1);
        assert_true(has_field("name"));
    }
    khm_test_env_close(&e);
}

static void test_access_user__email_rules(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_user u;
    const char *bad[] = { "@x", "x@", "a@b@c", "a b@c", "a@b\tc", "noat" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_user_input in = { "mail.user", NULL, bad[i], "demo", "auditor", NULL };
        if (create(&e, &u, &in) != KHM_EINVALID)
            fail_msg("email '%s' accepted", bad[i]);
        assert_true(has_field("email"));
    }
    khm_user_input in = { "mail.user", NULL, "ผู้ใช้@ตัวอย่าง.ไทย", "demo", "auditor", NULL };
    assert_int_equal(create(&e, &u, &in), 0);
    khm_test_env_close(&e);
}

static void test_access_user__duplicate_is_eexists(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_user u;
    khm_user_input in = { "admin", NULL, NULL, "demo", "auditor", NULL };
    assert_int_equal(create(&e, &u, &in), KHM_EEXISTS);
    assert_non_null(strstr(khm_err_last()->message, "admin"));
    assert_int_equal(user_count(&e), 1);
    khm_test_env_close(&e);
}

static void test_access_user__to_json_key_set(void **state)
{
    (void)state;
    static const char *const keys[] = { "id",        "name",      "display_name",
                                        "email",     "agency_id", "role",
                                        "clearance", "disabled",  "created_at" };
    khm_user u;
    memset(&u, 0, sizeof(u));
    khm_id_new(u.id);
    khm_id_new(u.agency_id);
    u.name = "x.y";
    u.role = KHM_ROLE_DPO;
    u.clearance = KHM_LEVEL_TOP_SECRET;
    u.disabled = 1;
    u.created_at = 1700000000000;
    json_t *j = khm_user_to_json(&u);
    assert_non_null(j);
    assert_int_equal(json_object_size(j), sizeof(keys) / sizeof(keys[0]));
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (!json_object_get(j, keys[i]))
            fail_msg("key '%s' missing", keys[i]);
    assert_string_equal(json_string_value(json_object_get(j, "role")), "dpo");
    assert_string_equal(json_string_value(json_object_get(j, "clearance")), "top_secret");
    assert_true(json_is_true(json_object_get(j, "disabled")));
    assert_true(json_is_null(json_object_get(j, "display_name")));
    assert_true(json_is_null(json_object_get(j, "email")));
    assert_string_equal(json_string_value(json_object_get(j, "agency_id")), u.agency_id);
    assert_string_equal(json_string_value(json_object_get(j, "created_at")),
                        "2023-11-14T22:13:20.000Z");
    json_decref(j);
}

static void test_access_user__input_from_json(void **state)
{
    (void)state;
    khm_user_input in;
    json_t *b = json_pack("{s:s, s:s, s:s, s:n}", "name", "a.b", "agency", "demo", "role", "owner",
                          "email");
    assert_int_equal(khm_user_input_from_json(&in, b), 0);
    assert_string_equal(in.name, "a.b");
    assert_string_equal(in.agency, "demo");
    assert_string_equal(in.role, "owner");
    assert_null(in.email);
    assert_null(in.clearance);
    json_decref(b);

    b = json_pack("{s:i, s:s, s:b}", "name", 5, "agency", "demo", "admin", 1);
    khm_err_clear();
    assert_int_equal(khm_user_input_from_json(&in, b), KHM_EINVALID);
    assert_true(has_field("name"));
    assert_true(has_field("admin"));
    json_decref(b);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_access_user__create_with_defaults),
              cmocka_unit_test(test_access_user__every_bad_field_reported),
              cmocka_unit_test(test_access_user__unknown_agency_is_field_agency),
              cmocka_unit_test(test_access_user__name_rules),
              cmocka_unit_test(test_access_user__email_rules),
              cmocka_unit_test(test_access_user__duplicate_is_eexists),
              cmocka_unit_test(test_access_user__to_json_key_set),
              cmocka_unit_test(test_access_user__input_from_json))
