/**
 * @file khomun/resource.h
 * Resources of catalog datasets (ทรัพยากรของชุดข้อมูล; CKAN resources, DCAT distributions):
 * files uploaded into a content-addressed blob store under DATA/resources, or links (a URL, no
 * bytes); their GD-Catalog resource fields (thai-rules.md §3.4); the DATA MAP — what a scan of
 * each file found per column or JSON field (type, share matched, score, PDPA category) — and the
 * classification a dataset's scans suggest (thai-rules.md §2.3; issue 4).
 *
 * ## The blob store
 * A file's bytes live once, at DATA/resources/ab/cdef… (the lower-case hex SHA-256, split after
 * two digits), mode 0600. An upload streams into a temporary file in DATA/resources/tmp (the
 * same file system), hashing as it goes, never holding the whole file in memory; the file is
 * fsync'ed and linked into place under its hash (khm_blob_commit()), or dropped when that hash
 * is already stored (the same bytes stored once). Two identical uploads at the same moment
 * both end with one blob. A blob no resource row names is garbage: it is harmless (a later
 * upload of the same bytes reuses it) and a resource delete removes the blob of its last
 * reference; docs/operations/data-directory.md.
 *
 * ## Threading
 * A khm_blob_writer belongs to one thread at a time. Everything else is reentrant.
 */
#ifndef KHOMUN_RESOURCE_H
#define KHOMUN_RESOURCE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <khomun/arena.h>
#include <khomun/json.h>
#include <khomun/rand.h>
#include <khomun/scan.h>
#include <khomun/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Hex SHA-256 with its NUL. */
#define KHM_SHA256_HEX_LEN 65

/** Default upload cap of the server (`khomun serve --max-upload`): 1 GiB. */
#define KHM_UPLOAD_MAX_DEFAULT ((uint64_t)1 << 30)

/** Files up to this size are scanned when they are uploaded; larger ones on demand. */
#define KHM_SCAN_ON_UPLOAD_MAX ((uint64_t)64 << 20)

/* ---- blob store ------------------------------------------------------------------------ */

/** 1 when @p s is 64 lower-case hex digits. */
int khm_sha256_hex_valid(const char *s);

/** DATA/resources/ab/cdef… of @p sha256 in @p out. KHM_EINVALID for a bad hash (field
 *  "sha256"), KHM_ELIMIT when @p cap is too small. */
int khm_blob_path(const char *data_dir, const char *sha256, char *out, size_t cap);

/** An upload in progress: a temporary file and the running SHA-256. */
typedef struct khm_blob_writer khm_blob_writer;

/**
 * Start writing a blob of at most @p max_bytes (0 = no limit) into a new temporary file of
 * @p data_dir's resource store (DATA/resources/tmp, created when missing).
 * @return 0, KHM_EIO (the message names the path), KHM_ENOMEM.
 */
int khm_blob_begin(khm_blob_writer **out, const char *data_dir, uint64_t max_bytes);

/**
 * Append @p n bytes. KHM_ELIMIT when the blob would go past its maximum: the temporary file is
 * removed at once and every later call fails the same way. KHM_EIO on a write error (disk full).
 */
int khm_blob_write(khm_blob_writer *w, const void *p, size_t n);

/** Append everything @p fd reads until its end (a CLI upload, the demo seed). */
int khm_blob_write_fd(khm_blob_writer *w, int fd);

/**
 * The last bytes are in: fsync the temporary file and give its SHA-256 (hex) and size. When
 * @p expect_sha256 is given (hex, any case) and differs: KHM_EINVALID naming the field
 * "sha256", and the temporary file is removed.
 */
int khm_blob_finish(khm_blob_writer *w, const char *expect_sha256, char sha256[KHM_SHA256_HEX_LEN],
                    uint64_t *size);

/** Path of the temporary file (finished, not yet committed): what a scan reads. */
const char *khm_blob_temp_path(const khm_blob_writer *w);

/** Bytes written so far. */
uint64_t khm_blob_written(const khm_blob_writer *w);

/**
 * Put a finished blob in its place: link the temporary file under its hash and fsync the
 * directory, or, when that hash is stored already, keep the stored one (*@p reused = 1; may be
 * NULL). The temporary file is gone afterwards either way. KHM_EIO.
 */
int khm_blob_commit(khm_blob_writer *w, int *reused);

/** Remove the temporary file (unless committed) and free @p w. Accepts NULL. */
void khm_blob_free(khm_blob_writer *w);

/**
 * Open blob @p sha256 for reading (O_RDONLY, O_CLOEXEC); *@p size its size (may be NULL).
 * KHM_EINVALID (field "sha256") for a malformed hash, KHM_ENOTFOUND when not stored, KHM_EIO.
 * The caller closes the descriptor. This is the stream a search of the stored files reads
 * (data-subject discovery): list the resources with khm_store_resource_list_agency().
 */
int khm_blob_open(const char *data_dir, const char *sha256, int *fd, uint64_t *size);

/** 1 when blob @p sha256 is stored. */
int khm_blob_exists(const char *data_dir, const char *sha256);

/* ---- resources ------------------------------------------------------------------------- */

/** A resource as stored. Strings live in the arena given to the getter. */
typedef struct {
    char id[KHM_ID_LEN];
    char dataset_id[KHM_ID_LEN];
    char agency_id[KHM_ID_LEN];      /**< the dataset's agency (listing an agency's files) */
    const char *name;                /**< GD-Catalog `name` */
    const char *format;              /**< GD-Catalog `format`: "CSV", "JSON", "XLSX", "PDF" … */
    const char *media_type;          /**< "text/csv" …; NULL for a link */
    int64_t size;                    /**< bytes; -1 for a link */
    char sha256[KHM_SHA256_HEX_LEN]; /**< "" for a link */
    const char *url;                 /**< a link's URL, or NULL for a file */
    const char *fields;              /**< the GD-Catalog resource fields (§3.4), a JSON object */
    const char *scan_status;         /**< "none" (a link), "scanned", "pending" (too large: POST
                                          …/scan), "unsupported" (not text: PDF, XLSX …), "failed" */
    const char *scan_error;          /**< why it failed, or NULL */
    int64_t scanned_at;              /**< ms, 0 = never */
    int64_t rows;                    /**< data rows / records of the last scan; -1 unknown */
    int personal;                    /**< the last scan found personal data */
    int sensitive;                   /**< … sensitive data (PDPA s.26) */
    char created_by[KHM_ID_LEN];
    int64_t created_at, updated_at;
} khm_resource_rec;

/** One column (CSV) or field path (JSON) of a resource's data map. */
typedef struct {
    char resource_id[KHM_ID_LEN];
    int idx;               /**< 0-based position */
    const char *field;     /**< header, "column N", or a JSON path "$.person.phone" */
    const char *type;      /**< dominant detector ("TH_TNIN", "PHONE_NUMBER", "HEALTH"), or NULL */
    int64_t rows;          /**< non-empty values */
    int64_t matched;       /**< values the dominant type matched */
    double share;          /**< matched / rows, 0..1 (three decimals kept) */
    double score;          /**< mean best score of the matched values, 0..1 */
    int pdpa;              /**< khm_pdpa: the highest category of the column's findings */
    const char *sensitive; /**< s.26 categories found, comma-separated ("health"), or NULL */
} khm_resource_column;

/** A file's quality profile (khomun/quality.h). */
typedef struct khm_quality khm_quality;

/** How many values of one type a scan found (the findings summary of a resource). */
typedef struct {
    const char *type; /**< detector name: "TH_TNIN", "PHONE_NUMBER", "HEALTH", … */
    int64_t count;    /**< values found */
    int pdpa;         /**< khm_pdpa of the type */
} khm_resource_finding;

/** The outcome of scanning one file (khm_resource_scan_fd()), kept until it is stored. */
typedef struct {
    const char *status;        /**< "scanned", "unsupported", "failed" */
    const char *error;         /**< "failed": why */
    int64_t rows;              /**< -1 unknown */
    int personal, sensitive;   /**< anything personal / s.26 found */
    khm_resource_column *cols; /**< the data map */
    size_t ncols;
    const char *found; /**< "TH_TNIN, PHONE_NUMBER, HEALTH": the types found, by count */
    double seconds;
    const khm_quality *quality; /**< the file's quality profile, or NULL (stored with the scan) */
    khm_resource_finding *findings; /**< values found per type, most first (not stored) */
    size_t nfindings;
} khm_resource_scan;

/** Most columns kept per resource in the data map (a wider file keeps its first ones). */
#define KHM_DATAMAP_MAX_COLS 1000

/**
 * The GD-Catalog format (§3.4 `format`) and media type of a file named @p name whose first
 * bytes are @p head[0..n): magic bytes first (PDF, ZIP/XLSX/DOCX, gzip, XLS), then the name's
 * extension, then the content (JSON, CSV), else "BIN" / application/octet-stream.
 */
void khm_resource_guess_format(const char *name, const unsigned char *head, size_t n,
                               const char **format, const char **media_type);

/**
 * Scan the file @p fd (read to its end, not closed) named @p name with @p sc, filling @p out
 * (strings in @p a). Formats the scanner does not read (PDF, XLSX, …: by @p format) are
 * "unsupported"; a file the scanner cannot read is "failed" with the reason. Returns 0 in all
 * of these cases; KHM_ENOMEM only.
 */
int khm_resource_scan_fd(const khm_scanner *sc, int fd, const char *name, const char *format,
                         khm_resource_scan *out, khm_arena *a);

/** What a caller gives when adding a resource. */
typedef struct {
    const char *name;       /**< required (GD-Catalog `name`), 1–500 characters */
    const char *url;        /**< a link: absolute http(s) URL; NULL for an uploaded file */
    const char *format;     /**< NULL = guessed (files) or from the URL's extension */
    const char *media_type; /**< the upload's Content-Type, or NULL */
    const json_t *fields;   /**< more GD-Catalog resource fields (§3.4), or NULL; borrowed */
} khm_resource_input;

/**
 * Add a resource to dataset @p d (as stored in @p tx; updated in place when the scan changes
 * its personal-data flags): validate @p in against the GD-Catalog resource table
 * (khm_gdc_resource_validate(), errors named "fields.<name>", or "name" / "url"), insert the
 * record, and for a file @p blob (finished) its data map from @p scan (NULL: not scanned, status
 * "pending"), then put the blob in place (khm_blob_commit()). A scan that finds personal data
 * updates the dataset (khm_resource_apply_scan()). On any error nothing is stored and the
 * blob stays a temporary file for the caller to free.
 * @param blob  NULL for a link (in->url)
 */
int khm_resource_create(khm_tx *tx, khm_resource_rec *out, khm_dataset *d,
                        const khm_resource_input *in, khm_blob_writer *blob,
                        const khm_resource_scan *scan, const char *actor, int64_t now,
                        khm_arena *a);

/**
 * Store @p scan as resource @p r's data map (replacing the last one), then bring dataset @p d's
 * personal / sensitive flags to what its resources' latest scans found and, when the
 * classification they suggest (khm_dataset_suggest()) differs from the current one, add a
 * "suggest" entry to its classification history naming what was found. @p r and @p d are
 * updated in place.
 */
int khm_resource_apply_scan(khm_tx *tx, khm_dataset *d, khm_resource_rec *r,
                            const khm_resource_scan *scan, const char *actor, int64_t now);

/**
 * Delete resource @p r of dataset @p d and its data map, and bring the dataset's flags up to
 * date. When no other resource names its blob, the blob is moved aside into @p trash (a path,
 * "" when nothing was moved): after the transaction, khm_resource_trash_finish() removes it
 * (committed) or puts it back (rolled back).
 */
int khm_resource_delete(khm_tx *tx, khm_dataset *d, const khm_resource_rec *r, const char *data_dir,
                        const char *actor, int64_t now, char *trash, size_t trash_cap);

/** See khm_resource_delete(). Accepts "" (nothing to do). */
void khm_resource_trash_finish(const char *trash, const char *data_dir, const char *sha256,
                               int committed);

/**
 * Every resource of dataset @p dataset_id (all pages), oldest first, into *@p out (in @p a);
 * *@p n how many. What a scan or a quality profile of a whole dataset walks.
 */
int khm_resource_list_all(khm_tx *tx, khm_resource_rec **out, size_t *n, const char *dataset_id,
                          khm_arena *a);

/* ---- scanning a whole dataset (POST /api/v1/datasets/{id}/scan, khomun dataset scan) ---- */

/** One resource of a dataset scan. */
typedef struct {
    khm_resource_rec rec;  /**< as listed when the scan began (updated by the apply step) */
    const char *status;    /**< "scanned"; "skipped" (a link, a file over the size cap, a
                                format the scanner does not read, deleted meanwhile); "failed"
                                (the file could not be read or parsed) */
    const char *code;      /**< NULL when scanned; "link", "too_large", "unsupported",
                                "deleted", "missing" (no bytes in the blob store), "unreadable" */
    const char *reason;    /**< skipped / failed: why, in English; NULL when scanned */
    const char *reason_th; /**< … in Thai */
    int ran;               /**< @p scan holds an outcome to store (the file was read) */
    khm_resource_scan scan;
    double ms; /**< reading the file (scan and quality profile), milliseconds */
} khm_dataset_scan_item;

/** A scan of every file resource of one dataset. Three steps, so that a server reads the files
 *  outside its write transaction: khm_dataset_scan_plan() in a read transaction,
 *  khm_dataset_scan_run() with no transaction, khm_dataset_scan_apply() in a write one. */
typedef struct {
    char dataset_id[KHM_ID_LEN];
    uint64_t max_bytes; /**< files larger are skipped ("too_large"); 0 = no cap */
    khm_dataset_scan_item *items;
    size_t n;
    size_t scanned, skipped, failed; /**< counts of the items' statuses */
    int64_t bytes;                   /**< bytes read */
    double ms;                       /**< time reading, milliseconds */
    int64_t at;                      /**< when it was applied (ms) */
} khm_dataset_scan;

/**
 * Plan a scan of dataset @p dataset (id or name) into @p out: the dataset as stored in @p d, and
 * every resource, links and files over @p max_bytes (0 = no cap; the server and the CLI pass
 * KHM_SCAN_ON_UPLOAD_MAX) already "skipped". KHM_ENOTFOUND for no such dataset; KHM_EINVALID
 * naming the field "dataset" when it is archived. Reads only.
 */
int khm_dataset_scan_plan(khm_tx *tx, khm_dataset *d, const char *dataset, uint64_t max_bytes,
                          khm_dataset_scan *out, khm_arena *a);

/**
 * Read every planned file of @p s from the blob store of @p data_dir and scan it with @p sc
 * (khm_resource_scan_fd(): data map, findings and quality profile). A file that cannot be read
 * is "failed" with the reason and the others go on. No transaction is needed. KHM_ENOMEM only.
 */
int khm_dataset_scan_run(khm_dataset_scan *s, const khm_scanner *sc, const char *data_dir,
                         khm_arena *a);

/**
 * Store what khm_dataset_scan_run() read, in write transaction @p tx: each resource's scan
 * status and data map and its quality profile (a resource deleted meanwhile is "skipped",
 * "deleted"), then the dataset @p d (loaded again here) once: its personal / sensitive flags,
 * one "suggest" entry in its classification history when personal data was found and the
 * suggestion differs from the current classification (naming the resources and the types
 * found), and its quality score. KHM_EINVALID ("dataset") when it was archived meanwhile.
 */
int khm_dataset_scan_apply(khm_tx *tx, khm_dataset *d, khm_dataset_scan *s, const char *actor,
                           int64_t now, khm_arena *a);

/**
 * The scan's result as JSON (the API's response and the CLI's --format json): per resource its
 * status, reason, findings by type, bytes and milliseconds, then the summary, the dataset's
 * flags, its classification, the suggestion, "classification_flag" and the quality score.
 */
void khm_dataset_scan_write_json(khm_jw *w, const khm_dataset *d, const khm_dataset_scan *s);

/** The record as JSON; with @p cols (may be NULL) its data map as "columns". */
void khm_resource_write_json(khm_jw *w, const khm_resource_rec *r, const khm_resource_column *cols,
                             size_t ncols);
/** One data-map column as JSON. */
void khm_resource_column_write_json(khm_jw *w, const khm_resource_column *c);

/* ---- store ----------------------------------------------------------------------------- */

int khm_store_resource_insert(khm_tx *tx, const khm_resource_rec *r);
/** Resource @p id of dataset @p dataset_id. KHM_ENOTFOUND otherwise. */
int khm_store_resource_get(khm_tx *tx, khm_resource_rec *out, const char *dataset_id,
                           const char *id, khm_arena *a);
/** A dataset's resources, oldest first. */
int khm_store_resource_list(khm_tx *tx, khm_resource_rec **out, size_t *n, int *more,
                            const char *dataset_id, const khm_page *page, khm_arena *a);
/** An agency's resources (every dataset), in id order: what discovery walks. */
int khm_store_resource_list_agency(khm_tx *tx, khm_resource_rec **out, size_t *n, int *more,
                                   const char *agency_id, const khm_page *page, khm_arena *a);
/** Scan status, error, time, rows, flags and updated_at of @p r. */
int khm_store_resource_set_scan(khm_tx *tx, const khm_resource_rec *r);
/** Delete @p id, its data map and its quality profile. KHM_ENOTFOUND when gone. */
int khm_store_resource_delete(khm_tx *tx, const char *id);
/** Resources naming blob @p sha256. */
int khm_store_resource_blob_refs(khm_tx *tx, const char *sha256, int64_t *count);
/** Whether any resource of @p dataset_id found personal / sensitive data. */
int khm_store_resource_flags(khm_tx *tx, const char *dataset_id, int *personal, int *sensitive);
/** Replace @p resource_id's data map with @p cols. */
int khm_store_resource_columns_set(khm_tx *tx, const char *resource_id,
                                   const khm_resource_column *cols, size_t n);
/** @p resource_id's data map, in column order (at most KHM_DATAMAP_MAX_COLS). */
int khm_store_resource_columns(khm_tx *tx, const char *resource_id, khm_resource_column **out,
                               size_t *n, khm_arena *a);

#ifdef __cplusplus
}
#endif
#endif
