/* Tests for src/lib/audit/archive.c — retention. A chain of 50 events with a checkpoint every
 * 10 is archived up to a checkpoint; the store then verifies from the signed archive anchor,
 * the archive file verifies offline, new events and a second archive continue the chain, and
 * tampering with what is left — the events, the anchor row, the checkpoint that signs it — is
 * found. An archive is refused (nothing deleted) for a position no checkpoint covers, past the
 * newest checkpoint, on a chain that does not verify, and when the file cannot be read back.
 * The last case runs the same on PostgreSQL when KHOMUN_TEST_PG is set. */
#include "unit_pg.h"

#include <khomun/audit.h>

#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_EVENTS 50
#define CP_EVERY 10

static khm_keys keys;

typedef struct {
    char *dir;
    char path[4200];
    char file[4300]; /* an archive file */
    khm_store *s;
} env;

static void append_events(khm_store *s, int n, int cp_every)
{
    for (int i = 1; i <= n; i++) {
        khm_tx *tx;
        char target[32];
        snprintf(target, sizeof(target), "agency/%d", i);
        khm_audit_event ev = { 0 };
        ev.actor_user = "01a21caf-9026-70eb-8d67-70b5edfc39f4";
        ev.action = i % 2 ? "agency.create" : "auth.whoami";
        ev.target = target;
        ev.status = i % 5 ? 200 : 403;
        ev.outcome = khm_audit_outcome(ev.status);
        ev.reasons = i % 3 ? "เหตุผล \"ok\"" : NULL;
        ev.client = "127.0.0.1";
        assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
        assert_int_equal(khm_audit_append(tx, &ev, NULL), 0);
        if (cp_every && i % cp_every == 0)
            assert_int_equal(khm_audit_checkpoint(tx, &keys, NULL), 0);
        assert_int_equal(khm_tx_commit(tx), 0);
    }
}

/* A store at @p uri (NULL: a new SQLite file) holding the 50-event chain. */
static void env_open(env *e, const char *uri)
{
    static int keyed;
    memset(e, 0, sizeof(*e));
    if (!keyed) {
        crypto_sign_keypair(keys.sign_pk, keys.sign_sk);
        keyed = 1;
    }
    e->dir = khm_test_tmpdir();
    snprintf(e->path, sizeof(e->path), "%s.db", e->dir);
    snprintf(e->file, sizeof(e->file), "%s.archive.jsonl", e->dir);
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.create = 1;
    assert_int_equal(khm_store_open(&e->s, uri ? uri : e->path, &o), 0);
    append_events(e->s, N_EVENTS, CP_EVERY);
}

static void env_close(env *e)
{
    khm_store_close(e->s);
    khm_test_rmtree(e->dir);
    free(e->dir);
}

static void verify(env *e, khm_audit_report *rep)
{
    assert_int_equal(khm_audit_verify_store(e->s, keys.sign_pk, 1, rep), 0);
}

static void expect(const khm_audit_report *rep, const char *kind, int64_t bad_seq)
{
    if (!kind) {
        if (!rep->ok)
            fail_msg("expected ok, got %s at %lld: %s", rep->kind, (long long)rep->bad_seq,
                     rep->message);
        return;
    }
    if (rep->ok)
        fail_msg("expected %s at %lld, got ok: %s", kind, (long long)bad_seq, rep->message);
    if (strcmp(rep->kind, kind) != 0 || rep->bad_seq != bad_seq)
        fail_msg("expected %s at %lld, got %s at %lld: %s", kind, (long long)bad_seq, rep->kind,
                 (long long)rep->bad_seq, rep->message);
}

/* Archive up to @p before into a new file @p path; the library's return code. */
static int archive_to(env *e, const char *path, int64_t before, khm_audit_archive_result *res,
                      khm_audit_report *rep)
{
    FILE *f = fopen(path, "w+x");
    assert_non_null(f);
    khm_audit_archive_opts o = { before, path, "cli:tester", "cli" };
    int rc = khm_audit_archive(e->s, &keys, &o, f, res, rep);
    assert_int_equal(fclose(f), 0);
    return rc;
}

static void count(env *e, int64_t *events, int64_t *max_seq)
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e->s, 0), 0);
    assert_int_equal(khm_store_audit_count(tx, events, max_seq), 0);
    khm_tx_rollback(tx);
}

static int cp_exists(khm_tx *tx, int64_t event_seq)
{
    khm_audit_checkpoint_row c;
    return khm_store_audit_checkpoint_at(tx, event_seq, &c) == 0 && c.event_seq == event_seq;
}

static void verify_file(const char *path, khm_audit_report *rep)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(khm_audit_verify_export(f, keys.sign_pk, rep), 0);
    fclose(f);
}

/* The first line of @p path that contains @p needle, or "" (static buffer). */
static const char *line_with(const char *path, const char *needle, int *lineno)
{
    static char line[8192];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    *lineno = 0;
    while (fgets(line, sizeof(line), f)) {
        ++*lineno;
        if (strstr(line, needle)) {
            fclose(f);
            return line;
        }
    }
    fclose(f);
    line[0] = '\0';
    return line;
}

static void test_audit_archive__archive_then_verify_ok(void **state)
{
    (void)state;
    env e;
    khm_audit_archive_result res;
    khm_audit_report rep;
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 20, &res, &rep), 0);
    expect(&rep, NULL, 0); /* the range verified before */
    assert_int_equal(res.requested, 20);
    assert_int_equal(res.first_seq, 1);
    assert_int_equal(res.last_seq, 20);
    assert_false(res.rounded);
    assert_int_equal(res.events, 20);
    assert_int_equal(res.checkpoints, 2); /* at 10 and 20 */
    assert_int_equal(res.checkpoint_seq, 2);
    assert_int_equal(res.archive_seq, 1);
    assert_int_equal(res.event_seq, N_EVENTS + 1);
    assert_int_equal(strlen(res.anchor_hash), 64);

    /* the store: events 21..51 (the archive's own event last), checkpoint 20 kept, 10 gone */
    int64_t n, max;
    count(&e, &n, &max);
    assert_int_equal(n, N_EVENTS - 20 + 1);
    assert_int_equal(max, N_EVENTS + 1);
    khm_tx *tx;
    khm_audit_archive_row a;
    khm_arena *ar = khm_arena_new(0);
    assert_int_equal(khm_tx_begin(&tx, e.s, 0), 0);
    assert_true(cp_exists(tx, 20));
    assert_false(cp_exists(tx, 10));
    assert_true(cp_exists(tx, N_EVENTS + 1)); /* audit.archive is signed */
    assert_int_equal(khm_store_audit_archive_last(tx, &a, ar), 0);
    assert_int_equal(a.seq, 1);
    assert_int_equal(a.first_seq, 1);
    assert_int_equal(a.event_seq, 20);
    assert_int_equal(a.checkpoint_seq, 2);
    assert_string_equal(a.event_hash, res.anchor_hash);
    assert_string_equal(a.file, e.file);
    khm_audit_row *rows;
    size_t nrows;
    int more;
    khm_audit_filter f = { 0 };
    f.action = "audit.archive";
    f.limit = 10;
    assert_int_equal(khm_store_audit_list(tx, &rows, &nrows, &more, &f, ar), 0);
    assert_int_equal(nrows, 1);
    assert_int_equal(rows[0].seq, N_EVENTS + 1);
    assert_string_equal(rows[0].actor_user, "cli:tester");
    assert_string_equal(rows[0].target, "audit/1..20");
    assert_string_equal(rows[0].outcome, "success");
    assert_non_null(strstr(rows[0].reasons, e.file));
    assert_non_null(strstr(rows[0].reasons, res.anchor_hash));
    khm_tx_rollback(tx);
    khm_arena_free(ar);

    verify(&e, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.anchor_seq, 20);
    assert_int_equal(rep.events, N_EVENTS - 20 + 1);
    assert_int_equal(rep.head_seq, N_EVENTS + 1);
    assert_int_equal(rep.last_checkpoint, N_EVENTS + 1);
    assert_int_equal(rep.checkpoints, 5); /* 20 (the anchor), 30, 40, 50, 51 */
    assert_non_null(strstr(rep.message, "31 events and 5 checkpoints verified after archive "
                                        "anchor 20"));
    /* --from at or before the anchor means from the anchor */
    assert_int_equal(khm_audit_verify_store(e.s, keys.sign_pk, 5, &rep), 0);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.anchor_seq, 20);

    /* new events link to the head as before */
    append_events(e.s, 3, 3);
    verify(&e, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.head_seq, N_EVENTS + 4);
    env_close(&e);
}

static void test_audit_archive__file_verifies_offline(void **state)
{
    (void)state;
    env e;
    khm_audit_archive_result res;
    khm_audit_report rep;
    int ln;
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 30, &res, NULL), 0);
    verify_file(e.file, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, 30);
    assert_int_equal(rep.checkpoints, 3);
    assert_int_equal(rep.head_seq, 30);
    assert_int_equal(rep.last_checkpoint, 30);
    assert_string_equal(rep.head_hash, res.anchor_hash);
    assert_non_null(strstr(line_with(e.file, "khomun-audit-export", &ln), "\"from\":1,\"to\":30"));
    assert_int_equal(ln, 1);
    assert_string_equal(line_with(e.file, "\"kind\":\"anchor\"", &ln), ""); /* from event 1 */
    /* a change to the file is found */
    char cmd[9000];
    snprintf(cmd, sizeof(cmd), "sed -i 's/\"agency\\/17\"/\"agency\\/71\"/' '%s'", e.file);
    assert_int_equal(system(cmd), 0);
    verify_file(e.file, &rep);
    expect(&rep, "modified", 17);
    env_close(&e);
}

static void test_audit_archive__tampering_after_archive_is_found(void **state)
{
    (void)state;
    env e;
    khm_audit_report rep;
    /* an event left in the store: modified, deleted */
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 20, NULL, NULL), 0);
    khm_test_sql(e.path, "UPDATE audit_event SET status = 500 WHERE seq = 33");
    verify(&e, &rep);
    expect(&rep, "modified", 33);
    env_close(&e);
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 20, NULL, NULL), 0);
    khm_test_sql(e.path, "DELETE FROM audit_event WHERE seq = 21");
    verify(&e, &rep);
    expect(&rep, "deleted", 21);
    env_close(&e);
    /* the tail cut below the newest checkpoint */
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 20, NULL, NULL), 0);
    khm_test_sql(e.path, "DELETE FROM audit_event WHERE seq > 45");
    verify(&e, &rep);
    expect(&rep, "truncated", 46);
    env_close(&e);
}

static void test_audit_archive__removed_or_changed_anchor_is_anchor(void **state)
{
    (void)state;
    env e;
    khm_audit_report rep;
    /* the anchor row deleted: the first event links to a signed position nothing accounts for */
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 20, NULL, NULL), 0);
    khm_test_sql(e.path, "DELETE FROM audit_archive");
    verify(&e, &rep);
    expect(&rep, "anchor", 20);
    env_close(&e);
    /* the checkpoint that signs it deleted */
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 20, NULL, NULL), 0);
    khm_test_sql(e.path, "DELETE FROM audit_checkpoint WHERE event_seq = 20");
    verify(&e, &rep);
    expect(&rep, "anchor", 20);
    env_close(&e);
    /* both: the chain just starts late, a deletion at 1 */
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 20, NULL, NULL), 0);
    khm_test_sql(e.path,
                 "DELETE FROM audit_checkpoint WHERE event_seq = 20; DELETE FROM audit_archive");
    verify(&e, &rep);
    expect(&rep, "deleted", 1);
    env_close(&e);
    /* moved forward to drop more events (to the checkpoint at 30): its signature fails */
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 20, NULL, NULL), 0);
    khm_test_sql(
        e.path,
        "UPDATE audit_archive SET event_seq = 30, checkpoint_seq = 3, event_hash = "
        "(SELECT event_hash FROM audit_checkpoint WHERE event_seq = 30);"
        "DELETE FROM audit_event WHERE seq <= 30; DELETE FROM audit_checkpoint WHERE seq < 3");
    verify(&e, &rep);
    expect(&rep, "anchor", 30);
    env_close(&e);
    /* its hash changed: not the one its signature covers */
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 20, NULL, NULL), 0);
    khm_test_sql(e.path, "UPDATE audit_archive SET event_hash = '%064d'", 7);
    verify(&e, &rep);
    expect(&rep, "anchor", 20);
    env_close(&e);
}

static void test_audit_archive__two_archives_continue_the_chain(void **state)
{
    (void)state;
    env e;
    khm_audit_archive_result r1, r2;
    khm_audit_report rep;
    char file2[4400];
    int ln;
    env_open(&e, NULL);
    snprintf(file2, sizeof(file2), "%s.archive2.jsonl", e.dir);
    assert_int_equal(archive_to(&e, e.file, 20, &r1, NULL), 0);
    assert_int_equal(archive_to(&e, file2, 40, &r2, NULL), 0);
    assert_int_equal(r2.first_seq, 21);
    assert_int_equal(r2.last_seq, 40);
    assert_int_equal(r2.events, 20);
    assert_int_equal(r2.archive_seq, 2);
    assert_int_equal(r2.event_seq, N_EVENTS + 2);
    /* the second file: header from 21, the checkpoint at 20, the anchor line, then events */
    assert_non_null(strstr(line_with(file2, "khomun-audit-export", &ln), "\"from\":21,\"to\":40"));
    assert_int_equal(ln, 1);
    assert_non_null(strstr(line_with(file2, "\"kind\":\"checkpoint\"", &ln), "\"event_seq\":20,"));
    assert_int_equal(ln, 2);
    const char *anchor = line_with(file2, "\"kind\":\"anchor\"", &ln);
    assert_non_null(strstr(anchor, "\"seq\":20,"));
    assert_non_null(strstr(anchor, r1.anchor_hash));
    verify_file(file2, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.anchor_seq, 20);
    assert_int_equal(rep.events, 20);
    assert_int_equal(rep.head_seq, 40);
    assert_null(strstr(rep.message, "not covered"));
    assert_non_null(strstr(rep.message, "after anchor 20"));
    /* the files chain: the first ends where the second's anchor is */
    verify_file(e.file, &rep);
    expect(&rep, NULL, 0);
    assert_string_equal(rep.head_hash, r1.anchor_hash);
    /* the store continues from 40 */
    verify(&e, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.anchor_seq, 40);
    assert_int_equal(rep.events, N_EVENTS - 40 + 2);
    /* the anchor in the second file, changed, is caught by the checkpoint in that file */
    char cmd[9000];
    snprintf(cmd, sizeof(cmd), "sed -i '/\"kind\":\"anchor\"/s/%s/%064d/' '%s'", r1.anchor_hash, 0,
             file2);
    assert_int_equal(system(cmd), 0);
    verify_file(file2, &rep);
    expect(&rep, "anchor", 20);
    env_close(&e);
}

static void test_audit_archive__everything_then_export(void **state)
{
    (void)state;
    env e;
    khm_audit_archive_result res;
    khm_audit_report rep;
    env_open(&e, NULL);
    /* up to the head: the store keeps no old event, audit.archive links to the anchor */
    assert_int_equal(archive_to(&e, e.file, N_EVENTS, &res, NULL), 0);
    int64_t n, max;
    count(&e, &n, &max);
    assert_int_equal(n, 1);
    assert_int_equal(max, N_EVENTS + 1);
    verify(&e, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, 1);
    assert_int_equal(rep.anchor_seq, N_EVENTS);
    /* an export from event 1 starts after the anchor, which its checkpoint proves offline */
    FILE *f = tmpfile();
    assert_int_equal(khm_audit_export(e.s, f, keys.sign_pk, 1, 0), 0);
    rewind(f);
    assert_int_equal(khm_audit_verify_export(f, keys.sign_pk, &rep), 0);
    fclose(f);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, 1);
    assert_int_equal(rep.anchor_seq, N_EVENTS);
    assert_null(strstr(rep.message, "not covered"));
    env_close(&e);
}

static void test_audit_archive__before_is_rounded_down_or_refused(void **state)
{
    (void)state;
    env e;
    khm_audit_archive_result res;
    size_t nf;
    int64_t n, max;
    env_open(&e, NULL);
    /* between checkpoints: rounded down to the one at 20 */
    assert_int_equal(archive_to(&e, e.file, 27, &res, NULL), 0);
    assert_int_equal(res.requested, 27);
    assert_int_equal(res.last_seq, 20);
    assert_true(res.rounded);
    unlink(e.file);
    /* at or before the anchor, or with no checkpoint after it up to SEQ: refused, no change */
    static const int64_t refused[] = { 0, 5, 20, 29, N_EVENTS + 2 };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        assert_int_equal(archive_to(&e, e.file, refused[i], NULL, NULL), KHM_EINVALID);
        const khm_field_error *fe = khm_err_fields(&nf);
        assert_int_equal(nf, 1);
        assert_string_equal(fe[0].field, "before");
        assert_true(strlen(fe[0].message_th) > 0);
        unlink(e.file);
    }
    count(&e, &n, &max);
    assert_int_equal(n, N_EVENTS - 20 + 1);
    /* past the newest checkpoint: the message names it */
    append_events(e.s, 2, 0); /* 52, 53 unsigned */
    assert_int_equal(archive_to(&e, e.file, 53, NULL, NULL), KHM_EINVALID);
    khm_err_fields(&nf);
    assert_non_null(
        strstr(khm_err_fields(&nf)[0].message, "newest signed checkpoint, at event 51"));
    unlink(e.file);
    env_close(&e);
    /* a fresh chain: position 5 has no checkpoint at or before it */
    env_open(&e, NULL);
    assert_int_equal(archive_to(&e, e.file, 5, NULL, NULL), KHM_EINVALID);
    count(&e, &n, &max);
    assert_int_equal(n, N_EVENTS);
    env_close(&e);
}

static void test_audit_archive__tampered_chain_is_not_archived(void **state)
{
    (void)state;
    env e;
    khm_audit_report rep;
    int64_t n, max;
    struct stat st;
    env_open(&e, NULL);
    khm_test_sql(e.path, "UPDATE audit_event SET reasons = 'x' WHERE seq = 15");
    assert_int_equal(archive_to(&e, e.file, 20, NULL, &rep), KHM_ETAMPER);
    expect(&rep, "modified", 15);
    assert_non_null(strstr(khm_err_last()->message, "nothing was archived"));
    count(&e, &n, &max);
    assert_int_equal(n, N_EVENTS);
    assert_int_equal(stat(e.file, &st), 0);
    assert_int_equal(st.st_size, 0); /* verified before anything is written */
    unlink(e.file);
    /* a deleted event inside the range, too */
    khm_test_sql(
        e.path,
        "UPDATE audit_event SET reasons = NULL WHERE seq = 15; DELETE FROM audit_event WHERE "
        "seq = 12");
    assert_int_equal(archive_to(&e, e.file, 20, NULL, &rep), KHM_ETAMPER);
    expect(&rep, "deleted", 12);
    unlink(e.file);
    env_close(&e);
    /* only the range is checked: a change after it stays for verify to report */
    env_open(&e, NULL);
    khm_test_sql(e.path, "UPDATE audit_event SET status = 1 WHERE seq = 35");
    assert_int_equal(archive_to(&e, e.file, 20, NULL, &rep), 0);
    expect(&rep, NULL, 0);
    verify(&e, &rep);
    expect(&rep, "modified", 35);
    env_close(&e);
}

static void test_audit_archive__unreadable_file_deletes_nothing(void **state)
{
    (void)state;
    env e;
    int64_t n, max;
    env_open(&e, NULL);
    FILE *f = fopen(e.file, "wx"); /* write-only: cannot be read back */
    assert_non_null(f);
    khm_audit_archive_opts o = { 20, e.file, "cli:tester", "cli" };
    assert_int_equal(khm_audit_archive(e.s, &keys, &o, f, NULL, NULL), KHM_EIO);
    fclose(f);
    count(&e, &n, &max);
    assert_int_equal(n, N_EVENTS);
    khm_audit_report rep;
    verify(&e, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.anchor_seq, 0);
    env_close(&e);
}

static void test_audit_archive__message_is_pinned(void **state)
{
    (void)state;
    khm_audit_archive_row a;
    char msg[256];
    memset(&a, 0, sizeof(a));
    a.seq = 2;
    a.first_seq = 21;
    a.event_seq = 40;
    memset(a.event_hash, 'a', 64);
    a.checkpoint_seq = 4;
    a.ts = 1795779479238;
    size_t n = khm_audit_archive_message(msg, sizeof(msg), &a);
    assert_string_equal(msg, "khomun-audit-archive/v1\n2\n21\n40\n"
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
                             "4\n1795779479238\n");
    assert_int_equal(n, strlen(msg));
}

/* ---- PostgreSQL (KHOMUN_TEST_PG): the same migrations and statements ---- */

static void test_audit_archive__postgres(void **state)
{
    (void)state;
    if (!khm_test_pg())
        skip();
    char name[64], uri[1024];
    khm_test_pg_create(name, uri, "khm_unit_archive", NULL);

    env e;
    khm_audit_archive_result res;
    khm_audit_report rep;
    char file2[4400];
    env_open(&e, uri);
    snprintf(file2, sizeof(file2), "%s.archive2.jsonl", e.dir);
    assert_int_equal(archive_to(&e, e.file, 27, &res, NULL), 0);
    assert_int_equal(res.last_seq, 20);
    verify(&e, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.anchor_seq, 20);
    append_events(e.s, 5, 5);
    assert_int_equal(archive_to(&e, file2, N_EVENTS, &res, NULL), 0);
    assert_int_equal(res.first_seq, 21);
    verify_file(file2, &rep);
    expect(&rep, NULL, 0);
    verify(&e, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.anchor_seq, N_EVENTS);
    assert_int_equal(rep.events, 7); /* 51 (the first audit.archive) .. 57 (the second) */
    khm_store_close(e.s);
    e.s = NULL;
    /* the anchor row deleted on the server */
    khm_test_pg_run(uri, "DELETE FROM audit_archive", 0);
    assert_int_equal(khm_store_open(&e.s, uri, NULL), 0);
    verify(&e, &rep);
    expect(&rep, "anchor", N_EVENTS);
    env_close(&e);
    khm_test_pg_drop(name);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_audit_archive__archive_then_verify_ok),
              cmocka_unit_test(test_audit_archive__file_verifies_offline),
              cmocka_unit_test(test_audit_archive__tampering_after_archive_is_found),
              cmocka_unit_test(test_audit_archive__removed_or_changed_anchor_is_anchor),
              cmocka_unit_test(test_audit_archive__two_archives_continue_the_chain),
              cmocka_unit_test(test_audit_archive__everything_then_export),
              cmocka_unit_test(test_audit_archive__before_is_rounded_down_or_refused),
              cmocka_unit_test(test_audit_archive__tampered_chain_is_not_archived),
              cmocka_unit_test(test_audit_archive__unreadable_file_deletes_nothing),
              cmocka_unit_test(test_audit_archive__message_is_pinned),
              cmocka_unit_test(test_audit_archive__postgres))
