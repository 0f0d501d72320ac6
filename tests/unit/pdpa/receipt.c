/* Tests for src/lib/pdpa/receipt.c: Kantara v1.1 consent receipts, their detached-JWS signature
 * over the JCS form, and the offline verifier. Every member of a signed receipt is tampered with
 * in turn and must be caught; the canonical-form claim (re-indented, re-ordered documents still
 * verify) is checked, as are RFC 8785's ordering rules, Thai text and bad input.
 *
 * With KHM_RECEIPT_FIXTURES=DIR in the environment this program instead writes the sample
 * receipts (a fixed TEST key, never an installation key) into DIR and exits: that is how
 * tests/fixtures/receipts/ is made, and how tests/cross/receipt_schema.test.mjs gets fresh ones
 * from the real library. Run from the repository root (the committed fixtures are compared). */
#include "unit.h"

#include <khomun/receipt.h>

#include <sys/stat.h>

/* ---- the samples -------------------------------------------------------------------------- */

/* TEST KEY: Ed25519 from the seed below. It is published in the repository; it signs nothing
 * but test fixtures. */
static const char test_seed[32] = "khomun receipt TEST key, public";

static void test_keys(unsigned char sk[64], unsigned char pk[32])
{
    crypto_sign_seed_keypair(pk, sk, (const unsigned char *)test_seed);
}

static const char *const pii_th[] = { "TH_TNIN", "PHONE_NUMBER", "EMAIL_ADDRESS", "HEALTH",
                                      "PERSON" };
static const char *const spi_th[] = { "HEALTH" };
static const char *const third_th[] = { "สำนักงานหลักประกันสุขภาพแห่งชาติ (สปสช.)", "โรงพยาบาลศิริราช" };
static const char *const pii_en[] = { "TH_TNIN", "PHONE_NUMBER" };

/* A Thai receipt of explicit consent to sensitive (health) data, with a DPO, recipients,
 * retention, an expiry and a guardian (a minor: s.20). */
static khm_receipt sample_th(void)
{
    khm_receipt r = { 0 };
    r.receipt_id = "019a2b3c-4d5e-7f60-8a1b-2c3d4e5f6a7b";
    r.consent_id = "019a2b3c-4d5e-7f60-8a1b-000000000001";
    r.event = "given";
    r.ts_ms = 1767225600123; /* 2026-01-01T00:00:00.123Z */
    r.collection_method = "electronic";
    r.subject = "3f1c6e0b9a8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c";
    r.language = "th";
    r.agency_id = "moph";
    r.agency_name_th = "กรมควบคุมโรค";
    r.agency_name_en = "Department of Disease Control";
    r.contact = "ศูนย์บริการข้อมูล";
    r.address = "88/21 ถนนติวานนท์ ตำบลตลาดขวัญ อำเภอเมืองนนทบุรี จังหวัดนนทบุรี 11000";
    r.email = "info@ddc.example.go.th";
    r.phone = "+66 2 590 3000";
    r.url = "https://ddc.example.go.th";
    r.dpo_name = "นางสาวสมหญิง ใจดี";
    r.dpo_email = "dpo@ddc.example.go.th";
    r.dpo_phone = "+66 2 590 3333";
    r.policy_url = "https://ddc.example.go.th/privacy";
    r.purpose_code = "vaccination-record";
    r.purpose_name_th = "บันทึกประวัติการรับวัคซีน";
    r.purpose_name_en = "Vaccination record";
    r.text_version = 3;
    r.lawful_basis = "consent";
    r.explicit_consent = 1;
    r.sensitive = 1;
    r.pii_categories = pii_th;
    r.n_pii = 5;
    r.spi_categories = spi_th;
    r.n_spi = 1;
    r.third_parties = third_th;
    r.n_third = 2;
    r.retention_days = 3650;
    r.expires_at_ms = 1798761600000; /* 2027-01-01 */
    r.guardian = "มารดา";
    return r;
}

/* An English receipt of a withdrawal, no sensitive data, no recipients, and an agency without a
 * DPO (the s.41 gap shows as "dpo": null). */
static khm_receipt sample_en(void)
{
    khm_receipt r = { 0 };
    r.receipt_id = "019a2b3c-4d5e-7f60-8a1b-2c3d4e5f6a7c";
    r.consent_id = "019a2b3c-4d5e-7f60-8a1b-000000000002";
    r.event = "withdrawn";
    r.ts_ms = 1767312000000;
    r.collection_method = "written";
    r.subject = "0000000000000000000000000000000000000000000000000000000000000abc";
    r.language = "en";
    r.agency_id = "demo";
    r.agency_name_th = "หน่วยงานสาธิต";
    r.agency_name_en = "Demo Agency";
    r.email = "contact@demo.example.go.th";
    r.policy_url = "https://demo.example.go.th/privacy";
    r.purpose_code = "newsletter";
    r.purpose_name_th = "จดหมายข่าว";
    r.purpose_name_en = "Newsletter";
    r.text_version = 1;
    r.lawful_basis = "consent";
    r.pii_categories = pii_en;
    r.n_pii = 2;
    return r;
}

/* The document as the fixtures hold it: indented, in insertion (Kantara) order, UTF-8. */
static char *sign_text(const khm_receipt *r, const unsigned char *sk, const unsigned char *pk)
{
    json_t *doc = NULL;
    assert_int_equal(khm_receipt_sign(&doc, r, sk, pk), 0);
    char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    assert_non_null(s);
    return s;
}

static const struct {
    const char *file;
    khm_receipt (*make)(void);
} fixtures[] = {
    { "given-th.json", sample_th },
    { "withdrawn-en.json", sample_en },
};

static int write_fixtures(const char *dir)
{
    unsigned char sk[64], pk[32];
    char path[4096], hex[65];
    if (sodium_init() < 0)
        return 1;
    test_keys(sk, pk);
    for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        khm_receipt r = fixtures[i].make();
        json_t *doc = NULL;
        if (khm_receipt_sign(&doc, &r, sk, pk) < 0) {
            fprintf(stderr, "%s: %s\n", fixtures[i].file, khm_err_last()->message);
            return 1;
        }
        snprintf(path, sizeof(path), "%s/%s", dir, fixtures[i].file);
        FILE *f = fopen(path, "wb");
        char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(doc);
        if (!f || !s || fprintf(f, "%s\n", s) < 0 || fclose(f) != 0) {
            perror(path);
            return 1;
        }
        free(s);
    }
    snprintf(path, sizeof(path), "%s/test-key.pub", dir);
    FILE *f = fopen(path, "wb");
    khm_hex_encode(hex, pk, 32);
    if (!f || fprintf(f, "%s\n", hex) < 0 || fclose(f) != 0) {
        perror(path);
        return 1;
    }
    sodium_memzero(sk, sizeof(sk));
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static khm_receipt_report rep;

static int has_problem(const khm_receipt_report *r, int kind, const char *path)
{
    for (size_t i = 0; i < r->nproblems; i++)
        if (r->problems[i].kind == kind && (!path || strcmp(r->problems[i].path, path) == 0))
            return 1;
    return 0;
}

static void dump_problems(const khm_receipt_report *r)
{
    for (size_t i = 0; i < r->nproblems; i++)
        print_message("  %s %s: %s\n", khm_receipt_problem_name(r->problems[i].kind),
                      r->problems[i].path, r->problems[i].message);
}

static void verify_doc(const json_t *doc, const unsigned char *pinned)
{
    char *s = json_dumps(doc, JSON_COMPACT);
    assert_non_null(s);
    assert_int_equal(khm_receipt_verify(&rep, s, strlen(s), pinned), 0);
    free(s);
}

static json_t *signed_doc(const khm_receipt *r, unsigned char sk[64], unsigned char pk[32])
{
    json_t *doc = NULL;
    test_keys(sk, pk);
    assert_int_equal(khm_receipt_sign(&doc, r, sk, pk), 0);
    return doc;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void test_pdpa_receipt__round_trip(void **state)
{
    (void)state;
    unsigned char sk[64], pk[32];
    for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        khm_receipt r = fixtures[i].make();
        json_t *doc = signed_doc(&r, sk, pk);
        verify_doc(doc, NULL);
        dump_problems(&rep);
        assert_true(rep.valid);
        assert_true(rep.sig_ok);
        assert_false(rep.key_pinned);
        assert_string_equal(rep.note,
                            "signature valid for the key in the receipt; pin a key with --key to "
                            "trust it");
        assert_string_equal(rep.receipt_id, r.receipt_id);
        assert_string_equal(rep.consent_id, r.consent_id);
        assert_string_equal(rep.agency_id, r.agency_id);
        assert_string_equal(rep.event, r.event);
        assert_string_equal(rep.purpose, r.purpose_code);
        assert_int_equal(rep.timestamp, r.ts_ms / 1000);
        verify_doc(doc, pk);
        assert_true(rep.valid);
        assert_true(rep.key_pinned);
        assert_string_equal(rep.note, "signature checked with the pinned key");
        json_decref(doc);
    }
}

static void test_pdpa_receipt__kantara_mapping(void **state)
{
    (void)state;
    unsigned char sk[64], pk[32];
    khm_receipt r = sample_th();
    json_t *doc = signed_doc(&r, sk, pk), *rec = json_object_get(doc, "receipt");
    char hex[65];
    khm_hex_encode(hex, pk, 32);
    assert_string_equal(json_string_value(json_object_get(rec, "version")), "KI-CR-v1.1.0");
    assert_string_equal(json_string_value(json_object_get(rec, "jurisdiction")), "TH");
    assert_int_equal(json_integer_value(json_object_get(rec, "consentTimestamp")), 1767225600);
    assert_string_equal(json_string_value(json_object_get(rec, "publicKey")), hex);
    assert_string_equal(json_string_value(json_object_get(rec, "piiPrincipalId")), r.subject);
    json_t *ctl = json_array_get(json_object_get(rec, "piiControllers"), 0);
    assert_string_equal(json_string_value(json_object_get(ctl, "piiController")), "กรมควบคุมโรค");
    assert_true(json_is_object(json_object_get(ctl, "address")));
    json_t *p = json_array_get(
        json_object_get(json_array_get(json_object_get(rec, "services"), 0), "purposes"), 0);
    assert_string_equal(json_string_value(json_object_get(p, "consentType")), "EXPLICIT");
    /* TH_TNIN → 8, PHONE/EMAIL → 2 (once), HEALTH → 6, PERSON → 1 */
    json_t *cats = json_object_get(p, "piiCategory");
    assert_int_equal(json_array_size(cats), 4);
    assert_string_equal(json_string_value(json_array_get(cats, 0)), "8 - Official ID");
    assert_string_equal(json_string_value(json_array_get(cats, 1)), "2 - Contact");
    assert_string_equal(json_string_value(json_array_get(cats, 2)), "6 - Health");
    assert_string_equal(json_string_value(json_array_get(cats, 3)), "1 - Biographical");
    assert_string_equal(json_string_value(json_array_get(json_object_get(p, "purposeCategory"), 0)),
                        "1 - Core Function");
    assert_true(json_is_true(json_object_get(p, "thirdPartyDisclosure")));
    assert_non_null(strstr(json_string_value(json_object_get(p, "thirdPartyName")), "สปสช."));
    assert_string_equal(json_string_value(json_object_get(p, "retentionPeriod")), "P3650D");
    assert_int_equal(json_integer_value(json_object_get(p, "textVersion")), 3);
    assert_true(json_is_true(json_object_get(rec, "sensitive")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(rec, "spiCat"), 0)),
                        "HEALTH");
    assert_string_equal(json_string_value(json_object_get(rec, "consentEvent")), "given");
    assert_int_equal(json_integer_value(json_object_get(rec, "expiresAt")), 1798761600);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(rec, "guardianConsent"), "relation")),
        "มารดา");
    assert_string_equal(json_string_value(json_object_get(json_object_get(rec, "dpo"), "email")),
                        "dpo@ddc.example.go.th");
    /* the default way to withdraw names the DPO (ISO/IEC TS 27560: withdrawal method) */
    assert_non_null(strstr(json_string_value(json_object_get(rec, "withdrawalMethod")),
                           "dpo@ddc.example.go.th"));
    json_decref(doc);

    /* English, no DPO (s.41 gap), nothing sensitive, no recipients */
    r = sample_en();
    doc = signed_doc(&r, sk, pk);
    rec = json_object_get(doc, "receipt");
    p = json_array_get(
        json_object_get(json_array_get(json_object_get(rec, "services"), 0), "purposes"), 0);
    assert_string_equal(json_string_value(json_object_get(rec, "language")), "en");
    assert_string_equal(json_string_value(json_object_get(p, "consentType")), "EXPRESSED");
    assert_string_equal(json_string_value(json_object_get(p, "purpose")), "Newsletter");
    assert_true(json_is_false(json_object_get(p, "thirdPartyDisclosure")));
    assert_null(json_object_get(p, "thirdPartyName"));
    assert_true(json_is_null(json_object_get(rec, "dpo")));
    assert_true(json_is_false(json_object_get(rec, "sensitive")));
    assert_int_equal(json_array_size(json_object_get(rec, "spiCat")), 0);
    assert_non_null(strstr(json_string_value(json_object_get(rec, "withdrawalMethod")),
                           "contact@demo.example.go.th"));
    json_decref(doc);
}

/* Change one leaf (or delete one member) of the receipt at a time: every change must make the
 * receipt invalid, and a change of value must be named as a bad signature. */
static size_t tampered;

static void mutate_all(json_t *doc, json_t *node, const unsigned char *pk)
{
    if (json_is_object(node)) {
        const char *keys[64], *key;
        json_t *v;
        size_t n = 0;
        json_object_foreach(node, key, v)
        {
            assert_true(n < 64);
            keys[n++] = strdup(key);
        }
        for (size_t i = 0; i < n; i++) {
            /* delete the member */
            v = json_incref(json_object_get(node, keys[i]));
            assert_int_equal(json_object_del(node, keys[i]), 0);
            verify_doc(doc, pk);
            if (rep.valid)
                fail_msg("deleting '%s' went unnoticed", keys[i]);
            assert_int_equal(json_object_set_new(node, keys[i], v), 0);
            mutate_all(doc, v, pk);
            free((void *)(uintptr_t)keys[i]);
        }
        return;
    }
    if (json_is_array(node)) {
        for (size_t i = 0; i < json_array_size(node); i++)
            mutate_all(doc, json_array_get(node, i), pk);
        /* one more element */
        assert_int_equal(json_array_append_new(node, json_string("x")), 0);
        verify_doc(doc, pk);
        assert_false(rep.valid);
        assert_true(has_problem(&rep, KHM_RCP_BAD_SIGNATURE, "jws.signature"));
        json_array_remove(node, json_array_size(node) - 1);
        return;
    }
    /* a leaf: change its value in place */
    json_t *saved = json_deep_copy(node);
    switch (json_typeof(node)) {
    case JSON_STRING: {
        char *s = malloc(json_string_length(node) + 2);
        snprintf(s, json_string_length(node) + 2, "%sX", json_string_value(node));
        json_string_set(node, s);
        free(s);
        break;
    }
    case JSON_INTEGER:
        json_integer_set(node, json_integer_value(node) + 1);
        break;
    default:
        json_decref(saved); /* true/false/null cannot change in place: the parent test covers */
        return;
    }
    tampered++;
    verify_doc(doc, pk);
    assert_false(rep.valid);
    /* a publicKey that is no longer a key cannot check anything: said as such */
    if (!has_problem(&rep, KHM_RCP_BAD_SIGNATURE, "jws.signature") &&
        !has_problem(&rep, KHM_RCP_BAD_KEY, "receipt.publicKey")) {
        dump_problems(&rep);
        fail_msg("a changed leaf was not reported as a bad signature");
    }
    if (json_is_string(node))
        json_string_set(node, json_string_value(saved));
    else
        json_integer_set(node, json_integer_value(saved));
    json_decref(saved);
    verify_doc(doc, pk);
    assert_true(rep.valid);
}

static void flip_booleans(json_t *doc, json_t *node, const unsigned char *pk)
{
    const char *key;
    json_t *v;
    if (json_is_array(node))
        for (size_t i = 0; i < json_array_size(node); i++)
            flip_booleans(doc, json_array_get(node, i), pk);
    if (!json_is_object(node))
        return;
    json_object_foreach(node, key, v)
    {
        if (json_is_boolean(v) || json_is_null(v)) {
            json_t *was = json_incref(v);
            json_object_set_new(
                node, key, json_is_null(v) ? json_string("x") : json_boolean(!json_is_true(v)));
            tampered++;
            verify_doc(doc, pk);
            if (rep.valid || !has_problem(&rep, KHM_RCP_BAD_SIGNATURE, NULL))
                fail_msg("flipping '%s' went unnoticed", key);
            json_object_set_new(node, key, was);
        } else {
            flip_booleans(doc, v, pk);
        }
    }
}

static void test_pdpa_receipt__every_field_tamper_detected(void **state)
{
    (void)state;
    unsigned char sk[64], pk[32];
    for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        khm_receipt r = fixtures[i].make();
        json_t *doc = signed_doc(&r, sk, pk);
        tampered = 0;
        mutate_all(doc, json_object_get(doc, "receipt"), NULL);
        flip_booleans(doc, json_object_get(doc, "receipt"), NULL);
        assert_true(tampered >= 30);
        verify_doc(doc, NULL);
        assert_true(rep.valid); /* everything was put back */
        json_decref(doc);
    }
}

static char *jws_of(json_t *doc)
{
    return strdup(json_string_value(json_object_get(doc, "jws")));
}

static void set_jws(json_t *doc, const char *s)
{
    json_object_set_new(doc, "jws", json_string(s));
}

/* A JWS with the given header JSON and the original signature. */
static void with_header(json_t *doc, const char *orig, const char *hdr)
{
    char b64[512], s[1024];
    khm_b64url_encode(b64, sizeof(b64), (const uint8_t *)hdr, strlen(hdr));
    snprintf(s, sizeof(s), "%s%s", b64, strstr(orig, ".."));
    set_jws(doc, s);
}

static void test_pdpa_receipt__signature_and_header_tamper(void **state)
{
    (void)state;
    unsigned char sk[64], pk[32], sig[64];
    khm_receipt r = sample_th();
    json_t *doc = signed_doc(&r, sk, pk);
    char *orig = jws_of(doc), *dots = strstr(orig, "..");
    char s[1024], b64[128];

    /* every bit of the signature */
    assert_int_equal(khm_b64url_decode(sig, sizeof(sig), dots + 2, strlen(dots + 2)), 64);
    for (int bit = 0; bit < 512; bit++) {
        sig[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        khm_b64url_encode(b64, sizeof(b64), sig, 64);
        snprintf(s, sizeof(s), "%.*s..%s", (int)(dots - orig), orig, b64);
        set_jws(doc, s);
        verify_doc(doc, NULL);
        assert_false(rep.valid);
        assert_true(has_problem(&rep, KHM_RCP_BAD_SIGNATURE, "jws.signature"));
        sig[bit / 8] ^= (unsigned char)(1u << (bit % 8));
    }

    /* header members */
    with_header(doc, orig, "{\"alg\":\"none\",\"b64\":false,\"crit\":[\"b64\"],\"kid\":\"moph\"}");
    verify_doc(doc, NULL);
    assert_true(has_problem(&rep, KHM_RCP_UNKNOWN_ALG, "jws.header.alg"));
    with_header(doc, orig, "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"],\"kid\":\"moph\"}");
    verify_doc(doc, NULL);
    assert_true(has_problem(&rep, KHM_RCP_UNKNOWN_ALG, "jws.header.alg"));
    with_header(doc, orig, "{\"alg\":\"EdDSA\",\"kid\":\"moph\"}");
    verify_doc(doc, NULL);
    assert_true(has_problem(&rep, KHM_RCP_BAD_HEADER, "jws.header.b64"));
    with_header(doc, orig, "{\"alg\":\"EdDSA\",\"b64\":false,\"crit\":[\"b64\"],\"kid\":\"demo\"}");
    verify_doc(doc, NULL);
    assert_true(has_problem(&rep, KHM_RCP_KID_MISMATCH, "jws.header.kid"));
    with_header(doc, orig,
                "{\"alg\":\"EdDSA\",\"b64\":false,\"crit\":[\"b64\"],\"kid\":\"moph\",\"x\":1}");
    verify_doc(doc, NULL);
    assert_true(has_problem(&rep, KHM_RCP_BAD_HEADER, "jws.header.x"));
    /* the same members in another order: the header bytes are signed, so a bad signature */
    with_header(doc, orig, "{\"kid\":\"moph\",\"alg\":\"EdDSA\",\"b64\":false,\"crit\":[\"b64\"]}");
    verify_doc(doc, NULL);
    assert_false(rep.valid);
    assert_true(has_problem(&rep, KHM_RCP_BAD_SIGNATURE, "jws.signature"));
    with_header(doc, orig, "not json");
    verify_doc(doc, NULL);
    assert_true(has_problem(&rep, KHM_RCP_BAD_HEADER, "jws.header"));

    /* the JWS's form */
    static const struct {
        const char *jws;
        int kind;
        const char *path;
    } forms[] = {
        { "abc", KHM_RCP_BAD_JWS, "jws" },
        { "a.b.c.d", KHM_RCP_BAD_JWS, "jws" },
        { "eyJhIjoxfQ.cGF5bG9hZA.c2ln", KHM_RCP_BAD_JWS, "jws" },
        { "***..AAAA", KHM_RCP_BAD_BASE64URL, "jws.header" },
        { "eyJhIjoxfQ..AAAA=", KHM_RCP_BAD_BASE64URL, "jws.signature" },
        { "eyJhIjoxfQ..AAAA", KHM_RCP_BAD_JWS, "jws.signature" },
    };
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        set_jws(doc, forms[i].jws);
        verify_doc(doc, NULL);
        assert_false(rep.valid);
        if (!has_problem(&rep, forms[i].kind, forms[i].path)) {
            dump_problems(&rep);
            fail_msg("jws '%s': no %s at %s", forms[i].jws, khm_receipt_problem_name(forms[i].kind),
                     forms[i].path);
        }
    }
    json_object_set_new(doc, "jws", json_integer(1));
    verify_doc(doc, NULL);
    assert_true(has_problem(&rep, KHM_RCP_WRONG_TYPE, "jws"));
    json_object_del(doc, "jws");
    verify_doc(doc, NULL);
    assert_true(has_problem(&rep, KHM_RCP_MISSING_FIELD, "jws"));
    set_jws(doc, orig);
    verify_doc(doc, NULL);
    assert_true(rep.valid);
    free(orig);
    json_decref(doc);
}

static void test_pdpa_receipt__key_swapped(void **state)
{
    (void)state;
    unsigned char sk[64], pk[32], sk2[64], pk2[32];
    char hex2[65];
    khm_receipt r = sample_th();
    json_t *doc = signed_doc(&r, sk, pk);
    crypto_sign_keypair(pk2, sk2);
    khm_hex_encode(hex2, pk2, 32);

    /* another key in publicKey, the signature left: no longer matches */
    json_t *rec = json_object_get(doc, "receipt");
    json_t *own = json_incref(json_object_get(rec, "publicKey"));
    json_object_set_new(rec, "publicKey", json_string(hex2));
    verify_doc(doc, NULL);
    assert_false(rep.valid);
    assert_true(has_problem(&rep, KHM_RCP_BAD_SIGNATURE, "jws.signature"));
    json_object_set_new(rec, "publicKey", json_string("not-a-key"));
    verify_doc(doc, NULL);
    assert_true(has_problem(&rep, KHM_RCP_BAD_KEY, "receipt.publicKey"));
    json_object_set_new(rec, "publicKey", own);

    /* a forger re-signs with their own key: valid for the key in the receipt only */
    json_t *forged = NULL;
    assert_int_equal(khm_receipt_sign(&forged, &r, sk2, pk2), 0);
    verify_doc(forged, NULL);
    assert_true(rep.valid);
    assert_false(rep.key_pinned);
    assert_string_equal(rep.public_key, hex2);
    verify_doc(forged, pk);
    assert_false(rep.valid);
    assert_true(has_problem(&rep, KHM_RCP_KEY_MISMATCH, "receipt.publicKey"));
    assert_true(has_problem(&rep, KHM_RCP_BAD_SIGNATURE, "jws.signature"));
    /* the real receipt with the wrong pinned key */
    verify_doc(doc, pk2);
    assert_true(has_problem(&rep, KHM_RCP_KEY_MISMATCH, "receipt.publicKey"));
    json_decref(forged);
    json_decref(doc);
}

static void test_pdpa_receipt__thai_text_survives(void **state)
{
    (void)state;
    unsigned char sk[64], pk[32];
    khm_receipt r = sample_th();
    char *s = sign_text(&r, (test_keys(sk, pk), sk), pk);
    /* UTF-8 as is, not \u escapes */
    assert_non_null(strstr(s, "\"piiController\": \"กรมควบคุมโรค\""));
    assert_non_null(strstr(s, "บันทึกประวัติการรับวัคซีน"));
    assert_null(strstr(s, "\\u0e"));
    assert_int_equal(khm_receipt_verify(&rep, s, strlen(s), pk), 0);
    assert_true(rep.valid);
    /* one Thai character changed (ร → ล): caught */
    char *p = strstr(s, "กรมควบคุมโรค") + strlen("กรมควบคุมโ");
    assert_true((unsigned char)p[2] == 0xA3); /* ร U+0E23 */
    p[2] = (char)0xA5;                        /* ล U+0E25 */
    assert_int_equal(khm_receipt_verify(&rep, s, strlen(s), pk), 0);
    assert_false(rep.valid);
    assert_true(has_problem(&rep, KHM_RCP_BAD_SIGNATURE, "jws.signature"));
    free(s);
}

/* Recursively rebuild @p v with object members in reverse order. */
static json_t *reversed(const json_t *v)
{
    if (json_is_array(v)) {
        json_t *a = json_array();
        for (size_t i = 0; i < json_array_size(v); i++)
            json_array_append_new(a, reversed(json_array_get(v, i)));
        return a;
    }
    if (!json_is_object(v))
        return json_deep_copy(v);
    const char *keys[64];
    size_t n = 0;
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)(uintptr_t)v, key, val)
    {
        (void)val;
        assert_true(n < 64);
        keys[n++] = key;
    }
    json_t *o = json_object();
    while (n--)
        json_object_set_new(o, keys[n], reversed(json_object_get(v, keys[n])));
    return o;
}

static void test_pdpa_receipt__canonical_form_claims(void **state)
{
    (void)state;
    unsigned char sk[64], pk[32];
    khm_receipt r = sample_th();
    json_t *doc = signed_doc(&r, sk, pk);
    static const size_t flags[] = { JSON_COMPACT, JSON_INDENT(4), JSON_SORT_KEYS | JSON_INDENT(1),
                                    JSON_ENSURE_ASCII | JSON_COMPACT, JSON_PRESERVE_ORDER };
    json_t *rev = reversed(doc);
    for (int which = 0; which < 2; which++)
        for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
            char *s = json_dumps(which ? rev : doc, flags[i]);
            assert_int_equal(khm_receipt_verify(&rep, s, strlen(s), pk), 0);
            if (!rep.valid) {
                dump_problems(&rep);
                fail_msg("flags %zx, reversed %d: a re-serialised receipt does not verify",
                         flags[i], which);
            }
            free(s);
        }
    /* JCS of both orders is the same bytes */
    khm_buf a, b;
    khm_buf_init(&a, 1 << 20);
    khm_buf_init(&b, 1 << 20);
    assert_int_equal(khm_receipt_jcs(&a, doc), 0);
    assert_int_equal(khm_receipt_jcs(&b, rev), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.ptr, b.ptr, a.len);
    khm_buf_dispose(&a);
    khm_buf_dispose(&b);
    json_decref(rev);
    json_decref(doc);
}

static void jcs_is(const char *in, const char *want)
{
    json_t *v = json_loads(in, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    khm_buf b;
    khm_buf_init(&b, 4096);
    assert_int_equal(khm_receipt_jcs(&b, v), 0);
    if (strcmp(b.ptr, want) != 0)
        fail_msg("JCS of %s:\n  got  %s\n  want %s", in, b.ptr, want);
    khm_buf_dispose(&b);
    json_decref(v);
}

/* RFC 8785 §3.2.2-3.2.3: the escapes and the UTF-16 member order (its sorting example). */
static void test_pdpa_receipt__jcs_rfc8785(void **state)
{
    (void)state;
    jcs_is("{\"b\": 1, \"a\": [true, null, \"\\u20ac\\n\"]}",
           "{\"a\":[true,null,\"€\\n\"],\"b\":1}");
    jcs_is("\"\\u0001\\u001f\\\"\\\\/\\b\\f\\r\\t\\u007f\"",
           "\"\\u0001\\u001f\\\"\\\\/\\b\\f\\r\\t\x7f\"");
    jcs_is(
        "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter "
        "Dalet With Dagesh\", \"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", "
        "\"\\u0080\": \"Control\", \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}",
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"ö\":\"Latin Small "
        "Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\","
        "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
    jcs_is("[1.0, -0, 9007199254740992, -5]", "[1,0,9007199254740992,-5]");
    jcs_is("{}", "{}");
    jcs_is("[]", "[]");
    /* not representable exactly: refused, not approximated */
    khm_buf b;
    khm_buf_init(&b, 4096);
    json_t *v = json_loads("[1.5]", JSON_DECODE_ANY, NULL);
    assert_int_equal(khm_receipt_jcs(&b, v), KHM_EINVALID);
    json_decref(v);
    v = json_loads("[9007199254740993]", JSON_DECODE_ANY, NULL);
    assert_int_equal(khm_receipt_jcs(&b, v), KHM_EINVALID);
    json_decref(v);
    khm_buf_dispose(&b);
    khm_err_clear();
}

static int field_in_error(const char *field)
{
    size_t n;
    const khm_field_error *f = khm_err_fields(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].field, field) == 0)
            return 1;
    return 0;
}

static void expect_build_error(khm_receipt r, const char *field)
{
    unsigned char pk[32] = { 0 };
    json_t *out = (json_t *)1;
    assert_int_equal(khm_receipt_build(&out, &r, pk), KHM_EINVALID);
    assert_null(out);
    if (!field_in_error(field))
        fail_msg("no field error '%s' (%s)", field, khm_err_last()->message);
    khm_err_clear();
}

static void test_pdpa_receipt__bad_input_refused(void **state)
{
    (void)state;
    khm_receipt r;
    static const char *const unknown[] = { "TH_TNIN", "SHOE_SIZE" };
    r = sample_th(), r.receipt_id = "nope", expect_build_error(r, "receipt_id");
    r = sample_th(), r.consent_id = NULL, expect_build_error(r, "consent_id");
    r = sample_th(), r.event = "paused", expect_build_error(r, "event");
    r = sample_th(), r.ts_ms = 0, expect_build_error(r, "ts_ms");
    r = sample_th(), r.collection_method = "telepathy", expect_build_error(r, "collection_method");
    /* a clear national ID is never a principal id */
    r = sample_th(), r.subject = "1101700203451", expect_build_error(r, "subject");
    r = sample_th(), r.language = "fr", expect_build_error(r, "language");
    r = sample_th(), r.agency_id = "", expect_build_error(r, "agency_id");
    r = sample_th(), r.policy_url = NULL, expect_build_error(r, "policy_url");
    r = sample_th(), r.purpose_code = NULL, expect_build_error(r, "purpose_code");
    r = sample_th(), r.text_version = 0, expect_build_error(r, "text_version");
    r = sample_th(), r.lawful_basis = "none", expect_build_error(r, "lawful_basis");
    r = sample_th(), r.lawful_basis = "whim", expect_build_error(r, "lawful_basis");
    r = sample_th(), r.s26_exception = "s26(9)", expect_build_error(r, "s26_exception");
    /* PDPA s.26: sensitive data needs explicit consent (or an exception) */
    r = sample_th(), r.explicit_consent = 0, expect_build_error(r, "explicit_consent");
    r = sample_th(), r.pii_categories = unknown, r.n_pii = 2,
    expect_build_error(r, "pii_categories[1]");
    r = sample_th(), r.n_pii = 0, expect_build_error(r, "pii_categories");
    r = sample_th(), r.email = NULL, r.dpo_email = NULL, expect_build_error(r, "email");
    r = sample_th(), r.expires_at_ms = r.ts_ms - 1, expect_build_error(r, "expires_at_ms");
    r = sample_th(), r.agency_name_th = "\xff\xfe", expect_build_error(r, "agency_name_th");
    r = sample_th(), r.purpose_category = "Marketing", expect_build_error(r, "purpose_category");
    /* s.26 exception instead of explicit consent is allowed */
    unsigned char pk[32] = { 0 };
    json_t *out = NULL;
    r = sample_th(), r.explicit_consent = 0, r.s26_exception = "s26(5)", r.lawful_basis = "s24(4)";
    assert_int_equal(khm_receipt_build(&out, &r, pk), 0);
    json_decref(out);
}

static void test_pdpa_receipt__bad_documents_named(void **state)
{
    (void)state;
    static const struct {
        const char *doc;
        int kind;
        const char *path;
    } cases[] = {
        { "", KHM_RCP_NOT_JSON, "$" },
        { "{\"receipt\":", KHM_RCP_NOT_JSON, "$" },
        { "{\"a\":1,\"a\":2}", KHM_RCP_NOT_JSON, "$" },
        { "[]", KHM_RCP_NOT_OBJECT, "$" },
        { "{}", KHM_RCP_MISSING_FIELD, "receipt" },
        { "{}", KHM_RCP_MISSING_FIELD, "jws" },
        { "{\"receipt\":[],\"jws\":\"a..b\"}", KHM_RCP_NOT_OBJECT, "receipt" },
        { "{\"receipt\":{},\"jws\":\"a..b\"}", KHM_RCP_MISSING_FIELD, "receipt.version" },
        { "{\"receipt\":{},\"jws\":\"a..b\"}", KHM_RCP_MISSING_FIELD, "receipt.spiCat" },
        { "{\"receipt\":{\"version\":\"KI-CR-v1.0.0\"},\"jws\":\"\"}", KHM_RCP_WRONG_VERSION,
          "receipt.version" },
        { "{\"receipt\":{\"consentTimestamp\":\"yesterday\"}}", KHM_RCP_WRONG_TYPE,
          "receipt.consentTimestamp" },
        { "{\"receipt\":{\"piiControllers\":[{}]}}", KHM_RCP_MISSING_FIELD,
          "receipt.piiControllers[0].email" },
        { "{\"receipt\":{\"piiControllers\":[7]}}", KHM_RCP_NOT_OBJECT,
          "receipt.piiControllers[0]" },
        { "{\"receipt\":{\"services\":[{\"purposes\":[{\"thirdPartyDisclosure\":true}]}]}}",
          KHM_RCP_MISSING_FIELD, "receipt.services[0].purposes[0].thirdPartyName" },
        { "{\"receipt\":{\"services\":[{\"purposes\":[{\"piiCategory\":[1]}]}]}}",
          KHM_RCP_WRONG_TYPE, "receipt.services[0].purposes[0].piiCategory[0]" },
        { "{\"receipt\":{\"consentEvent\":\"paused\"}}", KHM_RCP_BAD_VALUE,
          "receipt.consentEvent" },
        { "{\"receipt\":{\"jurisdiction\":\"EU\"}}", KHM_RCP_BAD_VALUE, "receipt.jurisdiction" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(khm_receipt_verify(&rep, cases[i].doc, strlen(cases[i].doc), NULL), 0);
        assert_false(rep.valid);
        if (!has_problem(&rep, cases[i].kind, cases[i].path)) {
            dump_problems(&rep);
            fail_msg("case %zu: no %s at %s", i, khm_receipt_problem_name(cases[i].kind),
                     cases[i].path);
        }
        for (size_t k = 0; k < rep.nproblems; k++) {
            assert_true(
                khm_utf8_valid(rep.problems[k].message, strlen(rep.problems[k].message), NULL));
            assert_true(strlen(rep.problems[k].message_th) > 0);
        }
    }
    /* many problems: the first 16 are kept, all are counted */
    const char *many = "{\"receipt\":{\"piiControllers\":[{}]},\"jws\":\"a..b\"}";
    assert_int_equal(khm_receipt_verify(&rep, many, strlen(many), NULL), 0);
    assert_int_equal(rep.nproblems, KHM_RECEIPT_MAX_PROBLEMS);
    assert_true(rep.nproblems_total > KHM_RECEIPT_MAX_PROBLEMS);
    /* over the size limit */
    size_t n = KHM_RECEIPT_MAX_BYTES + 10;
    char *big = malloc(n);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    assert_int_equal(khm_receipt_verify(&rep, big, n, NULL), 0);
    assert_true(has_problem(&rep, KHM_RCP_NOT_JSON, "$"));
    free(big);
    assert_null(khm_receipt_problem_name(0));
    assert_null(khm_receipt_problem_name(KHM_RCP__COUNT));
    assert_string_equal(khm_receipt_problem_name(KHM_RCP_BAD_SIGNATURE), "bad-signature");
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    return p;
}

/* tests/fixtures/receipts/ is what this program writes (regenerate: see the README there). */
static void test_pdpa_receipt__committed_fixtures_current(void **state)
{
    (void)state;
    unsigned char sk[64], pk[32];
    test_keys(sk, pk);
    for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        char path[256];
        snprintf(path, sizeof(path), "tests/fixtures/receipts/%s", fixtures[i].file);
        char *have = slurp(path);
        if (!have)
            fail_msg("%s missing (run from the repository root)", path);
        khm_receipt r = fixtures[i].make();
        char *want = sign_text(&r, sk, pk);
        if (strncmp(have, want, strlen(want)) != 0)
            fail_msg("%s is stale: regenerate it (tests/fixtures/receipts/README.md)", path);
        assert_int_equal(khm_receipt_verify(&rep, have, strlen(have), pk), 0);
        assert_true(rep.valid);
        free(have);
        free(want);
    }
}

int main(void)
{
    const char *dir = getenv("KHM_RECEIPT_FIXTURES");
    if (dir && *dir)
        return write_fixtures(dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdpa_receipt__round_trip),
        cmocka_unit_test(test_pdpa_receipt__kantara_mapping),
        cmocka_unit_test(test_pdpa_receipt__every_field_tamper_detected),
        cmocka_unit_test(test_pdpa_receipt__signature_and_header_tamper),
        cmocka_unit_test(test_pdpa_receipt__key_swapped),
        cmocka_unit_test(test_pdpa_receipt__thai_text_survives),
        cmocka_unit_test(test_pdpa_receipt__canonical_form_claims),
        cmocka_unit_test(test_pdpa_receipt__jcs_rfc8785),
        cmocka_unit_test(test_pdpa_receipt__bad_input_refused),
        cmocka_unit_test(test_pdpa_receipt__bad_documents_named),
        cmocka_unit_test(test_pdpa_receipt__committed_fixtures_current),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests_name(__FILE__, tests, NULL, NULL);
}
