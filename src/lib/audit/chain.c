/* The audit chain: the canonical form of an event, appending it under the write lock with the
 * hash of its predecessor, and signed checkpoints of the head. Sequence numbers are assigned
 * here (head + 1) inside the write transaction, so they are contiguous on every backend. */
#include <khomun/audit.h>

#include "audit_internal.h"

#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/rand.h>
#include <khomun/time.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *khm_audit_outcome(int http_status)
{
    if (http_status < 400)
        return "success";
    if (http_status == 401 || http_status == 403)
        return "denied";
    if (http_status < 500)
        return "failure";
    return "error";
}

int khm_audit_canonical(khm_buf *b, const khm_audit_row *r)
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
    khm_jw_key(&w, "action");
    khm_jw_str(&w, r->action);
    khm_jw_key(&w, "target");
    khm_jw_str(&w, r->target);
    khm_jw_key(&w, "purpose");
    khm_jw_str(&w, r->purpose);
    khm_jw_key(&w, "outcome");
    khm_jw_str(&w, r->outcome);
    khm_jw_key(&w, "status");
    khm_jw_int(&w, r->status);
    khm_jw_key(&w, "reasons");
    khm_jw_str(&w, r->reasons);
    khm_jw_key(&w, "request_id");
    khm_jw_str(&w, r->request_id);
    khm_jw_key(&w, "client");
    khm_jw_str(&w, r->client);
    khm_jw_obj_end(&w);
    return khm_jw_finish(&w);
}

void khm_audit_row_write_json(khm_jw *w, const khm_audit_row *r)
{
    khm_jw_obj(w);
    khm_jw_key(w, "seq");
    khm_jw_int(w, r->seq);
    khm_jw_key(w, "id");
    khm_jw_str(w, r->id);
    khm_jw_key(w, "ts");
    khm_jw_time(w, r->ts);
    khm_jw_key(w, "actor");
    khm_jw_obj(w);
    khm_jw_key(w, "user");
    khm_jw_str(w, r->actor_user);
    khm_jw_key(w, "agency");
    khm_jw_str(w, r->actor_agency);
    khm_jw_key(w, "token");
    khm_jw_str(w, r->token_id);
    khm_jw_obj_end(w);
    khm_jw_key(w, "action");
    khm_jw_str(w, r->action);
    khm_jw_key(w, "target");
    khm_jw_str(w, r->target);
    khm_jw_key(w, "purpose");
    khm_jw_str(w, r->purpose);
    khm_jw_key(w, "outcome");
    khm_jw_str(w, r->outcome);
    khm_jw_key(w, "status");
    khm_jw_int(w, r->status);
    khm_jw_key(w, "reasons");
    khm_jw_str(w, r->reasons);
    khm_jw_key(w, "request_id");
    khm_jw_str(w, r->request_id);
    khm_jw_key(w, "client");
    khm_jw_str(w, r->client);
    khm_jw_key(w, "prev_hash");
    khm_jw_str(w, r->prev_hash);
    khm_jw_key(w, "hash");
    khm_jw_str(w, r->hash);
    khm_jw_obj_end(w);
}

/* hash = SHA-256(raw prev ‖ canonical); @p scratch is reused between calls. */
int khm_audit__link(khm_audit_row *r, khm_buf *scratch)
{
    uint8_t prev[KHM_SHA256_LEN], h[KHM_SHA256_LEN];
    int rc;
    khm_buf_reset(scratch);
    if ((rc = khm_audit_canonical(scratch, r)) < 0)
        return rc;
    if (khm_hex_decode(prev, sizeof(prev), r->prev_hash, strlen(r->prev_hash)) < 0)
        return khm_err_set(KHM_ERROR, "audit event %lld: bad previous hash", (long long)r->seq);
    khm_sha256_2(h, prev, sizeof(prev), scratch->ptr, scratch->len);
    khm_hex_encode(r->hash, h, sizeof(h));
    return 0;
}

/* Fill @p r from @p ev at position @p seq after @p prev_hash, and compute its hash. */
int khm_audit__make_row(khm_audit_row *r, const khm_audit_event *ev, int64_t seq,
                        const char *prev_hash, khm_buf *scratch)
{
    if (!ev->action || !*ev->action || !ev->outcome || !*ev->outcome)
        return khm_err_set(KHM_EINVALID, "an audit event needs an action and an outcome");
    memset(r, 0, sizeof(*r));
    r->seq = seq;
    khm_id_new(r->id);
    r->ts = ev->ts ? ev->ts : khm_time_now_ms();
    r->actor_user = ev->actor_user;
    r->actor_agency = ev->actor_agency;
    r->token_id = ev->token_id;
    r->action = ev->action;
    r->target = ev->target;
    r->purpose = ev->purpose;
    r->outcome = ev->outcome;
    r->status = ev->status;
    r->reasons = ev->reasons;
    r->request_id = ev->request_id;
    r->client = ev->client;
    memcpy(r->prev_hash, prev_hash, 65);
    return khm_audit__link(r, scratch);
}

int khm_audit_append(khm_tx *tx, const khm_audit_event *ev, khm_audit_row *out)
{
    khm_audit_row r;
    int64_t seq;
    char head[65];
    khm_buf scratch = KHM_BUF_INIT(1 << 20);
    int rc = khm_store_audit_head(tx, &seq, head);
    if (rc == 0 && (rc = khm_audit__make_row(&r, ev, seq + 1, head, &scratch)) == 0 &&
        (rc = khm_store_audit_insert(tx, &r)) == 0 && out)
        *out = r;
    khm_buf_dispose(&scratch);
    return rc;
}

size_t khm_audit_checkpoint_message(char *out, size_t cap, const khm_audit_checkpoint_row *c)
{
    int n = snprintf(out, cap, "khomun-audit-checkpoint/v1\n%lld\n%lld\n%s\n%lld\n",
                     (long long)c->seq, (long long)c->event_seq, c->event_hash, (long long)c->ts);
    return n < 0 ? 0 : (size_t)n;
}

int khm_audit_checkpoint(khm_tx *tx, const khm_keys *keys, int *made)
{
    khm_audit_checkpoint_row last, c;
    int64_t seq;
    char head[65];
    int rc;
    if (made)
        *made = 0;
    if ((rc = khm_store_audit_head(tx, &seq, head)) < 0)
        return rc;
    if (seq == 0)
        return 0;
    rc = khm_store_audit_checkpoint_last(tx, &last);
    if (rc == 0 && last.event_seq >= seq)
        return 0; /* the head is covered already */
    if (rc < 0 && rc != KHM_ENOTFOUND)
        return rc;
    memset(&c, 0, sizeof(c));
    c.seq = rc == 0 ? last.seq + 1 : 1;
    c.event_seq = seq;
    memcpy(c.event_hash, head, 65);
    c.ts = khm_time_now_ms();
    char msg[256];
    size_t n = khm_audit_checkpoint_message(msg, sizeof(msg), &c);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, keys->sign_sk);
    khm_hex_encode(c.signature, sig, sizeof(sig));
    khm_hex_encode(c.public_key, keys->sign_pk, sizeof(keys->sign_pk));
    if ((rc = khm_store_audit_checkpoint_insert(tx, &c)) == 0 && made)
        *made = 1;
    return rc;
}

int khm_audit_filter_parse(khm_audit_filter *f, const char *actor, const char *target,
                           const char *action, const char *since, const char *until,
                           const char *limit, const char *cursor)
{
    khm_page page;
    int bad = 0;
    memset(f, 0, sizeof(*f));
    khm_err_clear();
    f->actor_user = actor && *actor ? actor : NULL;
    f->target = target && *target ? target : NULL;
    f->action = action && *action ? action : NULL;
    if (khm_page_parse(&page, limit, NULL, NULL) < 0)
        bad = KHM_EINVALID; /* the field error names "limit" */
    f->limit = page.limit;
    if (since && khm_time_parse(&f->since, since, strlen(since)) < 0)
        bad = khm_err_field("since", "เวลาเริ่มต้นต้องอยู่ในรูปแบบ RFC 3339",
                            "must be an RFC 3339 date-time");
    if (until && khm_time_parse(&f->until, until, strlen(until)) < 0)
        bad = khm_err_field("until", "เวลาสิ้นสุดต้องอยู่ในรูปแบบ RFC 3339",
                            "must be an RFC 3339 date-time");
    if (cursor) {
        uint8_t raw[32];
        size_t n = strlen(cursor);
        int len = n < 40 ? khm_b64url_decode(raw, sizeof(raw) - 1, cursor, n) : -1;
        long long seq = 0;
        int ok = len > 1 && raw[0] == 'a';
        for (int i = 1; ok && i < len; i++) {
            ok = raw[i] >= '0' && raw[i] <= '9' && seq < (INT64_MAX - 9) / 10;
            seq = seq * 10 + (raw[i] - '0');
        }
        if (!ok || seq < 1)
            bad = khm_err_field("cursor", "ค่า cursor ไม่ถูกต้อง", "not a cursor returned by this API");
        f->before_seq = seq;
    }
    return bad ? KHM_EINVALID : 0;
}

char *khm_audit_cursor(int64_t seq, khm_arena *a)
{
    char txt[24];
    int n = snprintf(txt, sizeof(txt), "a%lld", (long long)seq);
    char *out = khm_arena_alloc(a, KHM_B64URL_LEN((size_t)n));
    if (out)
        khm_b64url_encode(out, KHM_B64URL_LEN((size_t)n), (const uint8_t *)txt, (size_t)n);
    return out;
}
