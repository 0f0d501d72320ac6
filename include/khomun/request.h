/**
 * @file khomun/request.h
 * Data-subject requests (PDPA s.30–36 and consent withdrawal, s.19 para 5): the register an
 * agency's DPO works in, with the statutory clocks. The subject is pseudonymous: the identifier
 * the requester gives (national ID, e-mail, phone) is normalised and turned into a keyed
 * HMAC-SHA-256 token with the agency's pseudonym key; the clear identifier is never stored or
 * logged. Rules and sources: docs/pdpa/requests.md.
 */
#ifndef KHOMUN_REQUEST_H
#define KHOMUN_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <khomun/arena.h>
#include <khomun/json.h>
#include <khomun/policy.h>
#include <khomun/rand.h>
#include <khomun/setup.h>
#include <khomun/store.h>
#include <khomun/subject.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Request types (thai-rules.md §1.6). */
typedef enum {
    KHM_DSR_ACCESS = 0,    /**< s.30 access and a copy */
    KHM_DSR_PORTABILITY,   /**< s.31 */
    KHM_DSR_OBJECTION,     /**< s.32 */
    KHM_DSR_ERASURE,       /**< s.33 erasure, destruction or anonymisation */
    KHM_DSR_RESTRICTION,   /**< s.34 */
    KHM_DSR_RECTIFICATION, /**< s.35 / s.36 */
    KHM_DSR_WITHDRAWAL,    /**< s.19 para 5 consent withdrawal */
    KHM_DSR__COUNT
} khm_dsr_type;

/** Status workflow: received → verified → in_progress → fulfilled | refused. */
typedef enum {
    KHM_DSR_RECEIVED = 0,
    KHM_DSR_VERIFIED,
    KHM_DSR_IN_PROGRESS,
    KHM_DSR_FULFILLED,
    KHM_DSR_REFUSED,
    KHM_DSR_STATUS__COUNT
} khm_dsr_status;

/** One row of the deadline table (request.c): the one place the clocks are configured. */
typedef struct {
    const char *name;     /**< "access" … "consent_withdrawal" */
    const char *label_th; /**< Thai name of the right */
    const char *section;  /**< "s.30" … */
    int days;             /**< calendar days after the day of receipt */
    int extendable;       /**< 0: the law gives no extension */
    const char *source;   /**< where the number comes from */
} khm_dsr_rule;

/** The rule of @p type, or NULL when out of range. */
const khm_dsr_rule *khm_dsr_rule_of(int type);
/** Parse a type name; -1 (no error set) when unknown. */
int khm_dsr_type_parse(const char *s);
/** "national_id", "email", "phone" for a request's subject_kind (khm_subject_type); NULL else. */
const char *khm_dsr_subject_kind_name(int kind);
/** Parse a request's subject kind (NULL: national_id; "tnin" is accepted too); KHM_EINVALID
 *  naming @p field for "other" or anything else (discovery needs a type the scanner finds). */
int khm_dsr_subject_kind_parse(const char *s, const char *field, int *out);
const char *khm_dsr_status_name(int status);
const char *khm_dsr_status_label_th(int status);
/** Parse a status name; -1 (no error set) when unknown. */
int khm_dsr_status_parse(const char *s);

/** 1 when the workflow allows @p from → @p to (fulfilled and refused are final). */
int khm_dsr_transition_allowed(int from, int to);

/** Offset of Asia/Bangkok from UTC (no daylight saving time): +07:00. */
#define KHM_BANGKOK_OFFSET_MS (7 * 3600000LL)

/**
 * The due time of a request received at @p received_ms with a period of @p days: the end of the
 * Bangkok calendar day that is @p days days after the Bangkok day of receipt (the day of receipt
 * is not counted), i.e. 23:59:59.999 +07:00 of that day, in ms since the epoch.
 */
int64_t khm_dsr_due(int64_t received_ms, int days);

/** Open (not fulfilled, not refused) requests due within this many days are "due soon". */
#define KHM_DSR_DUE_SOON_DAYS 7

/* ---- discovery (src/lib/pdpa/discover.c) ---- */

/** One registered file of the agency that holds the subject's identifier. */
typedef struct {
    char resource_id[KHM_ID_LEN];
    char dataset_id[KHM_ID_LEN];
    const char *name;   /**< the resource's name */
    int64_t matches;    /**< occurrences of the identifier */
    int64_t first_line; /**< 1-based line of the first */
    int64_t first_row;  /**< 0-based data row of the first (CSV), -1 for text */
    const char *fields; /**< the columns / field paths it was found in, ", "-joined, or NULL */
} khm_discovery_hit;

/** What a discovery looked at and found (in the arena given). */
typedef struct {
    khm_discovery_hit *hits;
    size_t n;
    size_t files;   /**< files scanned (links and missing blobs are not) */
    uint64_t bytes; /**< bytes read */
    int64_t elapsed_ms;
} khm_discovery;

/**
 * Find every registered file of agency @p agency_id that holds the subject's identifier @p value
 * of @p kind (PDPA s.30: what the agency holds about the person): each stored file is scanned with
 * the scanner restricted to the identifier's type (TH_TNIN, EMAIL_ADDRESS, PHONE_NUMBER) and each
 * finding's value is normalised and compared, so "1-2345-67890-12-1", "1 2345 67890 12 1" and
 * "1234567890121" all match. @p data_dir holds the resource store. Nothing is written and the
 * identifier is never copied into @p out.
 * @return 0; KHM_EINVALID naming "subject" for an identifier that is not one of @p kind; a store
 *         or I/O error.
 */
int khm_dsr_discover(khm_tx *tx, const char *data_dir, const char *agency_id, int kind,
                     const char *value, khm_discovery *out, khm_arena *a);

/** Write {"files_scanned", "bytes", "elapsed_ms", "resources": [{"resource_id", "dataset_id",
 *  "name", "matches", "first_line", "first_row", "fields"}]}. */
void khm_discovery_write_json(khm_jw *w, const khm_discovery *d);

/** Keep the discovery result (JSON) as the request's access package; a new version. */
int khm_store_dsr_set_package(khm_tx *tx, const char *id, const char *package, int64_t now);

/** A data-subject request as stored. Strings live in the arena given to the getter. */
typedef struct {
    char id[KHM_ID_LEN];
    char agency_id[KHM_ID_LEN];
    int type;                            /**< khm_dsr_type */
    const char *channel;                 /**< e-mail, web, letter, counter, phone, other */
    int subject_kind;                    /**< khm_subject_type (< KHM_SUBJECT_SCANNABLE) */
    char subject[KHM_SUBJECT_TOKEN_LEN]; /**< the pseudonymous token, never the identifier */
    const char *contact; /**< how to answer, as the requester gave it (personal data), or NULL */
    int64_t received_at; /**< ms */
    int64_t due_at;      /**< ms, khm_dsr_due() */
    int status;          /**< khm_dsr_status */
    const char *verification;   /**< "unverified", "verified", "failed" */
    const char *verify_method;  /**< how the identity was checked, or NULL */
    char assignee[KHM_ID_LEN];  /**< a user of the agency, "" when none */
    const char *refusal_reason; /**< refused: why */
    const char *refusal_ground; /**< refused: the legal ground, e.g. "s.30 para 2" */
    const char *package;        /**< the discovery result (JSON), NULL until discovery fills it */
    int64_t version;            /**< +1 on every change */
    const char *created_by;     /**< a user id, or "cli:<login>" */
    int64_t created_at, updated_at, closed_at; /**< ms; closed_at 0 while open */
} khm_dsr;

/** One entry of a request's history: creation, each transition, assignment and note. */
typedef struct {
    char id[KHM_ID_LEN];
    char request_id[KHM_ID_LEN];
    int64_t ts;
    const char *actor;                   /**< user id or "cli:<login>" */
    const char *kind;                    /**< "create", "transition", "assign", "note" */
    const char *from_status, *to_status; /**< transitions; else NULL */
    const char *text; /**< the note, or the transition's note / reason; or NULL */
} khm_dsr_event;

/** A new request as a caller gives it. */
typedef struct {
    const char *type;         /**< required */
    const char *channel;      /**< required */
    const char *subject_kind; /**< "national_id" (default), "email", "phone" */
    const char *subject;      /**< the identifier, required; only its token is kept */
    const char *contact;      /**< optional */
    const char *received_at;  /**< RFC 3339, NULL = now */
    const char *assignee;     /**< user id or name of the agency, optional */
    const char *note;         /**< optional first note */
} khm_dsr_input;

/** Fill @p in from a JSON body (unknown members and wrong types named). */
int khm_dsr_input_from_json(khm_dsr_input *in, const json_t *body);

/**
 * Validate and register a request of agency @p agency_id at @p now; received_at may not be in
 * the future (beyond one minute of clock skew). KHM_EINVALID naming each bad field.
 */
int khm_dsr_create(khm_tx *tx, khm_dsr *out, const khm_dsr_input *in, const khm_keys *keys,
                   const char *agency_id, const char *actor, int64_t now, khm_arena *a);

/** A transition (or, with @p to NULL, only a new assignee). */
typedef struct {
    const char *to;            /**< target status name, or NULL */
    const char *method;        /**< → verified: how the identity was checked (required) */
    const char *verification;  /**< → refused: "failed" when the identity check failed */
    const char *reason;        /**< → refused: required */
    const char *legal_ground;  /**< → refused: required, names a section ("s.30 para 2") */
    const char *assignee;      /**< optional: user id or name of the agency */
    const char *note;          /**< optional, kept in the history */
    const char *ropa_activity; /**< → refused: optional, id or code of the agency's processing
                                    activity the refusal is written into (s.39(7)) */
} khm_dsr_transition_input;

int khm_dsr_transition_input_from_json(khm_dsr_transition_input *in, const json_t *body);

/**
 * Apply a transition to @p r (updated in place). A transition the workflow does not allow
 * (fulfilled → received …) is KHM_EINVALID naming "to" with both statuses; nothing changes.
 */
int khm_dsr_transition(khm_tx *tx, khm_dsr *r, const khm_dsr_transition_input *in,
                       const char *actor, int64_t now, khm_arena *a);

/** Append a note (1–4000 characters) to the request's history. */
int khm_dsr_note(khm_tx *tx, khm_dsr *r, const char *text, const char *actor, int64_t now);

/** Listing filter; zero/NULL fields match all. */
typedef struct {
    const char *agency_id; /**< required */
    int status;            /**< khm_dsr_status or -1 */
    int open_only;         /**< 1: not fulfilled or refused */
    int64_t due_from;      /**< due_at ≥ due_from (ms); 0 = any */
    int64_t due_to;        /**< due_at ≤ due_to (ms); 0 = any */
} khm_dsr_filter;

/** The filter of "overdue" (open, due before @p now) or "due soon" (open, due from @p now to
 *  @p now + @p days); @p base holds the agency and status. */
void khm_dsr_filter_overdue(khm_dsr_filter *f, int64_t now);
void khm_dsr_filter_due_soon(khm_dsr_filter *f, int64_t now, int days);

/** Parse "7d", "7" or "48h" (1 hour – 366 days) into ms; KHM_EINVALID naming @p field. */
int khm_dsr_parse_window(const char *s, int64_t *ms, const char *field);

/** 1 when @p r is open and past its due time at @p now. */
int khm_dsr_overdue(const khm_dsr *r, int64_t now);

/** The decision resource of a request (its agency). */
void khm_dsr_resource(const khm_dsr *r, khm_resource *res);

/** The JSON record (the API and the CLI share it); @p now gives "overdue" and "remaining_ms";
 *  with @p history (n entries, oldest first) a "history" array is added. */
void khm_dsr_write_json(khm_jw *w, const khm_dsr *r, const khm_dsr_event *history, size_t n,
                        int64_t now);
void khm_dsr_event_write_json(khm_jw *w, const khm_dsr_event *e);

/* ---- the access package (src/lib/pdpa/discover.c) ---- */

/** Largest access package built in memory: it lists files and consent events, never their
 *  contents, so far below this. */
#define KHM_DSR_PACKAGE_MAX ((size_t)64 << 20)

/** Most consent events an access package lists (newest first); "consents_more" says when a
 *  subject has more. */
#define KHM_DSR_PACKAGE_CONSENTS_MAX 1000

/**
 * The access package of request @p d (PDPA s.30: a copy of what the agency holds, and s.23's
 * who the controller is), as JSON "khomun.access-package/1" in @p out: the request (type,
 * received, due), the agency (names, contact, DPO), what discovery @p disc found, and every
 * consent grant and withdrawal recorded for the request's subject — found by the subject's token
 * alone (khm_subject_token and the consent records share it), each with its purpose's code and
 * names and its signed receipt. Nothing is written.
 */
int khm_dsr_package_build(khm_tx *tx, khm_buf *out, const khm_dsr *d, const khm_discovery *disc,
                          int64_t now, khm_arena *a);

/**
 * Discovery for request @p d, as the API and the CLI run it: the caller gives the subject's
 * identifier @p subject again (only its token is stored; @p kind NULL = the request's), which
 * must be the request's subject (KHM_EINVALID naming "subject" otherwise); every registered file
 * of the agency is scanned (khm_dsr_discover), the package built (khm_dsr_package_build) into
 * @p package and kept as the request's (a new version). Run it in a write transaction.
 */
int khm_dsr_discover_request(khm_tx *tx, const khm_keys *keys, const char *data_dir,
                             const khm_dsr *d, const char *kind, const char *subject, int64_t now,
                             khm_buf *package, khm_arena *a);

/**
 * The package JSON (as khm_dsr_package_build made it and the store keeps it) as CSV for a person
 * to open in a spreadsheet: a UTF-8 BOM, Thai headers, one row per file found and per consent
 * event. KHM_EINVALID when @p package is not such a document.
 */
int khm_dsr_package_csv(khm_buf *out, const char *package, size_t n);

/**
 * The package JSON in the form @p format names: NULL or "json" (as kept), "csv"
 * (khm_dsr_package_csv), appended to @p out; *@p csv says which. KHM_EINVALID naming @p field for
 * another format (checked before anything is written); with @p package NULL only the format is
 * checked.
 */
int khm_dsr_package_render(khm_buf *out, const char *package, size_t n, const char *format,
                           const char *field, int *csv);

/* ---- store (SQL in src/lib/store/request.c) ---- */
int khm_store_dsr_insert(khm_tx *tx, const khm_dsr *r);
/** By id; KHM_ENOTFOUND. */
int khm_store_dsr_get(khm_tx *tx, khm_dsr *out, const char *id, khm_arena *a);
/** Status, verification, assignee, refusal, closed_at of version @p version; KHM_ESTALE. */
int khm_store_dsr_update(khm_tx *tx, const khm_dsr *r, int64_t version, int64_t *new_version);
int khm_store_dsr_list(khm_tx *tx, khm_dsr **out, size_t *n, int *more, const khm_dsr_filter *f,
                       const khm_page *page, khm_arena *a);
int khm_store_dsr_event_insert(khm_tx *tx, const khm_dsr_event *e);
/** A request's history, oldest first (up to 500 entries). */
int khm_store_dsr_event_list(khm_tx *tx, khm_dsr_event **out, size_t *n, const char *request_id,
                             khm_arena *a);

#ifdef __cplusplus
}
#endif
#endif
