/**
 * @file khomun/audit.h
 * The tamper-evident audit trail (PDPA s.37 security; Cybersecurity Act; thai-rules.md §1.12,
 * §5): every event is chained to the previous one by SHA-256, and checkpoints signed with the
 * installation's Ed25519 key fix the chain head, so an edit, deletion, insertion, reordering or
 * truncation is found by khm_audit_verify() — on the live store or on an export, offline, with
 * only the public key.
 *
 * Chain: hash(n) = SHA-256(raw hash(n-1) ‖ canonical(n)), hash(0) = 32 zero bytes, where
 * canonical(n) is the event as compact JSON with a fixed key order (khm_audit_canonical()). The
 * position (seq) is not hashed: order is what the chain itself says.
 *
 * Durability: an event that accompanies a change is appended in the change's own transaction
 * (khm_audit_append); any other event goes through the group-commit writer
 * (khm_audit_writer_submit), which returns only once the event is durable (many events, one
 * fsync). If the audit cannot be written, the call fails: an event is never dropped silently.
 */
#ifndef KHOMUN_AUDIT_H
#define KHOMUN_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <khomun/buf.h>
#include <khomun/json.h>
#include <khomun/setup.h>
#include <khomun/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What happened. Strings are borrowed for the call. */
typedef struct {
    int64_t ts;               /**< ms; 0 = now */
    const char *actor_user;   /**< user id, "cli:<login>", or NULL (anonymous) */
    const char *actor_agency; /**< or NULL */
    const char *token_id;     /**< or NULL */
    const char *action;       /**< event name, required: "agency.create", "auth.whoami" … */
    const char *target;       /**< "agency/<id>", a request path, or NULL */
    const char *purpose;      /**< purpose code (PDPA) or NULL */
    const char *outcome;      /**< "success", "denied", "failure" or "error"; required */
    int status;               /**< HTTP status, or the CLI exit code */
    const char *reasons;      /**< the decision's reasons or the error, or NULL */
    const char *request_id;   /**< or NULL */
    const char *client;       /**< client address, "cli", or NULL */
} khm_audit_event;

/** The outcome word for an HTTP status: success (<400), denied (401/403), failure, error (5xx). */
const char *khm_audit_outcome(int http_status);

/**
 * Write the canonical form of @p r (its hashed bytes) into @p b. Deterministic: the same event
 * always gives the same bytes.
 */
int khm_audit_canonical(khm_buf *b, const khm_audit_row *r);

/**
 * Append @p ev to the chain inside the write transaction @p tx (atomic with the change the
 * transaction makes). @p out, if not NULL, receives the stored row (strings borrowed from @p ev).
 * A field that is not valid UTF-8 is stored, and hashed, with U+FFFD for each invalid byte.
 */
int khm_audit_append(khm_tx *tx, const khm_audit_event *ev, khm_audit_row *out);

/** The message a checkpoint signs (for verifiers in other languages, see docs/audit.md). */
size_t khm_audit_checkpoint_message(char *out, size_t cap, const khm_audit_checkpoint_row *c);

/**
 * Sign the current chain head with @p keys and store the checkpoint, unless the newest
 * checkpoint already covers it. @p made (optional) is set to 1 when one was written.
 */
int khm_audit_checkpoint(khm_tx *tx, const khm_keys *keys, int *made);

/** Options of the group-commit writer. */
typedef struct {
    int checkpoint_every; /**< events between checkpoints (0 = 1000) */
    int checkpoint_ms;    /**< ms between checkpoints while events arrive (0 = 5000) */
    int max_batch;        /**< events per transaction (0 = 4096) */
    int aggregate_ms;     /**< the window of khm_audit_writer_aggregate() (0 = 1000) */
} khm_audit_opts;

#define KHM_AUDIT_OPTS_INIT \
    {                       \
        0, 0, 0, 0          \
    }

typedef struct khm_audit_writer khm_audit_writer;

/** Start the writer thread for @p s, signing checkpoints with @p keys (copied). */
int khm_audit_writer_new(khm_audit_writer **out, khm_store *s, const khm_keys *keys,
                         const khm_audit_opts *opts);

/** Queue @p ev (copied) and wait until it is durable. 0, or the error that kept it out. */
int khm_audit_writer_submit(khm_audit_writer *w, const khm_audit_event *ev);

/** Queue @p ev without waiting; *@p ticket is what khm_audit_writer_wait() takes. */
int khm_audit_writer_enqueue(khm_audit_writer *w, const khm_audit_event *ev, uint64_t *ticket);

/**
 * Queue @p ev and return at once; @p done(@p arg, rc) is called from the writer thread once the
 * event is durable (rc 0) or lost (rc < 0). For servers that park the request meanwhile.
 */
int khm_audit_writer_enqueue_cb(khm_audit_writer *w, const khm_audit_event *ev,
                                void (*done)(void *arg, int rc), void *arg);

/** Wait until every event up to @p ticket is durable (or failed: returns the error). */
int khm_audit_writer_wait(khm_audit_writer *w, uint64_t ticket);

/**
 * Tell the writer that @p n events were appended elsewhere (khm_audit_append in a write
 * transaction), so they count towards its "checkpoint every N events" like its own.
 */
void khm_audit_writer_note(khm_audit_writer *w, int n);

/**
 * Count @p ev (copied) into an aggregate instead of writing it alone, and return at once: for
 * high-volume reads whose trail says who asked how often and what they were told, not each
 * request (docs/audit.md, Aggregated events). Events equal in every field but ts and
 * request_id make one aggregate; the writer writes one event per aggregate aggregate_ms after
 * the first one (and at khm_audit_writer_flush() and when it stops), with the first event's
 * ts, no request_id and the reasons "aggregate: N events from <first ts> to <last ts>" followed
 * by "; " and @p ev's reasons when it has any. Until then the count is in memory only: a crash
 * loses at most one window of it.
 * @return 0; KHM_EUNAVAIL when the writer is stopping or its last aggregate write failed (the
 *         caller then writes the event alone, and is told if that fails too); KHM_ELIMIT when
 *         4096 aggregates are open in this window (the caller writes the event alone).
 */
int khm_audit_writer_aggregate(khm_audit_writer *w, const khm_audit_event *ev);

/** Wait until everything queued so far is settled (written or failed), and the aggregates
 *  counted so far are written (or their write failed). */
void khm_audit_writer_flush(khm_audit_writer *w);

/** Write what is queued and the aggregates, checkpoint the head, stop the thread, free.
 *  Accepts NULL. */
void khm_audit_writer_free(khm_audit_writer *w);

/** What khm_audit_verify found. */
typedef struct {
    int ok;                  /**< 1 when every link and checkpoint holds */
    int64_t events;          /**< events checked */
    int64_t checkpoints;     /**< checkpoints checked */
    int64_t head_seq;        /**< last event seen */
    char head_hash[65];      /**< its hash */
    int64_t last_checkpoint; /**< event_seq of the newest valid checkpoint (0 = none) */
    int64_t bad_seq;         /**< first bad position (event seq, or checkpoint seq for a
                                  checkpoint problem) */
    const char *kind;        /**< "modified", "deleted", "inserted", "reordered",
                                  "truncated", "forged-checkpoint", "checkpoint-mismatch",
                                  "anchor", "malformed"; NULL when ok */
    char message[256];       /**< one line saying what and where */
    int64_t anchor_seq;      /**< the chain was checked after this event (the archive anchor,
                                  or the event before --from / an export's first); 0 = none */
} khm_audit_report;

/**
 * Verify the chain in @p s from event @p from (1 = all) with the Ed25519 public key @p pk.
 * After an archive (khm_audit_archive) the chain starts after the archive anchor, which a
 * checkpoint signed by @p pk must cover.
 */
int khm_audit_verify_store(khm_store *s, const unsigned char pk[32], int64_t from,
                           khm_audit_report *out);

/** Verify an export (khm_audit_export) offline with @p pk. */
int khm_audit_verify_export(FILE *in, const unsigned char pk[32], khm_audit_report *out);

/**
 * Write events from..to (0 = to the head) as JSON Lines: a header, the checkpoints covering
 * them (and the one at from − 1, if any, which signs the anchor), for from > 1 an anchor (the
 * hash of event from − 1), then one line per event with its hashes. @p pk is recorded in the
 * header. Archived events are no longer in the store: @p from is raised to the archive
 * anchor + 1, whose anchor line carries the archive anchor's hash.
 */
int khm_audit_export(khm_store *s, FILE *out, const unsigned char pk[32], int64_t from, int64_t to);

/** The message an archive anchor's signature covers (docs/audit.md, Retention). */
size_t khm_audit_archive_message(char *out, size_t cap, const khm_audit_archive_row *a);

/** What khm_audit_archive is asked to do. Strings are borrowed for the call. */
typedef struct {
    int64_t before;     /**< archive the events up to this one, rounded down to a checkpoint */
    const char *file;   /**< the archive file's name, recorded in the event and the anchor */
    const char *actor;  /**< who archives, "cli:<login>" (NULL = "system") */
    const char *client; /**< "cli", or NULL */
} khm_audit_archive_opts;

/** What khm_audit_archive did. */
typedef struct {
    int64_t requested;      /**< opts.before */
    int64_t first_seq;      /**< first event archived */
    int64_t last_seq;       /**< last event archived: the new anchor, a checkpointed position */
    int rounded;            /**< 1 when last_seq < requested (rounded down to a checkpoint) */
    char anchor_hash[65];   /**< the anchor's hash */
    int64_t checkpoint_seq; /**< the checkpoint that signs the anchor (kept in the store) */
    int64_t events;         /**< events archived, then deleted from the store */
    int64_t checkpoints;    /**< checkpoints written to the file */
    int64_t archive_seq;    /**< the archive's number (1 for the first) */
    int64_t event_seq;      /**< the audit.archive event recording it */
} khm_audit_archive_result;

/**
 * Retention: move the oldest events out of the store into an archive file.
 *
 * The events after the current archive anchor up to @p o->before, rounded down to the newest
 * checkpoint at or before it, are verified (KHM_ETAMPER, with @p rep saying where, when they do
 * not), written to @p out as an export (khm_audit_export: with the checkpoints covering them
 * and, after an earlier archive, the anchor line and its checkpoint), flushed and fsynced, and
 * the file is read back and verified. Only then, in one write transaction: the events are
 * deleted with the checkpoints wholly inside the range (the checkpoint at the last archived
 * event stays), the new anchor is recorded signed with @p keys, and an `audit.archive` event is
 * appended and signed by a new checkpoint.
 *
 * @param out  the archive file, open for reading and writing (fopen "w+"), empty
 * @param rep  optional: the verification report of the range
 * @return 0; KHM_EINVALID naming "before" (no checkpoint at or before it after the anchor, or
 *         past the newest checkpoint); KHM_ETAMPER; KHM_EIO (the file); a store error. On any
 *         error nothing was deleted, and the caller should remove the file.
 */
int khm_audit_archive(khm_store *s, const khm_keys *keys, const khm_audit_archive_opts *o,
                      FILE *out, khm_audit_archive_result *res, khm_audit_report *rep);

/**
 * Parse the query of an audit listing into @p f: actor (user id), target, action, since and
 * until (RFC 3339), limit (1–500), cursor (from khm_audit_cursor). Any may be NULL.
 * @return 0 or KHM_EINVALID naming the parameter.
 */
int khm_audit_filter_parse(khm_audit_filter *f, const char *actor, const char *target,
                           const char *action, const char *since, const char *until,
                           const char *limit, const char *cursor);

/** The opaque cursor that continues a newest-first listing after event @p seq, in @p a. */
char *khm_audit_cursor(int64_t seq, khm_arena *a);

/** Write an event row as JSON (API listings and exports). */
void khm_audit_row_write_json(khm_jw *w, const khm_audit_row *r);

#ifdef __cplusplus
}
#endif
#endif
