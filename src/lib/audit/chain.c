/* The audit chain: the canonical form of an event, appending it under the write lock with the
 * hash of its predecessor, and signed checkpoints of the head. Sequence numbers are assigned
 * here (head + 1) inside the write transaction, so they are contiguous on every backend. */
#include <khomun/audit.h>

#include "audit_internal.h"

#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/rand.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

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

/* The canonical form is a fixed specification (docs/audit.md), so it is written here byte by
 * byte rather than through khm_jw: a change to the general JSON writer must never change the
 * bytes that were hashed. It is also the hot path of appending and verifying, so it reserves
 * once and writes without further checks. */

#define LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

/* Bytes written escaped: below 0x20, '"', '\\' and 0x7f. */
static const unsigned char esc[256] = {
    1,         1,          1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00-0x0f */
    1,         1,          1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10-0x1f */
    ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

/* A JSON string, or null: '"' and '\\' escaped, \n \r \t short, any other byte below 0x20
 * and 0x7f as \u00xx (lower-case hex); every other byte as it is. At most 6·len + 2 bytes. */
static char *c_str(char *p, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (!s)
        return LIT(p, "null");
    *p++ = '"';
    const unsigned char *u = (const unsigned char *)s;
    for (;;) {
        const unsigned char *run = u;
        while (*u && !esc[*u])
            u++;
        memcpy(p, run, (size_t)(u - run));
        p += u - run;
        if (!*u)
            break;
        unsigned char c = *u++;
        *p++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *p++ = (char)c;
            break;
        case '\n':
            *p++ = 'n';
            break;
        case '\r':
            *p++ = 'r';
            break;
        case '\t':
            *p++ = 't';
            break;
        default:
            p = LIT(p, "u00");
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        }
    }
    *p++ = '"';
    return p;
}

/* A decimal integer, '-' for negatives, no leading zeros. At most 20 bytes. */
static char *c_int(char *p, int64_t v)
{
    char t[20];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        t[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *p++ = '-';
    while (n)
        *p++ = t[--n];
    return p;
}

int khm_audit_canonical(khm_buf *b, const khm_audit_row *r)
{
    const char *const strs[] = { r->id,      r->actor_user, r->actor_agency, r->token_id,
                                 r->action,  r->target,     r->purpose,      r->outcome,
                                 r->reasons, r->request_id, r->client };
    size_t need = 256 + KHM_TIME_RFC3339_LEN; /* keys, two integers, the time */
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        need += strs[i] ? 6 * strlen(strs[i]) + 2 : 4;
    int rc = khm_buf_reserve(b, need);
    if (rc < 0)
        return rc;
    char *p = b->ptr + b->len;
    p = LIT(p, "{\"v\":1,\"id\":");
    p = c_str(p, r->id);
    p = LIT(p, ",\"ts\":");
    if (r->ts) {
        char t[KHM_TIME_RFC3339_LEN];
        khm_time_format(t, r->ts);
        size_t n = strlen(t);
        *p++ = '"';
        memcpy(p, t, n);
        p += n;
        *p++ = '"';
    } else {
        p = LIT(p, "null");
    }
    p = LIT(p, ",\"actor\":{\"user\":");
    p = c_str(p, r->actor_user);
    p = LIT(p, ",\"agency\":");
    p = c_str(p, r->actor_agency);
    p = LIT(p, ",\"token\":");
    p = c_str(p, r->token_id);
    p = LIT(p, "},\"action\":");
    p = c_str(p, r->action);
    p = LIT(p, ",\"target\":");
    p = c_str(p, r->target);
    p = LIT(p, ",\"purpose\":");
    p = c_str(p, r->purpose);
    p = LIT(p, ",\"outcome\":");
    p = c_str(p, r->outcome);
    p = LIT(p, ",\"status\":");
    p = c_int(p, r->status);
    p = LIT(p, ",\"reasons\":");
    p = c_str(p, r->reasons);
    p = LIT(p, ",\"request_id\":");
    p = c_str(p, r->request_id);
    p = LIT(p, ",\"client\":");
    p = c_str(p, r->client);
    *p++ = '}';
    b->len = (size_t)(p - b->ptr);
    b->ptr[b->len] = '\0';
    return 0;
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

int khm_audit__hash(uint8_t out[KHM_SHA256_LEN], const khm_audit_row *r,
                    const uint8_t prev[KHM_SHA256_LEN], khm_buf *scratch)
{
    int rc;
    khm_buf_reset(scratch);
    if ((rc = khm_audit_canonical(scratch, r)) < 0)
        return rc;
    khm_sha256_2(out, prev, KHM_SHA256_LEN, scratch->ptr, scratch->len);
    return 0;
}

/* hash = SHA-256(raw prev ‖ canonical); @p scratch is reused between calls. */
int khm_audit__link(khm_audit_row *r, khm_buf *scratch)
{
    uint8_t prev[KHM_SHA256_LEN], h[KHM_SHA256_LEN];
    int rc;
    if (khm_hex_decode(prev, sizeof(prev), r->prev_hash, strlen(r->prev_hash)) < 0)
        return khm_err_set(KHM_ERROR, "audit event %lld: bad previous hash", (long long)r->seq);
    if ((rc = khm_audit__hash(h, r, prev, scratch)) < 0)
        return rc;
    khm_hex_encode(r->hash, h, sizeof(h));
    return 0;
}

/* A field that is not valid UTF-8 (a request path may carry any bytes) is stored with each
 * invalid byte replaced by U+FFFD: what is stored is what is hashed, and every listing and
 * export is valid JSON that hashes to the same value when read back. The replacements are
 * written into @p text; the fields point into it once it is complete. */
static int valid_text(khm_audit_row *r, khm_buf *text)
{
    const char **f[] = {
        &r->actor_user, &r->actor_agency, &r->token_id, &r->action,     &r->target,
        &r->purpose,    &r->outcome,      &r->reasons,  &r->request_id, &r->client
    };
    size_t off[sizeof(f) / sizeof(f[0])];
    int bad = 0, rc = 0;
    khm_buf_reset(text);
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        const char *s = *f[i];
        size_t n = s ? strlen(s) : 0;
        off[i] = SIZE_MAX;
        if (!s || khm_utf8_valid(s, n, NULL))
            continue;
        bad = 1;
        off[i] = text->len;
        for (size_t j = 0; rc == 0 && j < n;) {
            uint32_t cp;
            size_t k = khm_utf8_decode(s + j, n - j, &cp);
            rc = k ? khm_buf_put(text, s + j, k) : khm_buf_put(text, "\xEF\xBF\xBD", 3);
            j += k ? k : 1;
        }
        if (rc == 0)
            rc = khm_buf_put(text, "", 1); /* each replacement ends with its NUL */
        if (rc < 0)
            return rc;
    }
    for (size_t i = 0; bad && i < sizeof(f) / sizeof(f[0]); i++)
        if (off[i] != SIZE_MAX)
            *f[i] = text->ptr + off[i];
    return 0;
}

/* Fill @p r from @p ev at position @p seq after @p prev_hash, and compute its hash. */
int khm_audit__make_row(khm_audit_row *r, const khm_audit_event *ev, int64_t seq,
                        const char *prev_hash, khm_buf *scratch, khm_buf *text)
{
    int rc;
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
    if ((rc = valid_text(r, text)) < 0)
        return rc;
    return khm_audit__link(r, scratch);
}

int khm_audit_append(khm_tx *tx, const khm_audit_event *ev, khm_audit_row *out)
{
    khm_audit_row r;
    int64_t seq;
    char head[65];
    khm_buf scratch = KHM_BUF_INIT(1 << 20), text = KHM_BUF_INIT(1 << 20);
    int rc = khm_store_audit_head(tx, &seq, head);
    if (rc == 0 && (rc = khm_audit__make_row(&r, ev, seq + 1, head, &scratch, &text)) == 0 &&
        (rc = khm_store_audit_insert(tx, &r)) == 0 && out) {
        *out = r;
        if (text.len) { /* replaced fields die with @p text: give the caller its own strings */
            out->actor_user = ev->actor_user;
            out->actor_agency = ev->actor_agency;
            out->token_id = ev->token_id;
            out->target = ev->target;
            out->purpose = ev->purpose;
            out->reasons = ev->reasons;
            out->request_id = ev->request_id;
            out->client = ev->client;
            out->action = ev->action;
            out->outcome = ev->outcome;
        }
    }
    khm_buf_dispose(&scratch);
    khm_buf_dispose(&text);
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
