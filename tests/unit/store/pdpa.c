/* Tests for src/lib/store/pdpa.c: consent events are found by their subject key (migration 14)
 * — the latest event of a subject for a purpose (what a withdrawal checks, PDPA s.19 para 5,
 * thai-rules.md §1.5) and a subject's history (the access package, s.30, §1.6) — for events
 * recorded before the migration too (its after-hook keys them, more than one page of them),
 * and two subjects whose keys collide are still told apart by the token itself.
 *
 * On SQLite always; on PostgreSQL too when KHOMUN_TEST_PG=postgres://… is set (bash
 * scripts/pg.sh sets it): a database made for the test and dropped after. */
#include "unit_pg.h"

#include "store_internal.h"

#include <khomun/pdpa.h>

#include <libpq-fe.h>
#include <unistd.h>

#define NSUB 1200 /* subjects: 1200 + 2 × 400 events, past the hook's page of 1000 */

typedef struct {
    char *dir;
    char pgname[64];
    char uri[1024];
    khm_arena *arena;
    khm_init_result init;
    khm_store *store;
    khm_purpose_rec pr[2];
    char subjects[NSUB][65];
} kenv;

/* A data directory on SQLite, or (@p pg) on a fresh PostgreSQL database; skips without one. */
static void kenv_open(kenv *e, int pg)
{
    memset(e, 0, sizeof(*e));
    if (pg) {
        if (!khm_test_pg())
            skip();
        khm_test_pg_create(e->pgname, e->uri, "khm_unit_keys", NULL);
    }
    e->dir = khm_test_tmpdir();
    e->arena = khm_arena_new(0);
    khm_init_opts o = { e->dir, pg ? e->uri : NULL, NULL, NULL, NULL, NULL };
    assert_int_equal(khm_setup_init(&e->init, &o, e->arena), 0);
    assert_int_equal(khm_store_open(&e->store, e->init.db_uri, NULL), 0);
}

static void kenv_close(kenv *e)
{
    khm_store_close(e->store);
    khm_arena_free(e->arena);
    khm_test_rmtree(e->dir);
    free(e->dir);
    if (e->pgname[0])
        khm_test_pg_drop(e->pgname);
}

static void record(kenv *e, khm_tx *tx, int p, int n, int withdraw)
{
    khm_consent_event ev;
    memset(&ev, 0, sizeof(ev));
    khm_id_new(ev.id);
    memcpy(ev.agency_id, e->init.agency.id, KHM_ID_LEN);
    memcpy(ev.purpose_id, e->pr[p].id, KHM_ID_LEN);
    memcpy(ev.subject, e->subjects[n], sizeof(e->subjects[n]));
    ev.subject_type = "tnin";
    ev.withdraw = withdraw;
    ev.given_at = ev.recorded_at = 1760000000000 + n;
    ev.method = "electronic";
    ev.text_version = 1;
    ev.age = -1;
    ev.given_by = "subject";
    assert_int_equal(khm_store_consent_insert(tx, &ev), 0);
}

/* Two consent purposes; subject n consents to the first; every third also consents to the
 * second and withdraws it (s.19 para 5). */
static void seed(kenv *e)
{
    khm_tx *tx;
    static const char *const codes[2] = { "e-newsletter", "survey" };
    assert_int_equal(khm_tx_begin(&tx, e->store, 1), 0);
    for (int i = 0; i < 2; i++) {
        khm_purpose_input in = { 0 };
        in.code = codes[i];
        in.name_th = "แจ้งข่าวสารทางอีเมล";
        in.basis = "consent";
        in.retention_days = 365;
        in.text_th = "ข้าพเจ้ายินยอมให้ใช้ข้อมูลเพื่อการนี้";
        in.reconsent_required = -1;
        assert_int_equal(
            khm_purpose_create(tx, &e->pr[i], &in, e->init.agency.id, NULL, 1, e->arena), 0);
    }
    for (int n = 0; n < NSUB; n++) {
        unsigned char tok[32];
        randombytes_buf(tok, sizeof(tok));
        khm_hex_encode(e->subjects[n], tok, sizeof(tok));
        record(e, tx, 0, n, 0);
        if (n % 3 == 0) {
            record(e, tx, 1, n, 0);
            record(e, tx, 1, n, 1);
        }
    }
    assert_int_equal(khm_tx_commit(tx), 0);
}

/* Every subject's latest events and history are theirs and complete. */
static void verify(kenv *e, const char *phase)
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e->store, 0), 0);
    for (int n = 0; n < NSUB; n++) {
        khm_consent_event ev, *items;
        size_t count;
        int more;
        if (khm_store_consent_latest(tx, &ev, e->pr[0].id, e->subjects[n], e->arena) != 0)
            fail_msg("%s: subject %d: %s", phase, n, khm_err_last()->message);
        assert_string_equal(ev.subject, e->subjects[n]);
        assert_int_equal(ev.given_at, 1760000000000 + n);
        assert_false(ev.withdraw);
        int rc = khm_store_consent_latest(tx, &ev, e->pr[1].id, e->subjects[n], e->arena);
        if (n % 3 == 0) {
            assert_int_equal(rc, 0);
            assert_string_equal(ev.subject, e->subjects[n]);
            assert_true(ev.withdraw);
        } else {
            assert_int_equal(rc, KHM_ENOTFOUND);
        }
        assert_int_equal(khm_store_consent_history(tx, &items, &count, &more, e->init.agency.id,
                                                   e->subjects[n], NULL, e->arena),
                         0);
        assert_int_equal(count, n % 3 == 0 ? 3 : 1);
        for (size_t i = 0; i < count; i++)
            assert_string_equal(items[i].subject, e->subjects[n]);
    }
    khm_tx_rollback(tx);
    khm_err_clear();
}

static void exec_sql(kenv *e, const char *sql)
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e->store, 1), 0);
    if (tx->s->drv->exec(tx->slot->conn, sql) != 0)
        fail_msg("%s: %s", sql, khm_err_last()->message);
    assert_int_equal(khm_tx_commit(tx), 0);
}

static void keys_before_and_after_migration(int pg)
{
    if (pg && !khm_test_pg())
        skip(); /* before the allocation: skip() does not return */
    kenv *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    kenv_open(e, pg);
    seed(e);
    verify(e, "recorded");
    /* the database as migration 13 left it, these events in it: no keys, the two indexes (the
     * later migrations, forgotten too, run again: they are written to) */
    exec_sql(e, "DROP INDEX consent_event_subject_key;\n"
                "ALTER TABLE consent_event DROP COLUMN subject_key;\n"
                "CREATE INDEX consent_event_subject ON consent_event (agency_id, subject, id);\n"
                "CREATE INDEX consent_event_latest ON consent_event (purpose_id, subject, seq);\n"
                "DELETE FROM khm_schema WHERE version >= 14;\n");
    khm_store_close(e->store);
    e->store = NULL;
    if (khm_store_open(&e->store, e->init.db_uri, NULL) != 0)
        fail_msg("reopen: %s", khm_err_last()->message);
    verify(e, "migrated");
    /* another subject on subject 1's key, with a later event for the same purpose: subject 1
     * still finds its own events only */
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO consent_event (id, seq, agency_id, purpose_id, subject, subject_type, "
             "action, given_at, recorded_at, method, text_version, explicit_consent, given_by, "
             "subject_key) SELECT '01JTWINTWINTWINTWINTWINTWI', seq + 100000, agency_id, "
             "purpose_id, '%064d', subject_type, 'withdraw', given_at + 1, recorded_at + 1, "
             "method, text_version, explicit_consent, given_by, subject_key FROM consent_event "
             "WHERE subject = '%s'",
             0, e->subjects[1]);
    exec_sql(e, sql);
    verify(e, "keys collide");
    kenv_close(e);
    free(e);
}

static void test_store_pdpa__subject_keys_sqlite(void **state)
{
    (void)state;
    keys_before_and_after_migration(0);
}

static void test_store_pdpa__subject_keys_postgres(void **state)
{
    (void)state;
    keys_before_and_after_migration(1);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_pdpa__subject_keys_sqlite),
              cmocka_unit_test(test_store_pdpa__subject_keys_postgres))
