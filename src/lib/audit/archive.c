/* Retention: the oldest events leave the store for an archive file — an export holding them
 * with the checkpoints that sign them — and the chain in the store continues from a signed
 * anchor (the hash of the last archived event, which a kept checkpoint signs). Nothing is
 * deleted before the file is on disk and verifies. docs/audit.md, Retention. */
#include <khomun/audit.h>

#include "audit_internal.h"

#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/time.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t khm_audit_archive_message(char *out, size_t cap, const khm_audit_archive_row *a)
{
    int n = snprintf(out, cap, "khomun-audit-archive/v1\n%lld\n%lld\n%lld\n%s\n%lld\n%lld\n",
                     (long long)a->seq, (long long)a->first_seq, (long long)a->event_seq,
                     a->event_hash, (long long)a->checkpoint_seq, (long long)a->ts);
    return n < 0 ? 0 : (size_t)n;
}

static const char before_th[] = "เก็บถาวรได้เฉพาะเหตุการณ์ที่จุดตรวจสอบ (checkpoint) ที่ลงนามแล้วครอบคลุม";

/* The range to archive: after the current anchor (*@p anchor, 0 = none), up to the newest
 * checkpoint at or before @p before (*@p cp). */
static int plan(khm_store *s, int64_t before, khm_audit_archive_row *anchor,
                khm_audit_checkpoint_row *cp)
{
    khm_audit_checkpoint_row last;
    khm_tx *tx;
    int rc = khm_tx_begin(&tx, s, 0);
    if (rc < 0)
        return rc;
    memset(anchor, 0, sizeof(*anchor));
    if ((rc = khm_store_audit_archive_last(tx, anchor, NULL)) == KHM_ENOTFOUND) {
        khm_err_clear();
        memset(anchor, 0, sizeof(*anchor));
        rc = 0;
    }
    if (rc == 0 && (rc = khm_store_audit_checkpoint_last(tx, &last)) == KHM_ENOTFOUND) {
        khm_err_clear();
        rc = khm_err_field("before", before_th,
                           "no signed checkpoint yet: only events a checkpoint covers can be "
                           "archived");
    } else if (rc == 0 && before > last.event_seq) {
        rc = khm_err_field("before", before_th,
                           "must be at or before the newest signed checkpoint, at event %lld: "
                           "only events a checkpoint covers can be archived",
                           (long long)last.event_seq);
    } else if (rc == 0 && before <= anchor->event_seq) {
        rc = khm_err_field("before", "เหตุการณ์จนถึงลำดับนี้ถูกเก็บถาวรไปแล้ว",
                           "events up to %lld are archived already (the chain continues after "
                           "event %lld)",
                           (long long)anchor->event_seq, (long long)anchor->event_seq);
    } else if (rc == 0 && ((rc = khm_store_audit_checkpoint_at(tx, before, cp)) == KHM_ENOTFOUND ||
                           (rc == 0 && cp->event_seq <= anchor->event_seq))) {
        khm_err_clear();
        rc = khm_err_field("before", before_th,
                           "no signed checkpoint between the archive anchor (event %lld) and "
                           "event %lld: nothing can be archived yet",
                           (long long)anchor->event_seq, (long long)before);
    }
    khm_tx_rollback(tx);
    return rc;
}

/* Write events after the anchor up to @p cp as an export, sync it, read it back and check it
 * proves exactly those events. */
static int write_file(khm_store *s, const khm_keys *keys, FILE *out,
                      const khm_audit_archive_row *anchor, const khm_audit_checkpoint_row *cp,
                      khm_audit_report *frep)
{
    int64_t first = anchor->event_seq + 1;
    int rc = khm_audit_export(s, out, keys->sign_pk, first, cp->event_seq);
    if (rc < 0)
        return rc;
    if (fflush(out) != 0 || fsync(fileno(out)) != 0)
        return khm_err_set(KHM_EIO, "cannot write the archive to disk");
    rewind(out);
    rc = khm_audit_verify_export(out, keys->sign_pk, frep);
    if (rc == 0 && ferror(out))
        rc = khm_err_set(KHM_EIO, "cannot read the archive back (it must be open for reading "
                                  "and writing)");
    fseek(out, 0, SEEK_END);
    if (rc < 0)
        return rc;
    if (!frep->ok || frep->head_seq != cp->event_seq ||
        frep->events != cp->event_seq - anchor->event_seq ||
        frep->last_checkpoint != cp->event_seq || strcmp(frep->head_hash, cp->event_hash) != 0)
        return khm_err_set(KHM_ETAMPER,
                           "the archive file does not prove events %lld..%lld (%s): nothing "
                           "was archived",
                           (long long)first, (long long)cp->event_seq,
                           frep->ok ? "the chain changed while it was written" : frep->message);
    return 0;
}

/* The write transaction: delete, record the signed anchor, append audit.archive, sign it. */
static int commit(khm_store *s, const khm_keys *keys, const khm_audit_archive_opts *o,
                  const khm_audit_archive_row *anchor, const khm_audit_checkpoint_row *cp,
                  khm_audit_archive_result *res)
{
    khm_audit_archive_row now, a;
    khm_audit_checkpoint_row again;
    khm_audit_row ev_row;
    khm_tx *tx;
    int64_t head;
    char head_hash[65];
    int rc = khm_tx_begin(&tx, s, 1);
    if (rc < 0)
        return rc;
    /* the head read takes the chain's lock (other servers on PostgreSQL wait) */
    if ((rc = khm_store_audit_head(tx, &head, head_hash)) < 0)
        goto out;
    memset(&now, 0, sizeof(now));
    if ((rc = khm_store_audit_archive_last(tx, &now, NULL)) == KHM_ENOTFOUND) {
        khm_err_clear();
        rc = 0;
    }
    if (rc == 0 && now.seq != anchor->seq)
        rc = khm_err_set(KHM_ERROR, "another archive was made meanwhile: nothing was archived "
                                    "(run it again)");
    if (rc == 0 && (rc = khm_store_audit_checkpoint_at(tx, cp->event_seq, &again)) == 0 &&
        (again.seq != cp->seq || strcmp(again.event_hash, cp->event_hash) != 0))
        rc = khm_err_set(KHM_ETAMPER,
                         "checkpoint %lld changed while the archive was written: "
                         "nothing was archived",
                         (long long)cp->seq);
    if (rc < 0)
        goto out;
    memset(&a, 0, sizeof(a));
    a.seq = anchor->seq + 1;
    a.first_seq = anchor->event_seq + 1;
    a.event_seq = cp->event_seq;
    memcpy(a.event_hash, cp->event_hash, sizeof(a.event_hash));
    a.checkpoint_seq = cp->seq;
    a.ts = khm_time_now_ms();
    a.file = o->file ? o->file : "";
    char msg[256];
    unsigned char sig[crypto_sign_BYTES];
    size_t n = khm_audit_archive_message(msg, sizeof(msg), &a);
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, keys->sign_sk);
    khm_hex_encode(a.signature, sig, sizeof(sig));
    khm_hex_encode(a.public_key, keys->sign_pk, sizeof(keys->sign_pk));

    char target[64];
    snprintf(target, sizeof(target), "audit/%lld..%lld", (long long)a.first_seq,
             (long long)a.event_seq);
    size_t cap = strlen(a.file) + 256;
    char *reasons = malloc(cap);
    if (!reasons) {
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
        goto out;
    }
    snprintf(reasons, cap,
             "archived events %lld..%lld to %s; the chain continues after anchor %lld %s, "
             "signed by checkpoint %lld",
             (long long)a.first_seq, (long long)a.event_seq, a.file, (long long)a.event_seq,
             a.event_hash, (long long)a.checkpoint_seq);
    khm_audit_event ev = { 0 };
    ev.actor_user = o->actor ? o->actor : "system";
    ev.action = "audit.archive";
    ev.target = target;
    ev.outcome = "success";
    ev.reasons = reasons;
    ev.client = o->client;
    if ((rc = khm_store_audit_prune(tx, a.event_seq)) == 0 &&
        (rc = khm_store_audit_archive_insert(tx, &a)) == 0 &&
        (rc = khm_audit_append(tx, &ev, &ev_row)) == 0 &&
        (rc = khm_audit_checkpoint(tx, keys, NULL)) == 0) {
        res->archive_seq = a.seq;
        res->event_seq = ev_row.seq;
        rc = khm_tx_commit(tx);
        tx = NULL;
    }
    free(reasons);
out:
    khm_tx_rollback(tx);
    return rc;
}

int khm_audit_archive(khm_store *s, const khm_keys *keys, const khm_audit_archive_opts *o,
                      FILE *out, khm_audit_archive_result *res, khm_audit_report *rep)
{
    khm_audit_archive_row anchor;
    khm_audit_checkpoint_row cp;
    khm_audit_report vrep, frep;
    khm_audit_archive_result r;
    int rc;
    memset(&r, 0, sizeof(r));
    if (!rep)
        rep = &vrep;
    memset(rep, 0, sizeof(*rep));
    khm_err_clear();
    r.requested = o->before;
    if (o->before < 1)
        return khm_err_field("before", "ลำดับเหตุการณ์ต้องเป็นจำนวนเต็มบวก",
                             "must be a positive event number");
    if ((rc = plan(s, o->before, &anchor, &cp)) < 0)
        return rc;
    r.first_seq = anchor.event_seq + 1;
    r.last_seq = cp.event_seq;
    r.rounded = cp.event_seq < o->before;
    /* what leaves the store must verify first */
    if ((rc = khm_audit__verify_range(s, keys->sign_pk, r.first_seq, r.last_seq, rep)) < 0)
        return rc;
    if (!rep->ok)
        return khm_err_set(KHM_ETAMPER,
                           "the audit chain does not verify up to event %lld: %s at %lld: %s; "
                           "nothing was archived",
                           (long long)r.last_seq, rep->kind, (long long)rep->bad_seq, rep->message);
    if ((rc = write_file(s, keys, out, &anchor, &cp, &frep)) < 0)
        return rc;
    r.events = frep.events;
    r.checkpoints = frep.checkpoints;
    memcpy(r.anchor_hash, cp.event_hash, sizeof(r.anchor_hash));
    r.checkpoint_seq = cp.seq;
    if ((rc = commit(s, keys, o, &anchor, &cp, &r)) < 0)
        return rc;
    if (res)
        *res = r;
    return 0;
}
