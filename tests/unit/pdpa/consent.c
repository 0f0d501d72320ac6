/* Tests for src/lib/pdpa/consent.c: the signed consent receipt of a grant or a withdrawal names
 * the controller's contact, its DPO (PDPA s.41) and the privacy notice (PDPA s.23; Kantara v1.1
 * piiControllers and policyUrl, thai-rules.md §6.1) from the agency record — the purpose's own
 * notice first — and an agency record without them still records the consent, saying why there
 * is no receipt; the verdict's JSON. */
#include "unit.h"

#include <khomun/consent.h>
#include <khomun/pdpa.h>
#include <khomun/policy.h>

typedef struct {
    khm_test_env e;
    khm_keys keys;
    khm_pseudonymizer pz;
    khm_agency ag;
} fixture;

static void setup(fixture *f)
{
    khm_tx *tx;
    unsigned char key[KHM_KEY_LEN];
    khm_test_env_open(&f->e);
    assert_int_equal(khm_keys_load(&f->keys, f->e.dir), 0);
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &f->ag, f->e.init.agency.id, f->e.arena), 0);
    khm_tx_rollback(tx);
    khm_keys_agency_pseudonym(&f->keys, f->ag.id, key);
    khm_pseudonymizer_init(&f->pz, key);
}

static void teardown(fixture *f)
{
    khm_keys_wipe(&f->keys);
    khm_test_env_close(&f->e);
}

/* A purpose from a JSON body; the return of khm_purpose_create(). */
static int purpose(fixture *f, const char *body, khm_purpose_rec *out)
{
    khm_tx *tx;
    khm_purpose_input in;
    json_t *j = json_loads(body, 0, NULL);
    assert_non_null(j);
    assert_int_equal(khm_purpose_input_from_json(&in, j), 0);
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    int rc = khm_purpose_create(tx, out, &in, f->ag.id, "tester", khm_time_now_ms(), f->e.arena);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    json_decref(j);
    return rc;
}

/* Change the agency's contact, DPO and notice (NULL: none). */
static void agency_details(fixture *f, const char *email, const char *dpo_name,
                           const char *dpo_email, const char *notice)
{
    khm_tx *tx;
    khm_agency_input in = { 0 };
    in.name_th = f->ag.name_th;
    in.email = email;
    in.dpo_name = dpo_name;
    in.dpo_email = dpo_email;
    in.privacy_notice_url = notice;
    in.address = "ถนนแจ้งวัฒนะ กรุงเทพฯ 10210";
    in.phone = "0 2141 6747";
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    assert_int_equal(
        khm_agency_update(tx, &f->ag, &in, f->ag.version, khm_time_now_ms(), f->e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
}

/* Grant (or withdraw) @p subject's consent to @p code; the return of khm_consent_record(). */
static int record(fixture *f, const char *code, const char *subject, int withdraw,
                  khm_consent_event *ev)
{
    khm_tx *tx;
    khm_purpose_rec p;
    khm_consent_input in;
    memset(&in, 0, sizeof(in));
    in.subject = subject;
    in.subject_type = "tnin";
    in.purpose = code;
    in.method = "electronic";
    in.explicit_consent = -1;
    in.text_version = -1;
    in.age = -1;
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    int rc = khm_consent_record(tx, &f->pz, &f->keys, f->ag.id, withdraw, &in, "tester",
                                khm_time_now_ms(), ev, &p, f->e.arena);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    return rc;
}

static const char *const NEWSLETTER =
    "{\"code\": \"e-newsletter\", \"name_th\": \"จดหมายข่าวทางอีเมล\", \"basis\": \"consent\","
    " \"categories\": [\"PERSON\", \"EMAIL_ADDRESS\"], \"retention_days\": 730,"
    " \"consent_text_th\": \"ข้าพเจ้ายินยอมรับจดหมายข่าวทางอีเมล\"}";

/* §6.1: without an e-mail (the agency's or its DPO's) and a privacy notice the consent counts
 * and the event says which fields the agency record lacks. */
static void test_pdpa_consent__no_receipt_without_contact_and_notice(void **state)
{
    (void)state;
    fixture f;
    khm_purpose_rec p;
    khm_consent_event ev;
    setup(&f);
    assert_int_equal(purpose(&f, NEWSLETTER, &p), 0);
    assert_int_equal(record(&f, "e-newsletter", "1101700230708", 0, &ev), 0);
    assert_null(ev.receipt);
    assert_non_null(ev.receipt_error);
    assert_non_null(strstr(ev.receipt_error, "\"email\""));
    assert_non_null(strstr(ev.receipt_error, "\"policy_url\""));
    /* an e-mail alone is not enough: the privacy notice is still missing */
    agency_details(&f, "saraban@agency.example.go.th", NULL, NULL, NULL);
    assert_int_equal(record(&f, "e-newsletter", "1101700230708", 1, &ev), 0);
    assert_null(ev.receipt);
    assert_null(strstr(ev.receipt_error, "\"email\""));
    assert_non_null(strstr(ev.receipt_error, "\"policy_url\""));
    teardown(&f);
}

/* The receipt names the agency's contact, its DPO and its notice, and verifies offline. */
static void test_pdpa_consent__receipt_names_contact_dpo_notice(void **state)
{
    (void)state;
    fixture f;
    khm_purpose_rec p;
    khm_consent_event ev;
    khm_receipt_report rep;
    setup(&f);
    agency_details(&f, "saraban@agency.example.go.th", "สมชาย ใจดี", "dpo@agency.example.go.th",
                   "https://agency.example.go.th/privacy");
    assert_int_equal(purpose(&f, NEWSLETTER, &p), 0);
    assert_int_equal(record(&f, "e-newsletter", "1-1017-00230-70-8", 0, &ev), 0);
    assert_null(ev.receipt_error);
    assert_non_null(ev.receipt);
    assert_int_equal(khm_receipt_verify(&rep, ev.receipt, strlen(ev.receipt), NULL), 0);
    assert_true(rep.valid);
    assert_string_equal(rep.consent_id, ev.id);
    assert_string_equal(rep.event, "given");
    /* the same key the agency signs every receipt with */
    unsigned char sk[KHM_SIGN_SK_LEN], pk[KHM_SIGN_PK_LEN];
    khm_keys_agency_sign(&f.keys, f.ag.id, sk, pk);
    assert_int_equal(khm_receipt_verify(&rep, ev.receipt, strlen(ev.receipt), pk), 0);
    assert_true(rep.valid && rep.key_pinned);

    json_t *doc = json_loads(ev.receipt, 0, NULL), *r = json_object_get(doc, "receipt");
    json_t *ctl = json_array_get(json_object_get(r, "piiControllers"), 0);
    assert_string_equal(json_string_value(json_object_get(ctl, "email")),
                        "saraban@agency.example.go.th");
    assert_string_equal(json_string_value(json_object_get(ctl, "phone")), "0 2141 6747");
    assert_string_equal(json_string_value(json_object_get(ctl, "contact")), "สมชาย ใจดี");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(ctl, "address"), "streetAddress")),
        "ถนนแจ้งวัฒนะ กรุงเทพฯ 10210");
    assert_string_equal(json_string_value(json_object_get(r, "policyUrl")),
                        "https://agency.example.go.th/privacy");
    json_t *dpo = json_object_get(r, "dpo");
    assert_string_equal(json_string_value(json_object_get(dpo, "email")),
                        "dpo@agency.example.go.th");
    /* the subject appears only as the token, never the national ID */
    assert_null(strstr(ev.receipt, "1101700230708"));
    assert_string_equal(json_string_value(json_object_get(r, "piiPrincipalId")), ev.subject);
    json_decref(doc);

    /* the withdrawal's receipt too (s.19 para 5) */
    assert_int_equal(record(&f, "e-newsletter", "1101700230708", 1, &ev), 0);
    assert_non_null(ev.receipt);
    assert_int_equal(khm_receipt_verify(&rep, ev.receipt, strlen(ev.receipt), pk), 0);
    assert_true(rep.valid);
    assert_string_equal(rep.event, "withdrawn");
    teardown(&f);
}

/* The DPO's e-mail stands in for the agency's (Kantara piiControllers[].email; s.41). */
static void test_pdpa_consent__dpo_email_is_enough(void **state)
{
    (void)state;
    fixture f;
    khm_purpose_rec p;
    khm_consent_event ev;
    setup(&f);
    agency_details(&f, NULL, "วรรณา คุ้มครอง", "dpo@agency.example.go.th",
                   "https://agency.example.go.th/privacy");
    assert_int_equal(purpose(&f, NEWSLETTER, &p), 0);
    assert_int_equal(record(&f, "e-newsletter", "1101700230708", 0, &ev), 0);
    assert_non_null(ev.receipt);
    json_t *doc = json_loads(ev.receipt, 0, NULL);
    json_t *ctl =
        json_array_get(json_object_get(json_object_get(doc, "receipt"), "piiControllers"), 0);
    assert_string_equal(json_string_value(json_object_get(ctl, "email")),
                        "dpo@agency.example.go.th");
    json_decref(doc);
    teardown(&f);
}

/* A purpose's own privacy notice overrides the agency's; a bad one is refused, naming it. */
static void test_pdpa_consent__purpose_notice_overrides(void **state)
{
    (void)state;
    fixture f;
    khm_purpose_rec p;
    khm_consent_event ev;
    setup(&f);
    agency_details(&f, "saraban@agency.example.go.th", NULL, NULL,
                   "https://agency.example.go.th/privacy");
    assert_int_equal(purpose(&f,
                             "{\"code\": \"sms\", \"name_th\": \"แจ้งเตือนทาง SMS\", \"basis\":"
                             " \"consent\", \"categories\": [\"PHONE_NUMBER\"], \"retention_days\":"
                             " 365, \"consent_text_th\": \"ยินยอมรับ SMS\", \"privacy_notice_url\":"
                             " \"https://agency.example.go.th/sms-notice\"}",
                             &p),
                     0);
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_purpose_get(tx, &p, f.ag.id, "sms", f.e.arena), 0);
    khm_tx_rollback(tx);
    assert_string_equal(p.privacy_notice_url, "https://agency.example.go.th/sms-notice");
    assert_int_equal(record(&f, "sms", "1101700230708", 0, &ev), 0);
    assert_non_null(ev.receipt);
    json_t *doc = json_loads(ev.receipt, 0, NULL);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "receipt"), "policyUrl")),
        "https://agency.example.go.th/sms-notice");
    json_decref(doc);

    assert_int_equal(purpose(&f,
                             "{\"code\": \"bad-notice\", \"name_th\": \"x\", \"basis\": \"s24(4)\","
                             " \"retention_days\": 30, \"privacy_notice_url\": \"ftp://x/notice\"}",
                             &p),
                     KHM_EINVALID);
    size_t n;
    const khm_field_error *fe = khm_err_fields(&n);
    assert_int_equal(n, 1);
    assert_string_equal(fe[0].field, "privacy_notice_url");
    assert_true(fe[0].message_th[0] != '\0');
    teardown(&f);
}

/* The agency's notice: an http(s) URL of at most 300 bytes, named when bad. */
static void test_pdpa_consent__agency_notice_validated(void **state)
{
    (void)state;
    fixture f;
    khm_tx *tx;
    char longurl[320];
    setup(&f);
    memset(longurl, 'a', sizeof(longurl) - 1);
    memcpy(longurl, "https://", 8);
    longurl[sizeof(longurl) - 1] = '\0';
    const char *bad[] = { "ftp://agency.example.go.th/privacy", "นโยบาย.html",
                          "https://agency.example.go.th/มี ช่องว่าง", longurl };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_agency_input in = { 0 };
        khm_agency ag = f.ag;
        in.name_th = f.ag.name_th;
        in.privacy_notice_url = bad[i];
        assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
        assert_int_equal(khm_agency_update(tx, &ag, &in, f.ag.version, 1, f.e.arena), KHM_EINVALID);
        khm_tx_rollback(tx);
        size_t n;
        const khm_field_error *fe = khm_err_fields(&n);
        assert_int_equal(n, 1);
        assert_string_equal(fe[0].field, "privacy_notice_url");
    }
    assert_true(khm_url_ok("https://agency.example.go.th/privacy"));
    assert_true(khm_url_ok("http://agency.example.go.th/"));
    assert_false(khm_url_ok("https://"));
    teardown(&f);
}

static void write_verdict(khm_jw *w, const void *rec)
{
    khm_consent_verdict_write_json(w, "e-newsletter", rec);
}

/* The verdict's JSON: the shape the API and the CLI share. */
static void test_pdpa_consent__verdict_json(void **state)
{
    (void)state;
    khm_consent_verdict v = { 0 };
    v.allow = 0;
    v.reason = KHM_CHECK_WITHDRAWN;
    v.basis = KHM_BASIS_CONSENT;
    snprintf(v.consent_id, sizeof(v.consent_id), "019a0000-0000-7000-8000-000000000001");
    json_t *j = khm_jw_to_jansson(write_verdict, &v);
    assert_non_null(j);
    assert_true(json_is_false(json_object_get(j, "allow")));
    assert_string_equal(json_string_value(json_object_get(j, "purpose")), "e-newsletter");
    assert_string_equal(json_string_value(json_object_get(j, "basis")), "consent");
    assert_string_equal(json_string_value(json_object_get(j, "reason_code")), "withdrawn");
    assert_non_null(strstr(json_string_value(json_object_get(j, "reason_th")), "มาตรา 19"));
    assert_string_equal(json_string_value(json_object_get(j, "consent_id")), v.consent_id);
    assert_null(json_object_get(j, "expires_at"));
    assert_null(json_object_get(j, "s26_exception"));
    json_decref(j);
}

/* The verdict as the API has always written it, built with jansson (an oracle independent of
 * khm_jw and of the fragments khm_consent_verdict_write_json copies): members in this order,
 * names outside their tables as null. */
static void set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, v ? json_string(v) : json_null());
}

static json_t *verdict_reference(const char *purpose, const khm_consent_verdict *v)
{
    json_t *o = json_object();
    json_object_set_new(o, "allow", json_boolean(v->allow));
    set_str(o, "purpose", purpose);
    set_str(o, "basis", khm_basis_name(v->basis));
    set_str(o, "basis_th", khm_basis_label_th(v->basis));
    if (v->s26_exception)
        set_str(o, "s26_exception", khm_s26_name(v->s26_exception));
    set_str(o, "consent_id", v->consent_id[0] ? v->consent_id : NULL);
    set_str(o, "reason_code", khm_check_reason_name(v->reason));
    set_str(o, "reason", khm_check_reason_text(v->reason));
    set_str(o, "reason_th", khm_check_reason_th(v->reason));
    if (v->expires_at) {
        char t[KHM_TIME_RFC3339_LEN];
        khm_time_format(t, v->expires_at);
        set_str(o, "expires_at", t);
    }
    return o;
}

/* Byte for byte jansson's form of the verdict, for every basis, s.26 exception and reason (and
 * values outside them), with and without a consent, an expiry, a purpose that needs escaping; two
 * verdicts in one array get their comma. */
static void test_pdpa_consent__verdict_json_every_answer(void **state)
{
    (void)state;
    const char *purposes[] = { "e-newsletter", "จดหมายข่าว \"พิเศษ\"\n", "" };
    for (int basis = -1; basis <= KHM_BASIS__COUNT; basis++)
        for (int s26 = 0; s26 <= KHM_S26__COUNT; s26++)
            for (int reason = -1; reason <= KHM_CHECK__COUNT; reason++)
                for (int k = 0; k < 8; k++) {
                    khm_consent_verdict v = { 0 };
                    v.allow = k & 1;
                    v.basis = basis;
                    v.s26_exception = s26;
                    v.reason = reason;
                    if (k & 2) { /* the last digit is k (0-7) */
                        memcpy(v.consent_id, "019a0000-0000-7000-8000-000000000000", 37);
                        v.consent_id[35] = (char)('0' + k);
                    }
                    if (k & 4)
                        v.expires_at = 1767225600000LL + k;
                    const char *purpose = purposes[(basis + s26 + reason + k + 3) % 3];
                    khm_buf got = KHM_BUF_INIT(1 << 16);
                    khm_jw wg;
                    json_t *want = json_array();
                    khm_jw_init(&wg, &got);
                    khm_jw_arr(&wg);
                    for (int twice = 0; twice < 2; twice++) {
                        khm_consent_verdict_write_json(&wg, purpose, &v);
                        json_array_append_new(want, verdict_reference(purpose, &v));
                    }
                    khm_jw_arr_end(&wg);
                    assert_int_equal(khm_jw_finish(&wg), 0);
                    char *w = json_dumps(want, JSON_COMPACT | JSON_PRESERVE_ORDER);
                    assert_non_null(w);
                    assert_int_equal(got.len, strlen(w));
                    assert_memory_equal(got.ptr, w, got.len);
                    free(w);
                    json_decref(want);
                    khm_buf_dispose(&got);
                }
}

KHM_UNIT_MAIN(cmocka_unit_test(test_pdpa_consent__no_receipt_without_contact_and_notice),
              cmocka_unit_test(test_pdpa_consent__receipt_names_contact_dpo_notice),
              cmocka_unit_test(test_pdpa_consent__dpo_email_is_enough),
              cmocka_unit_test(test_pdpa_consent__purpose_notice_overrides),
              cmocka_unit_test(test_pdpa_consent__agency_notice_validated),
              cmocka_unit_test(test_pdpa_consent__verdict_json),
              cmocka_unit_test(test_pdpa_consent__verdict_json_every_answer))
