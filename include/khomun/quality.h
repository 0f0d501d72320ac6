/**
 * @file khomun/quality.h
 * Data quality of catalog resources and datasets (คุณภาพข้อมูล; issue 4, product.md C13): a
 * streaming profile of a tabular file (CSV/TSV, JSON Lines, a JSON array of records) counts per
 * column its empty cells, the values that fail the column's detected type or checksum (Thai
 * national IDs with a bad check digit, dates that do not exist such as 31/02/2567), and the rows
 * and identifiers that repeat; a dataset adds timeliness (its last update against the declared
 * GD-Catalog update frequency). Each dimension is scored 0–100 and the weighted score comes with
 * its explanation in Thai and English. docs/quality.md gives the formula.
 *
 * ## Dimensions and score
 * - completeness = 100 × (cells − empty) / cells, cells = rows × columns; empty: nothing but
 *   white space, or one of the null markers "-", "N/A", "n/a", "NULL", "null".
 * - validity = 100 × (checked − invalid) / checked over the non-empty cells of the columns with a
 *   detected type (integer, decimal, date, national_id, phone, email; not text).
 * - uniqueness = 100 × (rows − duplicate rows − duplicate keys) / rows.
 * - timeliness (datasets only): 100 up to the due date (last update + one period of the declared
 *   frequency), then falling linearly to 0 one further period later.
 * - score = Σ weight × dimension / Σ weight over the dimensions that could be measured (weights
 *   30, 30, 20, 20), rounded to an integer.
 *
 * ## Bounds
 * Memory stays bounded: the file is read in blocks through a window of at most
 * KHM_QUALITY_MAX_RECORD + 3 blocks; repeats are found with a set of 64-bit hashes of at most
 * KHM_QUALITY_MAX_HASHES entries (rows and identifier values together; 16 MiB). Rows past the
 * bound are still counted and checked for empty and invalid cells, but a repeat of them is not
 * found: q->unchecked_rows says how many.
 */
#ifndef KHOMUN_QUALITY_H
#define KHOMUN_QUALITY_H

#include <stddef.h>
#include <stdint.h>

#include <khomun/arena.h>
#include <khomun/json.h>
#include <khomun/resource.h>
#include <khomun/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Distinct row and identifier hashes remembered per file (see Bounds). */
#define KHM_QUALITY_MAX_HASHES ((size_t)1 << 20)
/** Longest CSV record or JSON token surely held whole; one that does not fit the window (this
 *  and a few blocks) fails the profile ("failed", naming its line) instead of growing memory. */
#define KHM_QUALITY_MAX_RECORD ((size_t)4 << 20)
/** Example lines kept per problem and column. */
#define KHM_QUALITY_EXAMPLES 5
/** Most columns (or JSON field paths) profiled per file; more are counted in q->extra_columns. */
#define KHM_QUALITY_MAX_COLS 1000
/** A column is of a type when at least this share (in percent) of its non-empty values are. */
#define KHM_QUALITY_TYPE_SHARE 80
/** An identifier column whose values repeat more than this share (percent) is not a key. */
#define KHM_QUALITY_KEY_REPEAT_MAX 20

/** Weights of the dimensions (percent; they sum to 100). */
#define KHM_QUALITY_W_COMPLETENESS 30
#define KHM_QUALITY_W_VALIDITY     30
#define KHM_QUALITY_W_UNIQUENESS   20
#define KHM_QUALITY_W_TIMELINESS   20

/** The detected type of a column. */
typedef enum {
    KHM_QT_EMPTY = 0,   /**< no non-empty value */
    KHM_QT_TEXT,        /**< anything: nothing to check */
    KHM_QT_INTEGER,     /**< 42, -7, 1,234,567 */
    KHM_QT_DECIMAL,     /**< 3.14, 1,234.50 (integers too) */
    KHM_QT_DATE,        /**< 2024-02-29, 29/02/2567, 29 ก.พ. 2567, with an optional time */
    KHM_QT_NATIONAL_ID, /**< 13 digits (1-2345-67890-12-1), check digit (thai-rules.md §4.1) */
    KHM_QT_PHONE,       /**< Thai phone: 0[689]xxxxxxxx, 0[2-57]xxxxxxx, +66… (§4.2) */
    KHM_QT_EMAIL,       /**< local@domain.tld */
    KHM_QT__COUNT
} khm_qtype;

/** "empty", "text", "integer", "decimal", "date", "national_id", "phone", "email". */
const char *khm_qtype_name(khm_qtype t);
/** Thai name of a type ("จำนวนเต็ม", "วันที่", "เลขประจำตัวประชาชน", …). */
const char *khm_qtype_name_th(khm_qtype t);

/** What one value is: bits of khm_quality_value(). */
enum {
    KHM_QV_EMPTY = 1u << 0,     /**< white space or a null marker */
    KHM_QV_INTEGER = 1u << 1,   /**< an integer */
    KHM_QV_DECIMAL = 1u << 2,   /**< a decimal number (integers too) */
    KHM_QV_DATE = 1u << 3,      /**< shaped as a date (its day may not exist) */
    KHM_QV_DATE_BAD = 1u << 4,  /**< a date-shaped value naming a day that does not exist */
    KHM_QV_TNIN = 1u << 5,      /**< 13 digits, optionally grouped with '-' or ' ' */
    KHM_QV_TNIN_BAD = 1u << 6,  /**< … whose check digit is wrong */
    KHM_QV_PHONE = 1u << 7,     /**< shaped as a Thai phone number (0 or +66, 9–12 digits) */
    KHM_QV_PHONE_OK = 1u << 8,  /**< … and a valid one (thai-rules.md §4.2) */
    KHM_QV_EMAIL = 1u << 9,     /**< has an '@' */
    KHM_QV_EMAIL_OK = 1u << 10, /**< … and is a well-formed address */
};

/**
 * Classify one cell value @p s[0..n) (UTF-8; surrounding white space ignored; Thai digits ๐–๙
 * read as 0–9): a mask of KHM_QV_* bits.
 */
unsigned khm_quality_value(const char *s, size_t n);

/**
 * Check a date: 1 when @p s[0..n) is a date that exists, 0 when it is shaped as a date but names
 * a day that does not (31/02/2567, 29/02/2566, 2024-13-01), -1 when it is not a date. Forms:
 * YYYY-MM-DD and YYYY/MM/DD; DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY (day first, the Thai order);
 * D <Thai month> YYYY with the full or abbreviated month name and an optional "พ.ศ." / "ค.ศ.";
 * each with an optional time (HH:MM[:SS][.fff][Z|±hh:mm]) after 'T' or a space. A four-digit
 * year ≥ 2400 is Buddhist era (พ.ศ., minus 543: 2567 → 2024, a leap year); a two-digit year is
 * accepted when the day exists in either reading (25yy B.E. or 20yy C.E.). Valid years are
 * 1000–2999 C.E.
 */
int khm_quality_date_check(const char *s, size_t n);

/** One problem (or remark) of a profile or a dataset, in Thai and English. */
typedef struct {
    const char *dimension;  /**< "completeness", "validity", "uniqueness", "timeliness", "score",
                                 or "reading" (the file's encoding, bounds) */
    const char *code;       /**< "empty_cells", "bad_check_digit", "impossible_date",
                                 "wrong_type", "duplicate_rows", "duplicate_keys", … */
    const char *field;      /**< the column, or NULL */
    int64_t count;          /**< how many (cells, values or rows), or 0 */
    const char *message_th; /**< Thai */
    const char *message;    /**< English */
} khm_quality_note;

/** One column of a profile. */
typedef struct {
    const char *field;  /**< header, "column N", or a JSON path "$.phone" */
    khm_qtype type;     /**< detected type */
    int64_t cells;      /**< = rows of the file */
    int64_t empty;      /**< empty cells (missing cells of short rows too) */
    int64_t invalid;    /**< bad_format + bad_check + bad_date */
    int64_t bad_format; /**< non-empty values not of the column's type */
    int64_t bad_check;  /**< national IDs whose check digit is wrong */
    int64_t bad_date;   /**< dates that do not exist */
    int64_t invalid_lines[KHM_QUALITY_EXAMPLES]; /**< where the first invalid values are */
    size_t ninvalid_lines;
    int key;            /**< an identifier: a national-ID column, or a header such as "id",
                             "…_id", "รหัส…", "เลขประจำตัว…", whose values repeat in at most
                             KHM_QUALITY_KEY_REPEAT_MAX % of the rows */
    int64_t duplicates; /**< key columns: values that repeat an earlier row's */
    int64_t dup_lines[KHM_QUALITY_EXAMPLES];
    size_t ndup_lines;
} khm_quality_column;

/** The profile of one file. */
struct khm_quality {
    const char *status;     /**< "profiled"; "unsupported" (not tabular: PDF, XLSX, plain text,
                                 GeoJSON …); "failed" (unreadable: error says why) */
    const char *error;      /**< why it failed, or NULL */
    const char *format;     /**< "csv", "tsv", "jsonl", "json", or NULL */
    const char *encoding;   /**< "utf-8", "tis-620", … */
    const char *at_unit;    /**< what the example positions count: "line" (CSV, JSON Lines: the
                                 line a record starts on, the header being line 1) or "row" (the
                                 1-based record of a JSON document) */
    int64_t rows;           /**< data rows (CSV records after the header, JSON records) */
    int64_t cells;          /**< rows × columns */
    int64_t empty;          /**< empty cells */
    int64_t checked;        /**< non-empty cells of typed columns */
    int64_t invalid;        /**< of those, invalid */
    int64_t duplicate_rows; /**< rows that repeat an earlier row exactly */
    int64_t dup_row_lines[KHM_QUALITY_EXAMPLES];
    size_t ndup_row_lines;
    int64_t duplicate_keys;   /**< the most repeats in one key column (rows that are not
                                   exact repeats) */
    int64_t unchecked_rows;   /**< rows past the hash bound (not checked for repeats) */
    int64_t blank_lines;      /**< empty lines skipped */
    int64_t bad_lines;        /**< JSON Lines that are not JSON (skipped) */
    uint64_t encoding_errors; /**< invalid sequences of the encoding */
    int64_t extra_columns;    /**< columns past KHM_QUALITY_MAX_COLS (not profiled) */
    khm_quality_column *cols;
    size_t ncols;
    double completeness, validity, uniqueness; /**< 0–100 (one decimal), -1 = not measurable */
    int score;                                 /**< weighted, 0–100, -1 = none */
    khm_quality_note *notes;                   /**< the explanation, worst first per dimension */
    size_t nnotes;
    double seconds;
};

/**
 * Profile the file @p fd (read from offset 0 with pread, not closed; gzip is inflated) named
 * @p name, of GD-Catalog format @p format (NULL: from the name and the content) into @p out
 * (strings in @p a). Returns 0 for every outcome of the data (see status); KHM_ENOMEM only.
 */
int khm_quality_profile_fd(int fd, const char *name, const char *format, khm_quality *out,
                           khm_arena *a);
/** khm_quality_profile_fd() of a buffer. */
int khm_quality_profile_mem(const char *buf, size_t len, const char *name, const char *format,
                            khm_quality *out, khm_arena *a);

/** 100 × (total − bad) / total rounded to one decimal, or -1 when total is 0. */
double khm_quality_ratio(int64_t bad, int64_t total);
/**
 * The weighted score of the dimensions (completeness, validity, uniqueness, timeliness; -1 =
 * not measured, left out and the other weights scaled up), rounded; -1 when none was measured.
 */
int khm_quality_weighted(const double dims[4]);

/* ---- timeliness ------------------------------------------------------------------------ */

/** A dataset's timeliness against its declared update frequency. */
typedef struct {
    double score;        /**< 0–100 (one decimal), -1 = not assessed */
    const char *code;    /**< "on_time", "overdue", "static" (never updated after collection),
                              "no_frequency", "unknown_frequency" (ไม่ทราบ), "other_frequency"
                              (อื่นๆ), "real_time" (ตามเวลาจริง: judged by its source system) */
    const char *unit;    /**< the declared update_frequency_unit, or NULL */
    int64_t interval;    /**< update_frequency_interval (times per unit), 1 when not given */
    double period_days;  /**< the longest gap allowed between updates (0: not assessed) */
    int64_t last_update; /**< ms: the newest of the newest resource's upload, the metadata's
                              last_updated_date and (with neither) the dataset's registration */
    const char *last_update_source; /**< "resource", "metadata", "dataset" */
    int64_t due_at;                 /**< ms: last_update + period (0: not assessed) */
    double overdue_days;            /**< days past due_at at @p now (0 when on time) */
} khm_quality_timeliness;

/**
 * Evaluate timeliness from the GD-Catalog @p metadata (a JSON object: update_frequency_unit,
 * update_frequency_interval, last_updated_date), the newest resource upload @p last_resource (ms,
 * 0 = none) and the dataset's registration @p created_at, at @p now. Units: ปี 365 days, ครึ่งปี
 * 183, ไตรมาส 92, เดือน 31, สัปดาห์ 7, วัน 1, วันทำการ 3 (a weekend between), ชั่วโมง 1/24, นาที
 * 1/1440; the period is the unit divided by the interval.
 */
void khm_quality_timeliness_eval(const char *metadata, int64_t last_resource, int64_t created_at,
                                 int64_t now, khm_quality_timeliness *out);

/* ---- datasets -------------------------------------------------------------------------- */

/** A stored profile (table resource_quality, one row per file resource). */
typedef struct {
    char resource_id[KHM_ID_LEN];
    char dataset_id[KHM_ID_LEN];
    const char *status; /**< khm_quality.status */
    int64_t computed_at;
    int64_t rows, cells, empty, checked, invalid, duplicate_rows, duplicate_keys;
    int score;          /**< -1 = none */
    const char *report; /**< the resource's quality as JSON (khm_quality_write_json()) */
} khm_quality_rec;

/** A dataset's quality: its files' profiles pooled, and its timeliness. */
typedef struct {
    int64_t files;    /**< file resources */
    int64_t profiled; /**< of those, with a profile of status "profiled" */
    int64_t rows, cells, empty, checked, invalid, duplicate_rows, duplicate_keys;
    double completeness, validity, uniqueness; /**< pooled over the profiled files; -1 */
    khm_quality_timeliness timeliness;
    int score; /**< -1 when no file is profiled (there is no data to judge) */
    khm_quality_note *notes;
    size_t nnotes;
    khm_quality_rec *recs; /**< the stored profiles, resource id order */
    size_t nrecs;
} khm_quality_summary;

/** Evaluate dataset @p d from its stored profiles and resources at @p now (reads only). */
int khm_quality_dataset_eval(khm_tx *tx, const khm_dataset *d, int64_t now,
                             khm_quality_summary *out, khm_arena *a);

/**
 * Store the score of dataset @p d at @p now (khm_quality_dataset_eval()) in its row
 * (quality_score, quality_at: what a listing filters on; @p d updated in place). The version
 * (ETag) does not change: quality is derived, not metadata.
 */
int khm_quality_refresh(khm_tx *tx, khm_dataset *d, int64_t now);

/** Store the profile @p q of resource @p r (replacing the last one), computed at @p now. */
int khm_quality_save(khm_tx *tx, const khm_resource_rec *r, const khm_quality *q, int64_t now);

/**
 * khm_quality_save(), then refresh the dataset's score (khm_quality_refresh()). A NULL @p q
 * only refreshes.
 */
int khm_quality_store(khm_tx *tx, khm_dataset *d, const khm_resource_rec *r, const khm_quality *q,
                      int64_t now);

/** A file's new profile (khm_quality_profile_files()). */
typedef struct {
    char resource_id[KHM_ID_LEN];
    khm_quality *q;
} khm_quality_item;

/**
 * Profile again every file of @p files[0..n) (links are passed over), read from the blob store
 * of @p data_dir with no size cap and no transaction (POST …/quality reads them before its write
 * transaction; khomun dataset quality --recompute): into *@p out, *@p nout (in @p a). A file
 * whose bytes are missing from the store is kept as a "failed" profile and the others go on.
 * KHM_ENOMEM, KHM_EIO.
 */
int khm_quality_profile_files(khm_quality_item **out, size_t *nout, const char *data_dir,
                              const khm_resource_rec *files, size_t n, khm_arena *a);

/**
 * Store the profiles @p items[0..n) of dataset @p d's files (a resource deleted meanwhile is
 * passed over), then refresh its score at @p now (khm_quality_refresh(); @p d updated).
 */
int khm_quality_save_files(khm_tx *tx, khm_dataset *d, const khm_quality_item *items, size_t n,
                           int64_t now, khm_arena *a);

/** One resource's quality as JSON: {"resource_id", "name", "computed_at", "status", …}. */
void khm_quality_write_json(khm_jw *w, const khm_quality *q, const char *resource_id,
                            const char *name, int64_t computed_at);

/**
 * The whole quality report of dataset @p d at @p now (GET …/quality): the live score, the
 * stored one, each dimension with its counts, the explanation, and every file resource's part
 * (a file not profiled yet as {"status": "pending"}). Reads only.
 */
int khm_quality_write_report(khm_tx *tx, khm_jw *w, const khm_dataset *d, int64_t now,
                             khm_arena *a);

/* ---- store ----------------------------------------------------------------------------- */

/** Insert or replace the profile of q->resource_id. */
int khm_store_quality_put(khm_tx *tx, const khm_quality_rec *q);
/** Delete the profile of @p resource_id (none is fine). */
int khm_store_quality_delete(khm_tx *tx, const char *resource_id);
/** The stored profiles of @p dataset_id, in resource id order (at most 10,000). */
int khm_store_quality_list(khm_tx *tx, const char *dataset_id, khm_quality_rec **out, size_t *n,
                           khm_arena *a);
/** The number of file resources of @p dataset_id and the newest one's upload time (0: none). */
int khm_store_quality_files(khm_tx *tx, const char *dataset_id, int64_t *files,
                            int64_t *last_upload);
/** Set dataset @p id's quality_score (-1 = NULL) and quality_at; not its version. */
int khm_store_dataset_set_quality(khm_tx *tx, const char *id, int score, int64_t at);

#ifdef __cplusplus
}
#endif
#endif
