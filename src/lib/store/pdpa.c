/* Typed calls for PDPA purposes and consent events (migration 6). Both tables carry a change
 * sequence (purpose.chg, consent_event.seq) drawn as MAX + 1 under the KHM_LOCK_PDPA lock, so
 * that a reader sees them committed in sequence order on every backend; the consent index
 * (pdpa/index.c) catches up by reading what is past the last sequence it applied. Every write
 * marks the transaction so the consent change counter advances at commit, and on PostgreSQL
 * sends a NOTIFY (delivered at commit) to the other servers' listeners. */
#include "store_internal.h"

#include <khomun/err.h>
#include <khomun/policy.h>

#include <stdio.h>
#include <string.h>

#define D (tx->s->drv)

/* Once per write transaction: take the PDPA lock and tell the other servers at commit. */
static int mark_change(khm_tx *tx)
{
    khm_stmt *st;
    int rc;
    if (tx->touch_consent)
        return 0;
    if ((rc = khm_store__lock(tx, KHM_LOCK_PDPA)) < 0 ||
        (rc = khm_store__stmt(tx, KHM_Q_CONSENT_NOTIFY, &st)) < 0 ||
        (rc = khm_store__run(tx, st)) < 0)
        return rc;
    tx->touch_consent = 1;
    return 0;
}

static int max_of(khm_tx *tx, khm_qid q, int64_t *out)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, q, &st);
    if (rc < 0)
        return rc;
    rc = D->step(st);
    if (rc == 1) {
        *out = D->col_int64(st, 0);
        rc = 0;
    }
    D->reset(st);
    return rc;
}

/* ---- purposes ---- */

/* Read a purpose row; strings copied into @p ar, or borrowed when @p ar is NULL. */
static int read_purpose(khm_tx *tx, khm_stmt *st, void *item, khm_arena *ar)
{
    khm_purpose_rec *p = item;
#define TXT(i) (ar ? khm_store__col_dup(tx, st, (i), ar) : D->col_text(st, (i)))
    khm_store__col_id(tx, st, 0, p->id);
    khm_store__col_id(tx, st, 1, p->agency_id);
    p->code = TXT(2);
    p->name_th = TXT(3);
    p->name_en = TXT(4);
    p->description_th = TXT(5);
    p->description_en = TXT(6);
    const char *basis = D->col_text(st, 7), *s26 = D->col_text(st, 8);
    if (!basis || khm_basis_parse(basis, &p->basis) < 0 || !s26 ||
        khm_s26_parse(s26, &p->s26_exception) < 0) {
        khm_err_clear();
        return khm_err_set(KHM_ERROR, "purpose %s has an unknown basis in the database", p->id);
    }
    p->sensitive = (unsigned)D->col_int64(st, 9);
    p->categories = TXT(10);
    p->retention_days = (int)D->col_int64(st, 11);
    p->datasets = TXT(12);
    p->text_version = (int)D->col_int64(st, 13);
    p->min_version = (int)D->col_int64(st, 14);
    p->text_th = TXT(15);
    p->text_en = TXT(16);
    p->version = D->col_int64(st, 17);
    p->chg = D->col_int64(st, 18);
    khm_store__col_id(tx, st, 19, p->created_by);
    p->created_at = D->col_int64(st, 20);
    p->updated_at = D->col_int64(st, 21);
    p->retired_at = D->col_int64(st, 22);
    p->privacy_notice_url = TXT(23); /* migration 10 */
#undef TXT
    if (!p->code || !p->name_th || !p->categories || !p->datasets)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

int khm_store_purpose_insert(khm_tx *tx, khm_purpose_rec *p)
{
    khm_stmt *st;
    int64_t chg = 0;
    int rc;
    if ((rc = mark_change(tx)) < 0 || (rc = max_of(tx, KHM_Q_PURPOSE_MAXCHG, &chg)) < 0 ||
        (rc = khm_store__stmt(tx, KHM_Q_PURPOSE_INSERT, &st)) < 0)
        return rc;
    p->chg = chg + 1;
    D->bind_text(st, 1, p->id);
    D->bind_text(st, 2, p->agency_id);
    D->bind_text(st, 3, p->code);
    D->bind_text(st, 4, p->name_th);
    khm_store__bind_opt(tx, st, 5, p->name_en);
    khm_store__bind_opt(tx, st, 6, p->description_th);
    khm_store__bind_opt(tx, st, 7, p->description_en);
    D->bind_text(st, 8, khm_basis_name(p->basis));
    D->bind_text(st, 9, khm_s26_name(p->s26_exception));
    D->bind_int64(st, 10, p->sensitive);
    D->bind_text(st, 11, p->categories);
    D->bind_int64(st, 12, p->retention_days);
    D->bind_text(st, 13, p->datasets);
    D->bind_int64(st, 14, p->text_version);
    D->bind_int64(st, 15, p->min_version);
    khm_store__bind_opt(tx, st, 16, p->text_th);
    khm_store__bind_opt(tx, st, 17, p->text_en);
    D->bind_int64(st, 18, p->version);
    D->bind_int64(st, 19, p->chg);
    khm_store__bind_opt(tx, st, 20, p->created_by);
    D->bind_int64(st, 21, p->created_at);
    D->bind_int64(st, 22, p->updated_at);
    khm_store__bind_opt_int(tx, st, 23, p->retired_at);
    khm_store__bind_opt(tx, st, 24, p->privacy_notice_url);
    rc = khm_store__run(tx, st);
    if (rc == KHM_EEXISTS)
        return khm_err_set(KHM_EEXISTS, "the agency already has a purpose with code '%s'", p->code);
    return rc;
}

int khm_store_purpose_get(khm_tx *tx, khm_purpose_rec *out, const char *agency_id,
                          const char *id_or_code, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_PURPOSE_GET, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, agency_id);
    D->bind_text(st, 2, id_or_code);
    D->bind_text(st, 3, id_or_code);
    if ((rc = khm_store__read_one(tx, st, read_purpose, out, a)) == 0)
        return khm_err_set(KHM_ENOTFOUND, "no purpose '%s' in this agency", id_or_code);
    return rc < 0 ? rc : 0;
}

int khm_store_purpose_list(khm_tx *tx, khm_purpose_rec **out, size_t *n, int *more,
                           const char *agency_id, const khm_page *page, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_PURPOSE_LIST, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, agency_id);
    khm_store__bind_page(tx, st, 2, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_purpose_rec), read_purpose, (void **)out,
                                n, more, a);
}

int khm_store_purpose_update(khm_tx *tx, khm_purpose_rec *p, int64_t version, int64_t *new_version)
{
    khm_stmt *st;
    int64_t chg = 0;
    int rc;
    if ((rc = mark_change(tx)) < 0 || (rc = max_of(tx, KHM_Q_PURPOSE_MAXCHG, &chg)) < 0 ||
        (rc = khm_store__stmt(tx, KHM_Q_PURPOSE_UPDATE, &st)) < 0)
        return rc;
    p->chg = chg + 1;
    D->bind_text(st, 1, p->name_th);
    khm_store__bind_opt(tx, st, 2, p->name_en);
    khm_store__bind_opt(tx, st, 3, p->description_th);
    khm_store__bind_opt(tx, st, 4, p->description_en);
    D->bind_text(st, 5, khm_basis_name(p->basis));
    D->bind_text(st, 6, khm_s26_name(p->s26_exception));
    D->bind_int64(st, 7, p->sensitive);
    D->bind_text(st, 8, p->categories);
    D->bind_int64(st, 9, p->retention_days);
    D->bind_text(st, 10, p->datasets);
    D->bind_int64(st, 11, p->text_version);
    D->bind_int64(st, 12, p->min_version);
    khm_store__bind_opt(tx, st, 13, p->text_th);
    khm_store__bind_opt(tx, st, 14, p->text_en);
    D->bind_int64(st, 15, p->chg);
    D->bind_int64(st, 16, p->updated_at);
    khm_store__bind_opt_int(tx, st, 17, p->retired_at);
    khm_store__bind_opt(tx, st, 18, p->privacy_notice_url);
    D->bind_text(st, 19, p->id);
    D->bind_int64(st, 20, version);
    rc = D->step(st);
    if (rc == 1 && new_version)
        *new_version = D->col_int64(st, 0);
    D->reset(st);
    if (rc == 0)
        return khm_err_set(KHM_ESTALE,
                           "purpose %s is no longer at version %lld (changed meanwhile): reload "
                           "it and apply the change again",
                           p->id, (long long)version);
    return rc < 0 ? rc : 0;
}

int khm_store_purpose_text_insert(khm_tx *tx, const char *purpose_id, int version,
                                  const char *text_th, const char *text_en, int reconsent,
                                  int64_t at)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_PURPOSE_TEXT_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, purpose_id);
    D->bind_int64(st, 2, version);
    D->bind_text(st, 3, text_th);
    khm_store__bind_opt(tx, st, 4, text_en);
    D->bind_int64(st, 5, reconsent ? 1 : 0);
    D->bind_int64(st, 6, at);
    return khm_store__run(tx, st);
}

int khm_store_purpose_since(khm_tx *tx, int64_t chg,
                            int (*fn)(const khm_purpose_rec *p, void *payload), void *payload)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_PURPOSE_SINCE, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, chg);
    while ((rc = D->step(st)) == 1) {
        khm_purpose_rec p;
        if ((rc = read_purpose(tx, st, &p, NULL)) < 0 || (rc = fn(&p, payload)) != 0)
            break;
    }
    D->reset(st);
    return rc < 0 ? rc : 0;
}

/* ---- consent events ---- */

/* OPTIMIZATION: the key a subject's events are found by (migration 14). The subject is a
 * 64-character hex token, uniformly random. Indexed by it, as (agency_id, subject, id) and
 * (purpose_id, subject, seq) were before, every grant lands on a random leaf of two indexes of
 * 130 - 180 bytes an entry: at 5,000,000 events they were far past the write transaction's
 * page cache, and each batch of grants read and rewrote about one index page per event into
 * the WAL (bench/consent: the grant rate fell from 42,000/s at 250,000 events to under
 * 10,000/s at 5 million). subject_key is 8 bytes of the subject's FNV-1a hash; its one index
 * is ~19 bytes an entry (SQLite's dbstat at 1,000,000 events: 18 MB against 295 MB), and the
 * queries compare the subject (and agency or purpose) on the few rows a key finds, so keys
 * that collide cost a row read, never a wrong answer. A hash of the whole text rather than the
 * token's first bytes, so that any text keys alike on every backend. It is stored: never
 * change it. */
static int64_t subject_key(const char *subject)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)subject; p && *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return (int64_t)h;
}

/* @p s (NULL: "") into @p out of @p cap bytes, cut to fit (snprintf's "%s" without its cost:
 * the consent index reads millions of events). */
static void copy_text(char *out, size_t cap, const char *s)
{
    size_t n = s ? strnlen(s, cap - 1) : 0;
    memcpy(out, s ? s : "", n);
    out[n] = '\0';
}

static int read_consent(khm_tx *tx, khm_stmt *st, void *item, khm_arena *ar)
{
    khm_consent_event *e = item;
#define TXT(i) (ar ? khm_store__col_dup(tx, st, (i), ar) : D->col_text(st, (i)))
    khm_store__col_id(tx, st, 0, e->id);
    e->seq = D->col_int64(st, 1);
    khm_store__col_id(tx, st, 2, e->agency_id);
    khm_store__col_id(tx, st, 3, e->purpose_id);
    copy_text(e->subject, sizeof(e->subject), D->col_text(st, 4));
    e->subject_type = TXT(5);
    const char *action = D->col_text(st, 6);
    e->withdraw = action && strcmp(action, "withdraw") == 0;
    e->given_at = D->col_int64(st, 7);
    e->recorded_at = D->col_int64(st, 8);
    e->method = TXT(9);
    e->text_version = (int)D->col_int64(st, 10);
    e->explicit_consent = D->col_int64(st, 11) != 0;
    e->age = D->col_is_null(st, 12) ? -1 : (int)D->col_int64(st, 12);
    e->given_by = TXT(13);
    copy_text(e->guardian, sizeof(e->guardian), D->col_text(st, 14));
    e->guardian_relation = TXT(15);
    e->expires_at = D->col_int64(st, 16);
    e->actor = TXT(17);
    e->receipt = TXT(18);
#undef TXT
    if (!e->subject_type || !e->method || !e->given_by)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

int khm_store_consent_insert(khm_tx *tx, khm_consent_event *ev)
{
    khm_stmt *st;
    int rc;
    if ((rc = mark_change(tx)) < 0)
        return rc;
    if (!tx->next_seq) {
        /* once per transaction (a batch of inserts queues behind this one read) */
        int64_t max = 0;
        if ((rc = max_of(tx, KHM_Q_CONSENT_MAXSEQ, &max)) < 0)
            return rc;
        tx->next_seq = max + 1;
    }
    if ((rc = khm_store__stmt(tx, KHM_Q_CONSENT_INSERT, &st)) < 0)
        return rc;
    ev->seq = tx->next_seq;
    D->bind_text(st, 1, ev->id);
    D->bind_int64(st, 2, ev->seq);
    D->bind_text(st, 3, ev->agency_id);
    D->bind_text(st, 4, ev->purpose_id);
    D->bind_text(st, 5, ev->subject);
    D->bind_text(st, 6, ev->subject_type);
    D->bind_text(st, 7, ev->withdraw ? "withdraw" : "grant");
    D->bind_int64(st, 8, ev->given_at);
    D->bind_int64(st, 9, ev->recorded_at);
    D->bind_text(st, 10, ev->method);
    D->bind_int64(st, 11, ev->text_version);
    D->bind_int64(st, 12, ev->explicit_consent ? 1 : 0);
    if (ev->age >= 0)
        D->bind_int64(st, 13, ev->age);
    else
        D->bind_null(st, 13);
    D->bind_text(st, 14, ev->given_by);
    khm_store__bind_opt(tx, st, 15, ev->guardian);
    khm_store__bind_opt(tx, st, 16, ev->guardian_relation);
    khm_store__bind_opt_int(tx, st, 17, ev->expires_at);
    khm_store__bind_opt(tx, st, 18, ev->actor);
    khm_store__bind_opt(tx, st, 19, ev->receipt);
    D->bind_int64(st, 20, subject_key(ev->subject));
    if ((rc = khm_store__run(tx, st)) == 0)
        tx->next_seq++;
    return rc;
}

int khm_store_consent_latest(khm_tx *tx, khm_consent_event *out, const char *purpose_id,
                             const char *subject, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_CONSENT_LATEST, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, subject_key(subject));
    D->bind_text(st, 2, subject);
    D->bind_text(st, 3, purpose_id);
    if ((rc = khm_store__read_one(tx, st, read_consent, out, a)) == 0)
        return khm_err_set(KHM_ENOTFOUND, "no consent of this subject for this purpose");
    return rc < 0 ? rc : 0;
}

int khm_store_consent_history(khm_tx *tx, khm_consent_event **out, size_t *n, int *more,
                              const char *agency_id, const char *subject, const khm_page *page,
                              khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_CONSENT_HISTORY, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, subject_key(subject));
    D->bind_text(st, 2, subject);
    D->bind_text(st, 3, agency_id);
    khm_store__bind_page(tx, st, 4, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_consent_event), read_consent, (void **)out,
                                n, more, a);
}

/* Step @p st's consent rows through @p fn (strings borrowed) until it returns non-zero; *@p last
 * (when not NULL) the seq of the last row it took. Resets the statement. */
static int each_consent(khm_tx *tx, khm_stmt *st, int64_t *last,
                        int (*fn)(const khm_consent_event *ev, void *payload), void *payload)
{
    int rc;
    while ((rc = D->step(st)) == 1) {
        khm_consent_event e;
        if ((rc = read_consent(tx, st, &e, NULL)) < 0 || (rc = fn(&e, payload)) != 0)
            break;
        if (last)
            *last = e.seq;
    }
    D->reset(st);
    return rc < 0 ? rc : 0;
}

static int consent_since(khm_tx *tx, int q, int64_t after, size_t limit, int64_t *last,
                         int (*fn)(const khm_consent_event *ev, void *payload), void *payload)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, q, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, after);
    D->bind_int64(st, 2, (int64_t)limit);
    return each_consent(tx, st, last, fn, payload);
}

int khm_store_consent_since(khm_tx *tx, int64_t after, size_t limit, int64_t *last,
                            int (*fn)(const khm_consent_event *ev, void *payload), void *payload)
{
    return consent_since(tx, KHM_Q_CONSENT_SINCE, after, limit, last, fn, payload);
}

int khm_store_consent_fold_since(khm_tx *tx, int64_t after, size_t limit, int64_t *last,
                                 int (*fn)(const khm_consent_event *ev, void *payload),
                                 void *payload)
{
    return consent_since(tx, KHM_Q_CONSENT_FOLD_SINCE, after, limit, last, fn, payload);
}

int khm_store_consent_pair(khm_tx *tx, const char *purpose_id, const char *subject,
                           int (*fn)(const khm_consent_event *ev, void *payload), void *payload)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_CONSENT_PAIR, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, subject_key(subject));
    D->bind_text(st, 2, subject);
    D->bind_text(st, 3, purpose_id);
    return each_consent(tx, st, NULL, fn, payload);
}

int khm_store_consent_heads(khm_tx *tx, int64_t *consent_seq, int64_t *purpose_chg)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_CONSENT_HEADS, &st);
    if (rc < 0)
        return rc;
    rc = D->step(st);
    if (rc == 1) {
        *consent_seq = D->col_int64(st, 0);
        *purpose_chg = D->col_int64(st, 1);
        rc = 0;
    } else if (rc == 0) {
        rc = khm_err_set(KHM_ERROR, "no row from the consent heads");
    }
    D->reset(st);
    return rc;
}

/* Migration 13's after-hook: the subject key of every event recorded before it, a page of
 * events at a time in sequence order, then the index on it (made once the keys are in). */
int khm_store__consent_keys_fill(khm_tx *tx)
{
    enum { PAGE = 1000 };
    int64_t seqs[PAGE], keys[PAGE];
    int64_t after = 0;
    khm_stmt *st;
    int rc;
    for (;;) {
        size_t n = 0;
        if ((rc = khm_store__stmt(tx, KHM_Q_CONSENT_KEY_PAGE, &st)) < 0)
            return rc;
        D->bind_int64(st, 1, after);
        D->bind_int64(st, 2, PAGE);
        while ((rc = D->step(st)) == 1) {
            seqs[n] = D->col_int64(st, 0);
            keys[n] = subject_key(D->col_text(st, 1));
            n++;
        }
        D->reset(st);
        if (rc < 0)
            return rc;
        for (size_t i = 0; i < n; i++) {
            if ((rc = khm_store__stmt(tx, KHM_Q_CONSENT_KEY_SET, &st)) < 0)
                return rc;
            D->bind_int64(st, 1, keys[i]);
            D->bind_int64(st, 2, seqs[i]);
            if ((rc = khm_store__run(tx, st)) < 0)
                return rc;
        }
        if (n < PAGE)
            break;
        after = seqs[n - 1];
    }
    return D->exec(tx->slot->conn, "CREATE INDEX consent_event_subject_key ON consent_event "
                                   "(subject_key)");
}
