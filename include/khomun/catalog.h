/**
 * @file khomun/catalog.h
 * The catalog: agencies and datasets (GD-Catalog metadata, classification with its history,
 * optimistic concurrency); resources, scans, quality and search in later work.
 */
#ifndef KHOMUN_CATALOG_H
#define KHOMUN_CATALOG_H

#include <stdint.h>

#include <jansson.h>
#include <khomun/arena.h>
#include <khomun/json.h>
#include <khomun/policy.h>
#include <khomun/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What a caller may give when creating or changing an agency. Optional members are NULL (or
 *  "") when not given; a change (khm_agency_update) replaces every optional member. */
typedef struct {
    const char *slug; /**< ^[a-z0-9][a-z0-9-]{1,62}$ */
    const char *name_th; /**< ชื่อหน่วยงาน (ภาษาไทย), 1–200 characters */
    const char *name_en;            /**< optional, ≤ 200 characters */
    const char *ministry;           /**< กระทรวง, ≤ 200 characters */
    const char *parent;             /**< parent agency (id or slug): it must exist; no cycles */
    const char *address;            /**< public address, ≤ 500 characters */
    const char *phone;              /**< public phone: ≤ 40 characters with at least 3 digits */
    const char *email;              /**< public e-mail */
    const char *website;            /**< http:// or https:// URL, ≤ 300 bytes */
    const char *dpo_user;           /**< the DPO as a user of this agency (id or login name) */
    const char *dpo_name;           /**< the DPO's public name; required when any dpo_* is given */
    const char *dpo_email;          /**< the DPO's public e-mail (this or dpo_phone is required) */
    const char *dpo_phone;          /**< the DPO's public phone */
    const char *privacy_notice_url; /**< the privacy notice: http:// or https:// URL, ≤ 300
                                         bytes (consent receipts name it) */
} khm_agency_input;

/** 1 when @p s is an http:// or https:// URL of at most 300 bytes with no blank or control
 *  character (an agency's website, a privacy notice). */
int khm_url_ok(const char *s);

/** Fill @p in from a JSON body (strings borrowed from @p body). 0 or KHM_EINVALID. */
int khm_agency_input_from_json(khm_agency_input *in, const json_t *body);
/** The same for a change (PUT): every member but the slug as for create; the slug optional. */
int khm_agency_update_input_from_json(khm_agency_input *in, const json_t *body);

/** Validate and insert; KHM_EINVALID naming each bad field (English and Thai), KHM_EEXISTS for a
 *  taken slug. A new agency has no users yet, so dpo_user is refused here (set it with
 *  khm_agency_update() once the user exists); the DPO's public contact may be given. */
int khm_agency_create(khm_tx *tx, khm_agency *out, const khm_agency_input *in, int64_t now);

/**
 * Replace the names, ministry, parent, contact and DPO of the stored agency @p ag (updated in
 * place; strings live in @p a or @p in). The slug cannot change. KHM_ESTALE when @p version is
 * not the stored one; KHM_EINVALID naming each bad field (a parent that does not exist or
 * would make a cycle, a DPO user of another agency, …); nothing changes on error.
 */
int khm_agency_update(khm_tx *tx, khm_agency *ag, const khm_agency_input *in, int64_t version,
                      int64_t now, khm_arena *a);

/** 1 when the agency has designated a DPO with a public contact (PDPA s.41): a name and an
 *  e-mail or phone. */
int khm_agency_has_dpo(const khm_agency *a);

/** One compliance gap of an agency, shown with it (GET) and in the ROPA completeness report. */
typedef struct {
    const char *code;       /**< "no_dpo", "no_contact" */
    const char *section;    /**< "PDPA s.41", … */
    const char *message;    /**< English */
    const char *message_th; /**< Thai */
} khm_agency_gap;

/** The gaps of @p a (up to @p cap written to @p out); returns how many there are. */
size_t khm_agency_gaps(const khm_agency *a, khm_agency_gap *out, size_t cap);

/** Write the gaps of @p a as a JSON array (the one form, shared with the ROPA report). */
void khm_agency_gaps_write_json(khm_jw *w, const khm_agency *a);

/** The ETag of an agency's version ("\"3\""); snprintf's return. */
int khm_agency_etag(const khm_agency *a, char *out, size_t n);
/** Parse If-Match into a version: KHM_EPRECOND when absent, KHM_EINVALID when malformed. */
int khm_agency_parse_etag(const char *if_match, int64_t *version);

/** Write an agency record as a JSON object (the one serializer; the API and CLI share it). */
void khm_agency_write_json(khm_jw *w, const khm_agency *a);

/** Only id, slug, names and created_at: what an authenticated principal's agency carries
 *  (khm_store_token_principal() reads no details), e.g. in whoami. */
void khm_agency_write_brief_json(khm_jw *w, const khm_agency *a);

/** The same record as a jansson value (new reference), for callers that need one. */
json_t *khm_agency_to_json(const khm_agency *a);

/* ---- datasets ------------------------------------------------------------------------ */

/** A dataset as a caller gives it: {"name", "agency", "owner", "title_en", "metadata"}. */
typedef struct {
    const char *slug;   /**< "name": the dataset's address, ^[a-z0-9][a-z0-9_-]{1,99}$ */
    const char *agency; /**< owning agency (id or slug), NULL = the caller's */
    const char *owner; /**< data owner (เจ้าของข้อมูล): a user of the agency, or NULL */
    const char *title_en;   /**< optional English title */
    const json_t *metadata; /**< the GD-Catalog fields (khomun/gdc.h), borrowed */
} khm_dataset_input;

/** Fill @p in from a request body (unknown members, wrong types named). 0 or KHM_EINVALID. */
int khm_dataset_input_from_json(khm_dataset_input *in, const json_t *body);

/** A data category (khm_category) or level (khm_level) by its name or Thai label ("personal",
 *  "ข้อมูลส่วนบุคคล"; "confidential", "ลับ"), or -1; no error is set. */
int khm_dataset_category_named(const char *s);
int khm_dataset_level_named(const char *s);

/**
 * The level a category implies when none is given (thai-rules.md §2.3: ข้อมูลสาธารณะ → เปิดเผย,
 * ข้อมูลใช้ภายใน → ชั้นเผยแพร่ภายในองค์กร), @p level_given when one is, else -1.
 */
int khm_dataset_level_of(int category, int level_given);

/**
 * Validate (the GD-Catalog field table, the category→level rules) and insert a dataset of agency
 * @p agency_id created by @p actor (a user id, may be NULL). Category and level come from the
 * metadata's data_category and data_classification. Version 1, not yet confirmed; one history
 * entry "create". KHM_EINVALID naming each bad field ("metadata.data_category", "name", …),
 * KHM_EEXISTS for a taken name. Strings live in @p a.
 */
int khm_dataset_create(khm_tx *tx, khm_dataset *out, const khm_dataset_input *in,
                       const char *agency_id, const char *actor, int64_t now, khm_arena *a);

/** One field error kept by khm_dataset_prepare (strings in its arena). */
typedef struct {
    const char *field, *message, *message_th;
} khm_dataset_prep_err;

/**
 * What khm_dataset_create checks and computes without the store — the GD-Catalog field table,
 * category and level, the English title, the name, the stored form of the metadata — so an
 * import can do it on another thread than the one writing (khm_dataset_create_prepared). The
 * field errors are kept in the order khm_dataset_create reports them.
 */
typedef struct {
    int rc;       /**< 0, or an error other than validation (fail_msg says what) */
    int in_bad;   /**< the metadata or English title is bad (the owner is then not checked) */
    int name_bad; /**< the name is bad */
    int category, level;
    const char *metadata; /**< the metadata as stored (khm_json_dump), when !in_bad */
    const char *title, *data_type, *title_en;
    khm_dataset_prep_err *err; /**< n_in errors of the input, then n_name of the name */
    size_t n_in, n_name;
    const char *fail_msg;
} khm_dataset_prep;

/** Fill @p p for @p in (any thread; nothing of the store; strings in @p a). Returns p->rc. */
int khm_dataset_prepare(khm_dataset_prep *p, const khm_dataset_input *in, khm_arena *a);

/** khm_dataset_create with the checks of khm_dataset_prepare(@p p, @p in) done already: the
 *  same errors in the same order, the same row. */
int khm_dataset_create_prepared(khm_tx *tx, khm_dataset *out, const khm_dataset_input *in,
                                const khm_dataset_prep *p, const char *agency_id, const char *actor,
                                int64_t now, khm_arena *a);

/**
 * Replace a dataset's metadata, English title and owner; @p d is the stored dataset, updated in
 * place. The name and agency cannot change. A changed category or level needs confirming again
 * (and is written to the history). KHM_ESTALE when @p version is not the stored one.
 */
int khm_dataset_update(khm_tx *tx, khm_dataset *d, const khm_dataset_input *in, int64_t version,
                       const char *actor, int64_t now, khm_arena *a);

/** The owner's (or an admin's) confirmation of a classification. */
typedef struct {
    const char *category; /**< name or Thai label, required */
    const char *level;    /**< name or Thai label; implied for public/internal categories */
    const char *cia;      /**< "low|medium|high" ×3 as "c,i,a" (thai-rules.md §2.6), optional */
    const char *reason;   /**< why, 1–1000 characters, kept in the history */
} khm_dataset_confirm_input;

/**
 * Confirm category and level (with the §2.3 combinations; a dataset where a scan found personal
 * data needs at least internal, sensitive data at least confidential); history entry "confirm".
 */
int khm_dataset_confirm(khm_tx *tx, khm_dataset *d, const khm_dataset_confirm_input *in,
                        int64_t version, const char *actor, int64_t now);

/** Archive (the catalog's delete: the record and its history stay). KHM_ESTALE as above. */
int khm_dataset_archive(khm_tx *tx, khm_dataset *d, int64_t version, int64_t now);

/** The ETag of a dataset's version ("\"3\""); snprintf's return. */
int khm_dataset_etag(const khm_dataset *d, char *out, size_t n);
/** Parse If-Match into a version: KHM_EPRECOND when absent, KHM_EINVALID when malformed. */
int khm_dataset_parse_etag(const char *if_match, int64_t *version);

/** The access-decision resource of a dataset (owner agency, level, category, personal data). */
void khm_dataset_resource(const khm_dataset *d, khm_resource *res);

/**
 * The classification the scans of a dataset's resources suggest (d->personal, d->sensitive;
 * issue 4, thai-rules.md §2.3): without personal data the current one; with personal data the
 * category ข้อมูลส่วนบุคคล (a security or official-secret dataset keeps its category) at level
 * ชั้นเผยแพร่ภายในองค์กร or above; with sensitive (PDPA s.26) data ลับ or above.
 * @return 1 when it differs from the current classification (the dataset is flagged:
 *         "classification_flag" {"code": "scan_disagrees"} in its JSON), else 0.
 */
int khm_dataset_suggest(const khm_dataset *d, int *category, int *level);

/** Whether a caller keeps dataset @p d in a search's results (*@p keep 1 or 0); 0 or an error,
 *  which ends the search. */
typedef int (*khm_dataset_keep_fn)(void *ctx, const khm_dataset *d, int *keep);

/**
 * One page of a search or listing of datasets as GET /api/v1/datasets and `khomun dataset
 * search` run it: khm_store_dataset_find() pages of @p q (its text, filters, order and cursor;
 * q->limit: 0, or the size of the first read when the caller expects @p keep to drop rows —
 * at least @p limit + 1 and at most KHM_SEARCH_MAX are read) read in order, the rows @p keep
 * accepts (NULL: every row) kept until
 * @p limit (1..KHM_SEARCH_MAX) are and one more says another page follows (*@p more). Each kept
 * row's sort key in (*@p keys)[i], to continue after the last (q->after_key / after_id).
 * The words are checked first (khm_fts_query(): KHM_EINVALID naming "q"); the store's errors
 * name "sort", "cursor" or "limit".
 */
int khm_dataset_search(khm_tx *tx, const khm_dataset_query *q, size_t limit,
                       khm_dataset_keep_fn keep, void *ctx, khm_dataset **out, const char ***keys,
                       size_t *n, int *more, khm_arena *a);

/** The JSON record of a dataset and of a history entry (the API and CLI share them). */
void khm_dataset_write_json(khm_jw *w, const khm_dataset *d);
void khm_dataset_class_write_json(khm_jw *w, const khm_dataset_class *e);

/** The members "category", "category_th", "level", "level_th" of a classification (-1: null),
 *  into the object being written. */
void khm_dataset_class_fields_write_json(khm_jw *w, int category, int level);

/** The members "suggested" (khm_dataset_suggest()'s classification) and "classification_flag"
 *  (null, or {"code": "scan_disagrees", …} as in the dataset's record), into the object being
 *  written. */
void khm_dataset_suggestion_write_json(khm_jw *w, const khm_dataset *d);

/**
 * A dataset's classification (GET …/classification, khomun dataset classification): "current"
 * {category, level, confirmed, cia}, the scans' "personal_data" / "sensitive_data",
 * "suggested", "classification_flag", the history
 * entries @p items[0..n) and "next_cursor" (@p next_cursor or null).
 */
void khm_dataset_classification_write_json(khm_jw *w, const khm_dataset *d,
                                           const khm_dataset_class *items, size_t n,
                                           const char *next_cursor);

/* ---- export and import (src/lib/catalog/exchange.c; docs/cli/catalog.md) ---- */

/** The forms of a catalog file. */
typedef enum {
    KHM_CATALOG_AUTO = -1, /**< import: JSON when the file starts with { or [, else CSV */
    KHM_CATALOG_JSON = 0,  /**< {"khomun_catalog": 1, "exported_at", "datasets": [...]} */
    KHM_CATALOG_CSV = 1,   /**< GD-Catalog's columns (BOM, CRLF), then khomun_title_en,
                                khomun_owner, khomun_confirmed, khomun_cia */
} khm_catalog_format;

/** "json", "csv", "auto". */
const char *khm_catalog_format_name(int format);
/** Parse "csv", "json" or "auto"; KHM_EINVALID naming "format". */
int khm_catalog_format_parse(const char *s, int *out);

/** Receives the export a piece at a time; non-zero stops it (returned as is). */
typedef int (*khm_write_fn)(const char *p, size_t n, void *payload);

/**
 * Write every live dataset (of agency @p agency_id, NULL = all), in id order, as @p format:
 * names rather than ids (agency slug, owner login name), so the file imports into another
 * installation. Memory stays bounded (a page of datasets at a time). *@p count (may be NULL)
 * receives the number written.
 */
int khm_catalog_export(khm_tx *tx, int format, const char *agency_id, int64_t now,
                       khm_write_fn write, void *payload, size_t *count);

/** What an import did. */
typedef struct {
    size_t created, updated, unchanged; /**< datasets */
    size_t confirmed;                   /**< classifications confirmed from the file */
    size_t skipped;                     /**< bad rows left out (skip_invalid) */
} khm_catalog_import_stats;

/**
 * Import a catalog file (either form): each dataset is created, or updated when its name exists
 * in the same agency and something differs, or left alone; a confirmed classification in the
 * file is confirmed again here (history reason "catalog import"). Every row is validated with
 * the API's rules and every bad row reported: KHM_EINVALID with field errors named
 * "row N: metadata.title" (CSV, N the line) or "datasets[i].name" (JSON). On any error the
 * caller must roll @p tx back: rows before the bad one were written in it.
 * @param default_agency  agency (id or slug) of rows that name none; NULL = required per row
 */
int khm_catalog_import(khm_tx *tx, const char *buf, size_t len, int format,
                       const char *default_agency, const char *actor, int64_t now,
                       khm_catalog_import_stats *st);

/** Options of khm_catalog_import_store(). */
typedef struct {
    const char *default_agency; /**< as khm_catalog_import() */
    const char *actor;          /**< user id or "cli:<login>", kept in the history */
    int64_t now;                /**< ms */
    int dry_run;                /**< check and count, write nothing */
    /** Called in the import's transaction just before it commits (e.g. to write the audit
     *  event with the change); non-zero rolls back and is returned. May be NULL. */
    int (*before_commit)(khm_tx *tx, const khm_catalog_import_stats *st, void *payload);
    void *payload;
    int skip_invalid; /**< import the good rows, leave the bad ones out (reported) */
} khm_catalog_import_opts;

/**
 * khm_catalog_import() in its own write transaction(s) on @p s. With skip_invalid, a file with
 * bad rows is imported again without them in a second transaction (the first is rolled back):
 * the return is 0, st->skipped counts them, and their problems are left as the last error
 * (KHM_EINVALID's field errors) for the caller to show as warnings. Without it any bad row
 * keeps nothing and returns KHM_EINVALID.
 */
int khm_catalog_import_store(khm_store *s, const char *buf, size_t len, int format,
                             const khm_catalog_import_opts *o, khm_catalog_import_stats *st);

#ifdef __cplusplus
}
#endif
#endif
