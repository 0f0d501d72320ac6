/* Tests for src/lib/audit/verify.c — the tamper tests. A chain of 50 events with a checkpoint
 * every 10 is written through the group-commit writer once; each case works on a fresh copy
 * of that SQLite file, tampers with it through raw SQL as an attacker with access to the file
 * would, and checks that khm_audit_verify_store names the kind of tampering and its position.
 * The same cases run on an export (khm_audit_export, then the JSON lines edited) with
 * khm_audit_verify_export. Test names say which kind each checks. */
#include "unit.h"

#include <khomun/audit.h>

#include <sqlite3.h>
#include <unistd.h>

#define N_EVENTS 50
#define CP_EVERY 10

/* ---- the template chain, built once ---- */

static char *tpl_dir;
static char tpl_path[4200];
static khm_keys keys;

static void remove_template(void)
{
    if (tpl_dir) {
        khm_test_rmtree(tpl_dir);
        free(tpl_dir);
    }
}

static const char *template_db(void)
{
    if (tpl_dir)
        return tpl_path;
    tpl_dir = khm_test_tmpdir();
    atexit(remove_template);
    snprintf(tpl_path, sizeof(tpl_path), "%s.db", tpl_dir);
    crypto_sign_keypair(keys.sign_pk, keys.sign_sk);
    khm_store *s;
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.create = 1;
    assert_int_equal(khm_store_open(&s, tpl_path, &o), 0);
    khm_audit_writer *w;
    khm_audit_opts ao = KHM_AUDIT_OPTS_INIT;
    ao.checkpoint_every = CP_EVERY;
    ao.checkpoint_ms = 600000;
    assert_int_equal(khm_audit_writer_new(&w, s, &keys, &ao), 0);
    for (int i = 1; i <= N_EVENTS; i++) {
        char target[32], reasons[64];
        snprintf(target, sizeof(target), "agency/%d", i);
        snprintf(reasons, sizeof(reasons), "เหตุผลที่ %d \"ok\"", i);
        khm_audit_event ev = { 0 };
        ev.actor_user = i % 3 ? "01a21caf-9026-70eb-8d67-70b5edfc39f4" : NULL;
        ev.actor_agency = i % 3 ? "01a21caf-9026-70ea-a4e1-a6add2bd5b49" : NULL;
        ev.action = i % 2 ? "agency.create" : "auth.whoami";
        ev.target = target;
        ev.purpose = i % 7 ? NULL : "research";
        ev.status = i % 5 ? 200 : 403;
        ev.outcome = khm_audit_outcome(ev.status);
        ev.reasons = i % 4 ? reasons : NULL;
        ev.request_id = "01a21cb0-77aa-7b1c-9d2e-3f4a5b6c7d8e";
        ev.client = "127.0.0.1";
        /* one at a time, so checkpoints fall exactly every CP_EVERY events */
        assert_int_equal(khm_audit_writer_submit(w, &ev), 0);
    }
    khm_audit_writer_free(w);
    khm_store_close(s); /* the WAL is folded into the file */
    return tpl_path;
}

/* ---- a fresh copy per case ---- */

typedef struct {
    char *dir;
    char path[4200];
} copy;

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    assert_non_null(in);
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static void copy_open(copy *c)
{
    const char *tpl = template_db();
    c->dir = khm_test_tmpdir();
    snprintf(c->path, sizeof(c->path), "%s.db", c->dir);
    copy_file(tpl, c->path);
}

static void copy_close(copy *c)
{
    khm_test_rmtree(c->dir);
    free(c->dir);
}

static void verify_copy(copy *c, int64_t from, khm_audit_report *rep)
{
    khm_store *s;
    assert_int_equal(khm_store_open(&s, c->path, NULL), 0);
    assert_int_equal(khm_audit_verify_store(s, keys.sign_pk, from, rep), 0);
    khm_store_close(s);
}

static void expect(const khm_audit_report *rep, const char *kind, int64_t bad_seq)
{
    if (!kind) {
        if (!rep->ok)
            fail_msg("expected ok, got %s at %lld: %s", rep->kind, (long long)rep->bad_seq,
                     rep->message);
        assert_null(rep->kind);
        return;
    }
    if (rep->ok)
        fail_msg("expected %s at %lld, got ok: %s", kind, (long long)bad_seq, rep->message);
    assert_non_null(rep->kind);
    if (strcmp(rep->kind, kind) != 0 || rep->bad_seq != bad_seq)
        fail_msg("expected %s at %lld, got %s at %lld: %s", kind, (long long)bad_seq, rep->kind,
                 (long long)rep->bad_seq, rep->message);
    assert_true(strlen(rep->message) > 0);
}

/* One stored event with its strings copied. */
typedef struct {
    khm_audit_row r;
    char s[10][256];
} owned_row;

static const char *col(sqlite3_stmt *st, int i, char *dst)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t)
        return NULL;
    snprintf(dst, 256, "%s", t);
    return dst;
}

static void load_row(copy *c, int64_t seq, owned_row *o)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    memset(o, 0, sizeof(*o));
    assert_int_equal(sqlite3_open(c->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT seq, id, ts, actor_user, actor_agency, token_id, "
                                        "action, target, purpose, outcome, status, reasons, "
                                        "request_id, client, prev_hash, hash FROM audit_event "
                                        "WHERE seq = ?",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, seq);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    khm_audit_row *r = &o->r;
    r->seq = sqlite3_column_int64(st, 0);
    snprintf(r->id, sizeof(r->id), "%s", sqlite3_column_text(st, 1));
    r->ts = sqlite3_column_int64(st, 2);
    r->actor_user = col(st, 3, o->s[0]);
    r->actor_agency = col(st, 4, o->s[1]);
    r->token_id = col(st, 5, o->s[2]);
    r->action = col(st, 6, o->s[3]);
    r->target = col(st, 7, o->s[4]);
    r->purpose = col(st, 8, o->s[5]);
    r->outcome = col(st, 9, o->s[6]);
    r->status = sqlite3_column_int(st, 10);
    r->reasons = col(st, 11, o->s[7]);
    r->request_id = col(st, 12, o->s[8]);
    r->client = col(st, 13, o->s[9]);
    snprintf(r->prev_hash, sizeof(r->prev_hash), "%s", sqlite3_column_text(st, 14));
    snprintf(r->hash, sizeof(r->hash), "%s", sqlite3_column_text(st, 15));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* What an attacker computes: hash = SHA-256(raw prev ‖ canonical) (docs/audit.md). */
static void forge_hash(khm_audit_row *r)
{
    khm_buf b = KHM_BUF_INIT(1 << 16);
    uint8_t prev[32], h[32];
    assert_int_equal(khm_audit_canonical(&b, r), 0);
    assert_int_equal(khm_hex_decode(prev, 32, r->prev_hash, 64), 0);
    khm_sha256_2(h, prev, 32, b.ptr, b.len);
    khm_hex_encode(r->hash, h, 32);
    khm_buf_dispose(&b);
}

/* ---- the live store ---- */

static void test_audit_verify__intact_chain_is_ok(void **state)
{
    (void)state;
    copy c;
    khm_audit_report rep;
    copy_open(&c);
    verify_copy(&c, 1, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, N_EVENTS);
    assert_int_equal(rep.checkpoints, N_EVENTS / CP_EVERY);
    assert_int_equal(rep.head_seq, N_EVENTS);
    assert_int_equal(rep.last_checkpoint, N_EVENTS);
    assert_int_equal(rep.bad_seq, 0);
    owned_row o;
    load_row(&c, N_EVENTS, &o);
    assert_string_equal(rep.head_hash, o.r.hash);
    assert_non_null(strstr(rep.message, "50 events and 5 checkpoints verified"));
    copy_close(&c);
}

static void test_audit_verify__empty_chain_is_ok(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    char path[4200];
    khm_store *s;
    khm_audit_report rep;
    snprintf(path, sizeof(path), "%s.db", dir);
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.create = 1;
    assert_int_equal(khm_store_open(&s, path, &o), 0);
    template_db(); /* for the keys */
    assert_int_equal(khm_audit_verify_store(s, keys.sign_pk, 1, &rep), 0);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, 0);
    assert_int_equal(rep.checkpoints, 0);
    assert_int_equal(rep.head_seq, 0);
    assert_int_equal(rep.last_checkpoint, 0);
    /* and its export */
    FILE *f = tmpfile();
    assert_int_equal(khm_audit_export(s, f, keys.sign_pk, 1, 0), 0);
    rewind(f);
    assert_int_equal(khm_audit_verify_export(f, keys.sign_pk, &rep), 0);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, 0);
    fclose(f);
    khm_store_close(s);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_audit_verify__modified_field_is_modified_at_k(void **state)
{
    (void)state;
    static const char *const edits[] = {
        "status = 201",
        "outcome = 'failure'",
        "actor_user = 'someone-else'",
        "actor_agency = NULL",
        "target = 'agency/x'",
        "reasons = 'nothing to see'",
        "purpose = 'marketing'",
        "ts = ts + 1",
        "id = '01a21caf-0000-7000-8000-000000000000'",
        "client = '10.0.0.1'",
        "token_id = 'tok'",
        "request_id = NULL",
        "action = 'agency.delete'",
    };
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        copy c;
        khm_audit_report rep;
        copy_open(&c);
        khm_test_sql(c.path, "UPDATE audit_event SET %s WHERE seq = 16", edits[i]);
        verify_copy(&c, 1, &rep);
        if (rep.ok || strcmp(rep.kind, "modified") != 0 || rep.bad_seq != 16)
            fail_msg("SET %s: %s at %lld", edits[i], rep.ok ? "ok" : rep.kind,
                     (long long)rep.bad_seq);
        copy_close(&c);
    }
}

static void test_audit_verify__modified_hash_or_prev_hash_is_modified_at_k(void **state)
{
    (void)state;
    copy c;
    khm_audit_report rep;
    copy_open(&c);
    khm_test_sql(c.path, "UPDATE audit_event SET hash = '%064d' WHERE seq = 23", 7);
    verify_copy(&c, 1, &rep);
    expect(&rep, "modified", 23);
    copy_close(&c);
    copy_open(&c);
    khm_test_sql(c.path, "UPDATE audit_event SET prev_hash = '%064d' WHERE seq = 23", 7);
    verify_copy(&c, 1, &rep);
    expect(&rep, "modified", 23);
    copy_close(&c);
    copy_open(&c); /* the first event */
    khm_test_sql(c.path, "UPDATE audit_event SET status = 201 WHERE seq = 1");
    verify_copy(&c, 1, &rep);
    expect(&rep, "modified", 1);
    copy_close(&c);
}

static void test_audit_verify__deleted_event_is_deleted_at_k(void **state)
{
    (void)state;
    static const int ks[] = { 1, 17, 20, 49 };
    for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
        copy c;
        khm_audit_report rep;
        copy_open(&c);
        khm_test_sql(c.path, "DELETE FROM audit_event WHERE seq = %d", ks[i]);
        verify_copy(&c, 1, &rep);
        expect(&rep, "deleted", ks[i]);
        assert_non_null(strstr(rep.message, "missing"));
        copy_close(&c);
    }
}

/* Delete event k and move the rest down so positions stay contiguous. */
static void delete_and_renumber(copy *c, int k)
{
    khm_test_sql(c->path,
                 "DELETE FROM audit_event WHERE seq = %d;"
                 "UPDATE audit_event SET seq = -seq WHERE seq > %d;"
                 "UPDATE audit_event SET seq = -seq - 1 WHERE seq < 0;",
                 k, k);
}

static void test_audit_verify__deleted_and_renumbered_is_deleted_at_k(void **state)
{
    (void)state;
    copy c;
    khm_audit_report rep;
    copy_open(&c);
    delete_and_renumber(&c, 17);
    verify_copy(&c, 1, &rep);
    /* event 17 is now the old 18, whose link names the removed event */
    expect(&rep, "deleted", 17);
    copy_close(&c);
}

static void test_audit_verify__forged_event_is_inserted_at_its_position(void **state)
{
    (void)state;
    copy c;
    owned_row k;
    khm_audit_report rep;
    copy_open(&c);
    load_row(&c, 17, &k);
    /* make room at 18, then insert a self-consistent event there */
    khm_test_sql(c.path, "UPDATE audit_event SET seq = -seq WHERE seq > 17;"
                         "UPDATE audit_event SET seq = -seq + 1 WHERE seq < 0;");
    khm_audit_row f = k.r;
    f.seq = 18;
    khm_id_new(f.id);
    f.ts = k.r.ts + 1;
    f.actor_user = "intruder";
    f.action = "user.enable";
    f.target = "user/intruder";
    f.reasons = NULL;
    f.status = 200;
    f.outcome = "success";
    memcpy(f.prev_hash, k.r.hash, 65);
    forge_hash(&f);
    khm_test_sql(
        c.path,
        "INSERT INTO audit_event (seq, id, ts, actor_user, actor_agency, token_id, action, "
        "target, purpose, outcome, status, reasons, request_id, client, prev_hash, hash) VALUES "
        "(18, '%s', %lld, 'intruder', '%s', NULL, 'user.enable', 'user/intruder', %s, "
        "'success', 200, NULL, '%s', '%s', '%s', '%s')",
        f.id, (long long)f.ts, f.actor_agency, f.purpose ? "'research'" : "NULL", f.request_id,
        f.client, f.prev_hash, f.hash);
    verify_copy(&c, 1, &rep);
    expect(&rep, "inserted", 18);
    copy_close(&c);
}

static void test_audit_verify__swapped_events_are_reordered_at_k(void **state)
{
    (void)state;
    static const int ks[] = { 1, 17, 49 };
    for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
        copy c;
        khm_audit_report rep;
        copy_open(&c);
        khm_test_sql(c.path,
                     "UPDATE audit_event SET seq = -1 WHERE seq = %d;"
                     "UPDATE audit_event SET seq = %d WHERE seq = %d;"
                     "UPDATE audit_event SET seq = %d WHERE seq = -1;",
                     ks[i], ks[i], ks[i] + 1, ks[i] + 1);
        verify_copy(&c, 1, &rep);
        expect(&rep, "reordered", ks[i]);
        copy_close(&c);
    }
}

/* Rewrite event k and recompute every later hash: the links hold, the next checkpoint does not. */
static void rewrite_from(copy *c, int k)
{
    char prev[65] = { 0 };
    for (int i = k; i <= N_EVENTS; i++) {
        owned_row o;
        load_row(c, i, &o);
        if (i == k)
            o.r.status = 200, o.r.outcome = "success", o.r.reasons = "rewritten";
        else
            memcpy(o.r.prev_hash, prev, 65);
        forge_hash(&o.r);
        memcpy(prev, o.r.hash, 65);
        khm_test_sql(c->path,
                     "UPDATE audit_event SET status = %d, outcome = '%s', reasons = %s%s%s, "
                     "prev_hash = '%s', hash = '%s' WHERE seq = %d",
                     o.r.status, o.r.outcome, o.r.reasons ? "'" : "",
                     o.r.reasons ? o.r.reasons : "NULL", o.r.reasons ? "'" : "", o.r.prev_hash,
                     o.r.hash, i);
    }
}

static void test_audit_verify__rewritten_and_rehashed_is_checkpoint_mismatch(void **state)
{
    (void)state;
    copy c;
    khm_audit_report rep;
    copy_open(&c);
    rewrite_from(&c, 15);
    verify_copy(&c, 1, &rep);
    expect(&rep, "checkpoint-mismatch", 20);
    copy_close(&c);
    copy_open(&c); /* right on a checkpointed event */
    rewrite_from(&c, 30);
    verify_copy(&c, 1, &rep);
    expect(&rep, "checkpoint-mismatch", 30);
    copy_close(&c);
}

static void test_audit_verify__tail_cut_below_last_checkpoint_is_truncated(void **state)
{
    (void)state;
    copy c;
    khm_audit_report rep;
    copy_open(&c);
    khm_test_sql(c.path, "DELETE FROM audit_event WHERE seq > 45");
    verify_copy(&c, 1, &rep);
    expect(&rep, "truncated", 46);
    assert_int_equal(rep.events, 45);
    copy_close(&c);
    copy_open(&c); /* only the very last, signed event */
    khm_test_sql(c.path, "DELETE FROM audit_event WHERE seq = %d", N_EVENTS);
    verify_copy(&c, 1, &rep);
    expect(&rep, "truncated", N_EVENTS);
    copy_close(&c);
    copy_open(&c); /* every event */
    khm_test_sql(c.path, "DELETE FROM audit_event");
    verify_copy(&c, 1, &rep);
    expect(&rep, "truncated", 1);
    copy_close(&c);
}

/* The checkpoint message of checkpoint @p seq in the copy, signed with a new key. */
static void forge_checkpoint(copy *c, int seq, int replace_pk)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    khm_audit_checkpoint_row cp;
    memset(&cp, 0, sizeof(cp));
    assert_int_equal(sqlite3_open(c->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT seq, event_seq, event_hash, ts FROM "
                                        "audit_checkpoint WHERE seq = ?",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int(st, 1, seq);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    cp.seq = sqlite3_column_int64(st, 0);
    cp.event_seq = sqlite3_column_int64(st, 1);
    snprintf(cp.event_hash, sizeof(cp.event_hash), "%s", sqlite3_column_text(st, 2));
    cp.ts = sqlite3_column_int64(st, 3);
    sqlite3_finalize(st);
    sqlite3_close(db);
    unsigned char pk[32], sk[64], sig[64];
    char msg[256], sighex[129], pkhex[65];
    crypto_sign_keypair(pk, sk);
    size_t n = khm_audit_checkpoint_message(msg, sizeof(msg), &cp);
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, sk);
    khm_hex_encode(sighex, sig, 64);
    khm_hex_encode(pkhex, pk, 32);
    if (replace_pk)
        khm_test_sql(
            c->path,
            "UPDATE audit_checkpoint SET signature = '%s', public_key = '%s' WHERE seq = %d",
            sighex, pkhex, seq);
    else
        khm_test_sql(c->path, "UPDATE audit_checkpoint SET signature = '%s' WHERE seq = %d", sighex,
                     seq);
}

static void test_audit_verify__checkpoint_signed_by_another_key_is_forged_checkpoint(void **state)
{
    (void)state;
    copy c;
    khm_audit_report rep;
    copy_open(&c);
    forge_checkpoint(&c, 3, 0);
    verify_copy(&c, 1, &rep);
    expect(&rep, "forged-checkpoint", 3);
    copy_close(&c);
    copy_open(&c); /* its public key column replaced too: still not ours */
    forge_checkpoint(&c, 3, 1);
    verify_copy(&c, 1, &rep);
    expect(&rep, "forged-checkpoint", 3);
    copy_close(&c);
    copy_open(&c); /* the last one */
    forge_checkpoint(&c, 5, 1);
    verify_copy(&c, 1, &rep);
    expect(&rep, "forged-checkpoint", 5);
    copy_close(&c);
    copy_open(&c); /* a signature that is not hex at all */
    khm_test_sql(c.path, "UPDATE audit_checkpoint SET signature = 'zz' WHERE seq = 2");
    verify_copy(&c, 1, &rep);
    expect(&rep, "forged-checkpoint", 2);
    copy_close(&c);
}

static void test_audit_verify__checkpoint_moved_to_another_event_is_forged_checkpoint(void **state)
{
    (void)state;
    copy c;
    khm_audit_report rep;
    owned_row o;
    copy_open(&c);
    /* point checkpoint 2 at event 15 with that event's real hash: the signature no longer
     * matches the message */
    load_row(&c, 15, &o);
    khm_test_sql(c.path,
                 "UPDATE audit_checkpoint SET event_seq = 15, event_hash = '%s' WHERE seq = 2",
                 o.r.hash);
    verify_copy(&c, 1, &rep);
    expect(&rep, "forged-checkpoint", 2);
    copy_close(&c);
}

static void test_audit_verify__from_the_middle(void **state)
{
    (void)state;
    copy c;
    khm_audit_report rep;
    copy_open(&c);
    verify_copy(&c, 25, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, N_EVENTS - 24);
    assert_int_equal(rep.checkpoints, 3); /* at 30, 40, 50 */
    assert_int_equal(rep.head_seq, N_EVENTS);
    verify_copy(&c, N_EVENTS, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, 1);
    verify_copy(&c, N_EVENTS + 1, &rep); /* past the head: nothing to check */
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, 0);
    /* a change before --from is outside the check; one after it is found */
    khm_test_sql(c.path, "UPDATE audit_event SET status = 500 WHERE seq = 10");
    verify_copy(&c, 25, &rep);
    expect(&rep, NULL, 0);
    verify_copy(&c, 1, &rep);
    expect(&rep, "modified", 10);
    khm_test_sql(c.path, "UPDATE audit_event SET status = 500 WHERE seq = 33");
    verify_copy(&c, 25, &rep);
    expect(&rep, "modified", 33);
    copy_close(&c);
    /* --from right after a deletion: the anchor is gone, the first link is taken as is */
    copy_open(&c);
    khm_test_sql(c.path, "DELETE FROM audit_event WHERE seq = 30");
    verify_copy(&c, 25, &rep);
    expect(&rep, "deleted", 30);
    copy_close(&c);
    /* --from names the event after the one it anchors on: a swap across it is caught */
    copy_open(&c);
    khm_test_sql(c.path, "UPDATE audit_event SET seq = -1 WHERE seq = 25;"
                         "UPDATE audit_event SET seq = 25 WHERE seq = 26;"
                         "UPDATE audit_event SET seq = 26 WHERE seq = -1;");
    verify_copy(&c, 25, &rep);
    expect(&rep, "reordered", 25);
    copy_close(&c);
}

static void test_audit_verify__wrong_public_key_is_forged_checkpoint(void **state)
{
    (void)state;
    copy c;
    khm_audit_report rep;
    khm_store *s;
    unsigned char pk[32], sk[64];
    crypto_sign_keypair(pk, sk);
    copy_open(&c);
    assert_int_equal(khm_store_open(&s, c.path, NULL), 0);
    assert_int_equal(khm_audit_verify_store(s, pk, 1, &rep), 0);
    khm_store_close(s);
    expect(&rep, "forged-checkpoint", 1);
    copy_close(&c);
}

/* ---- exports ---- */

typedef struct {
    char *lines[256];
    int n;
} jsonl;

static void export_copy(copy *c, int64_t from, int64_t to, jsonl *out)
{
    khm_store *s;
    FILE *f = tmpfile();
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    assert_int_equal(khm_store_open(&s, c->path, NULL), 0);
    assert_int_equal(khm_audit_export(s, f, keys.sign_pk, from, to), 0);
    khm_store_close(s);
    rewind(f);
    out->n = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        assert_true(out->n < 256);
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        out->lines[out->n++] = strdup(line);
    }
    free(line);
    fclose(f);
}

static void jsonl_free(jsonl *j)
{
    for (int i = 0; i < j->n; i++)
        free(j->lines[i]);
    j->n = 0;
}

static void verify_jsonl(const jsonl *j, khm_audit_report *rep)
{
    FILE *f = tmpfile();
    for (int i = 0; i < j->n; i++)
        if (j->lines[i])
            fprintf(f, "%s\n", j->lines[i]);
    rewind(f);
    assert_int_equal(khm_audit_verify_export(f, keys.sign_pk, rep), 0);
    fclose(f);
}

static json_t *jparse(const char *line)
{
    json_error_t je;
    json_t *o = json_loads(line, 0, &je);
    if (!o)
        fail_msg("bad line %s: %s", line, je.text);
    return o;
}

static void jset(jsonl *j, int i, json_t *o)
{
    free(j->lines[i]);
    j->lines[i] = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
}

/* Index of the line of event @p seq, -1 when none. */
static int event_line(const jsonl *j, int64_t seq)
{
    for (int i = 0; i < j->n; i++) {
        if (!j->lines[i] || !strstr(j->lines[i], "\"kind\":\"event\""))
            continue;
        json_t *o = jparse(j->lines[i]);
        int64_t s = json_integer_value(json_object_get(json_object_get(o, "event"), "seq"));
        json_decref(o);
        if (s == seq)
            return i;
    }
    return -1;
}

static void set_event_field(jsonl *j, int64_t seq, const char *key, json_t *v)
{
    int i = event_line(j, seq);
    assert_true(i >= 0);
    json_t *o = jparse(j->lines[i]);
    json_object_set_new(json_object_get(o, "event"), key, v);
    jset(j, i, o);
}

static void drop_line(jsonl *j, int i)
{
    free(j->lines[i]);
    memmove(&j->lines[i], &j->lines[i + 1], (size_t)(j->n - i - 1) * sizeof(j->lines[0]));
    j->n--;
}

/* An exported event as a row (strings borrowed from @p ev). */
static void row_of(khm_audit_row *r, json_t *ev)
{
    json_t *actor = json_object_get(ev, "actor");
    memset(r, 0, sizeof(*r));
    r->seq = json_integer_value(json_object_get(ev, "seq"));
    snprintf(r->id, sizeof(r->id), "%s", json_string_value(json_object_get(ev, "id")));
    const char *ts = json_string_value(json_object_get(ev, "ts"));
    assert_int_equal(khm_time_parse(&r->ts, ts, strlen(ts)), 0);
    r->actor_user = json_string_value(json_object_get(actor, "user"));
    r->actor_agency = json_string_value(json_object_get(actor, "agency"));
    r->token_id = json_string_value(json_object_get(actor, "token"));
    r->action = json_string_value(json_object_get(ev, "action"));
    r->target = json_string_value(json_object_get(ev, "target"));
    r->purpose = json_string_value(json_object_get(ev, "purpose"));
    r->outcome = json_string_value(json_object_get(ev, "outcome"));
    r->status = (int)json_integer_value(json_object_get(ev, "status"));
    r->reasons = json_string_value(json_object_get(ev, "reasons"));
    r->request_id = json_string_value(json_object_get(ev, "request_id"));
    r->client = json_string_value(json_object_get(ev, "client"));
    snprintf(r->prev_hash, 65, "%s", json_string_value(json_object_get(ev, "prev_hash")));
    snprintf(r->hash, 65, "%s", json_string_value(json_object_get(ev, "hash")));
}

static void test_audit_verify__export_intact_is_ok(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    /* header, 5 checkpoints, 50 events */
    assert_int_equal(j.n, 1 + N_EVENTS / CP_EVERY + N_EVENTS);
    json_t *h = jparse(j.lines[0]);
    assert_string_equal(json_string_value(json_object_get(h, "kind")), "khomun-audit-export");
    char pkhex[65];
    khm_hex_encode(pkhex, keys.sign_pk, 32);
    assert_string_equal(json_string_value(json_object_get(h, "public_key")), pkhex);
    json_decref(h);
    verify_jsonl(&j, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, N_EVENTS);
    assert_int_equal(rep.checkpoints, N_EVENTS / CP_EVERY);
    assert_int_equal(rep.last_checkpoint, N_EVENTS);
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_modified_field_is_modified(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    set_event_field(&j, 15, "status", json_integer(200));
    verify_jsonl(&j, &rep);
    expect(&rep, "modified", 15);
    jsonl_free(&j);
    export_copy(&c, 1, 0, &j);
    set_event_field(&j, 15, "reasons", json_string("เปลี่ยน"));
    verify_jsonl(&j, &rep);
    expect(&rep, "modified", 15);
    jsonl_free(&j);
    export_copy(&c, 1, 0, &j);
    set_event_field(&j, 15, "ts", json_string("2020-01-01T00:00:00.000Z"));
    verify_jsonl(&j, &rep);
    expect(&rep, "modified", 15);
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_deleted_line_is_deleted(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    drop_line(&j, event_line(&j, 17));
    verify_jsonl(&j, &rep);
    expect(&rep, "deleted", 17);
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_deleted_and_renumbered_is_deleted(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    drop_line(&j, event_line(&j, 17));
    for (int s = 18; s <= N_EVENTS; s++)
        set_event_field(&j, s, "seq", json_integer(s - 1));
    verify_jsonl(&j, &rep);
    expect(&rep, "deleted", 17);
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_forged_line_is_inserted(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    khm_audit_row f;
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    for (int s = N_EVENTS; s >= 18; s--)
        set_event_field(&j, s, "seq", json_integer(s + 1));
    int at = event_line(&j, 17);
    json_t *o = jparse(j.lines[at]), *ev = json_object_get(o, "event");
    row_of(&f, ev);
    f.seq = 18;
    khm_id_new(f.id);
    f.actor_user = "intruder";
    f.action = "user.enable";
    memcpy(f.prev_hash, json_string_value(json_object_get(ev, "hash")), 65);
    forge_hash(&f);
    khm_buf b = KHM_BUF_INIT(1 << 16);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "event");
    khm_jw_key(&w, "event");
    khm_audit_row_write_json(&w, &f);
    khm_jw_obj_end(&w);
    assert_int_equal(khm_jw_finish(&w), 0);
    json_decref(o);
    memmove(&j.lines[at + 2], &j.lines[at + 1], (size_t)(j.n - at - 1) * sizeof(j.lines[0]));
    j.lines[at + 1] = strdup(b.ptr);
    j.n++;
    khm_buf_dispose(&b);
    verify_jsonl(&j, &rep);
    expect(&rep, "inserted", 18);
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_duplicated_line_is_inserted(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    int at = event_line(&j, 17);
    memmove(&j.lines[at + 1], &j.lines[at], (size_t)(j.n - at) * sizeof(j.lines[0]));
    j.lines[at + 1] = strdup(j.lines[at]);
    j.n++;
    verify_jsonl(&j, &rep);
    expect(&rep, "inserted", 17);
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_swapped_events_are_reordered(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    /* the two events trade places, each taking the other's seq */
    int a = event_line(&j, 17), b = event_line(&j, 18);
    char *t = j.lines[a];
    j.lines[a] = j.lines[b];
    j.lines[b] = t;
    set_event_field(&j, 18, "seq", json_integer(-1));
    set_event_field(&j, 17, "seq", json_integer(18));
    set_event_field(&j, -1, "seq", json_integer(17));
    verify_jsonl(&j, &rep);
    expect(&rep, "reordered", 17);
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_rewritten_and_rehashed_is_checkpoint_mismatch(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    char prev[65] = { 0 };
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    for (int s = 15; s <= N_EVENTS; s++) {
        int i = event_line(&j, s);
        json_t *o = jparse(j.lines[i]), *ev = json_object_get(o, "event");
        khm_audit_row r;
        row_of(&r, ev);
        if (s == 15) {
            r.status = 200;
            json_object_set_new(ev, "status", json_integer(200));
        } else {
            memcpy(r.prev_hash, prev, 65);
        }
        forge_hash(&r);
        memcpy(prev, r.hash, 65);
        json_object_set_new(ev, "prev_hash", json_string(r.prev_hash));
        json_object_set_new(ev, "hash", json_string(r.hash));
        jset(&j, i, o);
    }
    verify_jsonl(&j, &rep);
    expect(&rep, "checkpoint-mismatch", 20);
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_tail_cut_is_truncated(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    for (int s = N_EVENTS; s > 45; s--)
        drop_line(&j, event_line(&j, s));
    verify_jsonl(&j, &rep);
    expect(&rep, "truncated", 46);
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_forged_checkpoint_line_is_forged_checkpoint(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    unsigned char pk[32], sk[64], sig[64];
    char msg[256], hex[129];
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    int i = 1;
    while (i < j.n && !strstr(j.lines[i], "\"seq\":3,"))
        i++;
    assert_true(i < j.n);
    json_t *o = jparse(j.lines[i]);
    assert_string_equal(json_string_value(json_object_get(o, "kind")), "checkpoint");
    khm_audit_checkpoint_row cp;
    memset(&cp, 0, sizeof(cp));
    cp.seq = 3;
    cp.event_seq = json_integer_value(json_object_get(o, "event_seq"));
    cp.ts = json_integer_value(json_object_get(o, "ts"));
    snprintf(cp.event_hash, 65, "%s", json_string_value(json_object_get(o, "event_hash")));
    crypto_sign_keypair(pk, sk);
    size_t n = khm_audit_checkpoint_message(msg, sizeof(msg), &cp);
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, sk);
    khm_hex_encode(hex, sig, 64);
    json_object_set_new(o, "signature", json_string(hex));
    khm_hex_encode(hex, pk, 32);
    json_object_set_new(o, "public_key", json_string(hex));
    jset(&j, i, o);
    verify_jsonl(&j, &rep);
    expect(&rep, "forged-checkpoint", 3);
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_malformed_lines_are_malformed(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    copy_open(&c);
    export_copy(&c, 1, 0, &j);
    free(j.lines[10]);
    j.lines[10] = strdup("not json at all");
    verify_jsonl(&j, &rep);
    expect(&rep, "malformed", 11); /* the line number */
    jsonl_free(&j);

    export_copy(&c, 1, 0, &j);
    drop_line(&j, 0); /* no header */
    verify_jsonl(&j, &rep);
    assert_false(rep.ok);
    assert_string_equal(rep.kind, "malformed");
    jsonl_free(&j);

    export_copy(&c, 1, 0, &j);
    set_event_field(&j, 5, "ts", json_integer(5)); /* not a time */
    verify_jsonl(&j, &rep);
    assert_false(rep.ok);
    assert_string_equal(rep.kind, "malformed");
    jsonl_free(&j);

    FILE *f = tmpfile(); /* an empty file is no export */
    assert_int_equal(khm_audit_verify_export(f, keys.sign_pk, &rep), 0);
    assert_false(rep.ok);
    assert_string_equal(rep.kind, "malformed");
    fclose(f);
    copy_close(&c);
}

static void test_audit_verify__export_of_a_range_verifies_alone(void **state)
{
    (void)state;
    copy c;
    jsonl j;
    khm_audit_report rep;
    copy_open(&c);
    /* 21..35: anchored on event 20's hash, checkpoints at 30 (and none past 35) */
    export_copy(&c, 21, 35, &j);
    verify_jsonl(&j, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, 15);
    assert_int_equal(rep.head_seq, 35);
    assert_int_equal(rep.last_checkpoint, 30);
    /* and a change inside it is found */
    set_event_field(&j, 33, "status", json_integer(500));
    verify_jsonl(&j, &rep);
    expect(&rep, "modified", 33);
    jsonl_free(&j);
    /* from the middle to the head */
    export_copy(&c, 21, 0, &j);
    verify_jsonl(&j, &rep);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, 30);
    assert_int_equal(rep.checkpoints, 4); /* 30, 40, 50 and 20, which signs the anchor */
    assert_int_equal(rep.anchor_seq, 20);
    assert_non_null(strstr(rep.message, "after anchor 20;"));
    jsonl_free(&j);
    copy_close(&c);
}

static void test_audit_verify__export_round_trips_any_text(void **state)
{
    (void)state;
    /* control characters, quotes, backslashes, Thai, emoji and bytes that are not UTF-8 (a
     * request path can carry them) must hash the same after export and re-reading */
    char *dir = khm_test_tmpdir();
    char path[4200];
    khm_store *s;
    khm_tx *tx;
    khm_audit_report rep;
    snprintf(path, sizeof(path), "%s.db", dir);
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.create = 1;
    assert_int_equal(khm_store_open(&s, path, &o), 0);
    template_db();
    static const char *const texts[] = {
        "tab\there \"quoted\" back\\slash \x01\x1f\x7f end",
        "ข้อมูลส่วนบุคคล ๒๕๖๘ 😀",
        "/api/v1/agencies/\xff\xfe",
        "half \xe0\xb8",
        "/caf\xc3\xa9 and over\xc0\xaf",
    };
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        khm_audit_event ev = { 0 };
        ev.action = "agency.read";
        ev.outcome = "failure";
        ev.status = 404;
        ev.target = texts[i];
        ev.reasons = texts[i];
        assert_int_equal(khm_audit_append(tx, &ev, NULL), 0);
    }
    assert_int_equal(khm_audit_checkpoint(tx, &keys, NULL), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(khm_audit_verify_store(s, keys.sign_pk, 1, &rep), 0);
    expect(&rep, NULL, 0);
    FILE *f = tmpfile();
    assert_int_equal(khm_audit_export(s, f, keys.sign_pk, 1, 0), 0);
    rewind(f);
    assert_int_equal(khm_audit_verify_export(f, keys.sign_pk, &rep), 0);
    expect(&rep, NULL, 0);
    assert_int_equal(rep.events, 5);
    fclose(f);
    khm_store_close(s);
    khm_test_rmtree(dir);
    free(dir);
}

KHM_UNIT_MAIN(
    cmocka_unit_test(test_audit_verify__intact_chain_is_ok),
    cmocka_unit_test(test_audit_verify__empty_chain_is_ok),
    cmocka_unit_test(test_audit_verify__modified_field_is_modified_at_k),
    cmocka_unit_test(test_audit_verify__modified_hash_or_prev_hash_is_modified_at_k),
    cmocka_unit_test(test_audit_verify__deleted_event_is_deleted_at_k),
    cmocka_unit_test(test_audit_verify__deleted_and_renumbered_is_deleted_at_k),
    cmocka_unit_test(test_audit_verify__forged_event_is_inserted_at_its_position),
    cmocka_unit_test(test_audit_verify__swapped_events_are_reordered_at_k),
    cmocka_unit_test(test_audit_verify__rewritten_and_rehashed_is_checkpoint_mismatch),
    cmocka_unit_test(test_audit_verify__tail_cut_below_last_checkpoint_is_truncated),
    cmocka_unit_test(test_audit_verify__checkpoint_signed_by_another_key_is_forged_checkpoint),
    cmocka_unit_test(test_audit_verify__checkpoint_moved_to_another_event_is_forged_checkpoint),
    cmocka_unit_test(test_audit_verify__from_the_middle),
    cmocka_unit_test(test_audit_verify__wrong_public_key_is_forged_checkpoint),
    cmocka_unit_test(test_audit_verify__export_intact_is_ok),
    cmocka_unit_test(test_audit_verify__export_modified_field_is_modified),
    cmocka_unit_test(test_audit_verify__export_deleted_line_is_deleted),
    cmocka_unit_test(test_audit_verify__export_deleted_and_renumbered_is_deleted),
    cmocka_unit_test(test_audit_verify__export_forged_line_is_inserted),
    cmocka_unit_test(test_audit_verify__export_duplicated_line_is_inserted),
    cmocka_unit_test(test_audit_verify__export_swapped_events_are_reordered),
    cmocka_unit_test(test_audit_verify__export_rewritten_and_rehashed_is_checkpoint_mismatch),
    cmocka_unit_test(test_audit_verify__export_tail_cut_is_truncated),
    cmocka_unit_test(test_audit_verify__export_forged_checkpoint_line_is_forged_checkpoint),
    cmocka_unit_test(test_audit_verify__export_malformed_lines_are_malformed),
    cmocka_unit_test(test_audit_verify__export_of_a_range_verifies_alone),
    cmocka_unit_test(test_audit_verify__export_round_trips_any_text))
