/**
 * @file khomun/consent.h
 * Consent records of data subjects (PDPA s.19, s.20, s.26; thai-rules.md §1.4, §1.5) and the
 * consent check, answered from an in-memory index kept consistent with the store.
 *
 * Subjects are pseudonymous: an identifier (a Thai national ID, an e-mail address, a phone
 * number or another identifier) is validated, normalised and turned into an HMAC-SHA-256 token
 * with the agency's key (khm_keys_agency_pseudonym, setup.h) before anything is stored; the
 * clear identifier is never stored or logged. Looking a subject up re-derives the token;
 * nothing lists subjects.
 */
#ifndef KHOMUN_CONSENT_H
#define KHOMUN_CONSENT_H

#include <khomun/arena.h>
#include <khomun/json.h>
#include <khomun/rand.h>
#include <khomun/setup.h>
#include <khomun/store.h>
#include <khomun/subject.h>

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Collection methods of a consent (s.19: written or electronic; a recorded verbal one). */
#define KHM_CONSENT_METHODS "written, electronic, verbal-recorded"

/** Age of majority (s.20 via the Civil and Commercial Code: sui juris at 20). */
#define KHM_AGE_MAJORITY 20
/** At or under this age only the holder of parental responsibility consents (s.20). */
#define KHM_AGE_GUARDIAN_ONLY 10

/** A grant or a withdrawal as a request gives it. Strings borrowed from the JSON body. */
typedef struct {
    const char *subject, *subject_type, *purpose;
    const char *method;     /**< grant: written, electronic, verbal-recorded */
    const char *given_at;   /**< RFC 3339, NULL = now; not in the future */
    const char *expires_at; /**< RFC 3339 or NULL */
    int explicit_consent;   /**< -1 absent */
    int64_t text_version;   /**< -1 absent = the purpose's current text */
    int64_t age;            /**< -1 absent */
    const char *birth_date; /**< "YYYY-MM-DD" or NULL */
    const char *given_by;   /**< "subject" (default), "guardian", "subject+guardian" */
    const char *guardian_subject, *guardian_subject_type, *guardian_relation;
    int minor_may_act_alone; /**< 1: an act a minor may do alone (CCC ss.22-24; s.20) */
} khm_consent_input;

/** Fill @p in from a request body (grant when @p withdraw is 0). 0 or KHM_EINVALID. */
int khm_consent_input_from_json(khm_consent_input *in, const json_t *body, int withdraw);

/**
 * Record a grant (@p withdraw 0) or a withdrawal of @p in->subject's consent to @p in->purpose
 * of @p agency_id, in @p tx. Rules, each a field error (nothing written):
 * - the purpose exists in the agency and is on the consent basis ("purpose");
 * - a grant needs a method ("method"), a text version not older than the purpose's
 *   min_version nor newer than its current one ("text_version"); explicit consent when the
 *   purpose uses s.26 data ("explicit", §1.4 s.26 para 1);
 * - minors (s.20, §1.5): age from "age" or "birth_date" (neither: an adult, as the recorder
 *   attests); age ≤ 10: given by the guardian ("given_by" guardian, with "guardian" data);
 *   10 < age < 20: the guardian too ("subject+guardian"), unless "minor_may_act_alone"
 *   (acts the minor may do alone, CCC ss.22-24);
 * - times not in the future ("given_at", "birth_date"), expiry after given_at ("expires_at");
 * - a withdrawal needs a live grant (KHM_ENOTFOUND otherwise, nothing changed); it takes effect
 *   at once (s.19 para 5: as easy as giving).
 * On success *@p out is the stored event and *@p purpose the purpose. With @p keys (may be
 * NULL: no receipt) the event carries its signed Kantara consent receipt (receipt.h), made with
 * the agency's key and stored with it.
 */
int khm_consent_record(khm_tx *tx, const khm_pseudonymizer *pz, const khm_keys *keys,
                       const char *agency_id, int withdraw, const khm_consent_input *in,
                       const char *actor, int64_t now, khm_consent_event *out,
                       khm_purpose_rec *purpose, khm_arena *a);

/** A consent event as JSON (the subject appears only as its token). */
void khm_consent_event_write_json(khm_jw *w, const khm_consent_event *e);

/* ---- the check ---- */

/** Why a check answered as it did. */
typedef enum {
    KHM_CHECK_BASIS = 0,    /**< allowed: the purpose's lawful basis is not consent */
    KHM_CHECK_CONSENT,      /**< allowed: a live consent */
    KHM_CHECK_NO_CONSENT,   /**< denied: no consent recorded */
    KHM_CHECK_WITHDRAWN,    /**< denied: consent withdrawn (s.19) */
    KHM_CHECK_EXPIRED,      /**< denied: consent expired */
    KHM_CHECK_RECONSENT,    /**< denied: given under an older text that needs re-consent */
    KHM_CHECK_NOT_EXPLICIT, /**< denied: sensitive data without explicit consent (s.26) */
    KHM_CHECK_RETIRED,      /**< denied: the purpose is retired */
    KHM_CHECK__COUNT
} khm_check_reason;

/** "basis", "consent", "no_consent", "withdrawn", "expired", "reconsent_required",
 *  "not_explicit", "purpose_retired". */
const char *khm_check_reason_name(int reason);
/** One English sentence. */
const char *khm_check_reason_text(int reason);
/** One Thai sentence. */
const char *khm_check_reason_th(int reason);

/** A check's answer. */
typedef struct {
    int allow;
    int reason;                  /**< khm_check_reason */
    int basis;                   /**< the purpose's khm_lawful_basis */
    int s26_exception;           /**< the purpose's khm_s26_exception */
    char consent_id[KHM_ID_LEN]; /**< the event behind the answer, "" when none */
    int64_t expires_at;          /**< of that consent, 0 none */
    int text_version;            /**< of that consent */
} khm_consent_verdict;

/**
 * A check's answer as JSON, the shape of GET /api/v1/consents/check and of `khomun consent
 * check --format json`: {"allow", "purpose", "basis", "basis_th", "s26_exception" (when one),
 * "consent_id", "reason_code", "reason", "reason_th", "expires_at" (when set)}.
 */
void khm_consent_verdict_write_json(khm_jw *w, const char *purpose, const khm_consent_verdict *v);

typedef struct khm_consent_index khm_consent_index;

/**
 * Build the index of every purpose and the latest consent state of every (subject, purpose)
 * from @p s, and start watching the store's consent changes (khm_store_consent_watch).
 */
int khm_consent_index_new(khm_consent_index **out, khm_store *s);
/**
 * khm_consent_index_new() on a thread of its own: returns at once, and the index may be used
 * (synced, checked) once khm_consent_index_ready() says 1. Until then, answer from the store
 * (khm_consent_check_from_store): a server is serving while millions of records load. Freeing
 * the index stops a build still running. KHOMUN_CONSENT_INDEX_DELAY_MS (tests only) holds the
 * build back that many milliseconds, so that the answers from the store can be tested.
 */
int khm_consent_index_start(khm_consent_index **out, khm_store *s);
/** 1: built (from khm_consent_index_new, or khm_consent_index_start's thread finished); 0: still
 *  building; < 0: the build failed, with its error set (the index is then of no use). */
int khm_consent_index_ready(khm_consent_index *ix);
void khm_consent_index_free(khm_consent_index *ix);

/**
 * Catch up with what was committed before this call (one atomic load when nothing was, where
 * the store's change counter is shared — SQLite). Where it is not (PostgreSQL), the newest
 * sequences are read by a statement that starts after this call began; concurrent calls share
 * such reads (at most two in flight; the calls that arrive while they run wait for the next,
 * which serves them all).
 */
int khm_consent_index_sync(khm_consent_index *ix);

/**
 * Bounded staleness (PostgreSQL only; 0, the default, is strict): a sync may take the newest
 * sequences from a read that started at most @p ms milliseconds ago, and otherwise follows the
 * store's change notifications. A change committed on another server is then answered within
 * about @p ms, not necessarily by the very next check. No effect on SQLite (always strict).
 */
void khm_consent_index_set_staleness(khm_consent_index *ix, int64_t ms);

/** Syncs that asked for the newest sequences, and the reads of them run (PostgreSQL: their
 *  ratio is the checks served per statement); both 0 on SQLite. Either may be NULL. */
void khm_consent_index_stats(khm_consent_index *ix, uint64_t *syncs, uint64_t *reads);

/** (subject, purpose) pairs indexed. */
size_t khm_consent_index_size(khm_consent_index *ix);

/** A purpose the index resolved (khm_consent_index_purpose): check many subjects against it
 *  without looking it up again. Valid while the index lives (a purpose keeps its slot; its
 *  current rules are read at each check). */
typedef struct {
    uint32_t slot; /**< (opaque) */
    int basis;     /**< the purpose's khm_lawful_basis when it was resolved */
} khm_consent_purpose;

/** The purpose (agency, code or id) the index knows, after a sync; 0, or KHM_EINVALID naming
 *  "purpose". */
int khm_consent_index_purpose(khm_consent_index *ix, const char *agency_id, const char *purpose,
                              khm_consent_purpose *out);

/**
 * May the agency process the data of subject @p token for @p purpose (its code or id) at
 * @p now? Syncs first; no allocation, no lock; thread-safe. A purpose on a basis other than
 * consent is allowed without a record (the basis is the answer). 0, KHM_EINVALID naming
 * "purpose" for an unknown purpose, or a store error (the check then fails closed).
 */
int khm_consent_check(khm_consent_index *ix, const char *agency_id, const char *purpose,
                      const unsigned char token[32], int64_t now, khm_consent_verdict *out);

/** khm_consent_check() for a purpose resolved already: the same answer, without the lookup. */
int khm_consent_check_purpose(khm_consent_index *ix, const khm_consent_purpose *purpose,
                              const unsigned char token[32], int64_t now, khm_consent_verdict *out);

/**
 * khm_consent_check_purpose() without its sync, for the request that has just resolved
 * @p purpose with khm_consent_index_purpose(): that call's sync started after the request
 * arrived, so its answer already includes every change committed before; a second would only
 * cost (on PostgreSQL, another read of the newest sequences per check).
 */
int khm_consent_check_synced(khm_consent_index *ix, const khm_consent_purpose *purpose,
                             const unsigned char token[32], int64_t now, khm_consent_verdict *out);

/**
 * Start fetching the table entry of (@p purpose, @p token) into the cache, to be answered by
 * khm_consent_check_purpose() a little later: one random read of an index larger than the
 * caches is most of a check, and the caller's work in between hides it. No sync, no effect
 * on any answer; a purpose slot the index does not have is ignored.
 */
void khm_consent_prefetch(khm_consent_index *ix, const khm_consent_purpose *purpose,
                          const unsigned char token[32]);

/**
 * @p n checks at once: @p out[i] is khm_consent_check_purpose(@p purposes[i], @p tokens[i]),
 * one sync for all of them, the table entries of the next pairs fetched while one is answered
 * (several times the rate of one call per pair on an index larger than the caches).
 * 0, or the first error (KHM_EINVALID naming "purpose" for a slot the index does not have).
 */
int khm_consent_check_many(khm_consent_index *ix, size_t n, const khm_consent_purpose *purposes,
                           const unsigned char (*tokens)[32], int64_t now,
                           khm_consent_verdict *out);

/**
 * @p n checks by purpose code or id, as an agency system's batch asks them: one sync for all,
 * every purpose resolved against the same snapshot first (none answered if one is unknown:
 * KHM_EINVALID naming "purpose", its position in *@p bad), then khm_consent_check_many's
 * overlapped reads. @p scratch holds @p n resolved purposes. 0 or the first error.
 */
int khm_consent_check_batch(khm_consent_index *ix, const char *agency_id, size_t n,
                            const char *const *purposes, const unsigned char (*tokens)[32],
                            int64_t now, khm_consent_purpose *scratch, khm_consent_verdict *out,
                            size_t *bad);

/**
 * Purpose @p purpose (its code or id) of agency @p agency_id, read in @p tx: 0, KHM_EINVALID
 * naming "purpose" as khm_consent_check() says it, or a store error.
 */
int khm_consent_purpose_read(khm_tx *tx, const char *agency_id, const char *purpose,
                             khm_purpose_rec *out, khm_arena *a);

/**
 * khm_consent_check()'s answer for one pair read from the store in @p tx, without an index:
 * the subject's events for @p purpose (from khm_consent_purpose_read) folded in seq order as
 * the index folds them, then the same rules. One indexed query however many records the
 * agency has: for a one-off check (`khomun consent check`), where building the index would
 * read every record.
 */
int khm_consent_check_store(khm_tx *tx, const khm_purpose_rec *purpose,
                            const unsigned char token[32], int64_t now, khm_consent_verdict *out);

/**
 * khm_consent_check_batch()'s answers without an index, from the store in one read
 * transaction (khm_consent_purpose_read and khm_consent_check_store per pair): while the
 * index is being built (khm_consent_index_ready() 0). An unknown purpose: KHM_EINVALID naming
 * "purpose", its pair's position in *@p bad (when not NULL), no answer given.
 */
int khm_consent_check_from_store(khm_store *s, const char *agency_id, size_t n,
                                 const char *const *purposes, const unsigned char (*tokens)[32],
                                 int64_t now, khm_consent_verdict *out, size_t *bad, khm_arena *a);

#ifdef __cplusplus
}
#endif
#endif
