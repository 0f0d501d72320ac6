/* Consents: grant and withdraw (the same body shape, s.19 para 5), a subject's history (the
 * portability export of s.31), and the check, single and batch, answered from the in-memory
 * index (consent.h). The subject is sent in the body or the query string, never in the path,
 * and the audit event names only its pseudonymous token. */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/pdpa.h>
#include <khomun/policy.h>
#include <khomun/setup.h>
#include <khomun/time.h>

#include <sodium.h>
#include <stddef.h>
#include <string.h>

/* Most pairs one batch check takes. */
#define CHECK_BATCH_MAX 1000

/* The pseudonymiser of the caller's agency: the server's kept one (srv->pz), else made into
 * @p scratch (the caller wipes it). */
static const khm_pseudonymizer *agency_pz(khm_req *r, khm_pseudonymizer *scratch)
{
    khm_srv *srv = r->srv;
    const char *agency = r->who.agency.id;
    int n = __atomic_load_n(&srv->npz, __ATOMIC_ACQUIRE);
    for (int i = 0; i < n; i++)
        if (strcmp(srv->pz[i].agency, agency) == 0)
            return &srv->pz[i].pz;
    unsigned char key[KHM_KEY_LEN];
    khm_keys_agency_pseudonym(&srv->keys, agency, key);
    khm_pseudonymizer_init(scratch, key);
    sodium_memzero(key, sizeof(key));
    pthread_mutex_lock(&srv->pz_lock);
    n = srv->npz; /* another thread may have added it meanwhile */
    int have = 0;
    for (int i = 0; i < n && !have; i++)
        have = strcmp(srv->pz[i].agency, agency) == 0;
    if (!have && n < KHM_PZ_CACHE) {
        snprintf(srv->pz[n].agency, sizeof(srv->pz[n].agency), "%s", agency);
        srv->pz[n].pz = *scratch;
        __atomic_store_n(&srv->npz, n + 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&srv->pz_lock);
    return scratch;
}

static void write_event(khm_jw *w, const void *rec)
{
    khm_consent_event_write_json(w, rec);
}

/* {"consent": event, "purpose": code} */
static int record(khm_req *r, int withdraw)
{
    khm_consent_input in;
    khm_consent_event ev;
    khm_purpose_rec p;
    khm_pseudonymizer scratch;
    int rc;
    const khm_pseudonymizer *pz = agency_pz(r, &scratch);
    rc = khm_consent_input_from_json(&in, r->json, withdraw);
    if (rc == 0)
        rc = khm_consent_record(r->tx, pz, &r->srv->keys, r->who.agency.id, withdraw, &in,
                                r->who.user.id, khm_time_now_ms(), &ev, &p, r->arena);
    sodium_memzero(&scratch, sizeof(scratch));
    if (rc < 0)
        return rc;
    r->audit_target = khm_arena_printf(r->arena, "consent/%s", ev.id);
    khm_buf b = KHM_BUF_INIT(1 << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "purpose");
    khm_jw_str(&w, p.code);
    khm_jw_key(&w, "consent");
    khm_consent_event_write_json(&w, &ev);
    khm_jw_key(&w, "receipt");
    if (ev.receipt)
        khm_jw_raw(&w, ev.receipt, strlen(ev.receipt));
    else
        khm_jw_null(&w);
    if (ev.receipt_error) {
        khm_jw_key(&w, "receipt_error");
        khm_jw_raw(&w, ev.receipt_error, strlen(ev.receipt_error));
    }
    khm_jw_obj_end(&w);
    return khm_reply_jw(r, withdraw ? 200 : 201, &w, &b);
}

int khm_h_consents_grant(khm_req *r)
{
    return record(r, 0);
}

int khm_h_consents_withdraw(khm_req *r)
{
    return record(r, 1);
}

/* The token of the subject named by @p subject / @p type (query or body), hex into @p hex. */
static int subject_of(khm_req *r, const char *subject, const char *type, const char *field,
                      unsigned char tok[32])
{
    khm_pseudonymizer scratch;
    int t, rc;
    if (!subject)
        return khm_err_field(field, "ต้องระบุตัวระบุเจ้าของข้อมูล", "required");
    if ((rc = khm_subject_type_parse(type ? type : "tnin", "subject_type", &t)) < 0)
        return rc;
    rc = khm_consent_subject_token(agency_pz(r, &scratch), t, subject, field, tok);
    sodium_memzero(&scratch, sizeof(scratch));
    return rc;
}

int khm_h_consents_history(khm_req *r)
{
    unsigned char tok[32];
    char hex[65];
    khm_page page;
    khm_tx *tx;
    khm_consent_event *items;
    size_t n;
    int more, rc;
    if ((rc = subject_of(r, khm_req_query(r, "subject"), khm_req_query(r, "subject_type"),
                         "subject", tok)) < 0 ||
        (rc = khm_req_page(r, &page)) < 0)
        return rc;
    khm_hex_encode(hex, tok, sizeof(tok));
    r->audit_target = khm_arena_printf(r->arena, "consent-subject/%s", hex);
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_consent_history(tx, &items, &n, &more, r->who.agency.id, hex, &page, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    khm_buf b = KHM_BUF_INIT(64u << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "subject_token");
    khm_jw_str(&w, hex);
    khm_jw_key(&w, "items");
    khm_jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        write_event(&w, &items[i]);
    khm_jw_arr_end(&w);
    khm_jw_key(&w, "next_cursor");
    khm_jw_str(&w, more && n ? khm_page_cursor(items[n - 1].id, r->arena) : NULL);
    khm_jw_obj_end(&w);
    return khm_reply_jw(r, 200, &w, &b);
}

/* What the caller was told, for the audit event: "answer: allow (consent)" … one per reason
 * (khm_check_reason_name), allow for the first two. */
static const char *const answers[KHM_CHECK__COUNT] = {
    "answer: allow (basis)",       "answer: allow (consent)",
    "answer: deny (no_consent)",   "answer: deny (withdrawn)",
    "answer: deny (expired)",      "answer: deny (reconsent_required)",
    "answer: deny (not_explicit)", "answer: deny (purpose_retired)",
};

int khm_h_consents_check(khm_req *r)
{
    unsigned char tok[32];
    khm_consent_verdict v;
    khm_consent_purpose p;
    const char *purpose = khm_req_query(r, "purpose");
    int rc, built;
    if (!purpose)
        return khm_err_field("purpose", "ต้องระบุวัตถุประสงค์", "required (its code or id)");
    /* one lookup and one sync (on PostgreSQL a read of the newest sequences) per request; the
     * subject is checked before the purpose, as khm_consent_check() would */
    if ((rc = subject_of(r, khm_req_query(r, "subject"), khm_req_query(r, "subject_type"),
                         "subject", tok)) < 0 ||
        (rc = built = khm_consent_index_ready(r->srv->consents)) < 0)
        return rc;
    if (!built) /* the index is still being built: the answer from the store, now */
        rc = khm_consent_check_from_store(r->srv->store, r->who.agency.id, 1, &purpose,
                                          (const unsigned char(*)[32])tok, khm_time_now_ms(), &v,
                                          NULL, r->arena);
    else
        rc = khm_consent_index_purpose(r->srv->consents, r->who.agency.id, purpose, &p);
    if (rc < 0)
        return rc;
    /* OPTIMIZATION: the entry's cache line is on its way while the audit target and the reply
     * buffer are made (the random read of the index is the largest part of a check) */
    if (built)
        khm_consent_prefetch(r->srv->consents, &p, tok);
    /* the event names the subject by token; the aggregated one (KHM_ROUTE_AUDIT_AGGREGATE)
     * only what was answered */
    static const char prefix[] = "consent-subject/";
    char *target = khm_arena_alloc(r->arena, sizeof(prefix) + 64);
    if (!target)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    memcpy(target, prefix, sizeof(prefix) - 1);
    khm_hex_encode(target + sizeof(prefix) - 1, tok, sizeof(tok));
    r->audit_target = target;
    khm_buf b = KHM_BUF_INIT(1 << 20);
    khm_jw w;
    if (khm_buf_reserve(&b, 768) < 0)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    /* synced by khm_consent_index_purpose above, after this request arrived */
    if (built &&
        (rc = khm_consent_check_synced(r->srv->consents, &p, tok, khm_time_now_ms(), &v)) < 0) {
        khm_buf_dispose(&b);
        return rc;
    }
    r->audit_detail = answers[v.reason >= 0 && v.reason < KHM_CHECK__COUNT ? v.reason : 0];
    khm_jw_init(&w, &b);
    khm_consent_verdict_write_json(&w, purpose, &v);
    return khm_reply_jw(r, 200, &w, &b);
}

int khm_h_consents_check_batch(khm_req *r)
{
    json_t *checks = json_object_get(r->json, "checks");
    size_t i, n;
    json_t *c;
    int rc = 0;
    if (!json_is_object(r->json) || json_object_size(r->json) != 1 || !json_is_array(checks))
        return khm_err_field("checks", "ต้องเป็นรายการคำถาม",
                             "the body is {\"checks\": [{\"subject\", "
                             "\"subject_type\", \"purpose\"}, ...]}");
    n = json_array_size(checks);
    if (n < 1 || n > CHECK_BATCH_MAX)
        return khm_err_field("checks", "ต้องมี 1–1000 รายการ", "must hold 1 to %d pairs",
                             CHECK_BATCH_MAX);
    khm_consent_verdict *v = khm_arena_calloc(r->arena, n, sizeof(*v));
    khm_consent_purpose *ps = khm_arena_calloc(r->arena, n, sizeof(*ps));
    const char **purposes = khm_arena_calloc(r->arena, n, sizeof(*purposes));
    unsigned char(*toks)[32] = khm_arena_calloc(r->arena, n, sizeof(*toks));
    if (!v || !ps || !purposes || !toks)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    /* every subject first (each names its item), then all the pairs against one snapshot:
     * one sync for the batch (on PostgreSQL one read of the newest sequences, not one a pair) */
    json_array_foreach(checks, i, c)
    {
        char field[48];
        if (!json_is_object(c))
            return khm_err_field("checks", "แต่ละรายการต้องเป็นออบเจ็กต์", "item %zu is not an object",
                                 i);
        snprintf(field, sizeof(field), "checks[%zu].subject", i);
        if ((rc = subject_of(r, json_string_value(json_object_get(c, "subject")),
                             json_string_value(json_object_get(c, "subject_type")), field,
                             toks[i])) < 0)
            return rc;
        purposes[i] = json_string_value(json_object_get(c, "purpose"));
    }
    size_t bad = 0;
    if ((rc = khm_consent_index_ready(r->srv->consents)) == 0) /* still being built */
        rc = khm_consent_check_from_store(r->srv->store, r->who.agency.id, n, purposes,
                                          (const unsigned char(*)[32])toks, khm_time_now_ms(), v,
                                          &bad, r->arena);
    else if (rc > 0)
        rc = khm_consent_check_batch(r->srv->consents, r->who.agency.id, n, purposes,
                                     (const unsigned char(*)[32])toks, khm_time_now_ms(), ps, v,
                                     &bad);
    if (rc == KHM_EINVALID) {
        /* name the item: "checks[3].purpose" */
        size_t nf;
        const khm_field_error *fe = khm_err_fields(&nf);
        char f[64], msg[256], th[256];
        snprintf(f, sizeof(f), "checks[%zu].%s", bad, nf ? fe[0].field : "purpose");
        snprintf(msg, sizeof(msg), "%s", nf ? fe[0].message : "invalid");
        snprintf(th, sizeof(th), "%s", nf ? fe[0].message_th : "");
        khm_err_clear();
        return khm_err_field(f, th, "%s", msg);
    }
    if (rc < 0)
        return rc;
    khm_buf b = KHM_BUF_INIT(64u << 20);
    khm_jw w;
    khm_buf_reserve(&b, 512 * (n + 1));
    khm_jw_init(&w, &b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "results");
    khm_jw_arr(&w);
    json_array_foreach(checks, i, c)
    {
        khm_consent_verdict_write_json(&w, json_string_value(json_object_get(c, "purpose")), &v[i]);
    }
    khm_jw_arr_end(&w);
    khm_jw_obj_end(&w);
    r->audit_target = khm_arena_printf(r->arena, "consent-check/%zu", n);
    return khm_reply_jw(r, 200, &w, &b);
}
