/* Tests for src/lib/pdpa/subject.c: one validation, one canonical form and one pseudonymous token
 * for every data-subject identifier (PDPA pseudonymisation, thai-rules.md §1.12), shared by
 * consent records (§1.5 s.19) and data-subject requests (§1.6 s.30), so a request's subject is
 * found among the consent records by its token alone. */
#include "unit.h"

#include <khomun/subject.h>

static void canon_is(int type, const char *id, const char *want)
{
    char buf[KHM_SUBJECT_CANON_LEN];
    khm_err_clear();
    int n = khm_subject_canonical(buf, sizeof(buf), type, id, "subject");
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(buf, want);
}

static void refused(int type, const char *id)
{
    char buf[KHM_SUBJECT_CANON_LEN];
    khm_err_clear();
    assert_int_equal(khm_subject_canonical(buf, sizeof(buf), type, id, "subject"), KHM_EINVALID);
    assert_true(has_field("subject"));
    /* the identifier is the personal data itself: never in a message */
    size_t nf = 0;
    const khm_field_error *f = khm_err_fields(&nf);
    if (id && strlen(id) >= 4)
        for (size_t i = 0; i < nf; i++)
            if (strstr(f[i].message, id))
                fail_msg("message quotes the identifier: %s", f[i].message);
    assert_int_equal(khm_subject_normalise(buf, sizeof(buf), type, id), -1);
}

static void test_pdpa_subject__canonical_forms(void **state)
{
    (void)state;
    /* a national ID in every common grouping is one subject */
    canon_is(KHM_SUBJECT_TNIN, "1101000000009", "tnin:1101000000009");
    canon_is(KHM_SUBJECT_TNIN, " 1-1010-00000-00-9 ", "tnin:1101000000009");
    canon_is(KHM_SUBJECT_TNIN, "1 1010 00000 00 9", "tnin:1101000000009");
    canon_is(KHM_SUBJECT_EMAIL, " Somchai@Example.GO.th\t", "email:somchai@example.go.th");
    canon_is(KHM_SUBJECT_PHONE, "+66 81-234-5678", "phone:0812345678");
    canon_is(KHM_SUBJECT_PHONE, "66812345678", "phone:0812345678");
    canon_is(KHM_SUBJECT_PHONE, "(02) 141.6747", "phone:021416747");
    canon_is(KHM_SUBJECT_OTHER, "  HN-2567-0042 ", "other:HN-2567-0042");
    char out[KHM_SUBJECT_CANON_LEN];
    assert_int_equal(khm_subject_normalise(out, sizeof(out), KHM_SUBJECT_TNIN, "1-1010-00000-00-9"),
                     0);
    assert_string_equal(out, "1101000000009");
}

static void test_pdpa_subject__refusals_name_field_not_value(void **state)
{
    (void)state;
    refused(KHM_SUBJECT_TNIN, "1101000000008");  /* check digit (mod 11) */
    refused(KHM_SUBJECT_TNIN, "110100000000");   /* 12 digits */
    refused(KHM_SUBJECT_TNIN, "11010000000091"); /* 14 digits */
    refused(KHM_SUBJECT_TNIN, "1101-0000-0000A");
    refused(KHM_SUBJECT_EMAIL, "somchai.example.go.th");
    refused(KHM_SUBJECT_EMAIL, "a@b@c.th");
    refused(KHM_SUBJECT_EMAIL, "somchai@localhost");
    refused(KHM_SUBJECT_EMAIL, "som chai@example.go.th");
    refused(KHM_SUBJECT_PHONE, "+1 555 0100");
    refused(KHM_SUBJECT_PHONE, "923456789"); /* no leading 0 */
    refused(KHM_SUBJECT_PHONE, "08123456789012");
    refused(KHM_SUBJECT_OTHER, "   ");
    refused(KHM_SUBJECT_TNIN, NULL);
    char big[400];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    refused(KHM_SUBJECT_OTHER, big);
    int t = -1;
    assert_int_equal(khm_subject_type_parse("national_id", "subject_type", &t), 0);
    assert_int_equal(t, KHM_SUBJECT_TNIN);
    assert_int_equal(khm_subject_type_parse("phone", "subject_type", &t), 0);
    assert_int_equal(t, KHM_SUBJECT_PHONE);
    khm_err_clear();
    assert_int_equal(khm_subject_type_parse("passport", "subject_type", &t), KHM_EINVALID);
    assert_true(has_field("subject_type"));
}

/* The request's hex token and the consent's binary token are the same HMAC: a request finds
 * its subject's consent records without the identifier. Per agency: two agencies, two tokens. */
static void test_pdpa_subject__one_token_per_agency(void **state)
{
    (void)state;
    khm_keys k;
    khm_pseudonymizer p;
    unsigned char key[KHM_KEY_LEN], bin[32];
    char hex[KHM_SUBJECT_TOKEN_LEN], a[KHM_SUBJECT_TOKEN_LEN], b[KHM_SUBJECT_TOKEN_LEN];
    const char *ag1 = "01900000-0000-7000-8000-000000000001";
    const char *ag2 = "01900000-0000-7000-8000-000000000002";
    memset(&k, 0x5a, sizeof(k));
    khm_keys_agency_pseudonym(&k, ag1, key);
    khm_pseudonymizer_init(&p, key);
    assert_int_equal(khm_consent_subject_token(&p, KHM_SUBJECT_TNIN, "1101000000009", "s", bin), 0);
    sodium_bin2hex(hex, sizeof(hex), bin, sizeof(bin));
    assert_int_equal(
        khm_subject_token(a, &k, ag1, KHM_SUBJECT_TNIN, "1-1010-00000-00-9", "subject"), 0);
    assert_string_equal(a, hex);
    /* the HMAC is over "tnin:<digits>" (RFC 2104 by libsodium as the reference) */
    unsigned char ref[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, sizeof(key));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)"tnin:1101000000009", 18);
    crypto_auth_hmacsha256_final(&st, ref);
    assert_memory_equal(ref, bin, 32);
    assert_int_equal(khm_subject_token(b, &k, ag2, KHM_SUBJECT_TNIN, "1101000000009", "subject"),
                     0);
    assert_string_not_equal(a, b);
    /* the type is part of the message: the same digits as "other" are another subject */
    assert_int_equal(khm_subject_token(b, &k, ag1, KHM_SUBJECT_OTHER, "1101000000009", "subject"),
                     0);
    assert_string_not_equal(a, b);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_pdpa_subject__canonical_forms),
              cmocka_unit_test(test_pdpa_subject__refusals_name_field_not_value),
              cmocka_unit_test(test_pdpa_subject__one_token_per_agency))
