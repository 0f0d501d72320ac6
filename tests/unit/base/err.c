/* Tests for src/lib/base/err.c: the thread-local last error, field errors, and the one table
 * that maps each code to HTTP status, problem type and CLI exit code. */
#include "unit.h"

#include <limits.h>
#include <pthread.h>

static int clear_err(void **state)
{
    (void)state;
    khm_err_clear();
    return 0;
}

static void test_base_err__set_returns_code_and_formats(void **state)
{
    (void)state;
    assert_int_equal(khm_err_set(KHM_ENOTFOUND, "no agency '%s' (%d)", "กรมป่าไม้", 7),
                     KHM_ENOTFOUND);
    const khm_error *e = khm_err_last();
    assert_int_equal(e->code, KHM_ENOTFOUND);
    assert_string_equal(e->message, "no agency 'กรมป่าไม้' (7)");
    size_t n = 99;
    khm_err_fields(&n);
    assert_int_equal(n, 0); /* not a validation error: no fields */
    assert_int_equal(khm_err_set(KHM_EIO, "disk"), KHM_EIO);
    assert_string_equal(khm_err_last()->message, "disk");
}

static void test_base_err__clear_forgets(void **state)
{
    (void)state;
    khm_err_field("slug", "รหัสย่อ", "too short");
    khm_err_clear();
    const khm_error *e = khm_err_last();
    assert_int_equal(e->code, KHM_OK);
    assert_non_null(e->message);
    assert_string_equal(e->message, "");
    size_t n = 99;
    khm_err_fields(&n);
    assert_int_equal(n, 0);
    /* a field error after a clear starts a new list with a generated summary */
    khm_err_field("name", "", "is required");
    assert_string_equal(khm_err_last()->message, "name: is required");
}

static void test_base_err__fields_accumulate(void **state)
{
    (void)state;
    assert_int_equal(
        khm_err_field("slug", "รหัสย่อต้องมี 2–32 ตัวอักษร", "must be %d to %d characters", 2, 32),
        KHM_EINVALID);
    assert_int_equal(khm_err_last()->code, KHM_EINVALID);
    assert_string_equal(khm_err_last()->message, "slug: must be 2 to 32 characters");
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].field, "slug");
    assert_string_equal(f[0].message, "must be 2 to 32 characters");
    assert_string_equal(f[0].message_th, "รหัสย่อต้องมี 2–32 ตัวอักษร");

    assert_int_equal(khm_err_field("name_th", NULL, "is required"), KHM_EINVALID);
    assert_string_equal(khm_err_last()->message, "2 fields are invalid");
    f = khm_err_fields(&n);
    assert_int_equal(n, 2);
    assert_string_equal(f[0].field, "slug"); /* order kept */
    assert_string_equal(f[1].field, "name_th");
    assert_string_equal(f[1].message, "is required");
    assert_string_equal(f[1].message_th, ""); /* NULL Thai becomes "" */

    khm_err_field("email", "อีเมลไม่ถูกต้อง", "not an e-mail address");
    assert_string_equal(khm_err_last()->message, "3 fields are invalid");
}

static void test_base_err__explicit_message_survives_fields(void **state)
{
    (void)state;
    khm_err_set(KHM_EINVALID, "unknown log level 'loud'");
    khm_err_field("log-level", "ระดับบันทึกไม่ถูกต้อง", "must be debug, info, warn or error");
    assert_string_equal(khm_err_last()->message, "unknown log level 'loud'");
    size_t n = 0;
    khm_err_fields(&n);
    assert_int_equal(n, 1);
    /* a different code replaces the validation error and its fields */
    khm_err_set(KHM_ENOTFOUND, "gone");
    khm_err_fields(&n);
    assert_int_equal(n, 0);
    khm_err_field("x", "", "bad");
    assert_string_equal(khm_err_last()->message, "x: bad");
    khm_err_fields(&n);
    assert_int_equal(n, 1);
}

static void test_base_err__stops_storing_after_max_but_counts(void **state)
{
    (void)state;
    for (int i = 0; i < KHM_ERR_MAX_FIELDS + 4; i++) {
        char name[16];
        snprintf(name, sizeof(name), "f%d", i);
        khm_err_field(name, "ไม่ถูกต้อง", "bad %d", i);
    }
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(n, KHM_ERR_MAX_FIELDS);
    assert_string_equal(f[0].field, "f0");
    assert_string_equal(f[KHM_ERR_MAX_FIELDS - 1].field, "f15");
    assert_string_equal(f[KHM_ERR_MAX_FIELDS - 1].message, "bad 15");
    char want[64];
    snprintf(want, sizeof(want), "%d fields are invalid", KHM_ERR_MAX_FIELDS + 4);
    assert_string_equal(khm_err_last()->message, want);
}

/* A long argument must be cut on a character boundary: messages end up in JSON. */
static void test_base_err__truncation_keeps_utf8_valid(void **state)
{
    (void)state;
    char th[3000] = "x"; /* one ASCII byte first so 3-byte letters straddle every limit */
    for (int i = 0; i < 900; i++)
        strcat(th, "ก");
    khm_err_set(KHM_EINVALID, "bad name '%s'", th);
    const char *m = khm_err_last()->message;
    assert_true(strlen(m) > 100);
    assert_true(khm_utf8_valid(m, strlen(m), NULL));

    khm_err_clear();
    khm_err_field(th, th, "unknown agency %s", th);
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(n, 1);
    assert_true(khm_utf8_valid(f[0].field, strlen(f[0].field), NULL));
    assert_true(khm_utf8_valid(f[0].message, strlen(f[0].message), NULL));
    assert_true(khm_utf8_valid(f[0].message_th, strlen(f[0].message_th), NULL));
    assert_true(strlen(f[0].message) > 100);
    m = khm_err_last()->message;
    assert_true(khm_utf8_valid(m, strlen(m), NULL));
}

struct want_row {
    int code, http, exit;
    const char *name;
};

static void test_base_err__table_has_every_code(void **state)
{
    (void)state;
    static const struct want_row want[] = {
        { KHM_OK, 200, 0, "OK" },
        { KHM_ERROR, 500, 1, "ERROR" },
        { KHM_ENOMEM, 500, 1, "ENOMEM" },
        { KHM_ENOTFOUND, 404, 3, "ENOTFOUND" },
        { KHM_EEXISTS, 409, 4, "EEXISTS" },
        { KHM_EINVALID, 400, 5, "EINVALID" },
        { KHM_ELIMIT, 413, 7, "ELIMIT" },
        { KHM_EDENIED, 403, 6, "EDENIED" },
        { KHM_EAUTH, 401, 6, "EAUTH" },
        { KHM_EIO, 500, 8, "EIO" },
        { KHM_EUNAVAIL, 503, 9, "EUNAVAIL" },
        { KHM_EMEDIA, 415, -1, "EMEDIA" }, /* HTTP only: exit code not documented */
        { KHM_EMETHOD, 405, -1, "EMETHOD" },
        { KHM_EUSAGE, 400, 2, "EUSAGE" },
        { KHM_ETAMPER, 409, 10, "ETAMPER" },
        { KHM_ESTALE, 412, 11, "ESTALE" },
        { KHM_EPRECOND, 428, 2, "EPRECOND" },
    };
    assert_int_equal(sizeof(want) / sizeof(want[0]), 1 - KHM_E__LAST);
    for (int code = KHM_OK; code >= KHM_E__LAST; code--) {
        const khm_err_info *r = khm_err_info_get(code);
        const struct want_row *w = &want[-code];
        assert_non_null(r);
        assert_int_equal(r->code, code);
        assert_int_equal(w->code, code);
        assert_int_equal(r->http_status, w->http);
        if (w->exit >= 0)
            assert_int_equal(r->exit_code, w->exit);
        assert_string_equal(r->name, w->name);
        assert_non_null(r->title);
        assert_true(r->title[0] != '\0');
        assert_non_null(r->title_th);
        assert_true(r->title_th[0] != '\0');
        assert_true(khm_utf8_valid(r->title_th, strlen(r->title_th), NULL));
        uint32_t cp = 0;
        khm_utf8_decode(r->title_th, strlen(r->title_th), &cp);
        assert_true(khm_utf8_is_thai(cp));
        if (code == KHM_OK) {
            assert_int_equal(r->exit_code, 0);
            continue;
        }
        assert_true(r->exit_code >= 1 && r->exit_code <= 11);
        assert_true(r->http_status >= 400 && r->http_status <= 599);
        assert_true(strncmp(r->type, "urn:khomun:problem:", 19) == 0);
        assert_true(strlen(r->type) > 19);
        for (int other = code + 1; other <= KHM_OK; other++)
            assert_string_not_equal(khm_err_info_get(other)->name, r->name);
    }
    assert_string_equal(khm_err_info_get(KHM_ENOTFOUND)->type, "urn:khomun:problem:not-found");
    assert_string_equal(khm_err_info_get(KHM_EINVALID)->type, "urn:khomun:problem:validation");
}

static void test_base_err__unknown_codes_map_to_error_row(void **state)
{
    (void)state;
    const khm_err_info *err = khm_err_info_get(KHM_ERROR);
    int unknown[] = { 1, 42, KHM_E__LAST - 1, -999, INT_MIN, INT_MAX };
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        assert_ptr_equal(khm_err_info_get(unknown[i]), err);
    assert_int_equal(err->http_status, 500);
    assert_string_equal(err->type, "urn:khomun:problem:internal");
}

static void *other_thread(void *arg)
{
    int *seen = arg;
    const khm_error *e = khm_err_last();
    seen[0] = e->code;
    seen[1] = e->message[0] == '\0';
    khm_err_set(KHM_EIO, "thread's own error");
    khm_err_field("a", "", "b"); /* replaces EIO with a validation error in this thread */
    size_t n = 0;
    khm_err_fields(&n);
    seen[2] = (int)n;
    return NULL;
}

static void test_base_err__is_thread_local(void **state)
{
    (void)state;
    khm_err_set(KHM_ENOTFOUND, "main thread's error");
    int seen[3] = { -1, -1, -1 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, other_thread, seen), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(seen[0], KHM_OK); /* a new thread starts with no error */
    assert_int_equal(seen[1], 1);
    assert_int_equal(seen[2], 1);
    assert_int_equal(khm_err_last()->code, KHM_ENOTFOUND); /* untouched here */
    assert_string_equal(khm_err_last()->message, "main thread's error");
    size_t n = 99;
    khm_err_fields(&n);
    assert_int_equal(n, 0);
}

KHM_UNIT_MAIN(cmocka_unit_test_setup(test_base_err__set_returns_code_and_formats, clear_err),
              cmocka_unit_test_setup(test_base_err__clear_forgets, clear_err),
              cmocka_unit_test_setup(test_base_err__fields_accumulate, clear_err),
              cmocka_unit_test_setup(test_base_err__explicit_message_survives_fields, clear_err),
              cmocka_unit_test_setup(test_base_err__stops_storing_after_max_but_counts, clear_err),
              cmocka_unit_test_setup(test_base_err__truncation_keeps_utf8_valid, clear_err),
              cmocka_unit_test(test_base_err__table_has_every_code),
              cmocka_unit_test(test_base_err__unknown_codes_map_to_error_row),
              cmocka_unit_test_setup(test_base_err__is_thread_local, clear_err))
