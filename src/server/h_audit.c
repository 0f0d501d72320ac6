/* The audit trail over HTTP: list events (newest first, filtered) and verify the chain with the
 * installation's public key. Both need the audit:read scope (admin, auditor, DPO). */
#include "server_internal.h"

#include <khomun/err.h>

int khm_h_audit_list(khm_req *r)
{
    khm_audit_filter f;
    khm_audit_row *rows;
    size_t n;
    int more, rc;
    khm_tx *tx;
    if ((rc = khm_audit_filter_parse(&f, khm_req_query(r, "actor"), khm_req_query(r, "target"),
                                     khm_req_query(r, "action"), khm_req_query(r, "since"),
                                     khm_req_query(r, "until"), khm_req_query(r, "limit"),
                                     khm_req_query(r, "cursor"))) < 0 ||
        (rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_audit_list(tx, &rows, &n, &more, &f, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    khm_buf b = KHM_BUF_INIT(64u << 20);
    khm_jw w;
    khm_buf_reserve(&b, 600 * (n + 1));
    khm_jw_init(&w, &b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "items");
    khm_jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        khm_audit_row_write_json(&w, &rows[i]);
    khm_jw_arr_end(&w);
    khm_jw_key(&w, "next_cursor");
    khm_jw_str(&w, more && n ? khm_audit_cursor(rows[n - 1].seq, r->arena) : NULL);
    khm_jw_obj_end(&w);
    return khm_reply_jw(r, 200, &w, &b);
}

static void write_report(khm_jw *w, const void *rec)
{
    const khm_audit_report *rep = rec;
    khm_jw_obj(w);
    khm_jw_key(w, "ok");
    khm_jw_bool(w, rep->ok);
    khm_jw_key(w, "events");
    khm_jw_int(w, rep->events);
    khm_jw_key(w, "checkpoints");
    khm_jw_int(w, rep->checkpoints);
    khm_jw_key(w, "head_seq");
    khm_jw_int(w, rep->head_seq);
    khm_jw_key(w, "head_hash");
    khm_jw_str(w, rep->head_hash[0] ? rep->head_hash : NULL);
    khm_jw_key(w, "last_checkpoint");
    khm_jw_int(w, rep->last_checkpoint);
    khm_jw_key(w, "bad_seq");
    khm_jw_int(w, rep->bad_seq);
    khm_jw_key(w, "kind");
    khm_jw_str(w, rep->kind);
    khm_jw_key(w, "message");
    khm_jw_str(w, rep->message);
    khm_jw_obj_end(w);
}

int khm_h_audit_verify(khm_req *r)
{
    khm_audit_report rep;
    int rc = khm_audit_verify_store(r->srv->store, r->srv->keys.sign_pk, 1, &rep);
    if (rc < 0)
        return rc;
    return khm_reply_record(r, 200, write_report, &rep);
}
