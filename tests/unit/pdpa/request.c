/* Tests for src/lib/pdpa/request.c: the deadline table and its sources (PDPA s.30, s.33 with
 * the PDPC erasure Notification B.E. 2567; thai-rules.md §1.6), due dates on Bangkok calendar
 * days across month ends, the 29 Feb 2028 leap day and the UTC/+07:00 edge, the status workflow
 * (§1.14(3)), refusals with reason and legal ground (s.30 para 2, s.39(7)), pseudonymous
 * subjects (HMAC-SHA-256 with the agency's key; §1.12), overdue and due-soon lists. */
#include "unit.h"

#include <khomun/request.h>

static int64_t at(const char *s)
{
    int64_t t;
    assert_int_equal(khm_time_parse(&t, s, strlen(s)), 0);
    return t;
}

/* §1.6: s.30 access ≤ 30 days; erasure ≤ 90 days (PDPC Notification B.E. 2567); the rest: the
 * safe default of 30 days; the Act gives no extension. */
static void test_pdpa_request__deadline_table_cites_sources(void **state)
{
    (void)state;
    assert_int_equal(khm_dsr_rule_of(KHM_DSR_ACCESS)->days, 30);
    assert_string_equal(khm_dsr_rule_of(KHM_DSR_ACCESS)->section, "s.30");
    assert_int_equal(khm_dsr_rule_of(KHM_DSR_ERASURE)->days, 90);
    assert_non_null(strstr(khm_dsr_rule_of(KHM_DSR_ERASURE)->source, "B.E. 2567"));
    for (int t = 0; t < KHM_DSR__COUNT; t++) {
        const khm_dsr_rule *r = khm_dsr_rule_of(t);
        assert_non_null(r);
        assert_true(r->days == 30 || t == KHM_DSR_ERASURE);
        assert_int_equal(r->extendable, 0);
        assert_non_null(strstr(r->source, "§1.6"));
        assert_int_equal(khm_dsr_type_parse(r->name), t);
    }
    assert_null(khm_dsr_rule_of(KHM_DSR__COUNT));
    assert_int_equal(khm_dsr_type_parse("deletion"), -1);
}

/* The rule: due at the end of the Bangkok day N days after the Bangkok day of receipt. */
static void test_pdpa_request__due_bangkok_day_month_end(void **state)
{
    (void)state;
    /* s.30: 23:30 on 31 Jan (Bangkok) → the day of receipt is 31 Jan → due 2 Mar 23:59:59.999 */
    assert_int_equal(khm_dsr_due(at("2026-01-31T23:30:00+07:00"), 30),
                     at("2026-03-02T23:59:59.999+07:00"));
    /* the same instant written in UTC gives the same due time */
    assert_int_equal(khm_dsr_due(at("2026-01-31T16:30:00Z"), 30),
                     at("2026-03-02T23:59:59.999+07:00"));
    /* one ms before Bangkok midnight / at Bangkok midnight (17:00 UTC): the day changes */
    assert_int_equal(khm_dsr_due(at("2026-01-31T16:59:59.999Z"), 30),
                     at("2026-03-02T23:59:59.999+07:00"));
    assert_int_equal(khm_dsr_due(at("2026-01-31T17:00:00Z"), 30),
                     at("2026-03-03T23:59:59.999+07:00"));
    /* 00:30 on 1 Feb Bangkok is still 31 Jan in UTC: the Bangkok day counts */
    assert_int_equal(khm_dsr_due(at("2026-02-01T00:30:00+07:00"), 30),
                     at("2026-03-03T23:59:59.999+07:00"));
    /* across the year end */
    assert_int_equal(khm_dsr_due(at("2026-12-15T09:00:00+07:00"), 30),
                     at("2027-01-14T23:59:59.999+07:00"));
    /* 30 April + 30 = 30 May; 31 May + 30 = 30 June */
    assert_int_equal(khm_dsr_due(at("2026-04-30T12:00:00+07:00"), 30),
                     at("2026-05-30T23:59:59.999+07:00"));
    assert_int_equal(khm_dsr_due(at("2026-05-31T12:00:00+07:00"), 30),
                     at("2026-06-30T23:59:59.999+07:00"));
}

/* 2028 is a leap year: 29 Feb exists and is counted. */
static void test_pdpa_request__due_leap_day_2028(void **state)
{
    (void)state;
    /* s.33 erasure, 90 days from 1 Dec 2027: 30 + 31 + 29 → 29 Feb 2028 */
    assert_int_equal(khm_dsr_due(at("2027-12-01T10:00:00+07:00"), 90),
                     at("2028-02-29T23:59:59.999+07:00"));
    /* s.30 from 30 Jan 2028: 30 days → 29 Feb 2028 */
    assert_int_equal(khm_dsr_due(at("2028-01-30T08:00:00+07:00"), 30),
                     at("2028-02-29T23:59:59.999+07:00"));
    /* received on the leap day itself → 30 Mar */
    assert_int_equal(khm_dsr_due(at("2028-02-29T10:00:00+07:00"), 30),
                     at("2028-03-30T23:59:59.999+07:00"));
    /* the same in a common year: 30 Jan 2027 + 30 → 1 Mar 2027 */
    assert_int_equal(khm_dsr_due(at("2027-01-30T08:00:00+07:00"), 30),
                     at("2027-03-01T23:59:59.999+07:00"));
    /* received at 28 Feb 2028 20:00 UTC = 29 Feb 03:00 Bangkok → the leap day is day 0 */
    assert_int_equal(khm_dsr_due(at("2028-02-28T20:00:00Z"), 30),
                     at("2028-03-30T23:59:59.999+07:00"));
}

/* Bangkok has no daylight saving time: every day is 24 h, so due - received stays within
 * (N days, N + 1 days] all year round. */
static void test_pdpa_request__due_dst_free(void **state)
{
    (void)state;
    for (int64_t t = at("2026-01-01T00:00:00Z"); t < at("2027-01-01T00:00:00Z");
         t += 7 * 3600000 + 13 * 60000) {
        int64_t d = khm_dsr_due(t, 30);
        assert_true(d - t > 30LL * 86400000 - 1);
        assert_true(d - t <= 31LL * 86400000);
        assert_int_equal((d + KHM_BANGKOK_OFFSET_MS + 1) % 86400000, 0);
    }
}

/* §1.14(3) workflow: received → verified → in_progress → fulfilled | refused; final states. */
static void test_pdpa_request__workflow_transitions(void **state)
{
    (void)state;
    assert_true(khm_dsr_transition_allowed(KHM_DSR_RECEIVED, KHM_DSR_VERIFIED));
    assert_true(khm_dsr_transition_allowed(KHM_DSR_VERIFIED, KHM_DSR_IN_PROGRESS));
    assert_true(khm_dsr_transition_allowed(KHM_DSR_IN_PROGRESS, KHM_DSR_FULFILLED));
    assert_true(khm_dsr_transition_allowed(KHM_DSR_RECEIVED, KHM_DSR_REFUSED));
    assert_true(khm_dsr_transition_allowed(KHM_DSR_IN_PROGRESS, KHM_DSR_REFUSED));
    assert_false(khm_dsr_transition_allowed(KHM_DSR_FULFILLED, KHM_DSR_RECEIVED));
    assert_false(khm_dsr_transition_allowed(KHM_DSR_REFUSED, KHM_DSR_IN_PROGRESS));
    assert_false(khm_dsr_transition_allowed(KHM_DSR_RECEIVED, KHM_DSR_FULFILLED));
    assert_false(khm_dsr_transition_allowed(KHM_DSR_VERIFIED, KHM_DSR_RECEIVED));
    for (int s = 0; s < KHM_DSR_STATUS__COUNT; s++)
        assert_false(khm_dsr_transition_allowed(s, s));
}

typedef struct {
    khm_test_env e;
    khm_keys keys;
    khm_agency ag;
} fixture;

static void setup(fixture *f)
{
    khm_tx *tx;
    khm_test_env_open(&f->e);
    assert_int_equal(khm_keys_load(&f->keys, f->e.dir), 0);
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &f->ag, f->e.init.agency.id, f->e.arena), 0);
    khm_tx_rollback(tx);
}

static void teardown(fixture *f)
{
    khm_keys_wipe(&f->keys);
    khm_test_env_close(&f->e);
}

static int add(fixture *f, khm_dsr *r, const char *type, const char *subject, const char *received,
               int64_t now)
{
    khm_tx *tx;
    khm_dsr_input in = { type, "email", NULL, subject, NULL, received, NULL, NULL };
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    int rc = khm_dsr_create(tx, r, &in, &f->keys, f->ag.id, "tester", now, f->e.arena);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    return rc;
}

static int move(fixture *f, khm_dsr *r, khm_dsr_transition_input *in, int64_t now)
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 1), 0);
    int rc = khm_dsr_transition(tx, r, in, "tester", now, f->e.arena);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    return rc;
}

static size_t history(fixture *f, const khm_dsr *r)
{
    khm_tx *tx;
    khm_dsr_event *ev;
    size_t n;
    assert_int_equal(khm_tx_begin(&tx, f->e.store, 0), 0);
    assert_int_equal(khm_store_dsr_event_list(tx, &ev, &n, r->id, f->e.arena), 0);
    khm_tx_rollback(tx);
    return n;
}

static void test_pdpa_request__create_computes_due_and_keeps_token(void **state)
{
    (void)state;
    fixture f;
    khm_dsr r, got;
    setup(&f);
    int64_t now = at("2026-03-01T00:00:00Z");
    assert_int_equal(add(&f, &r, "access", "1-1037-02071-81-1", "2026-01-31T23:30:00+07:00", now),
                     0);
    assert_int_equal(r.due_at, at("2026-03-02T23:59:59.999+07:00"));
    assert_int_equal(r.status, KHM_DSR_RECEIVED);
    assert_string_equal(r.verification, "unverified");
    assert_int_equal(strlen(r.subject), 64);
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dsr_get(tx, &got, r.id, f.e.arena), 0);
    khm_tx_rollback(tx);
    assert_string_equal(got.subject, r.subject);
    assert_int_equal(got.due_at, r.due_at);
    assert_null(got.package); /* discovery fills it later */
    /* the clear identifier is nowhere in the database file */
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "grep -c 1103702071811 '%s/khomun.db' >/dev/null", f.e.dir);
    assert_int_not_equal(system(cmd), 0);
    teardown(&f);
}

/* §1.12 pseudonymisation: one subject, one token per agency, whatever the notation. */
static void test_pdpa_request__subject_token_normalises(void **state)
{
    (void)state;
    fixture f;
    char a[KHM_SUBJECT_TOKEN_LEN], b[KHM_SUBJECT_TOKEN_LEN];
    setup(&f);
    assert_int_equal(
        khm_subject_token(a, &f.keys, f.ag.id, KHM_SUBJECT_TNIN, "1-1037-02071-81-1", "subject"),
        0);
    assert_int_equal(
        khm_subject_token(b, &f.keys, f.ag.id, KHM_SUBJECT_TNIN, "1 1037 02071 81 1", "subject"),
        0);
    assert_string_equal(a, b);
    /* another agency: another token (keys derived per agency) */
    assert_int_equal(khm_subject_token(b, &f.keys, "01900000-0000-7000-8000-000000000001",
                                       KHM_SUBJECT_TNIN, "1103702071811", "subject"),
                     0);
    assert_string_not_equal(a, b);
    /* a bad check digit is refused, and the message does not repeat the number */
    assert_int_equal(
        khm_subject_token(a, &f.keys, f.ag.id, KHM_SUBJECT_TNIN, "1103702071812", "subject"),
        KHM_EINVALID);
    assert_true(has_field("subject"));
    assert_null(strstr(khm_err_last()->message, "1103702071812"));
    assert_null(strstr(khm_err_fields(&(size_t){ 0 })[0].message, "1103702071812"));
    /* e-mail: case and surrounding space do not matter */
    assert_int_equal(
        khm_subject_token(a, &f.keys, f.ag.id, KHM_SUBJECT_EMAIL, " Somchai@Example.go.th ", "s"),
        0);
    assert_int_equal(
        khm_subject_token(b, &f.keys, f.ag.id, KHM_SUBJECT_EMAIL, "somchai@example.go.th", "s"), 0);
    assert_string_equal(a, b);
    /* phone: +66 8x… is 08x… */
    assert_int_equal(
        khm_subject_token(a, &f.keys, f.ag.id, KHM_SUBJECT_PHONE, "+66 81-234-5678", "s"), 0);
    assert_int_equal(khm_subject_token(b, &f.keys, f.ag.id, KHM_SUBJECT_PHONE, "0812345678", "s"),
                     0);
    assert_string_equal(a, b);
    assert_int_equal(khm_subject_token(a, &f.keys, f.ag.id, KHM_SUBJECT_PHONE, "+1 555 0100", "s"),
                     KHM_EINVALID);
    teardown(&f);
}

static void test_pdpa_request__bad_input_names_fields_changes_nothing(void **state)
{
    (void)state;
    fixture f;
    khm_dsr r;
    setup(&f);
    int64_t now = at("2026-03-01T00:00:00Z");
    assert_int_equal(add(&f, &r, "deletion", "1103702071812", "2026-03-02T00:00:00Z", now),
                     KHM_EINVALID);
    assert_true(has_field("type"));
    assert_true(has_field("subject"));
    assert_true(has_field("received_at")); /* in the future */
    assert_int_equal(add(&f, &r, "access", "1103702071811", "31/01/2026", now), KHM_EINVALID);
    assert_true(has_field("received_at"));
    khm_tx *tx;
    khm_dsr *items;
    size_t n;
    int more;
    khm_dsr_filter flt = { f.ag.id, -1, 0, 0, 0 };
    khm_page page = { NULL, 10 };
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    assert_int_equal(khm_store_dsr_list(tx, &items, &n, &more, &flt, &page, f.e.arena), 0);
    khm_tx_rollback(tx);
    assert_int_equal(n, 0);
    teardown(&f);
}

/* The workflow on the store: verification needs its method; a refusal its reason and a legal
 * ground naming a section (s.30 para 2; s.39(7) records refusals); fulfilled → received is
 * refused with both statuses named, and nothing changes. */
static void test_pdpa_request__transitions_on_store(void **state)
{
    (void)state;
    fixture f;
    khm_dsr r;
    setup(&f);
    int64_t now = at("2026-03-01T00:00:00Z");
    assert_int_equal(add(&f, &r, "access", "1103702071811", NULL, now), 0);
    khm_dsr_transition_input t = { 0 };
    t.to = "verified";
    assert_int_equal(move(&f, &r, &t, now), KHM_EINVALID);
    assert_true(has_field("method"));
    assert_int_equal(r.version, 1);
    t.method = "บัตรประชาชนตัวจริงที่เคาน์เตอร์";
    assert_int_equal(move(&f, &r, &t, now + 1), 0);
    assert_int_equal(r.status, KHM_DSR_VERIFIED);
    assert_string_equal(r.verification, "verified");
    memset(&t, 0, sizeof(t));
    t.to = "in_progress";
    assert_int_equal(move(&f, &r, &t, now + 2), 0);
    t.to = "fulfilled";
    assert_int_equal(move(&f, &r, &t, now + 3), 0);
    assert_int_equal(r.closed_at, now + 3);
    size_t h = history(&f, &r);
    assert_int_equal(h, 4);
    int64_t v = r.version;
    t.to = "received";
    assert_int_equal(move(&f, &r, &t, now + 4), KHM_EINVALID);
    assert_true(has_field("to"));
    assert_non_null(strstr(khm_err_last()->message, "'fulfilled' to 'received'"));
    assert_int_equal(r.version, v);
    assert_int_equal(history(&f, &r), h);

    /* refusals */
    khm_dsr q;
    assert_int_equal(add(&f, &q, "erasure", "1103702071811", NULL, now), 0);
    memset(&t, 0, sizeof(t));
    t.to = "refused";
    assert_int_equal(move(&f, &q, &t, now + 1), KHM_EINVALID);
    assert_true(has_field("reason"));
    assert_true(has_field("legal_ground"));
    t.reason = "ยังต้องเก็บไว้ตามกฎหมายภาษี";
    t.legal_ground = "because we want to";
    assert_int_equal(move(&f, &q, &t, now + 1), KHM_EINVALID);
    assert_true(has_field("legal_ground"));
    t.legal_ground = "s.33 para 1 exception (legal obligation)";
    t.verification = "failed";
    assert_int_equal(move(&f, &q, &t, now + 2), 0);
    assert_int_equal(q.status, KHM_DSR_REFUSED);
    assert_string_equal(q.verification, "failed");
    assert_string_equal(q.refusal_ground, "s.33 para 1 exception (legal obligation)");
    teardown(&f);
}

/* Notes are append-only; overdue and due-soon lists (open requests only). */
static void test_pdpa_request__notes_and_lists(void **state)
{
    (void)state;
    fixture f;
    khm_dsr old, soon, later, done;
    setup(&f);
    int64_t now = at("2026-06-15T12:00:00+07:00");
    assert_int_equal(add(&f, &old, "access", "1103702071811", "2026-05-01T09:00:00+07:00", now), 0);
    assert_int_equal(add(&f, &soon, "access", "1103702071811", "2026-05-20T09:00:00+07:00", now),
                     0);
    assert_int_equal(add(&f, &later, "erasure", "1103702071811", "2026-06-01T09:00:00+07:00", now),
                     0);
    assert_int_equal(add(&f, &done, "access", "1103702071811", "2026-04-01T09:00:00+07:00", now),
                     0);
    khm_dsr_transition_input t = { 0 };
    t.to = "refused";
    t.reason = "ไม่ใช่ข้อมูลของผู้ขอ";
    t.legal_ground = "s.30 para 2";
    assert_int_equal(move(&f, &done, &t, now), 0);

    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 1), 0);
    assert_int_equal(khm_dsr_note(tx, &old, "โทรแจ้งผู้ขอแล้ว", "tester", now), 0);
    assert_int_equal(khm_dsr_note(tx, &old, "", "tester", now), KHM_EINVALID);
    assert_true(has_field("text"));
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(history(&f, &old), 2);

    khm_dsr *items;
    size_t n;
    int more;
    khm_page page = { NULL, 50 };
    khm_dsr_filter flt = { f.ag.id, -1, 0, 0, 0 };
    assert_int_equal(khm_tx_begin(&tx, f.e.store, 0), 0);
    khm_dsr_filter_overdue(&flt, now); /* old: due 31 May */
    assert_int_equal(khm_store_dsr_list(tx, &items, &n, &more, &flt, &page, f.e.arena), 0);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].id, old.id);
    assert_true(khm_dsr_overdue(&items[0], now));
    khm_dsr_filter_due_soon(&flt, now, KHM_DSR_DUE_SOON_DAYS); /* soon: due 19 June */
    assert_int_equal(khm_store_dsr_list(tx, &items, &n, &more, &flt, &page, f.e.arena), 0);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].id, soon.id);
    khm_dsr_filter all = { f.ag.id, KHM_DSR_REFUSED, 0, 0, 0 };
    assert_int_equal(khm_store_dsr_list(tx, &items, &n, &more, &all, &page, f.e.arena), 0);
    assert_int_equal(n, 1);
    assert_false(khm_dsr_overdue(&items[0], now)); /* closed: never overdue */
    khm_tx_rollback(tx);

    int64_t w;
    assert_int_equal(khm_dsr_parse_window("7d", &w, "due_within"), 0);
    assert_int_equal(w, 7LL * 86400000);
    assert_int_equal(khm_dsr_parse_window("48h", &w, "due_within"), 0);
    assert_int_equal(w, 48LL * 3600000);
    assert_int_equal(khm_dsr_parse_window("0d", &w, "due_within"), KHM_EINVALID);
    assert_int_equal(khm_dsr_parse_window("soon", &w, "due_within"), KHM_EINVALID);
    teardown(&f);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_pdpa_request__deadline_table_cites_sources),
              cmocka_unit_test(test_pdpa_request__due_bangkok_day_month_end),
              cmocka_unit_test(test_pdpa_request__due_leap_day_2028),
              cmocka_unit_test(test_pdpa_request__due_dst_free),
              cmocka_unit_test(test_pdpa_request__workflow_transitions),
              cmocka_unit_test(test_pdpa_request__create_computes_due_and_keeps_token),
              cmocka_unit_test(test_pdpa_request__subject_token_normalises),
              cmocka_unit_test(test_pdpa_request__bad_input_names_fields_changes_nothing),
              cmocka_unit_test(test_pdpa_request__transitions_on_store),
              cmocka_unit_test(test_pdpa_request__notes_and_lists))
