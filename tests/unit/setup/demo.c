/* Tests for src/lib/setup/demo.c: demo agencies, users and datasets are seeded exactly once, and an
 * operator's own agency with a demo slug is kept; with the keys, the demo purposes and the
 * consents of synthetic subjects with their signed receipts. */
#include "unit.h"

#include <khomun/consent.h>
#include <khomun/policy.h>

static void counts(khm_test_env *e, int64_t *agencies, size_t *users)
{
    khm_tx *tx;
    khm_user *items;
    int more;
    assert_int_equal(khm_tx_begin(&tx, e->store, 0), 0);
    assert_int_equal(khm_store_agency_count(tx, agencies), 0);
    assert_int_equal(khm_store_user_list(tx, &items, users, &more, NULL, NULL, e->arena), 0);
    khm_tx_rollback(tx);
}

static void test_setup_demo__seeds_once(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    int seeded = -1;
    int64_t na;
    size_t nu;
    counts(&e, &na, &nu);
    assert_int_equal(na, 1);
    assert_int_equal(nu, 1);

    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    assert_int_equal(seeded, 1);
    counts(&e, &na, &nu);
    assert_int_equal(na, 1 + 4);
    assert_int_equal(nu, 1 + 11);

    khm_tx *tx;
    khm_agency ag;
    khm_user u;
    static const char *const slugs[] = { "mdes", "dga", "nso", "moph" };
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(khm_store_agency_get(tx, &ag, slugs[i], e.arena), 0);
    assert_int_equal(khm_store_agency_get(tx, &ag, "mdes", e.arena), 0);
    assert_string_equal(ag.name_th, "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม");
    assert_int_equal(khm_store_user_get(tx, &u, "somchai.dpo", e.arena), 0);
    assert_int_equal(u.role, KHM_ROLE_DPO);
    assert_string_equal(u.agency_id, ag.id);
    assert_string_equal(u.display_name, "สมชาย ใจดี");
    char *flag;
    assert_int_equal(khm_store_meta_get(tx, "demo_seeded", &flag, e.arena), 0);
    /* the demo catalog: 21 datasets; two confirmed by their owner at once, the rest left for
     * the scan of their files (demo_resources.c) */
    khm_dataset *ds;
    size_t nd;
    int dmore;
    khm_page all = { NULL, 100 };
    assert_int_equal(khm_store_dataset_list(tx, &ds, &nd, &dmore, NULL, &all, e.arena), 0);
    assert_int_equal(nd, 21);
    khm_dataset d;
    assert_int_equal(khm_store_dataset_get(tx, &d, "digital-budget-2567", e.arena), 0);
    assert_true(d.confirmed);
    assert_int_equal(d.level, KHM_LEVEL_PUBLIC);
    assert_int_equal(khm_store_dataset_get(tx, &d, "chronic-patient-register", e.arena), 0);
    assert_false(d.confirmed);
    assert_int_equal(d.category, KHM_CAT_PERSONAL);
    assert_int_equal(d.level, KHM_LEVEL_CONFIDENTIAL);
    assert_string_equal(d.title, "ทะเบียนผู้ป่วยโรคเรื้อรัง (เบาหวาน ความดันโลหิตสูง)");
    khm_tx_rollback(tx);

    /* every role except admin has a demo user */
    khm_user *items;
    size_t n;
    int more, seen[KHM_ROLE__COUNT] = { 0 };
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_user_list(tx, &items, &n, &more, NULL, NULL, e.arena), 0);
    khm_tx_rollback(tx);
    for (size_t i = 0; i < n; i++)
        seen[items[i].role]++;
    for (int r = 0; r < KHM_ROLE__COUNT; r++)
        assert_true(seen[r] >= 1);

    seeded = -1;
    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    assert_int_equal(seeded, 0);
    counts(&e, &na, &nu);
    assert_int_equal(na, 5);
    assert_int_equal(nu, 12);
    khm_test_env_close(&e);
}

static void test_setup_demo__keeps_operator_agency(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_agency mine, got;
    khm_agency_input in = { "mdes", "ชื่อที่ผู้ดูแลตั้งเอง", NULL };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_agency_create(tx, &mine, &in, 1), 0);
    assert_int_equal(khm_tx_commit(tx), 0);

    int seeded = -1;
    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    assert_int_equal(seeded, 1);
    int64_t na;
    size_t nu;
    counts(&e, &na, &nu);
    assert_int_equal(na, 1 + 4);
    assert_int_equal(nu, 1 + 11);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &got, "mdes", e.arena), 0);
    assert_string_equal(got.id, mine.id);
    assert_string_equal(got.name_th, "ชื่อที่ผู้ดูแลตั้งเอง");
    assert_null(got.name_en);
    khm_user u;
    assert_int_equal(khm_store_user_get(tx, &u, "malee.owner", e.arena), 0);
    assert_string_equal(u.agency_id, mine.id); /* demo users join the operator's agency */
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_setup_demo__keeps_operator_user(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_user mine, got;
    khm_user_input in = { "somchai.dpo", NULL, NULL, "demo", "auditor", NULL };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_user_create(tx, &mine, &in, 1, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    int seeded = -1;
    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    assert_int_equal(seeded, 1);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_user_get(tx, &got, "somchai.dpo", e.arena), 0);
    khm_tx_rollback(tx);
    assert_string_equal(got.id, mine.id);
    assert_int_equal(got.role, KHM_ROLE_AUDITOR);
    khm_test_env_close(&e);
}

/* issue 4 / 5: the demo agencies' details, one left without a DPO (PDPA s.41), and the record of
 * processing (PDPA s.39) with one incomplete activity. */
static void test_setup_demo__agency_details_and_ropa(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    int seeded = -1;
    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    khm_tx *tx;
    khm_agency mdes, dga, nso;
    khm_user dpo;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &mdes, "mdes", e.arena), 0);
    assert_int_equal(khm_store_agency_get(tx, &dga, "dga", e.arena), 0);
    assert_int_equal(khm_store_agency_get(tx, &nso, "nso", e.arena), 0);
    assert_int_equal(khm_store_user_get(tx, &dpo, "somchai.dpo", e.arena), 0);
    assert_true(khm_agency_has_dpo(&mdes));
    assert_string_equal(mdes.dpo_user, dpo.id);
    assert_string_equal(dga.parent_id, mdes.id);
    assert_string_equal(dga.ministry, "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม");
    assert_false(khm_agency_has_dpo(&nso)); /* the gap the demo shows */
    khm_ropa_report rep;
    assert_int_equal(khm_ropa_report_build(tx, &rep, &mdes, e.arena), 0);
    assert_int_equal(rep.n, 2);
    int incomplete = 0;
    for (size_t i = 0; i < rep.n; i++)
        incomplete += rep.checks[i].missing != 0;
    assert_int_equal(incomplete, 1);
    khm_ropa_row *rows;
    size_t n;
    int more;
    khm_page page = { NULL, 100 };
    assert_int_equal(khm_store_ropa_list(tx, &rows, &n, &more, NULL, &page, e.arena), 0);
    assert_int_equal(n, 4);
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

/* Synthetic subjects of the demo consents (valid check digits, not real people). */
#define PLANTED   "1101000000009" /* in the demo resources; consents to the newsletter and health */
#define REQUESTER "1103702071811" /* the demo access request's subject */
#define WITHDREW  "1102000168385" /* withdrew from the newsletter */
#define EXPIRED   "1102000564337" /* SMS alerts given 400 days ago for a year */
#define NO_SMS    "1102000247579" /* newsletter and SMS */
#define MINOR     "1102001514619" /* nine years old, through the mother */

static int events_with_receipts(const khm_consent_event *ev, void *payload)
{
    size_t *n = payload;
    khm_receipt_report rep;
    n[0]++;
    if (ev->receipt && khm_receipt_verify(&rep, ev->receipt, strlen(ev->receipt), NULL) == 0 &&
        rep.valid)
        n[1]++;
    return 0;
}

static void check(khm_consent_index *ix, const khm_pseudonymizer *pz, const char *agency,
                  const char *purpose, const char *subject, int allow, int reason)
{
    unsigned char tok[32];
    khm_consent_verdict v;
    assert_int_equal(khm_consent_subject_token(pz, KHM_SUBJECT_TNIN, subject, "subject", tok), 0);
    assert_int_equal(khm_consent_check(ix, agency, purpose, tok, khm_time_now_ms(), &v), 0);
    if (v.allow != allow || v.reason != reason)
        fail_msg("%s for %s: allow %d reason %s, expected %d %s", purpose, subject, v.allow,
                 khm_check_reason_name(v.reason), allow, khm_check_reason_name(reason));
}

/* issue 5: the demo purposes (consent, s.24(4), s.26 on explicit consent) and consents of
 * synthetic subjects, each with a receipt signed by the agency's key (mdes has its contact, DPO
 * and privacy notice); one withdrawal (s.19 para 5), one expired, a minor through the guardian
 * (s.20); seeded once. */
static void test_setup_demo__purposes_and_consents(void **state)
{
    (void)state;
    khm_test_env e;
    khm_keys keys;
    khm_test_env_open(&e);
    assert_int_equal(khm_keys_load(&keys, e.dir), 0);
    int seeded = -1;
    assert_int_equal(khm_setup_demo_keys(e.store, &keys, &seeded), 0);
    assert_int_equal(seeded, 1);

    khm_tx *tx;
    khm_agency mdes;
    khm_purpose_rec *ps;
    size_t np;
    int more;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &mdes, "mdes", e.arena), 0);
    assert_string_equal(mdes.privacy_notice_url, "https://www.mdes.example.go.th/privacy-notice");
    assert_true(khm_agency_has_dpo(&mdes));
    assert_int_equal(khm_store_purpose_list(tx, &ps, &np, &more, mdes.id, NULL, e.arena), 0);
    assert_int_equal(np, 4);
    int bases[KHM_BASIS__COUNT] = { 0 }, sensitive = 0;
    for (size_t i = 0; i < np; i++) {
        bases[ps[i].basis]++;
        sensitive += ps[i].sensitive != 0;
    }
    assert_int_equal(bases[KHM_BASIS_CONSENT], 3);
    assert_int_equal(bases[KHM_BASIS_S24_4], 1);
    assert_int_equal(sensitive, 1);
    size_t counts[2] = { 0, 0 };
    int64_t last = 0;
    assert_int_equal(khm_store_consent_since(tx, 0, 1000, &last, events_with_receipts, counts), 0);
    assert_true(counts[0] >= 25);
    assert_int_equal(counts[1], counts[0]); /* every event has a receipt that verifies */
    khm_tx_rollback(tx);

    unsigned char key[KHM_KEY_LEN];
    khm_pseudonymizer pz;
    khm_keys_agency_pseudonym(&keys, mdes.id, key);
    khm_pseudonymizer_init(&pz, key);
    khm_consent_index *ix;
    assert_int_equal(khm_consent_index_new(&ix, e.store), 0);
    check(ix, &pz, mdes.id, "e-newsletter", PLANTED, 1, KHM_CHECK_CONSENT);
    check(ix, &pz, mdes.id, "training-health-screening", PLANTED, 1, KHM_CHECK_CONSENT);
    check(ix, &pz, mdes.id, "e-service-sms", PLANTED, 0, KHM_CHECK_NO_CONSENT);
    check(ix, &pz, mdes.id, "e-service-sms", REQUESTER, 1, KHM_CHECK_CONSENT);
    check(ix, &pz, mdes.id, "e-service-sms", NO_SMS, 1, KHM_CHECK_CONSENT);
    check(ix, &pz, mdes.id, "e-newsletter", WITHDREW, 0, KHM_CHECK_WITHDRAWN);
    check(ix, &pz, mdes.id, "e-service-sms", EXPIRED, 0, KHM_CHECK_EXPIRED);
    check(ix, &pz, mdes.id, "e-newsletter", MINOR, 1, KHM_CHECK_CONSENT);
    check(ix, &pz, mdes.id, "complaint-handling", MINOR, 1, KHM_CHECK_BASIS);

    /* the minor's consent was given by the guardian (s.20: not over ten) */
    unsigned char tok[32];
    char hex[65];
    khm_consent_event *items;
    size_t n;
    khm_page page = { NULL, 100 };
    assert_int_equal(khm_consent_subject_token(&pz, KHM_SUBJECT_TNIN, MINOR, "subject", tok), 0);
    khm_hex_encode(hex, tok, sizeof(tok));
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_consent_history(tx, &items, &n, &more, mdes.id, hex, &page, e.arena),
                     0);
    khm_tx_rollback(tx);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].age, 9);
    assert_string_equal(items[0].given_by, "guardian");
    assert_true(items[0].guardian[0] != '\0');

    /* once: a second run adds nothing */
    size_t before = khm_consent_index_size(ix);
    seeded = -1;
    assert_int_equal(khm_setup_demo_keys(e.store, &keys, &seeded), 0);
    assert_int_equal(seeded, 0);
    assert_int_equal(khm_consent_index_sync(ix), 0);
    assert_int_equal(khm_consent_index_size(ix), before);
    khm_consent_index_free(ix);
    khm_keys_wipe(&keys);
    khm_test_env_close(&e);
}

/* issue 4: the demo catalog — about twenty datasets across the four agencies, each with valid
 * GD-Catalog metadata (thai-rules.md §3.2–3.3: the required fields, allowed values, only the
 * fields its data type shows), a category and level in an allowed combination (§2.2–2.3), an
 * English title, tags, and an owner and a creator who are users of its agency; record,
 * statistical and geospatial data types all present. */
static void test_setup_demo__catalog_metadata(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    int seeded = -1;
    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    khm_tx *tx;
    khm_dataset *ds;
    size_t nd;
    int more, types[KHM_GDC_TYPE__COUNT] = { 0 }, cats[KHM_CAT__COUNT] = { 0 };
    khm_page all = { NULL, 100 };
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_dataset_list(tx, &ds, &nd, &more, NULL, &all, e.arena), 0);
    assert_true(nd >= 20);
    const char *agencies[8];
    size_t nag = 0;
    for (size_t i = 0; i < nd; i++) {
        khm_user owner, creator;
        int t = -1;
        json_t *m = json_loads(ds[i].metadata, 0, NULL);
        assert_non_null(m);
        if (khm_gdc_validate(m, "metadata.") != 0)
            fail_msg("%s: %s", ds[i].slug, khm_err_last()->message);
        assert_int_equal(khm_gdc_data_type_parse(ds[i].data_type, &t), 0);
        types[t]++;
        cats[ds[i].category]++;
        assert_true(khm_gdc_level_allowed(ds[i].category, ds[i].level));
        assert_non_null(ds[i].title_en);
        assert_true(json_array_size(json_object_get(m, "tag_string")) >= 3);
        assert_true(strlen(json_string_value(json_object_get(m, "notes"))) >
                    strlen(json_string_value(json_object_get(m, "title"))));
        json_decref(m);
        assert_true(ds[i].owner_user[0] != '\0');
        assert_int_equal(khm_store_user_get(tx, &owner, ds[i].owner_user, e.arena), 0);
        assert_int_equal(khm_store_user_get(tx, &creator, ds[i].created_by, e.arena), 0);
        assert_string_equal(owner.agency_id, ds[i].agency_id);
        assert_string_equal(creator.agency_id, ds[i].agency_id);
        size_t k = 0;
        while (k < nag && strcmp(agencies[k], ds[i].agency_id) != 0)
            k++;
        if (k == nag && nag < 8)
            agencies[nag++] = ds[i].agency_id;
    }
    khm_tx_rollback(tx);
    assert_int_equal(nag, 4);
    assert_true(types[KHM_GDC_TYPE_RECORD] >= 5);
    assert_true(types[KHM_GDC_TYPE_STAT] >= 5);
    assert_true(types[KHM_GDC_TYPE_GEO] >= 3);
    assert_true(cats[KHM_CAT_PUBLIC] >= 10);
    assert_true(cats[KHM_CAT_INTERNAL] >= 1);
    assert_true(cats[KHM_CAT_PERSONAL] >= 5);
    khm_test_env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_setup_demo__agency_details_and_ropa),
              cmocka_unit_test(test_setup_demo__catalog_metadata),
              cmocka_unit_test(test_setup_demo__purposes_and_consents),
              cmocka_unit_test(test_setup_demo__seeds_once),
              cmocka_unit_test(test_setup_demo__keeps_operator_agency),
              cmocka_unit_test(test_setup_demo__keeps_operator_user))
