/* Tests for src/lib/pdpa/breach.c: the s.37(4) clock (notify the PDPC Office within 72 hours of
 * becoming aware; thai-rules.md §1.7) across a month end, the 2028 leap day and time-zone
 * notations; risk none / risk / high (no notification / Office / Office and subjects); a late
 * notification needs its reason (PDPC Notification B.E. 2565); closure; bad input named field
 * by field in English and Thai with nothing changed (§1.14(4)). */
#include "unit.h"

#include <khomun/breach.h>

static int64_t at(const char *s)
{
    int64_t t;
    assert_int_equal(khm_time_parse(&t, s, strlen(s)), 0);
    return t;
}

typedef struct {
    khm_test_env e;
    khm_agency ag;
    khm_dataset ds;
} fixture;

static void setup(fixture *f)
{
    khm_tx *tx;
    khm_test_env_open(&f->e);
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    assert_int_equal(khm_store_agency_get(tx, &f->ag, f->e.init.agency.id, f->e.arena), 0);
    json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:[s], s:s, s:[s], s:s, s:s, s:s, s:[s], s:s, "
                          "s:s, s:s}",
                          "data_type", "ข้อมูลระเบียน", "title", "ทะเบียนผู้รับสวัสดิการ", "maintainer",
                          "กอง", "maintainer_email", "data@agency.go.th", "tag_string", "สวัสดิการ",
                          "notes", "ทดสอบ", "objective", "พันธกิจหน่วยงาน", "update_frequency_unit",
                          "ปี", "geo_coverage", "ประเทศ", "data_source", "กอง", "data_format", "CSV",
                          "license_id", "Open Data Common", "data_category", "ข้อมูลส่วนบุคคล",
                          "data_classification", "ลับ");
    khm_dataset_input in = { "welfare-register", NULL, NULL, NULL, m };
    assert_int_equal(khm_dataset_create(tx, &f->ds, &in, f->ag.id, NULL, 1, f->e.arena), 0);
    json_decref(m);
    assert_int_equal(khm_tx_commit(tx), 0);
}

static int report(fixture *f, khm_breach *b, const char *aware, const char *cia, const char *risk,
                  json_t *datasets, json_t *count, int64_t now)
{
    khm_tx *tx;
    json_t *c = json_pack("[s]", cia);
    khm_breach_input in = { aware, c, "แล็ปท็อปที่มีข้อมูลผู้รับสวัสดิการสูญหาย", datasets, count, risk };
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    int rc = khm_breach_create(tx, b, &in, f->ag.id, "reporter", now, f->e.arena);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    json_decref(c);
    json_decref(datasets);
    json_decref(count);
    return rc;
}

static size_t count_breaches(fixture *f)
{
    khm_tx *tx;
    khm_breach *items;
    size_t n;
    int more;
    khm_page page = { NULL, 100 };
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 0), 0);
    assert_int_equal(khm_store_breach_list(tx, &items, &n, &more, f->ag.id, 0, &page, f->e.arena),
                     0);
    khm_tx_rollback(tx);
    return n;
}

/* s.37(4): 72 hours of awareness, in exact hours, the same whatever the notation. */
static void test_pdpa_breach__office_clock_72h(void **state)
{
    (void)state;
    fixture f;
    khm_breach b;
    setup(&f);
    int64_t now = at("2028-03-10T00:00:00Z");
    /* across a month end: 30 Jan 20:00 Bangkok → 2 Feb 20:00 Bangkok */
    assert_int_equal(
        report(&f, &b, "2026-01-30T20:00:00+07:00", "confidentiality", "risk", NULL, NULL, now), 0);
    assert_int_equal(b.office_due_at, at("2026-02-02T20:00:00+07:00"));
    assert_int_equal(b.office_due_at, at("2026-02-02T13:00:00Z"));
    /* across the 2028 leap day: 27 Feb 12:00 UTC → 1 Mar 12:00 UTC (29 Feb counted) */
    assert_int_equal(report(&f, &b, "2028-02-27T12:00:00Z", "integrity", "high", NULL, NULL, now),
                     0);
    assert_int_equal(b.office_due_at, at("2028-03-01T12:00:00Z"));
    assert_int_equal(b.office_due_at - b.aware_at, 72LL * 3600000);
    /* the year end, given in +07:00 and read back in UTC */
    assert_int_equal(
        report(&f, &b, "2026-12-30T06:30:00+07:00", "availability", "risk", NULL, NULL, now), 0);
    assert_int_equal(b.office_due_at, at("2027-01-01T23:30:00Z"));
    khm_test_env_close(&f.e);
}

/* Remaining time at read time: positive inside the 72 hours, negative after. */
static void test_pdpa_breach__remaining_and_risk(void **state)
{
    (void)state;
    fixture f;
    khm_breach b;
    setup(&f);
    int64_t aware = at("2026-11-26T10:00:00+07:00");
    assert_int_equal(report(&f, &b, "2026-11-26T10:00:00+07:00", "c", "high",
                            json_pack("[s]", "welfare-register"), json_integer(1200),
                            aware + 20 * 3600000LL),
                     0);
    assert_int_equal(khm_breach_remaining_ms(&b, aware + 20 * 3600000LL), 52LL * 3600000);
    assert_int_equal(khm_breach_remaining_ms(&b, aware + 80 * 3600000LL), -8LL * 3600000);
    assert_true(khm_breach_office_pending(&b));
    assert_true(b.subjects_required); /* high risk: the subjects too (s.37(4)) */
    assert_int_equal(b.subject_count, 1200);
    char want[64];
    snprintf(want, sizeof(want), "[\"%s\"]", f.ds.id);
    assert_string_equal(b.datasets, want); /* the name is kept as the dataset's id */
    /* risk none: recorded, nothing owed */
    khm_breach n;
    assert_int_equal(report(&f, &n, "2026-11-26T10:00:00+07:00", "availability", "none", NULL, NULL,
                            aware + 1000),
                     0);
    assert_false(khm_breach_office_pending(&n));
    assert_false(n.subjects_required);
    khm_test_env_close(&f.e);
}

static void test_pdpa_breach__bad_input_named_nothing_stored(void **state)
{
    (void)state;
    fixture f;
    khm_breach b;
    setup(&f);
    int64_t now = at("2026-11-27T00:00:00Z");
    /* in the future beyond the one-minute skew; an unknown dataset; a negative count; bad risk */
    assert_int_equal(report(&f, &b, "2026-11-27T00:05:00Z", "x", "severe",
                            json_pack("[s,s]", "welfare-register", "no-such"), json_integer(-3),
                            now),
                     KHM_EINVALID);
    assert_true(has_field("aware_at"));
    assert_true(has_field("datasets[1]"));
    assert_false(has_field("datasets[0]"));
    assert_true(has_field("subject_count"));
    assert_true(has_field("risk"));
    assert_true(has_field("cia"));
    assert_int_equal(count_breaches(&f), 0);
    /* within the skew is accepted */
    assert_int_equal(
        report(&f, &b, "2026-11-27T00:00:30Z", "confidentiality", "none", NULL, NULL, now), 0);
    assert_int_equal(count_breaches(&f), 1);
    khm_test_env_close(&f.e);
}

/* Notification: not before awareness, not in the future; after 72 h a reason is required (PDPC
 * Notification B.E. 2565); then became-aware-at cannot move after notified-at. */
static void test_pdpa_breach__notify_office_and_order(void **state)
{
    (void)state;
    fixture f;
    khm_breach b;
    khm_tx *tx;
    setup(&f);
    int64_t now = at("2026-11-27T00:00:00Z");
    assert_int_equal(
        report(&f, &b, "2026-11-20T09:00:00+07:00", "confidentiality", "risk", NULL, NULL, now), 0);
    int64_t v = b.version;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(
        khm_breach_notify_office(tx, &b, "2026-11-20T08:00:00+07:00", NULL, "dpo", now),
        KHM_EINVALID);
    assert_true(has_field("notified_at"));
    assert_int_equal(khm_breach_notify_office(tx, &b, "2026-11-28T00:00:00Z", NULL, "dpo", now),
                     KHM_EINVALID);
    assert_true(has_field("notified_at"));
    /* 25 Nov is past the 72 hours (due 23 Nov 09:00 +07:00): the reason is required */
    assert_int_equal(
        khm_breach_notify_office(tx, &b, "2026-11-25T09:00:00+07:00", NULL, "dpo", now),
        KHM_EINVALID);
    assert_true(has_field("late_reason"));
    assert_int_equal(b.version, v);
    assert_int_equal(khm_breach_notify_office(tx, &b, "2026-11-25T09:00:00+07:00",
                                              "รอผลตรวจสอบทางนิติวิทยาศาสตร์", "dpo", now),
                     0);
    assert_int_equal(b.office_notified_at, at("2026-11-25T02:00:00Z"));
    assert_false(khm_breach_office_pending(&b));
    /* twice is refused */
    assert_int_equal(khm_breach_notify_office(tx, &b, NULL, "x", "dpo", now), KHM_EINVALID);
    /* became-aware-at after notified-at */
    json_t *c = json_pack("[s]", "confidentiality");
    khm_breach_input in = { "2026-11-26T00:00:00+07:00", c, "อัปเดต", NULL, NULL, "risk" };
    assert_int_equal(khm_breach_update(tx, &b, &in, b.version, "dpo", now, f.e.arena),
                     KHM_EINVALID);
    assert_true(has_field("aware_at"));
    /* a stale version */
    in.aware_at = "2026-11-20T08:00:00+07:00";
    assert_int_equal(khm_breach_update(tx, &b, &in, b.version - 1, "dpo", now, f.e.arena),
                     KHM_ESTALE);
    assert_int_equal(khm_breach_update(tx, &b, &in, b.version, "dpo", now, f.e.arena), 0);
    assert_int_equal(b.office_due_at, at("2026-11-23T08:00:00+07:00"));
    json_decref(c);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_test_env_close(&f.e);
}

/* On time: no reason needed (and none kept). */
static void test_pdpa_breach__notify_on_time(void **state)
{
    (void)state;
    fixture f;
    khm_breach b;
    khm_tx *tx;
    setup(&f);
    int64_t now = at("2026-11-27T00:00:00Z");
    assert_int_equal(
        report(&f, &b, "2026-11-26T00:00:00Z", "confidentiality", "high", NULL, NULL, now), 0);
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_breach_notify_office(tx, &b, NULL, NULL, "dpo", now), 0);
    assert_null(b.late_reason);
    assert_int_equal(khm_breach_notify_subjects(tx, &b, NULL, NULL, "dpo", now), KHM_EINVALID);
    assert_true(has_field("method"));
    assert_int_equal(khm_breach_notify_subjects(tx, &b, NULL, "SMS ถึงผู้ได้รับผลกระทบ", "dpo", now), 0);
    assert_int_equal(khm_breach_close(tx, &b, NULL, NULL, "dpo", now), 0); /* nothing owed */
    assert_int_equal(b.closed_at, now);
    assert_int_equal(khm_breach_add_action(tx, &b, "เพิ่มเติม", "dpo", now), KHM_EINVALID);
    assert_true(has_field("closed_at"));
    khm_breach_action *acts;
    size_t n;
    assert_int_equal(khm_store_breach_action_list(tx, &acts, &n, b.id, f.e.arena), 0);
    assert_int_equal(n, 4); /* report, notify_office, notify_subjects, close */
    assert_string_equal(acts[0].kind, "report");
    assert_string_equal(acts[3].kind, "close");
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_test_env_close(&f.e);
}

/* Closing a breach with risk before the Office was notified needs a reason (s.37(4)). */
static void test_pdpa_breach__close_needs_reason_when_owed(void **state)
{
    (void)state;
    fixture f;
    khm_breach b;
    khm_tx *tx;
    setup(&f);
    int64_t now = at("2026-11-27T00:00:00Z");
    assert_int_equal(report(&f, &b, "2026-11-26T00:00:00Z", "integrity", "risk", NULL, NULL, now),
                     0);
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_breach_close(tx, &b, NULL, NULL, "dpo", now), KHM_EINVALID);
    assert_true(has_field("reason"));
    assert_int_equal(b.closed_at, 0);
    assert_int_equal(khm_breach_close(tx, &b, "2026-11-25T00:00:00Z", "x", "dpo", now),
                     KHM_EINVALID);
    assert_true(has_field("closed_at")); /* before awareness */
    assert_int_equal(
        khm_breach_close(tx, &b, NULL, "ประเมินใหม่แล้ว ข้อมูลเข้ารหัสไว้ ไม่มีความเสี่ยง", "dpo", now), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_test_env_close(&f.e);
}

static void test_pdpa_breach__etag(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(khm_breach_parse_etag("\"3\"", &v), 0);
    assert_int_equal(v, 3);
    assert_int_equal(khm_breach_parse_etag("W/\"4\"", &v), 0);
    assert_int_equal(khm_breach_parse_etag(NULL, &v), KHM_EPRECOND);
    assert_int_equal(khm_breach_parse_etag("3", &v), KHM_EINVALID);
    assert_int_equal(khm_breach_risk_parse("high"), KHM_BREACH_RISK_HIGH);
    assert_int_equal(khm_breach_risk_parse("severe"), -1);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_pdpa_breach__office_clock_72h),
              cmocka_unit_test(test_pdpa_breach__remaining_and_risk),
              cmocka_unit_test(test_pdpa_breach__bad_input_named_nothing_stored),
              cmocka_unit_test(test_pdpa_breach__notify_office_and_order),
              cmocka_unit_test(test_pdpa_breach__notify_on_time),
              cmocka_unit_test(test_pdpa_breach__close_needs_reason_when_owed),
              cmocka_unit_test(test_pdpa_breach__etag))
