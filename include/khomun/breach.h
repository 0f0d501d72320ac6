/**
 * @file khomun/breach.h
 * The breach register (PDPA s.37(4), thai-rules.md §1.7): incidents logged the hour they are
 * found, the 72-hour clock to notify the PDPC Office running from the time the agency became
 * aware, subject notification for high-risk breaches, an append-only list of actions, closure.
 * Rules and sources: docs/pdpa/breaches.md.
 */
#ifndef KHOMUN_BREACH_H
#define KHOMUN_BREACH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <khomun/arena.h>
#include <khomun/json.h>
#include <khomun/policy.h>
#include <khomun/rand.h>
#include <khomun/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Risk to the rights and freedoms of persons (s.37(4)). */
typedef enum {
    KHM_BREACH_RISK_NONE = 0, /**< unlikely to result in a risk: recorded, no notification */
    KHM_BREACH_RISK,          /**< notify the Office within 72 h of awareness */
    KHM_BREACH_RISK_HIGH,     /**< …and the data subjects without delay */
    KHM_BREACH_RISK__COUNT
} khm_breach_risk;

/** C/I/A breach types (PDPC guideline, §1.7), a bit set. */
enum { KHM_BREACH_C = 1, KHM_BREACH_I = 2, KHM_BREACH_A = 4 };

/** Office notification deadline after awareness: 72 hours. */
#define KHM_BREACH_OFFICE_MS (72 * 3600000LL)
/** Clock skew allowed for times given by a caller ("not in the future"): one minute. */
#define KHM_CLOCK_SKEW_MS 60000LL
/** Most affected datasets one breach names. */
#define KHM_BREACH_MAX_DATASETS 50

const char *khm_breach_risk_name(int risk);
const char *khm_breach_risk_label_th(int risk);
/** -1 (no error set) when unknown. */
int khm_breach_risk_parse(const char *s);

/** A breach as stored. */
typedef struct {
    char id[KHM_ID_LEN];
    char agency_id[KHM_ID_LEN];
    int64_t aware_at;        /**< ms: when the agency became aware */
    const char *reported_by; /**< user id, or "cli:<login>" */
    int cia;                 /**< KHM_BREACH_C | _I | _A, at least one */
    const char *description;
    const char *datasets;         /**< JSON array of dataset ids of the agency */
    int64_t subject_count;        /**< approximate; -1 unknown */
    int risk;                     /**< khm_breach_risk */
    int64_t office_due_at;        /**< aware_at + 72 h */
    int64_t office_notified_at;   /**< 0 = not yet */
    const char *late_reason;      /**< why the Office was notified after the 72 hours */
    int subjects_required;        /**< 1 when risk is high */
    int64_t subjects_notified_at; /**< 0 = not yet */
    const char *subjects_method;  /**< how the subjects were told, or NULL */
    int64_t closed_at;            /**< 0 = open */
    const char *close_reason;     /**< why closed without a due notification, or a summary */
    int64_t version;
    int64_t created_at, updated_at;
} khm_breach;

/** One entry of a breach's append-only action list. */
typedef struct {
    char id[KHM_ID_LEN];
    char breach_id[KHM_ID_LEN];
    int64_t ts;
    const char *actor;
    const char
        *kind; /**< "report", "update", "action", "notify_office", "notify_subjects", "close" */
    const char *text;
} khm_breach_action;

/** A breach as a caller gives it (create and PUT). */
typedef struct {
    const char *aware_at;        /**< RFC 3339, required */
    const json_t *cia;           /**< array of "confidentiality", "integrity", "availability" */
    const char *description;     /**< 1–4000 characters */
    const json_t *datasets;      /**< array of dataset ids or names; optional */
    const json_t *subject_count; /**< integer ≥ 0, or absent/null = unknown */
    const char *risk;            /**< "none", "risk", "high" */
} khm_breach_input;

int khm_breach_input_from_json(khm_breach_input *in, const json_t *body);

/**
 * Validate and register a breach of agency @p agency_id reported by @p actor at @p now. Errors
 * name each field in English and Thai (aware_at in the future, an unknown dataset, a negative
 * count …); nothing is stored then.
 */
int khm_breach_create(khm_tx *tx, khm_breach *out, const khm_breach_input *in,
                      const char *agency_id, const char *actor, int64_t now, khm_arena *a);

/** Replace the assessed fields of version @p version (KHM_ESTALE when it moved on). */
int khm_breach_update(khm_tx *tx, khm_breach *b, const khm_breach_input *in, int64_t version,
                      const char *actor, int64_t now, khm_arena *a);

/** Append an action taken (1–4000 characters). */
int khm_breach_add_action(khm_tx *tx, khm_breach *b, const char *text, const char *actor,
                          int64_t now);

/**
 * Record the notification of the Office at @p at (NULL = now). After the 72 hours a
 * @p late_reason is required (PDPC Notification B.E. 2565: late notification needs
 * justification); before aware_at or in the future is refused.
 */
int khm_breach_notify_office(khm_tx *tx, khm_breach *b, const char *at, const char *late_reason,
                             const char *actor, int64_t now);

/** Record the notification of the data subjects at @p at (NULL = now), with how. */
int khm_breach_notify_subjects(khm_tx *tx, khm_breach *b, const char *at, const char *method,
                               const char *actor, int64_t now);

/**
 * Close at @p at (NULL = now). A breach with risk whose Office notification (or, high risk,
 * subject notification) is not recorded needs a @p reason.
 */
int khm_breach_close(khm_tx *tx, khm_breach *b, const char *at, const char *reason,
                     const char *actor, int64_t now);

/** Milliseconds left to notify the Office at @p now (negative: overdue). */
int64_t khm_breach_remaining_ms(const khm_breach *b, int64_t now);
/** 1 when the Office must still be notified (risk or high, not notified, open). */
int khm_breach_office_pending(const khm_breach *b);

void khm_breach_resource(const khm_breach *b, khm_resource *res);
/** The JSON record at @p now (remaining time computed at read time); with @p actions (n
 *  entries, oldest first) an "actions" array is added. */
void khm_breach_write_json(khm_jw *w, const khm_breach *b, const khm_breach_action *actions,
                           size_t n, int64_t now);
void khm_breach_action_write_json(khm_jw *w, const khm_breach_action *e);

/** The ETag of a breach's version and its parse (as datasets: KHM_EPRECOND, KHM_EINVALID). */
int khm_breach_etag(const khm_breach *b, char *out, size_t n);
int khm_breach_parse_etag(const char *if_match, int64_t *version);

/* ---- store (SQL in src/lib/store/breach.c) ---- */
int khm_store_breach_insert(khm_tx *tx, const khm_breach *b);
int khm_store_breach_get(khm_tx *tx, khm_breach *out, const char *id, khm_arena *a);
/** Every column but id, agency, created_at of version @p version; KHM_ESTALE. */
int khm_store_breach_update(khm_tx *tx, const khm_breach *b, int64_t version, int64_t *new_version);
/** @p open_only: not closed. */
int khm_store_breach_list(khm_tx *tx, khm_breach **out, size_t *n, int *more, const char *agency_id,
                          int open_only, const khm_page *page, khm_arena *a);
int khm_store_breach_action_insert(khm_tx *tx, const khm_breach_action *e);
int khm_store_breach_action_list(khm_tx *tx, khm_breach_action **out, size_t *n,
                                 const char *breach_id, khm_arena *a);

#ifdef __cplusplus
}
#endif
#endif
