/**
 * @file khomun/scan.h
 * The personal-data scanner: compile a detector set once, then scan buffers from any number of
 * threads, each with its own state, receiving findings through a callback.
 *
 * Offsets are byte offsets into the buffer as given, end exclusive; lines are 1-based. CSV input
 * goes through a quote-aware reader, so findings also carry the 0-based data row and the column
 * header; a column profile counts, per column, how many rows each type matched.
 */
#ifndef KHOMUN_SCAN_H
#define KHOMUN_SCAN_H
#include <khomun/buf.h>
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/** PDPA category of a finding. */
typedef enum { KHM_PDPA_NONE = 0, KHM_PDPA_PERSONAL = 1, KHM_PDPA_SENSITIVE = 2 } khm_pdpa;

/** "personal", "sensitive" or "none". */
const char *khm_pdpa_name(khm_pdpa p);

/** The sensitive-data categories of PDPA s.26 (thai-rules.md §1.4); bit (1u << k) in masks. */
enum {
    KHM_SENS_NONE = 0,
    KHM_SENS_ETHNICITY,         /* race, ethnic origin */
    KHM_SENS_POLITICAL_OPINION, /* political opinions */
    KHM_SENS_RELIGION,          /* cult, religious or philosophical beliefs */
    KHM_SENS_SEXUAL_BEHAVIOR,   /* sexual behaviour */
    KHM_SENS_CRIMINAL_RECORD,   /* criminal records */
    KHM_SENS_HEALTH,            /* health data */
    KHM_SENS_DISABILITY,        /* disability */
    KHM_SENS_TRADE_UNION,       /* trade union information */
    KHM_SENS_GENETIC,           /* genetic data */
    KHM_SENS_BIOMETRIC,         /* biometric data */
    KHM_SENS_COUNT
};
/** Lower-case name of s.26 category @p k ("health", "religion", …), or NULL for none/out of range.
 */
const char *khm_sensitive_name(unsigned k);

/** One detector of the built-in table (read-only; see khm_scan_detector_get()). */
typedef struct khm_detector khm_detector;

/** Number of built-in detectors. */
size_t khm_scan_detector_count(void);
/** Name (e.g. "TH_TNIN") of detector @p i, or NULL past the end. */
const char *khm_scan_detector_name(size_t i);
/** PDPA category of detector @p i (KHM_PDPA_NONE past the end). */
khm_pdpa khm_scan_detector_pdpa(size_t i);
/** Index of the detector named @p name, or -1. */
int khm_scan_detector_find(const char *name);
/** KHM_SENS_* category of detector @p i (0 for a type that is not sensitive). */
unsigned khm_scan_detector_sens(size_t i);

/** One finding. Strings are borrowed for the duration of the callback. */
typedef struct {
    int det;             /**< detector index */
    const char *type;    /**< "TH_TNIN", "EMAIL_ADDRESS", … */
    khm_pdpa pdpa;       /**< none, personal or sensitive */
    size_t start, end;   /**< byte offsets, end exclusive */
    uint64_t line;       /**< 1-based line of start */
    int64_t row;         /**< 0-based data row (CSV), -1 for text */
    int64_t col;         /**< 0-based column (CSV), -1 for text */
    const char *field;   /**< column header (CSV), or NULL */
    double score;        /**< 0..1 */
    const char *value;   /**< the matched bytes (not NUL-terminated) */
    size_t value_len;    /**< end - start */
    const char *subtype; /**< finer kind ("date_of_birth"), or NULL */
    unsigned sens;       /**< KHM_SENS_* when pdpa is sensitive, else 0 */
} khm_finding;

/** Receives each finding; return nonzero to stop the scan. */
typedef int (*khm_on_finding)(const khm_finding *f, void *payload);

/* ---- custom detectors (docs/scan-config.md) ------------------------------------------- */

/** An agency's own detectors, loaded from a JSON file and compiled with vectorscan. */
typedef struct khm_scan_config khm_scan_config;

/**
 * Load and compile {"detectors": [{"name", "pattern", "validator", "context", "score", "pdpa",
 * "sensitive", "description", "ignore_case"}, …]}. KHM_EINVALID with one field error per
 * problem, named by path (detectors[1].pattern, with the compiler's message); KHM_ENOMEM.
 */
int khm_scan_config_load(khm_scan_config **out, const char *json, size_t len);
/** khm_scan_config_load() of a file (at most 1 MiB); KHM_EIO when it cannot be read. */
int khm_scan_config_load_file(khm_scan_config **out, const char *path);
void khm_scan_config_free(khm_scan_config *c);

/** Scanner options. Zero-initialise, then set what you need. */
typedef struct {
    const char *const *types; /**< NULL-terminated detector names to enable (built-in or custom);
                                   NULL = all */
    double min_score;         /**< findings below are dropped; 0 = 0.5 */
    const khm_scan_config *config; /**< custom detectors (borrowed: outlive the scanner), or NULL */
} khm_scan_opts;

typedef struct khm_scanner khm_scanner;
typedef struct khm_scan_state khm_scan_state;

/** Compile the detector set. KHM_EINVALID (field "types") for an unknown name; KHM_ENOMEM. */
int khm_scanner_new(khm_scanner **out, const khm_scan_opts *opts);
void khm_scanner_free(khm_scanner *sc);

/** Types the scanner reports: the built-in detectors, then the custom ones (≤ KHM_SCAN_MAX_TYPES).
 */
size_t khm_scanner_type_count(const khm_scanner *sc);
/** Name of type @p d of this scanner (built-in or custom), or NULL past the end. */
const char *khm_scanner_type_name(const khm_scanner *sc, size_t d);
/** PDPA category of type @p d. */
khm_pdpa khm_scanner_type_pdpa(const khm_scanner *sc, size_t d);
/** KHM_SENS_* of type @p d (0 when not sensitive). */
unsigned khm_scanner_type_sens(const khm_scanner *sc, size_t d);
/** One line about type @p d (the detector's summary, or a custom one's description). */
const char *khm_scanner_type_summary(const khm_scanner *sc, size_t d);

/** Per-thread state (line counting, last finding); reuse it across buffers. NULL on OOM. */
khm_scan_state *khm_scan_state_new(const khm_scanner *sc);
void khm_scan_state_free(khm_scan_state *st);

/**
 * Scan @p buf as plain text. Returns the number of findings reported (≥ 0), or the callback's
 * nonzero value negated when it stopped the scan early.
 */
int64_t khm_scan_buf(const khm_scanner *sc, khm_scan_state *st, const char *buf, size_t len,
                     khm_on_finding on_finding, void *payload);

/* ---- CSV ------------------------------------------------------------------------------- */

/** One cell from the CSV reader. Offsets of the content (inside quotes, if quoted). */
typedef struct {
    int64_t row;       /**< physical record index, 0 = first record of the file */
    size_t col;        /**< 0-based */
    size_t start, end; /**< content offsets in the buffer */
    int quoted;        /**< 1 when the cell was in double quotes ("" inside is an escape) */
    int last;          /**< 1 for the last cell of its record */
} khm_csv_cell;

/** A quote-aware CSV/TSV reader over a buffer (RFC 4180, tolerant: ragged rows, CRLF). */
typedef struct {
    const char *p;
    size_t len, pos;
    char delim;
    int64_t row;
    size_t col;
    int done;
} khm_csv;

void khm_csv_init(khm_csv *r, const char *buf, size_t len, char delim);
/** Next cell: 1, or 0 at the end of the buffer. An unclosed quote runs to the end. */
int khm_csv_next(khm_csv *r, khm_csv_cell *cell);
/**
 * Guess whether the first record is a header: every cell non-empty, with a letter, and
 * holding no digits-only value. @p len bytes from the start of the file.
 */
int khm_csv_has_header(const char *buf, size_t len, char delim);
/** Guess the delimiter of CSV-looking text: ',', '\t', ';' or 0 when it does not look tabular. */
char khm_csv_sniff(const char *buf, size_t len);

/** Per-column counts of a tabular scan. */
typedef struct {
    char *field;        /**< header, or "column N" (owned) */
    int64_t rows;       /**< non-empty cells */
    int64_t *matched;   /**< per detector: rows with at least one finding of that type */
    double *score_sum;  /**< per detector: sum of the best score per matched row */
    int64_t *last_hit;  /**< internal: per detector, the last row counted */
    khm_pdpa pdpa;      /**< highest PDPA category of the column's findings */
    unsigned sensitive; /**< s.26 categories found: bit (1u << KHM_SENS_*) */
} khm_column;

typedef struct {
    size_t ndet;
    size_t ncols;
    khm_column *cols;
    int64_t rows;               /**< data rows */
    const khm_scanner *scanner; /**< names the types (custom ones too), or NULL: built-ins */
} khm_profile;

/** The dominant type of a column: its detector index (most matched rows) or -1. */
int khm_profile_dominant(const khm_profile *p, size_t col);
void khm_profile_dispose(khm_profile *p);

/**
 * Scan @p buf as CSV with delimiter @p delim (0 = sniff, falling back to ','): the header
 * record (when detected) names the fields and is context for each cell below it. Fills @p prof
 * (may be NULL; dispose it with khm_profile_dispose()). Return as khm_scan_buf(), or KHM_ENOMEM.
 */
int64_t khm_scan_csv(const khm_scanner *sc, khm_scan_state *st, const char *buf, size_t len,
                     char delim, khm_profile *prof, khm_on_finding on_finding, void *payload);

/* ---- decoders -------------------------------------------------------------------------- */

/** Input encodings. KHM_ENC_AUTO asks khm_enc_detect(); a decoder given it decodes UTF-8. */
typedef enum {
    KHM_ENC_AUTO = 0,
    KHM_ENC_UTF8,
    KHM_ENC_UTF16LE,
    KHM_ENC_UTF16BE,
    KHM_ENC_TIS620 /**< TIS-620, with the Windows-874 / ISO 8859-11 additions */
} khm_enc;

/** "utf-8", "utf-16le", "utf-16be", "tis-620" ("auto" for KHM_ENC_AUTO). Static. */
const char *khm_enc_name(khm_enc e);

/**
 * Parse an encoding name, case-insensitively: "auto", "utf-8"/"utf8", "utf-16le"/"utf16le",
 * "utf-16be"/"utf16be", "tis-620"/"tis620", and "cp874", "windows-874", "iso-8859-11" as tis-620.
 * @param[out] out  the encoding
 * @return 0, or KHM_EINVALID (field "encoding", listing the allowed names) for anything else.
 */
int khm_enc_parse(const char *s, khm_enc *out);

/**
 * Guess the encoding of a file from its first @p n bytes (a few KB is plenty).
 * A BOM gives its encoding and *@p bom_len (3 for UTF-8, 2 for UTF-16; 0 without one): the caller
 * skips those bytes. Without a BOM: UTF-16LE/BE when nearly every 2-byte unit is text with a
 * high byte of 0x00, 0x0E (Thai) or 0x20; else UTF-8 when the sample is valid UTF-8 (a sequence
 * cut at the end of the sample is fine; pure ASCII is UTF-8); else TIS-620 when ≥ 90% of the
 * bytes ≥ 0x80 are Thai TIS-620 code points (0xA1–0xDA, 0xDF–0xFB) or Windows-874 punctuation,
 * ≥ 30% of those are consonants, combining marks follow letters and control bytes are rare;
 * otherwise UTF-8 (its invalid sequences are counted while decoding).
 * @param[out] bom_len  may be NULL
 */
khm_enc khm_enc_detect(const unsigned char *p, size_t n, size_t *bom_len);

/** Streaming decoder state. Plain data: zero-copy, no allocation; see khm_decoder_init(). */
typedef struct {
    khm_enc enc;            /**< never KHM_ENC_AUTO after init */
    unsigned char carry[4]; /**< a code unit cut at the end of the last block */
    size_t ncarry;          /**< bytes in carry */
    uint64_t carry_off;     /**< absolute input offset of carry[0] */
    uint64_t invalid;       /**< invalid sequences / bytes seen so far */
} khm_decoder;

/** Start decoding a stream in @p enc (KHM_ENC_AUTO decodes as UTF-8). */
void khm_decoder_init(khm_decoder *d, khm_enc enc);

/**
 * Worst-case output bytes of khm_decode() for @p n input bytes, counting the carry; also
 * covers khm_decode_finish() when @p n is 0. Size out (and map, in elements) with it.
 * UTF-8: n; UTF-16: 3 per 2-byte unit + 3; TIS-620: 3n.
 */
size_t khm_decode_bound(const khm_decoder *d, size_t n);

/**
 * Decode @p in[0..n), the stream's bytes from absolute offset @p in_off (blocks are contiguous:
 * the next call's in_off is this one's in_off + n), into UTF-8 at @p out, and set map[k] to the
 * absolute input offset of the code unit that produced out[k] for every byte written (every
 * byte of a multi-byte character maps to its unit's first byte; a surrogate pair maps to the
 * high surrogate). Maps are non-decreasing across calls. A code unit cut at the end of @p in is
 * carried into the next call, so the output and the map do not depend on how the stream is
 * split. Out of out[0..w), the input consumed ends at in_off + n - d->ncarry.
 *
 * - UTF-8 is validated and passed through unchanged: w = n, map[k] = in_off + k, invalid
 *   sequences are left as they are and counted in d->invalid (one per maximal ill-formed
 *   subpart, as a U+FFFD-substituting decoder would). @p out may be @p in itself (no copy).
 * - UTF-16: surrogate pairs joined; an unpaired surrogate (or, at the end of the stream, an odd
 *   byte) becomes U+FFFD and is counted.
 * - TIS-620: 0x00–0x7F as ASCII; 0xA1–0xFB → U+0E01–U+0E5B (0xDB–0xDE are unassigned);
 *   Windows-874's 0x80 €, 0x85 …, 0x91–0x97 quotes and dashes, 0xA0 no-break space; any other
 *   byte → U+FFFD, counted.
 *
 * @param out  at least khm_decode_bound(d, n) bytes
 * @param map  NULL, or at least khm_decode_bound(d, n) elements; NULL skips the map (the
 *             fast path for UTF-8, whose map is the identity)
 * @return bytes written to out
 */
size_t khm_decode(khm_decoder *d, const unsigned char *in, size_t n, uint64_t in_off, char *out,
                  uint64_t *map);

/**
 * End of stream: a carried partial unit becomes U+FFFD (UTF-16; mapped to its offset) and is
 * counted in d->invalid. For UTF-8 the cut sequence's bytes were already passed through, so it
 * is only counted and nothing is written.
 * @param out  at least khm_decode_bound(d, 0) bytes; map likewise, or NULL
 * @return bytes written
 */
size_t khm_decode_finish(khm_decoder *d, char *out, uint64_t *map);

/* ---- JSON reader ----------------------------------------------------------------------- */

/** Kind of a scalar reported by the JSON reader. */
typedef enum { KHM_JV_STRING = 1, KHM_JV_NUMBER, KHM_JV_LITERAL } khm_jv_kind;

/** Most container levels the JSON reader follows; one more is a syntax error. */
#define KHM_JSONR_MAX_DEPTH 64
/** Longest field path kept, in bytes; a longer path is cut (at a UTF-8 boundary). */
#define KHM_JSONR_MAX_PATH 512

/** One scalar value. Strings are borrowed for the duration of the callback. */
typedef struct {
    const char *path;  /**< "$.person.phone", "$.items[].phone" (array indexes are written
                            "[]", so one path names one "column"), "$" at top level; keys
                            unescaped (control characters in them as '?'); at most
                            KHM_JSONR_MAX_PATH bytes, cut at a UTF-8 boundary;
                            NUL-terminated */
    size_t path_len;   /**< strlen(path) */
    size_t start, end; /**< offsets in the buffer given to khm_jsonr_feed() of the content:
                            inside the quotes for strings, escapes left as written */
    khm_jv_kind kind;  /**< string, number, or true/false/null */
    int escaped;       /**< 1 when the string holds backslash escapes (khm_json_unescape) */
    int64_t record;    /**< 0-based top-level value index; JSON Lines: 0-based line index */
    int partial;       /**< 0: the whole value; a string longer than the buffer comes in
                            pieces: 1 for each piece but the last, 2 for the last */
} khm_json_value;

/** Receives each scalar; return nonzero to stop (see khm_jsonr_feed()). */
typedef int (*khm_json_cb)(const khm_json_value *v, void *payload);

/** A streaming JSON / JSON Lines reader: fixed-size state, no allocation after khm_jsonr_new(). */
typedef struct khm_jsonr khm_jsonr;

/**
 * New reader.
 * @param[out] out  free with khm_jsonr_free()
 * @param lines     0: JSON (one value, or several concatenated top-level values, each a record);
 *                  1: JSON Lines (one value per line; a bad line is counted and skipped, and
 *                  reading goes on at the next line; blank lines are skipped)
 * @return 0 or KHM_ENOMEM
 */
int khm_jsonr_new(khm_jsonr **out, int lines);
/** Free a reader; NULL is fine. */
void khm_jsonr_free(khm_jsonr *r);

/**
 * Parse @p buf[0..len), calling @p cb for each complete scalar value (object keys are not
 * values: they make up the path). A UTF-8 BOM is the caller's to skip.
 *
 * Returns the number of bytes consumed: everything before the first token not complete in the
 * buffer (a number is complete only when followed by a delimiter or the end of input). The
 * caller keeps buf[consumed..len), appends the next block after it and calls again with that at
 * the start of the buffer; offsets in callbacks are always relative to the buffer of their call.
 * @p final = 1 says len is the end of the input.
 *
 * @p cap is the caller's buffer capacity (0: unbounded, strings are never cut). When nothing could
 * be consumed although the buffer is full (len ≥ cap), a string value in progress is reported as a
 * piece (partial = 1, cut after a space in its last 256 bytes when there is one, else at a UTF-8
 * boundary, never inside an escape) and consumed, so the caller never needs more than its fixed
 * buffer; the string's last piece has partial = 2. A key that long is cut into the path the same
 * way. Any other token that fills the whole buffer (a number) is an error. Use cap ≥ 64.
 *
 * When @p cb returns nonzero, reading stops right after that value and its end is returned as
 * consumed; the reader can resume from there.
 *
 * @return bytes consumed, or -1: KHM_EINVALID (khm_err_field() naming the JSON path, with the
 * line, byte offset and what was expected) for a syntax error, a nesting deeper than
 * KHM_JSONR_MAX_DEPTH, or input that ends inside a value when final. JSON mode only: in JSON
 * Lines mode a bad line (values it reported before the error stand) is counted instead. After
 * an error the reader keeps returning -1.
 */
int64_t khm_jsonr_feed(khm_jsonr *r, const char *buf, size_t len, size_t cap, int final,
                       khm_json_cb cb, void *payload);

/** JSON Lines: number of bad lines so far. */
int64_t khm_jsonr_bad_lines(const khm_jsonr *r);
/** JSON Lines: 1-based number of the first bad line, or 0. */
int64_t khm_jsonr_first_bad_line(const khm_jsonr *r);

/**
 * Unescape the content of a JSON string @p s[0..n) (as written between its quotes) into @p out,
 * which never gets more than @p n bytes. \\uXXXX escapes become UTF-8, surrogate pairs joined, a
 * lone surrogate U+FFFD; a malformed escape is copied as written.
 * @param map  NULL, or n elements: map[k] = offset in s of the escape or byte that produced
 *             out[k]
 * @return bytes written
 */
size_t khm_json_unescape(const char *s, size_t n, char *out, uint32_t *map);

/* ---- streams --------------------------------------------------------------------------- */

/** Input formats. */
typedef enum {
    KHM_IN_AUTO = 0, /**< from the name's extension, then the content */
    KHM_IN_CSV,
    KHM_IN_TSV,
    KHM_IN_JSON,
    KHM_IN_JSONL,
    KHM_IN_TEXT
} khm_in_format;

/** "auto", "csv", "tsv", "json", "jsonl", "text". */
const char *khm_in_format_name(khm_in_format f);
/** Parse a format name (also "ndjson", "txt"); KHM_EINVALID (field "input-format"). */
int khm_in_format_parse(const char *s, khm_in_format *out);

/** Reads up to @p n bytes into @p buf: the count, 0 at the end, -1 with errno on error. */
typedef long (*khm_read_fn)(void *src, char *buf, size_t n);

/** How to read a stream. Zero-initialise, then set what you need. */
typedef struct {
    khm_in_format format; /**< KHM_IN_AUTO: guessed from name and content */
    khm_enc encoding;     /**< KHM_ENC_AUTO: BOM, UTF-8 validity, TIS-620 */
    const char *name;     /**< file name (its extension helps guessing), or NULL */
    size_t block;         /**< bytes per read; 0 = 1 MiB */
    size_t cap;           /**< longest line, record or value scanned whole; 0 = 1 MiB */
    int gzip; /**< 0: when the input starts with gzip's magic bytes; 1 always; -1 never */
    /** Called after each read with the bytes read so far (may be NULL). */
    void (*progress)(uint64_t bytes, void *payload);
} khm_scan_input;

#define KHM_SCAN_MAX_TYPES 64

/** What a stream turned out to be, and its totals. */
typedef struct {
    khm_in_format format;
    khm_enc encoding;
    int gzip;         /**< the input was gzip-compressed */
    int binary;       /**< skipped: NUL bytes in the first 8 KiB */
    uint64_t bytes;   /**< bytes read from the source (as stored) */
    uint64_t scanned; /**< bytes scanned (after gzip and decoding) */
    int64_t rows;     /**< CSV/TSV data rows, JSON(L) records; -1 for text */
    int64_t findings;
    int64_t types[KHM_SCAN_MAX_TYPES]; /**< findings per detector */
    khm_pdpa pdpa;                     /**< highest PDPA category found */
    unsigned sensitive;                /**< s.26 categories found: bit (1u << KHM_SENS_*) */
    uint64_t invalid;                  /**< invalid sequences of the encoding */
    int64_t split;              /**< lines, records or values over the cap, scanned in pieces */
    int64_t bad_lines;          /**< JSON Lines that are not JSON (skipped) */
    int64_t first_bad_line;     /**< 1-based line of the first one, 0 if none */
    const khm_scanner *scanner; /**< names the types of types[] */
} khm_scan_info;

/**
 * Scan a stream in bounded memory (about cap + 4 × block bytes, more for UTF-16/TIS-620 maps).
 * Findings' offsets are into the input as stored (after gzip: into the decompressed bytes).
 * @p prof (may be NULL) receives the columns of tabular input or the field paths of JSON; dispose
 * it with khm_profile_dispose(). Returns 0, 1 when the callback stopped the scan, or an error:
 * KHM_EIO (read failed), KHM_EINVALID (truncated or bad gzip, JSON syntax error), KHM_ENOMEM.
 * @p info is filled in every case (what was read before an error).
 */
int khm_scan_stream(const khm_scanner *sc, khm_scan_state *st, khm_read_fn rd, void *src,
                    const khm_scan_input *in, khm_profile *prof, khm_on_finding cb, void *payload,
                    khm_scan_info *info);
/** khm_scan_stream() over a file descriptor (read to its end, not closed). */
int khm_scan_fd(const khm_scanner *sc, khm_scan_state *st, int fd, const khm_scan_input *in,
                khm_profile *prof, khm_on_finding cb, void *payload, khm_scan_info *info);
/** khm_scan_stream() over a buffer. */
int khm_scan_mem(const khm_scanner *sc, khm_scan_state *st, const char *buf, size_t len,
                 const khm_scan_input *in, khm_profile *prof, khm_on_finding cb, void *payload,
                 khm_scan_info *info);

/* ---- output ---------------------------------------------------------------------------- */

/** Write the masked form of a finding's value ("1-2345-XXXXX-XX-1", "08X-XXX-5678"). */
int khm_scan_mask(khm_buf *out, const char *type, const char *v, size_t n);

/** Suggested data category and classification for the highest PDPA category found. */
const char *khm_scan_suggested_category(khm_pdpa p);
const char *khm_scan_suggested_classification(khm_pdpa p);

/* Each appends one compact JSON object (no newline) to @p b; see docs/scan-output.md. */
int khm_scan_write_finding(khm_buf *b, const char *file, const khm_finding *f, int show_values);

/** A file name with the JSON string khm_scan_write_finding() writes for it (quotes included;
 * null for NULL), made once per file so that each finding's record copies it rather than
 * escaping the name again. */
typedef struct {
    const char *file; /**< the name (not owned), or NULL */
    khm_buf json;     /**< its JSON form */
} khm_scan_name;

/** Set @p n to @p file (khm_buf_init() its json first, once). 0, KHM_ELIMIT past the json
 * buffer's cap or KHM_ENOMEM; the name is then escaped for each finding, as before. */
int khm_scan_name_set(khm_scan_name *n, const char *file);
/** khm_scan_write_finding(b, n->file, f, show_values), byte for byte, faster. */
int khm_scan_write_finding_named(khm_buf *b, const khm_scan_name *n, const khm_finding *f,
                                 int show_values);
int khm_scan_write_column(khm_buf *b, const char *file, const khm_profile *p, size_t col);
int khm_scan_write_file(khm_buf *b, const char *file, const khm_scan_info *t, double seconds);
int khm_scan_write_summary(khm_buf *b, int64_t files, uint64_t bytes, int64_t findings,
                           int64_t errors, double seconds);

/*
 * SARIF 2.1.0 (code-scanning dashboards): the head (tool, one rule per detector) opens the
 * results array, each finding is one result (the caller puts the commas between them), the tail
 * closes the document. The three together form one JSON document.
 */
int khm_scan_write_sarif_head(khm_buf *b, const char *version, const khm_scanner *sc);
int khm_scan_write_sarif_result(khm_buf *b, const char *file, const khm_finding *f,
                                int show_values);
int khm_scan_write_sarif_tail(khm_buf *b, int ok);

/**
 * Scan @p buf[0..len) (named @p name, may be NULL) and write the whole JSON document of
 * docs/scan-output.md — {"findings":[…],"columns":[…],"files":[…],"summary":{…}} — into @p out.
 * For requests: the buffer is already size-capped. 0, or KHM_EINVALID (bad gzip, JSON syntax;
 * the message says where), KHM_ENOMEM, KHM_ELIMIT (out is capped).
 */
int khm_scan_document(khm_buf *out, const khm_scanner *sc, khm_scan_state *st, const char *name,
                      const char *buf, size_t len, const khm_scan_input *in, int show_values);

/**
 * 1 when @p digits (exactly 13 ASCII digits, not NUL-terminated) carry a valid Thai national ID
 * check digit: (11 − (Σ first 12 digits × 13…2) mod 11) mod 10 (thai-rules.md §4.1); the same
 * check the TH_TNIN detector uses (det_th_tnin.c).
 */
int khm_th_tnin_check(const char digits[13]);

#ifdef __cplusplus
}
#endif
#endif
