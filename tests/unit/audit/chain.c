/* Tests for src/lib/audit/chain.c: the canonical form of an event (the bytes that are hashed:
 * deterministic, fixed key order, fixed encoding — a golden string pins it so a change cannot
 * slip in and break every verifier in the field), outcome words, appending (contiguous seq,
 * each hash linking its predecessor), checkpoints (signed once, not again while the head is
 * covered) and the exact message a checkpoint signs. */
#include "unit.h"

#include "audit_internal.h"

#include <khomun/audit.h>

/* A fresh store file (migrated, no data) in a temporary directory. */
typedef struct {
    char *dir;
    char path[4200];
    khm_store *s;
    khm_keys keys;
} chain_env;

static void env_open(chain_env *e)
{
    memset(e, 0, sizeof(*e));
    e->dir = khm_test_tmpdir();
    snprintf(e->path, sizeof(e->path), "%s.db", e->dir);
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.create = 1;
    assert_int_equal(khm_store_open(&e->s, e->path, &o), 0);
    crypto_sign_keypair(e->keys.sign_pk, e->keys.sign_sk);
}

static void env_close(chain_env *e)
{
    khm_store_close(e->s);
    khm_test_rmtree(e->dir);
    free(e->dir);
}

/* The golden event: every field set, Thai text, a quote, a control character and NULLs. */
static void golden_row(khm_audit_row *r)
{
    memset(r, 0, sizeof(*r));
    r->seq = 812; /* not hashed */
    snprintf(r->id, sizeof(r->id), "01a21caf-9259-7105-9606-62707104afa8");
    r->ts = 1795778403114; /* 2026-11-27T11:20:03.114Z */
    r->actor_user = "01a21caf-9026-70eb-8d67-70b5edfc39f4";
    r->actor_agency = NULL;
    r->token_id = "01a21caf-9026-70ec-9c1e-2f3a4b5c6d7e";
    r->action = "agency.create";
    r->target = "agency/01a21cb0-1a2b-7c3d-8e4f-5a6b7c8d9e0f";
    r->purpose = NULL;
    r->outcome = "success";
    r->status = 201;
    r->reasons = "สร้าง \"กรม\"\tok";
    r->request_id = "r-1";
    r->client = "127.0.0.1";
    memset(r->prev_hash, '0', 64);
    memset(r->hash, 'f', 64); /* not part of the canonical form */
}

#define GOLDEN                                                                                       \
    "{\"v\":1,\"id\":\"01a21caf-9259-7105-9606-62707104afa8\",\"ts\":\"2026-11-27T11:20:03."         \
    "114Z\","                                                                                        \
    "\"actor\":{\"user\":\"01a21caf-9026-70eb-8d67-70b5edfc39f4\",\"agency\":null,"                  \
    "\"token\":\"01a21caf-9026-70ec-9c1e-2f3a4b5c6d7e\"},\"action\":\"agency.create\","              \
    "\"target\":\"agency/01a21cb0-1a2b-7c3d-8e4f-5a6b7c8d9e0f\",\"purpose\":null,"                   \
    "\"outcome\":\"success\",\"status\":201,\"reasons\":\"สร้าง \\\"กรม\\\"\\tok\"," \
    "\"request_id\":\"r-1\",\"client\":\"127.0.0.1\"}"

static void test_audit_chain__canonical_is_the_golden_string(void **state)
{
    (void)state;
    khm_audit_row r;
    khm_buf b = KHM_BUF_INIT(1 << 16);
    golden_row(&r);
    assert_int_equal(khm_audit_canonical(&b, &r), 0);
    assert_string_equal(b.ptr, GOLDEN);
    assert_int_equal(b.len, strlen(GOLDEN));
    /* and its hash as the first event (docs/audit.md gives this test vector) */
    assert_int_equal(khm_audit__link(&r, &b), 0);
    assert_string_equal(r.hash, "5e2357a1c5ad4a26f71853efe774b5022d8a8d6826ccb33812c457ee6a90e1c0");
    khm_buf_dispose(&b);
}

static void test_audit_chain__canonical_is_deterministic_and_ignores_seq_and_hashes(void **state)
{
    (void)state;
    khm_audit_row r, r2;
    khm_buf a = KHM_BUF_INIT(1 << 16), b = KHM_BUF_INIT(1 << 16);
    golden_row(&r);
    assert_int_equal(khm_audit_canonical(&a, &r), 0);
    /* the same content from other string copies, another seq and other hash fields */
    golden_row(&r2);
    char reasons[64];
    snprintf(reasons, sizeof(reasons), "%s", r.reasons);
    r2.reasons = reasons;
    r2.seq = 1;
    memset(r2.prev_hash, 'a', 64);
    memset(r2.hash, 'b', 64);
    assert_int_equal(khm_audit_canonical(&b, &r2), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.ptr, b.ptr, a.len);
    /* any content change changes the bytes */
    r2.status = 200;
    khm_buf_reset(&b);
    assert_int_equal(khm_audit_canonical(&b, &r2), 0);
    assert_true(a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0);
    khm_buf_dispose(&a);
    khm_buf_dispose(&b);
}

/* The canonical form as a general JSON writer (khm_jw) writes that object: the reference the
 * hand-written encoder must match byte for byte. */
static void reference_canonical(khm_buf *b, const khm_audit_row *r)
{
    khm_jw w;
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "v");
    khm_jw_int(&w, 1);
    khm_jw_key(&w, "id");
    khm_jw_str(&w, r->id);
    khm_jw_key(&w, "ts");
    khm_jw_time(&w, r->ts);
    khm_jw_key(&w, "actor");
    khm_jw_obj(&w);
    khm_jw_key(&w, "user");
    khm_jw_str(&w, r->actor_user);
    khm_jw_key(&w, "agency");
    khm_jw_str(&w, r->actor_agency);
    khm_jw_key(&w, "token");
    khm_jw_str(&w, r->token_id);
    khm_jw_obj_end(&w);
    const char *keys[] = { "action", "target", "purpose", "outcome" };
    const char *vals[] = { r->action, r->target, r->purpose, r->outcome };
    for (int i = 0; i < 4; i++) {
        khm_jw_key(&w, keys[i]);
        khm_jw_str(&w, vals[i]);
    }
    khm_jw_key(&w, "status");
    khm_jw_int(&w, r->status);
    khm_jw_key(&w, "reasons");
    khm_jw_str(&w, r->reasons);
    khm_jw_key(&w, "request_id");
    khm_jw_str(&w, r->request_id);
    khm_jw_key(&w, "client");
    khm_jw_str(&w, r->client);
    khm_jw_obj_end(&w);
    assert_int_equal(khm_jw_finish(&w), 0);
}

static void test_audit_chain__canonical_matches_a_json_writer_for_any_bytes(void **state)
{
    (void)state;
    khm_buf a = KHM_BUF_INIT(1 << 16), b = KHM_BUF_INIT(1 << 16);
    char strs[10][40];
    uint32_t seed = 12345;
    for (int n = 0; n < 2000; n++) {
        khm_audit_row r;
        golden_row(&r);
        const char **f[] = {
            &r.actor_user, &r.actor_agency, &r.token_id, &r.action,     &r.target,
            &r.purpose,    &r.outcome,      &r.reasons,  &r.request_id, &r.client
        };
        for (int i = 0; i < 10; i++) {
            seed = seed * 1103515245u + 12345u;
            int len = (int)(seed >> 16) % 39;
            for (int j = 0; j < len; j++) {
                seed = seed * 1103515245u + 12345u;
                strs[i][j] = (char)(1 + (seed >> 16) % 255); /* any byte but NUL */
            }
            strs[i][len] = '\0';
            *f[i] = (seed >> 8) % 5 == 0 ? NULL : strs[i];
        }
        seed = seed * 1103515245u + 12345u;
        r.ts = n % 7 == 0 ? 0 : (int64_t)seed * 1000 + n;
        r.status = n % 3 == 0 ? -(int)seed : (int)(seed % 1000);
        if (n == 1)
            r.status = INT32_MIN;
        khm_buf_reset(&a);
        khm_buf_reset(&b);
        assert_int_equal(khm_audit_canonical(&a, &r), 0);
        reference_canonical(&b, &r);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.ptr, b.ptr, a.len);
    }
    /* appends to what the buffer holds, like every writer */
    khm_buf_reset(&a);
    assert_int_equal(khm_buf_puts(&a, "x"), 0);
    khm_audit_row r;
    golden_row(&r);
    assert_int_equal(khm_audit_canonical(&a, &r), 0);
    assert_string_equal(a.ptr, "x" GOLDEN);
    khm_buf_dispose(&a);
    khm_buf_dispose(&b);
}

static void test_audit_chain__link_is_sha256_of_raw_prev_and_canonical(void **state)
{
    (void)state;
    khm_audit_row r;
    khm_buf scratch = KHM_BUF_INIT(1 << 16);
    golden_row(&r);
    memset(r.prev_hash, 0, sizeof(r.prev_hash));
    for (int i = 0; i < 64; i++)
        r.prev_hash[i] = "0123456789abcdef"[i % 16];
    assert_int_equal(khm_audit__link(&r, &scratch), 0);
    /* recompute by hand: SHA-256(32 raw bytes of prev ‖ canonical) */
    uint8_t prev[32], want[32];
    char hex[65];
    assert_int_equal(khm_hex_decode(prev, 32, r.prev_hash, 64), 0);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, prev, 32);
    crypto_hash_sha256_update(&st, (const unsigned char *)GOLDEN, strlen(GOLDEN));
    crypto_hash_sha256_final(&st, want);
    khm_hex_encode(hex, want, 32);
    assert_string_equal(r.hash, hex);
    /* a malformed previous hash is an error, not a hash of garbage */
    snprintf(r.prev_hash, sizeof(r.prev_hash), "not-hex");
    assert_int_not_equal(khm_audit__link(&r, &scratch), 0);
    khm_buf_dispose(&scratch);
}

static void test_audit_chain__outcome_words(void **state)
{
    (void)state;
    assert_string_equal(khm_audit_outcome(200), "success");
    assert_string_equal(khm_audit_outcome(201), "success");
    assert_string_equal(khm_audit_outcome(304), "success");
    assert_string_equal(khm_audit_outcome(0), "success"); /* a CLI exit status 0 */
    assert_string_equal(khm_audit_outcome(401), "denied");
    assert_string_equal(khm_audit_outcome(403), "denied");
    assert_string_equal(khm_audit_outcome(400), "failure");
    assert_string_equal(khm_audit_outcome(404), "failure");
    assert_string_equal(khm_audit_outcome(409), "failure");
    assert_string_equal(khm_audit_outcome(413), "failure");
    assert_string_equal(khm_audit_outcome(499), "failure");
    assert_string_equal(khm_audit_outcome(500), "error");
    assert_string_equal(khm_audit_outcome(503), "error");
}

static khm_audit_event event(const char *action, const char *target)
{
    khm_audit_event ev = { 0 };
    ev.actor_user = "u-1";
    ev.action = action;
    ev.target = target;
    ev.outcome = "success";
    ev.status = 200;
    ev.client = "127.0.0.1";
    return ev;
}

typedef struct {
    khm_audit_row rows[16];
    char strs[16][64];
    int n;
} collected;

static int collect(const khm_audit_row *r, void *p)
{
    collected *c = p;
    assert_true(c->n < 16);
    c->rows[c->n] = *r;
    snprintf(c->strs[c->n], sizeof(c->strs[0]), "%s", r->target ? r->target : "");
    c->rows[c->n].target = c->strs[c->n];
    c->rows[c->n].actor_user = c->rows[c->n].actor_agency = NULL; /* borrowed: not kept */
    c->rows[c->n].action = c->rows[c->n].outcome = NULL;
    c->n++;
    return 0;
}

static void test_audit_chain__append_assigns_contiguous_seq_and_links_hashes(void **state)
{
    (void)state;
    chain_env e;
    khm_tx *tx;
    khm_audit_row out[5];
    env_open(&e);
    /* two transactions, as two write requests would */
    for (int t = 0; t < 2; t++) {
        assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
        for (int i = t * 3; i < (t ? 5 : 3); i++) {
            char target[32];
            snprintf(target, sizeof(target), "agency/%d", i);
            khm_audit_event ev = event("agency.create", target);
            assert_int_equal(khm_audit_append(tx, &ev, &out[i]), 0);
            assert_int_equal(out[i].seq, i + 1);
            assert_string_equal(out[i].action, "agency.create");
        }
        assert_int_equal(khm_tx_commit(tx), 0);
    }
    /* a rolled-back append leaves no gap: the next one takes the same position */
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    khm_audit_event ev = event("agency.create", "agency/x");
    khm_audit_row gone;
    assert_int_equal(khm_audit_append(tx, &ev, &gone), 0);
    assert_int_equal(gone.seq, 6);
    khm_tx_rollback(tx);

    collected c = { 0 };
    assert_int_equal(khm_tx_begin(&tx, e.s, 0), 0);
    assert_int_equal(khm_store_audit_each(tx, 1, 0, collect, &c), 0);
    int64_t head;
    char head_hash[65];
    assert_int_equal(khm_store_audit_head(tx, &head, head_hash), 0);
    khm_tx_rollback(tx);
    assert_int_equal(c.n, 5);
    assert_int_equal(head, 5);
    assert_string_equal(head_hash, out[4].hash);
    char zeros[65];
    memset(zeros, '0', 64);
    zeros[64] = '\0';
    assert_string_equal(c.rows[0].prev_hash, zeros);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(c.rows[i].seq, i + 1);
        assert_string_equal(c.rows[i].hash, out[i].hash);
        if (i > 0)
            assert_string_equal(c.rows[i].prev_hash, c.rows[i - 1].hash);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(c.rows[i].hash, c.rows[j].hash);
    }
    env_close(&e);
}

static void test_audit_chain__append_needs_an_action_and_an_outcome(void **state)
{
    (void)state;
    chain_env e;
    khm_tx *tx;
    env_open(&e);
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    khm_audit_event ev = event(NULL, "x");
    assert_int_equal(khm_audit_append(tx, &ev, NULL), KHM_EINVALID);
    ev = event("", "x");
    assert_int_equal(khm_audit_append(tx, &ev, NULL), KHM_EINVALID);
    ev = event("a.b", "x");
    ev.outcome = NULL;
    assert_int_equal(khm_audit_append(tx, &ev, NULL), KHM_EINVALID);
    khm_tx_rollback(tx);
    env_close(&e);
}

static void test_audit_chain__append_keeps_the_given_time_or_stamps_now(void **state)
{
    (void)state;
    chain_env e;
    khm_tx *tx;
    khm_audit_row a, b;
    env_open(&e);
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    khm_audit_event ev = event("x.y", NULL);
    ev.ts = 1700000000123;
    assert_int_equal(khm_audit_append(tx, &ev, &a), 0);
    int64_t before = khm_time_now_ms();
    ev.ts = 0;
    assert_int_equal(khm_audit_append(tx, &ev, &b), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(a.ts, 1700000000123);
    assert_true(b.ts >= before && b.ts <= khm_time_now_ms());
    assert_string_not_equal(a.id, b.id);
    env_close(&e);
}

static int first_target(const khm_audit_row *r, void *p)
{
    snprintf(p, 64, "%s", r->target);
    return 1;
}

static void test_audit_chain__append_stores_invalid_utf8_as_replacement_chars(void **state)
{
    (void)state;
    chain_env e;
    khm_tx *tx;
    khm_audit_row out;
    env_open(&e);
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    khm_audit_event ev = event("agency.read", "/api/v1/agencies/\xff\xfe-ก\xe0\xb8");
    assert_int_equal(khm_audit_append(tx, &ev, &out), 0);
    assert_ptr_equal(out.target, ev.target); /* the caller's string, still valid */
    assert_int_equal(khm_tx_commit(tx), 0);
    char stored[64];
    assert_int_equal(khm_tx_begin(&tx, e.s, 0), 0);
    assert_int_equal(khm_store_audit_each(tx, 1, 1, first_target, stored), 1);
    khm_tx_rollback(tx);
    /* one U+FFFD per invalid byte; valid Thai kept */
    assert_string_equal(stored,
                        "/api/v1/agencies/\xef\xbf\xbd\xef\xbf\xbd-ก\xef\xbf\xbd\xef\xbf\xbd");
    /* and what is stored is what was hashed */
    khm_audit_report rep;
    assert_int_equal(khm_audit_verify_store(e.s, e.keys.sign_pk, 1, &rep), 0);
    assert_true(rep.ok);
    assert_string_equal(rep.head_hash, out.hash);
    env_close(&e);
}

static void test_audit_chain__checkpoint_message_format(void **state)
{
    (void)state;
    khm_audit_checkpoint_row c;
    memset(&c, 0, sizeof(c));
    c.seq = 7;
    c.event_seq = 5120;
    memset(c.event_hash, 'a', 64);
    c.ts = 1795778403114;
    char msg[256];
    size_t n = khm_audit_checkpoint_message(msg, sizeof(msg), &c);
    static const char want[] = "khomun-audit-checkpoint/v1\n7\n5120\n"
                               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
                               "1795778403114\n";
    assert_int_equal(n, sizeof(want) - 1);
    assert_string_equal(msg, want);
}

static int last_cp(chain_env *e, khm_audit_checkpoint_row *c)
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e->s, 0), 0);
    int rc = khm_store_audit_checkpoint_last(tx, c);
    khm_tx_rollback(tx);
    return rc;
}

static void test_audit_chain__checkpoint_signs_the_head_once(void **state)
{
    (void)state;
    chain_env e;
    khm_tx *tx;
    khm_audit_row head;
    khm_audit_checkpoint_row c;
    int made = -1;
    env_open(&e);

    /* no events: nothing to sign */
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    assert_int_equal(khm_audit_checkpoint(tx, &e.keys, &made), 0);
    assert_int_equal(made, 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(last_cp(&e, &c), KHM_ENOTFOUND);

    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    for (int i = 0; i < 3; i++) {
        khm_audit_event ev = event("a.b", NULL);
        assert_int_equal(khm_audit_append(tx, &ev, &head), 0);
    }
    assert_int_equal(khm_audit_checkpoint(tx, &e.keys, &made), 0);
    assert_int_equal(made, 1);
    /* the head is covered: a second call signs nothing */
    assert_int_equal(khm_audit_checkpoint(tx, &e.keys, &made), 0);
    assert_int_equal(made, 0);
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(last_cp(&e, &c), 0);
    assert_int_equal(c.seq, 1);
    assert_int_equal(c.event_seq, 3);
    assert_string_equal(c.event_hash, head.hash);
    char pkhex[65];
    khm_hex_encode(pkhex, e.keys.sign_pk, 32);
    assert_string_equal(c.public_key, pkhex);
    /* the signature verifies over the documented message with the public key */
    char msg[256];
    unsigned char sig[64];
    size_t n = khm_audit_checkpoint_message(msg, sizeof(msg), &c);
    assert_int_equal(khm_hex_decode(sig, 64, c.signature, strlen(c.signature)), 0);
    assert_int_equal(
        crypto_sign_verify_detached(sig, (const unsigned char *)msg, n, e.keys.sign_pk), 0);
    msg[n - 2] ^= 1; /* any other message fails */
    assert_int_not_equal(
        crypto_sign_verify_detached(sig, (const unsigned char *)msg, n, e.keys.sign_pk), 0);

    /* the head moves: the next checkpoint is number 2 at the new head */
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    khm_audit_event ev = event("a.c", NULL);
    assert_int_equal(khm_audit_append(tx, &ev, &head), 0);
    assert_int_equal(khm_audit_checkpoint(tx, &e.keys, &made), 0);
    assert_int_equal(made, 1);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(last_cp(&e, &c), 0);
    assert_int_equal(c.seq, 2);
    assert_int_equal(c.event_seq, 4);
    assert_string_equal(c.event_hash, head.hash);
    /* made may be NULL */
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    assert_int_equal(khm_audit_checkpoint(tx, &e.keys, NULL), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(last_cp(&e, &c), 0);
    assert_int_equal(c.seq, 2);
    env_close(&e);
}

static void test_audit_chain__row_json_has_every_field_and_round_trips(void **state)
{
    (void)state;
    khm_audit_row r;
    khm_buf b = KHM_BUF_INIT(1 << 16);
    khm_jw w;
    golden_row(&r);
    khm_jw_init(&w, &b);
    khm_audit_row_write_json(&w, &r);
    assert_int_equal(khm_jw_finish(&w), 0);
    json_error_t je;
    json_t *o = json_loads(b.ptr, 0, &je);
    assert_non_null(o);
    const char *keys[] = { "seq",        "id",      "ts",        "actor",  "action",
                           "target",     "purpose", "outcome",   "status", "reasons",
                           "request_id", "client",  "prev_hash", "hash" };
    assert_int_equal(json_object_size(o), sizeof(keys) / sizeof(keys[0]));
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        assert_non_null(json_object_get(o, keys[i]));
    assert_int_equal(json_integer_value(json_object_get(o, "seq")), 812);
    assert_string_equal(json_string_value(json_object_get(o, "reasons")), r.reasons);
    assert_true(json_is_null(json_object_get(o, "purpose")));
    assert_true(json_is_null(json_object_get(json_object_get(o, "actor"), "agency")));
    json_decref(o);
    khm_buf_dispose(&b);
}

static void test_audit_chain__filter_parse_fields(void **state)
{
    (void)state;
    khm_audit_filter f;
    khm_arena *a = khm_arena_new(0);
    assert_int_equal(khm_audit_filter_parse(&f, NULL, NULL, NULL, NULL, NULL, NULL, NULL), 0);
    assert_null(f.actor_user);
    assert_int_equal(f.before_seq, 0);
    assert_int_equal(khm_audit_filter_parse(&f, "u", "agency/1", "agency.create",
                                            "2026-11-27T00:00:00Z", "2026-11-28T00:00:00.000Z", "7",
                                            khm_audit_cursor(42, a)),
                     0);
    assert_string_equal(f.actor_user, "u");
    assert_string_equal(f.target, "agency/1");
    assert_string_equal(f.action, "agency.create");
    assert_int_equal(f.since, 1795737600000);
    assert_int_equal(f.until, 1795824000000);
    assert_int_equal(f.limit, 7);
    assert_int_equal(f.before_seq, 42);
    /* empty strings are no filter */
    assert_int_equal(khm_audit_filter_parse(&f, "", "", "", NULL, NULL, NULL, NULL), 0);
    assert_null(f.actor_user);
    assert_null(f.target);
    assert_null(f.action);
    /* each bad parameter is named */
    static const struct {
        const char *since, *until, *limit, *cursor, *field;
    } bad[] = {
        { "yesterday", NULL, NULL, NULL, "since" },
        { NULL, "2026-13-01T00:00:00Z", NULL, NULL, "until" },
        { NULL, NULL, "0", NULL, "limit" },
        { NULL, NULL, "501", NULL, "limit" },
        { NULL, NULL, "x", NULL, "limit" },
        { NULL, NULL, NULL, "nope", "cursor" },
        { NULL, NULL, NULL, "", "cursor" },
        { NULL, NULL, NULL, "YTA", "cursor" }, /* "a0" */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_err_clear();
        assert_int_equal(khm_audit_filter_parse(&f, NULL, NULL, NULL, bad[i].since, bad[i].until,
                                                bad[i].limit, bad[i].cursor),
                         KHM_EINVALID);
        size_t nf = 0;
        const khm_field_error *fe = khm_err_fields(&nf);
        int found = 0;
        for (size_t j = 0; j < nf; j++)
            found |= strcmp(fe[j].field, bad[i].field) == 0;
        if (!found)
            fail_msg("case %zu: no error for field %s", i, bad[i].field);
    }
    khm_arena_free(a);
}

KHM_UNIT_MAIN(
    cmocka_unit_test(test_audit_chain__canonical_is_the_golden_string),
    cmocka_unit_test(test_audit_chain__canonical_is_deterministic_and_ignores_seq_and_hashes),
    cmocka_unit_test(test_audit_chain__canonical_matches_a_json_writer_for_any_bytes),
    cmocka_unit_test(test_audit_chain__link_is_sha256_of_raw_prev_and_canonical),
    cmocka_unit_test(test_audit_chain__outcome_words),
    cmocka_unit_test(test_audit_chain__append_assigns_contiguous_seq_and_links_hashes),
    cmocka_unit_test(test_audit_chain__append_needs_an_action_and_an_outcome),
    cmocka_unit_test(test_audit_chain__append_keeps_the_given_time_or_stamps_now),
    cmocka_unit_test(test_audit_chain__append_stores_invalid_utf8_as_replacement_chars),
    cmocka_unit_test(test_audit_chain__checkpoint_message_format),
    cmocka_unit_test(test_audit_chain__checkpoint_signs_the_head_once),
    cmocka_unit_test(test_audit_chain__row_json_has_every_field_and_round_trips),
    cmocka_unit_test(test_audit_chain__filter_parse_fields))
