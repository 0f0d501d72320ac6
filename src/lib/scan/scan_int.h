/* scan_int.h — what the scanner's files share: the detector row, the match a detector returns,
 * byte classes, and the context keyword test. Not installed. */
#ifndef KHM_SCAN_INT_H
#define KHM_SCAN_INT_H

#include <khomun/scan.h>

#include <stddef.h>
#include <stdint.h>

/* What a detector found at a position: [start, end) and its score before context. The scanner
 * sets subtype to NULL and pdpa to -1 before each call; a detector may set them (a DATE_TIME
 * that is a date of birth: subtype "date_of_birth", pdpa KHM_PDPA_PERSONAL). */
typedef struct {
    size_t start, end;
    double score;
    const char *subtype; /* static string or NULL */
    int pdpa;            /* -1: the detector's own category */
} khm_match;

/* Where the bytes being scanned come from: the column header or JSON field path (also context
 * for every value under it), or NULL for running text. */
typedef struct {
    const char *field;
    size_t field_len;
    int cell; /* 1: the call at the start of a cell whose column this detector's header test
                 accepted (KHM_TRIG_CELL); 0: any other call */
} khm_det_ctx;

/*
 * A detector tries to match at @p i (a byte of one of its trigger classes) in p[0..len), where
 * [lo, len) is the region it may use (a CSV cell, a JSON string, or a block of text). 1 and *m
 * on a match. KHM_TRIG_CELL detectors are called once per cell or field value, at i == lo.
 */
typedef int (*khm_det_fn)(const unsigned char *p, size_t lo, size_t len, size_t i,
                          const khm_det_ctx *cx, khm_match *m);

/* Trigger classes: the bytes at which a detector is tried. */
enum {
    KHM_TRIG_DIGIT = 1,  /* 0-9 at the start of a token */
    KHM_TRIG_PLUS = 2,   /* '+' or '(' at the start of a token */
    KHM_TRIG_AT = 4,     /* '@' */
    KHM_TRIG_UPPER = 8,  /* A-Z at the start of a token */
    KHM_TRIG_LOWER = 16, /* a-z at the start of a token */
    KHM_TRIG_COLON = 32, /* ':' */
    KHM_TRIG_HEX = 64,   /* a-f, A-F: an IPv6 group may start a token with one */
    KHM_TRIG_H = 128, /* 'h', 'H': "http" — URLs need nothing else, so other words cost nothing */
    /* Not byte classes of the ASCII table: */
    KHM_TRIG_THAI = 256, /* a Thai character listed in the detector's `thai` string */
    KHM_TRIG_CELL = 512  /* once per CSV cell or JSON value that has a field name */
};
#define KHM_TRIG_SETS 256 /* number of ASCII trigger class sets */

struct khm_detector;
/* A cell detector's column test: 1 when cells under header f[0..n) may hold its type. */
typedef int (*khm_header_fn)(const struct khm_detector *d, const char *f, size_t n);
/* Receives one string a Thai-triggered match may start with (see `prefixes`). */
typedef void (*khm_prefix_add)(void *arg, const char *w, size_t n);
/* Lists every string a Thai-triggered match of @p d may start with at its trigger. */
typedef void (*khm_prefixes_fn)(const struct khm_detector *d, khm_prefix_add add, void *arg);

struct khm_detector {
    const char *name;           /* entity type, Presidio's name where one exists */
    khm_pdpa pdpa;              /* PDPA category */
    khm_det_fn fn;              /* the matcher */
    unsigned trig;              /* KHM_TRIG_* */
    double boost;               /* added to the score when context is found */
    const char *const *context; /* keywords (ASCII matched case-insensitively, whole words) */
    const char *summary;        /* one line for docs and --help */
    unsigned sens;              /* KHM_SENS_* of a sensitive (PDPA s.26) type, 0 otherwise */
    const char *thai;  /* KHM_TRIG_THAI: the Thai characters a match may start with ("นดเ") */
    const char *ascii; /* KHM_TRIG_UPPER/LOWER: if set, the only letters (lower-case here, either
                        * case in the text) a match may start with ("bcd"); NULL: any */
    khm_header_fn header; /* KHM_TRIG_CELL: which columns to try (once per column); NULL: all */
    /* KHM_TRIG_THAI: the strings a match starts with (titles, cue words), so the scanner tries
     * the detector only where the first TWO characters fit; NULL: wherever the first fits */
    khm_prefixes_fn prefixes;
    /* KHM_TRIG_DIGIT: what a match tried at an ASCII digit needs, tested by the scanner before
     * the call (the detector's own first rejections, stated here so that the scanner measures
     * the run of digits once for all detectors): the first digit (bit c for '0' + c; 0: any) and
     * the length r of the run of ASCII digits starting there (bit r, r = 1..31, 31 standing for
     * 31 or more; 0: any), widened by dflags; and the class of the byte after a run of 1..30
     * digits (bit KHM_NEXT_*; 0: any) */
    unsigned short dfirst;
    uint32_t druns;
    unsigned dflags; /* KHM_DGATE_* */
    unsigned char dnext;
};

/* Widenings of a detector's digit gate (druns). */
enum {
    KHM_DGATE_SEP1 = 1, /* also a run of one digit followed by '-' or ' ' (1-2345-67890-12-1) */
    KHM_DGATE_HIGH = 2, /* also any run followed by a byte >= 0x80 (a Thai digit or month) */
};

/* Classes of the byte after a run of digits (the digit gates): KHM_NEXT_OTHER is also the end of
 * the region. */
enum {
    KHM_NEXT_OTHER,
    KHM_NEXT_SEP,   /* '-' or ' ' */
    KHM_NEXT_HIGH,  /* >= 0x80 */
    KHM_NEXT_DOT,   /* '.' */
    KHM_NEXT_COLON, /* ':' */
    KHM_NEXT_SLASH, /* '/' */
    KHM_NEXT_HEX,   /* a-f, A-F */
    KHM_NEXT_ALPHA, /* g-z, G-Z */
    KHM_NEXT_CLASSES
};
#define KHM_NEXT(c) (1u << (c))

/* The class of byte z after a run of digits (0 at the region's end). */
static inline unsigned khm_next_class(unsigned z)
{
    if (z >= 0x80)
        return KHM_NEXT_HIGH;
    if (z == '-' || z == ' ')
        return KHM_NEXT_SEP;
    if (z == '.')
        return KHM_NEXT_DOT;
    if (z == ':')
        return KHM_NEXT_COLON;
    if (z == '/')
        return KHM_NEXT_SLASH;
    unsigned l = (z | 0x20u) - 'a';
    return l < 6 ? KHM_NEXT_HEX : l < 26 ? KHM_NEXT_ALPHA : KHM_NEXT_OTHER;
}
/* Bits of druns for runs of a..b digits; of dfirst for first digits a..b. */
#define KHM_RUNS(a, b)  ((uint32_t)((2u << (b)) - (1u << (a))))
#define KHM_FIRST(a, b) ((unsigned short)((2u << (b)) - (1u << (a))))

extern const khm_detector khm_detectors[];
extern const size_t khm_detector_count;

/* The detectors, one file each. */
int khm_det_th_tnin(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                    khm_match *m);
int khm_det_email(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                  khm_match *m);
int khm_det_phone(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                  khm_match *m);
int khm_det_credit_card(const unsigned char *p, size_t lo, size_t len, size_t i,
                        const khm_det_ctx *cx, khm_match *m);
int khm_det_ip_address(const unsigned char *p, size_t lo, size_t len, size_t i,
                       const khm_det_ctx *cx, khm_match *m);
int khm_det_iban(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                 khm_match *m);
int khm_det_th_juristic_id(const unsigned char *p, size_t lo, size_t len, size_t i,
                           const khm_det_ctx *cx, khm_match *m);
int khm_det_url(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                khm_match *m);
int khm_det_date_time(const unsigned char *p, size_t lo, size_t len, size_t i,
                      const khm_det_ctx *cx, khm_match *m);
int khm_det_th_passport(const unsigned char *p, size_t lo, size_t len, size_t i,
                        const khm_det_ctx *cx, khm_match *m);
int khm_det_th_bank_account(const unsigned char *p, size_t lo, size_t len, size_t i,
                            const khm_det_ctx *cx, khm_match *m);
int khm_det_th_license_plate(const unsigned char *p, size_t lo, size_t len, size_t i,
                             const khm_det_ctx *cx, khm_match *m);
int khm_det_person(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                   khm_match *m);
int khm_det_location(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                     khm_match *m);

/* ---- custom detectors (custom.c) ---- */
enum { KHM_VALID_NONE, KHM_VALID_TH_ID, KHM_VALID_LUHN, KHM_VALID_MOD97, KHM_VALID__COUNT };
typedef struct {
    char *name, *pattern, *description;
    char **context; /* NULL-terminated */
    int validator;  /* KHM_VALID_* */
    double score;
    khm_pdpa pdpa;
    unsigned sens;
    int caseless;
} khm_custom_det;

struct hs_database;
struct khm_scan_config {
    khm_custom_det *dets;
    size_t n;
    struct hs_database *db;
};

typedef struct {
    size_t start, end;
    unsigned id;
} khm_custom_match;

const char *khm_custom_validator_name(int v);
/* Matches of the custom patterns in p[lo..hi): leftmost-longest, non-overlapping, validated,
 * in order; at most @p cap. 0, or -1 when the scan failed. */
int khm_custom_scan(const khm_scan_config *c, void *scratch, const unsigned char *p, size_t lo,
                    size_t hi, khm_custom_match *out, size_t cap, size_t *n);
void *khm_custom_scratch_new(const khm_scan_config *c);
void khm_custom_scratch_free(void *s);

/* Masking (mask.c): the masked form of v[0..n) written to out, which has room for
 * n + KHM_MASK_SLACK bytes; its length. @p det is the finding's detector when @p type is that
 * detector's own name pointer (the rule is then a table lookup), else -1. */
#define KHM_MASK_SLACK 48
size_t khm_scan_mask_to(char *out, int det, const char *type, const char *v, size_t n);

/* Validators, exposed for tests and for custom detectors. */
int khm_th_tnin_check(const char digits[13]);
int khm_luhn_check(const char *digits, size_t n);
int khm_iban_check(const char *s, size_t n);
/* 1 when a column header names people (ชื่อ, ชื่อ-นามสกุล, นามสกุล, name, first_name …). */
int khm_person_name_header(const char *f, size_t n);
int khm_person_header_det(const khm_detector *d, const char *f, size_t n);
void khm_person_prefixes(const khm_detector *d, khm_prefix_add add, void *arg);
/* 1 when a column header holds addresses (ที่อยู่, address …). */
int khm_location_header(const char *f, size_t n);
int khm_location_header_det(const khm_detector *d, const char *f, size_t n);

/* Dates (det_date_time.c). Eras of a written year: unknown, Thai text (two-digit years are
 * Buddhist-era), explicitly BE (พ.ศ.), explicitly CE (ค.ศ., A.D.). */
enum { KHM_ERA_NONE = 0, KHM_ERA_THAI, KHM_ERA_BE, KHM_ERA_CE };
/* The CE year of year @p y written with @p ndigits digits (2 or 4) in @p era: 2400-2700 are
 * BE (CE = BE - 543); two-digit years are BE 25yy in Thai text; -1 when out of range. */
int khm_date_ce_year(int y, size_t ndigits, int era);
/* 1 when day @p d of month @p mo exists in CE year @p y (y <= 0: unknown, 29 Feb allowed). */
int khm_date_valid(int y, int mo, int d);
/* The year of a reported DATE_TIME value as written, for masking: 1 and its span, or 0. */
int khm_date_year_span(const char *v, size_t n, size_t *off, size_t *ylen);

static inline int khm_isdigit(unsigned c)
{
    return c - '0' < 10;
}
static inline int khm_isalpha(unsigned c)
{
    return (c | 0x20) - 'a' < 26;
}
static inline int khm_isalnum(unsigned c)
{
    return khm_isdigit(c) || khm_isalpha(c);
}
/* A byte that glues a number to a word: a number next to one is part of something else. */
static inline int khm_isword(unsigned c)
{
    return khm_isalnum(c) || c == '_' || c == '@';
}

/* 1 when a number may start at i: no word byte before it, and not after "digit." or "digit,". */
static inline int khm_num_left_ok(const unsigned char *p, size_t lo, size_t i)
{
    if (i <= lo)
        return 1;
    unsigned b = p[i - 1];
    if (khm_isword(b))
        return 0;
    if ((b == '.' || b == ',' || b == '-' || b == '/') && i - 1 > lo && khm_isdigit(p[i - 2]))
        return 0;
    return 1;
}

/* 1 when a number may end at e: no word byte after it, and no ".digit", "-digit", "/digit". */
static inline int khm_num_right_ok(const unsigned char *p, size_t len, size_t e)
{
    if (e >= len)
        return 1;
    unsigned b = p[e];
    if (khm_isword(b))
        return 0;
    if ((b == '.' || b == ',' || b == '-' || b == '/') && e + 1 < len && khm_isdigit(p[e + 1]))
        return 0;
    return 1;
}

/* What a column (CSV header, JSON field path) decides once for all its cells: which detectors'
 * context words its name holds, and which cell detectors accept it. */
#define KHM_PLAN_MAX 64
typedef struct {
    uint64_t ctx; /* bit d: detector d's context words are in the field */
    size_t ncell;
    unsigned char cell[KHM_PLAN_MAX];
} khm_colplan;
void khm_colplan_init(const khm_scanner *sc, khm_colplan *cp, const char *f, size_t n);

/* Where a region's findings belong, and how their offsets map back to the input as stored. */
typedef struct {
    int64_t row, col;
    int64_t cell_id;   /* counts a column's rows matched: each JSON value is its own (-1: row) */
    const char *field; /* header or JSON path, also context */
    size_t field_len;
    const khm_colplan *plan; /* the field's plan, or NULL (then decided per cell) */
    khm_on_finding cb;
    void *payload;
    int stopped;
    int64_t count;
    khm_profile *prof;
    /* offsets: the scanned buffer is the window, or (umap) an unescaped JSON string whose byte k
     * came from window offset uoff + umap[k]; a window offset w is input offset map[w], or
     * base + w without a map (UTF-8 input) */
    const uint32_t *umap;
    size_t uoff;
    const uint64_t *map;
    uint64_t base;
    /* only matches starting in [emit_lo, emit_hi) of the window are reported (pieces of a line
     * over the cap overlap; the next piece reports what the previous one left); emit_end: the
     * window offset where the last reported match ended */
    size_t emit_lo, emit_hi, emit_end;
    size_t wlen; /* the window's length (the line counter may look ahead to it), 0: unknown */
} khm_region;

/* Scan buf[lo..hi) (the window itself, or an unescaped string; see khm_region). */
void khm_scan_region(const khm_scanner *sc, khm_scan_state *st, const char *buf, size_t lo,
                     size_t hi, khm_region *rc);
/* Start line counting on a new window @p win at line 1. */
void khm_scan_state_reset(khm_scan_state *st, const char *win);
/* The window moved: its bytes [0, cut) are gone and line counting continues after them. */
void khm_scan_state_shift(khm_scan_state *st, size_t cut);
/* Add columns up to @p ncols to a profile; -1 on OOM. */
int khm_profile_grow(khm_profile *prof, size_t ncols);

/* Tabular scanning over consecutive windows of whole records. */
typedef struct {
    char delim;
    int started;
    char **hdr; /* header cells */
    size_t nhdr;
    size_t *hlen;       /* their lengths */
    khm_colplan *plans; /* their plans */
    int64_t rows;       /* data rows in earlier windows */
    int64_t nrows;      /* data rows seen */
} khm_tab;
void khm_tab_init(khm_tab *t, char delim);
/* Scan the whole records in win[0..len) (the first window decides the header); -1 on OOM. */
int khm_tab_window(const khm_scanner *sc, khm_scan_state *st, khm_tab *t, const char *win,
                   size_t len, khm_region *rc);
/* Name the profile's columns, set its row count, free the header; -1 on OOM. */
int khm_tab_finish(khm_tab *t, khm_profile *prof);

/* 1 when one of @p words occurs in s[0..n) (context.c). */
int khm_context_has(const char *const *words, const char *s, size_t n);

/* Context window before a candidate, in bytes (about 20 Thai characters). */
#define KHM_CONTEXT_WINDOW 64

/* ---- Sensitive data (PDPA s.26, thai-rules.md §1.4): sensitive.c, shared by the ten
 * det_<category>.c detectors, which hold only their words. ---------------------------------- */

/* A prose cue: `back` must end right before the trigger byte, `fwd` starts at it (so fwd starts
 * with a character listed in the detector's `thai` or `ascii`; an empty fwd with KHM_CUE_VALUE:
 * the value starts at the trigger). Byte-exact, ASCII case-folded (write ASCII in lower case). */
typedef struct {
    const char *back; /* "" for none */
    const char *fwd;
    unsigned flags;   /* KHM_CUE_* */
    const char *tail; /* KHM_CUE_NAME with English words: the last word ("party"), or NULL */
} khm_sens_cue;

enum {
    KHM_CUE_VALUE =
        1, /* a value of the lexicon (or value_fn) must follow; the match ends after it */
    KHM_CUE_PERSON = 2,   /* a person (title, pronoun, role noun) must come before it on the line */
    KHM_CUE_NAME = 4,     /* a name must follow: a run of Thai letters, or capitalised words */
    KHM_CUE_OPT_NAME = 8, /* a name may follow (taken into the match when present) */
    KHM_CUE_WORD = 16,    /* a value of the lexicon, else the Thai word run up to a space */
    KHM_CUE_SEP = 32,     /* the cue follows a space, punctuation or the start of the line */
    KHM_CUE_END = 64,     /* the match ends a clause: punctuation, the end, "and", "who" follow */
};

/* One s.26 category: its column headers, its value lexicon, its prose cues. */
typedef struct {
    unsigned sens;              /* KHM_SENS_* */
    const char *const *headers; /* header words: Thai anywhere, ASCII whole words; NULL-ended */
    const char *const *values;  /* value lexicon, sorted by strcmp, ASCII in lower case */
    size_t nvalues;
    /* a value recognised by its form (blood group, ICD-10 code, dose): its length at s, or 0 */
    size_t (*value_fn)(const unsigned char *s, size_t n);
    unsigned flags;           /* KHM_SENSF_* */
    const khm_sens_cue *cues; /* prose cues, or NULL */
    size_t ncues;
    const char *const *not_after; /* a cue right after one of these does not count; NULL-ended */
    const char *const *not_near;  /* nor one less than 64 bytes after one of these (same line) */
    const char *const *not_names; /* names (KHM_CUE_NAME) that are no name: "การเมือง" */
} khm_sens_cat;

enum {
    KHM_SENSF_YES = 1, /* a yes ("มี", "yes", "เป็นสมาชิก") in a column of the category counts */
};

/*
 * The matcher of a sensitive detector: at a cell start with a column header (i == lo and
 * cx->field) the whole cell is a finding when the header names the category and the cell holds
 * one of its values; elsewhere (and when the cell test fails) a prose cue of the category
 * anchored at i.
 */
int khm_sens_match(const khm_sens_cat *c, const unsigned char *p, size_t lo, size_t len, size_t i,
                   const khm_det_ctx *cx, khm_match *m);
/* 1 when header @p f names category @p c (cached per thread and header: a memcmp per cell). */
int khm_sens_header(const khm_sens_cat *c, const char *f, size_t n);
/* The column test of the sensitive detector @p d (its category by d->sens). */
int khm_sens_header_det(const khm_detector *d, const char *f, size_t n);
/* The prose cues' anchors of the sensitive detector @p d. */
void khm_sens_prefixes_det(const khm_detector *d, khm_prefix_add add, void *arg);
/* 1 when a cell's trimmed text s[0..n) holds a value of @p c (and is not "-", "ไม่มี", "N/A" …). */
int khm_sens_value(const khm_sens_cat *c, const unsigned char *s, size_t n);
/* Length of the longest entry of the sorted lexicon lex[0..nlex) that s[0..n) starts with
 * (ASCII case-folded; an ASCII entry must end at a word boundary), or 0. Binary search. */
size_t khm_sens_lex_prefix(const char *const *lex, size_t nlex, const unsigned char *s, size_t n);

/* The categories, one per det_<category>.c, and a NULL-ended list of them for tests. */
extern const khm_sens_cat khm_sens_ethnicity, khm_sens_political_opinion, khm_sens_religion,
    khm_sens_sexual_behavior, khm_sens_criminal_record, khm_sens_health, khm_sens_disability,
    khm_sens_trade_union, khm_sens_genetic, khm_sens_biometric;
extern const khm_sens_cat *const khm_sens_cats[];

int khm_det_ethnicity(const unsigned char *p, size_t lo, size_t len, size_t i,
                      const khm_det_ctx *cx, khm_match *m);
int khm_det_political_opinion(const unsigned char *p, size_t lo, size_t len, size_t i,
                              const khm_det_ctx *cx, khm_match *m);
int khm_det_religion(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                     khm_match *m);
int khm_det_sexual_behavior(const unsigned char *p, size_t lo, size_t len, size_t i,
                            const khm_det_ctx *cx, khm_match *m);
int khm_det_criminal_record(const unsigned char *p, size_t lo, size_t len, size_t i,
                            const khm_det_ctx *cx, khm_match *m);
int khm_det_health(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                   khm_match *m);
int khm_det_disability(const unsigned char *p, size_t lo, size_t len, size_t i,
                       const khm_det_ctx *cx, khm_match *m);
int khm_det_trade_union(const unsigned char *p, size_t lo, size_t len, size_t i,
                        const khm_det_ctx *cx, khm_match *m);
int khm_det_genetic(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                    khm_match *m);
int khm_det_biometric(const unsigned char *p, size_t lo, size_t len, size_t i,
                      const khm_det_ctx *cx, khm_match *m);

#endif
