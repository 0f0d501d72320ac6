/* Sensitive personal data (PDPA s.26, thai-rules.md §1.4): the machinery the ten
 * det_<category>.c detectors share. They hold only words; this file matches them.
 *
 * Column level (the main way): a cell is a finding of category C when its column header names C
 * (ศาสนา, blood group, ICD-10 …) and the cell holds a value of C's lexicon or form (พุทธ, AB+,
 * E11.9). Empty and null cells ("-", "ไม่มี", "N/A") are never findings. The header test runs
 * once per column and thread: the categories a header names are cached, keyed by its bytes.
 *
 * Prose: a cue anchored at a trigger character (ศ of ศาสนา, ษ of พิพากษา, 'd' of "diagnosed"),
 * checked backwards (`back`) and forwards (`fwd`), then a value, a name or nothing, and vetoes:
 * a cue right after "ที่", "การ" (a general statement) or near "ประชากร", "ร้อยละ" (a group)
 * does not count. Precision before recall: a word alone (ศาสนา, โรงพยาบาล, union) never is one.
 *
 * Lexicons are sorted arrays searched by binary search over the bytes (ASCII case-folded), so a
 * lookup costs about log2(n) short compares; no allocation, no locale. */
#include "scan_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#define CELL_MAX   512 /* bytes of a cell looked at for a value */
#define HEADER_MAX 120 /* longer headers are matched every time, not cached */
#define NAME_MAX   96  /* bytes of a party or union name */
#define PERSON_WINDOW                                                          \
    192 /* bytes before a cue searched for a person (about 60 Thai characters) \
         */

const khm_sens_cat *const khm_sens_cats[] = {
    &khm_sens_ethnicity,
    &khm_sens_political_opinion,
    &khm_sens_religion,
    &khm_sens_sexual_behavior,
    &khm_sens_criminal_record,
    &khm_sens_health,
    &khm_sens_disability,
    &khm_sens_trade_union,
    &khm_sens_genetic,
    &khm_sens_biometric,
    NULL,
};

static inline unsigned fold(unsigned c)
{
    return c - 'A' < 26 ? c | 0x20 : c;
}

/* 1 when s[0..n) starts with w (ASCII of s case-folded). */
static int starts(const unsigned char *s, size_t n, const char *w)
{
    size_t k = 0;
    for (; w[k]; k++)
        if (k >= n || fold(s[k]) != (unsigned char)w[k])
            return 0;
    return 1;
}

/* 1 when p[lo..e) ends with w; the start of w in *at. */
static int ends_with(const unsigned char *p, size_t lo, size_t e, const char *w, size_t *at)
{
    size_t n = strlen(w);
    if (e - lo < n)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (fold(p[e - n + k]) != (unsigned char)w[k])
            return 0;
    *at = e - n;
    return 1;
}

/* ---- lexicon ---------------------------------------------------------------------------- */

/* Compare entry e with the text t[0..n): <0, 0 or >0 as strcmp would with t as a string. */
static int cmp_entry(const char *e, const unsigned char *t, size_t n)
{
    size_t k = 0;
    for (; e[k] && k < n; k++) {
        unsigned a = (unsigned char)e[k], b = fold(t[k]);
        if (a != b)
            return a < b ? -1 : 1;
    }
    return e[k] ? 1 : (k < n ? -1 : 0);
}

static size_t lcp(const char *e, const unsigned char *t, size_t n)
{
    size_t k = 0;
    while (e[k] && k < n && (unsigned char)e[k] == fold(t[k]))
        k++;
    return k;
}

/*
 * The longest entry that s starts with. Entries that are prefixes of s sort by length, and each
 * is ≤ s; so take the greatest entry ≤ s[0..m): if it is a prefix, it is the longest one; if
 * not, a shorter prefix entry must also be a prefix of it, so retry with m = their common
 * prefix. An ASCII entry must end at a word boundary ("thai" is not in "thailand").
 */
size_t khm_sens_lex_prefix(const char *const *lex, size_t nlex, const unsigned char *s, size_t n)
{
    size_t m = n;
    while (m > 0 && nlex > 0) {
        size_t a = 0, b = nlex; /* first entry > s[0..m) */
        while (a < b) {
            size_t h = a + (b - a) / 2;
            if (cmp_entry(lex[h], s, m) <= 0)
                a = h + 1;
            else
                b = h;
        }
        if (a == 0)
            return 0;
        const char *e = lex[a - 1];
        size_t l = lcp(e, s, m);
        if (e[l] == '\0') {
            unsigned last = (unsigned char)e[l - 1];
            if (last < 0x80 && khm_isalnum(last) && l < n && khm_isalnum(s[l])) {
                m = l - 1; /* glued to a longer word: look for a shorter entry */
                continue;
            }
            return l;
        }
        m = l;
    }
    return 0;
}

/* ---- column headers ------------------------------------------------------------------- */

/* A header folded for matching: lower case, '_', '-', '.', '/' as spaces, camelCase split. */
static size_t header_fold(const char *f, size_t n, unsigned char *out, size_t cap)
{
    size_t o = 0;
    for (size_t k = 0; k < n && o + 2 < cap; k++) {
        unsigned c = (unsigned char)f[k];
        if (c == '_' || c == '-' || c == '.' || c == '/' || c == ':' || c == '(' || c == ')')
            c = ' ';
        if (c - 'A' < 26 && k > 0 && (unsigned)((unsigned char)f[k - 1] - 'a') < 26)
            out[o++] = ' ';
        out[o++] = (unsigned char)fold(c);
    }
    return o;
}

static int word_in(const unsigned char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    int ascii = (unsigned char)w[0] < 0x80;
    for (size_t k = 0; k + wl <= n; k++) {
        if (s[k] != (unsigned char)w[0] || memcmp(s + k, w, wl) != 0)
            continue;
        if (!ascii)
            return 1;
        if ((k == 0 || !khm_isalpha(s[k - 1])) && (k + wl == n || !khm_isalpha(s[k + wl])))
            return 1;
    }
    return 0;
}

static int header_match(const khm_sens_cat *c, const char *f, size_t n)
{
    unsigned char buf[4 * HEADER_MAX];
    size_t m = header_fold(f, n, buf, sizeof(buf));
    for (const char *const *w = c->headers; w && *w; w++)
        if (word_in(buf, m, *w))
            return 1;
    return 0;
}

/* Per thread, the headers seen lately with the categories each names (bit 1 << KHM_SENS_*),
 * in a small direct-mapped cache: one slot per header of a table of up to about 64 columns.
 * Keyed by the bytes, not the pointer: a freed header's address may come back holding another
 * header. A miss tests the header against every category at once. */
#define HCACHE 64
static _Thread_local struct {
    size_t len; /* 0: empty */
    char text[HEADER_MAX];
    unsigned mask;
} hcache[HCACHE];

static unsigned header_mask(const char *f, size_t n)
{
    unsigned mask = 0;
    for (const khm_sens_cat *const *c = khm_sens_cats; *c; c++)
        if (header_match(*c, f, n))
            mask |= 1u << (*c)->sens;
    return mask;
}

int khm_sens_header(const khm_sens_cat *c, const char *f, size_t n)
{
    if (!f || n == 0)
        return 0;
    if (n > HEADER_MAX)
        return header_match(c, f, n);
    /* two slots per header (h, h + 1): a collision of two columns does not thrash */
    uint32_t x = (uint32_t)n * 0x9E3779B1u;
    for (size_t k = n > 6 ? n - 6 : 0; k < n; k++) /* the last two Thai characters */
        x = (x ^ (unsigned char)f[k]) * 0x01000193u;
    unsigned h = (x >> 16) % HCACHE, h2 = (h + 1) % HCACHE;
    if (hcache[h].len == n && memcmp(hcache[h].text, f, n) == 0)
        return (hcache[h].mask >> c->sens) & 1u;
    if (hcache[h2].len == n && memcmp(hcache[h2].text, f, n) == 0)
        return (hcache[h2].mask >> c->sens) & 1u;
    hcache[h2] = hcache[h];
    memcpy(hcache[h].text, f, n);
    hcache[h].len = n;
    hcache[h].mask = header_mask(f, n);
    return (hcache[h].mask >> c->sens) & 1u;
}

/* ---- cell values ---------------------------------------------------------------------- */

/* Null cells: not a value, whatever the column. Sorted. */
static const char *const nulls[] = {
    "-",     "--",   "---",  ".",     "/",       "?",     "n/a",  "na",     "nil",
    "no",    "none", "null", "nan",   "unknown", "x",     "—",    "ไม่ทราบ", "ไม่มี",
    "ไม่ระบุ", "ไม่",   "ไม่ใช่", "ไม่เป็น", "ไม่ได้ระบุ", "ไม่เคย", "ไม่พบ",
};
/* A cell starting with these denies rather than states: only a whole-cell lexicon entry counts
 * ("ไม่มีศาสนา" is an entry; "ไม่มีโรคประจำตัว" is not). */
static const char *const denials[] = {
    "ไม่มี", "ไม่เคย", "ไม่เป็น", "ไม่ใช่",   "ไม่พบ",  "ปฏิเสธ",
    "no ", "not ",  "non-",  "never ", "none ", NULL,
};
/* Yes: a value in a column of a KHM_SENSF_YES category ("union member: yes"). */
static const char *const yeses[] = {
    "member", "true", "y", "yes", "มี", "มีประวัติ", "ใช่", "เป็น", "เป็นสมาชิก", "✓",
};

static int is_in(const char *const *list, size_t n, const unsigned char *s, size_t len)
{
    for (size_t k = 0; k < n; k++)
        if (cmp_entry(list[k], s, len) == 0)
            return 1;
    return 0;
}

/* UTF-8 length of the character at s (1 for a stray byte). */
static inline size_t ch_len(unsigned c)
{
    /* by the high nibble: 0-B 1 byte, C-D 2, E 3, F 4 */
    return (size_t)(0x4322111111111111u >> ((c >> 4) * 4)) & 0xF;
}

int khm_sens_value(const khm_sens_cat *c, const unsigned char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    while (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
        s++;
        n--;
    }
    if (n == 0 || is_in(nulls, sizeof(nulls) / sizeof(nulls[0]), s, n))
        return 0;
    if ((c->flags & KHM_SENSF_YES) && is_in(yeses, sizeof(yeses) / sizeof(yeses[0]), s, n))
        return 1;
    for (const char *const *d = denials; *d; d++)
        if (starts(s, n, *d)) {
            size_t l = khm_sens_lex_prefix(c->values, c->nvalues, s, n);
            return l == n;
        }
    if (n > CELL_MAX)
        n = CELL_MAX;
    /* a value at a word start: ASCII after a non-letter, Thai at any character */
    for (size_t k = 0; k < n; k += ch_len(s[k])) {
        if (k > 0 && s[k] < 0x80 && (!khm_isalnum(s[k]) || khm_isalnum(s[k - 1])))
            continue;
        if (khm_sens_lex_prefix(c->values, c->nvalues, s + k, n - k))
            return 1;
        if (c->value_fn && (k == 0 || s[k - 1] >= 0x80 || !khm_isalnum(s[k - 1])) &&
            c->value_fn(s + k, n - k))
            return 1;
    }
    return 0;
}

/* ---- prose ---------------------------------------------------------------------------- */

/* People a statement may be about, before a cue on its line. Thai titles, pronouns, roles. */
static const char *const persons[] = {
    "นาย",   "นาง",    "น.ส.",  "ด.ช.",    "ด.ญ.",     "เด็กชาย", "เด็กหญิง", "ผู้ป่วย",      "คนไข้",
    "ลูกจ้าง", "พนักงาน", "ผู้สมัคร", "ผู้ต้องหา",  "จำเลย",    "เขา",    "เธอ",    "mr.",       "mrs.",
    "ms.",   "miss ",  "dr.",   "patient", "employee", "he ",    "she ",   "ผู้เอาประกัน", NULL,
};

static int person_before(const unsigned char *p, size_t lo, size_t at)
{
    size_t w = at - lo > PERSON_WINDOW ? at - PERSON_WINDOW : lo;
    for (size_t k = at; k > w; k--) /* stay on the line */
        if (p[k - 1] == '\n') {
            w = k;
            break;
        }
    for (size_t k = w; k < at; k++) {
        for (const char *const *t = persons; *t; t++) {
            if (fold(p[k]) != (unsigned char)(*t)[0] || !starts(p + k, at - k, *t))
                continue;
            /* a title, not a word that starts with one: นายก(รัฐมนตรี), นางฟ้า, he in "the" */
            size_t e = k + strlen(*t);
            if (strcmp(*t, "นาย") == 0 && e + 3 <= at && memcmp(p + e, "ก", 3) == 0)
                continue;
            if ((unsigned char)(*t)[0] < 0x80 && k > lo && khm_isalpha(p[k - 1]))
                continue;
            return 1;
        }
    }
    return 0;
}

static int vetoed(const khm_sens_cat *c, const unsigned char *p, size_t lo, size_t at)
{
    size_t x;
    for (const char *const *w = c->not_after; w && *w; w++) {
        size_t e = at;
        while (e > lo && p[e - 1] == ' ')
            e--;
        if (ends_with(p, lo, e, *w, &x))
            return 1;
    }
    if (!c->not_near)
        return 0;
    size_t w0 = at - lo > KHM_CONTEXT_WINDOW ? at - KHM_CONTEXT_WINDOW : lo;
    for (size_t k = at; k > w0; k--)
        if (p[k - 1] == '\n') {
            w0 = k;
            break;
        }
    for (const char *const *w = c->not_near; *w; w++)
        if (memmem(p + w0, at - w0, *w, strlen(*w)))
            return 1;
    return 0;
}

/* A name after a cue: a run of Thai characters (letters, marks, digits) up to a space or
 * punctuation, or capitalised English words (up to `tail`, when given). End offset, or j. */
static size_t name_at(const khm_sens_cat *c, const khm_sens_cue *q, const unsigned char *p,
                      size_t j, size_t len)
{
    size_t e = j, cap = j + NAME_MAX < len ? j + NAME_MAX : len;
    for (const char *const *w = c->not_names; w && *w; w++)
        if (starts(p + j, len - j, *w))
            return j;
    if (!q->tail && (e = khm_sens_lex_prefix(c->values, c->nvalues, p + j, len - j)) > 0)
        return j + e; /* a known name: it ends where the lexicon says */
    e = j;
    if (j < len && p[j] == 0xE0) {
        while (e + 3 <= cap && p[e] == 0xE0 && (p[e + 1] & 0xFE) == 0xB8)
            e += 3;
        return e - j >= 6 ? e : j; /* two characters at least */
    }
    /* English: Capitalised words, one space apart; with a tail, it must end with that word */
    size_t last = j;
    while (e < cap && p[e] - 'A' < 26) {
        size_t ws = e;
        while (e < cap && (khm_isalnum(p[e]) || p[e] == '\'' ||
                           ((p[e] == '-' || p[e] == '.') && e + 1 < cap && khm_isalnum(p[e + 1]))))
            e++;
        last = e;
        if (q->tail && starts(p + ws, e - ws, q->tail) && e - ws == strlen(q->tail))
            return e;
        if (e + 1 < cap && p[e] == ' ' && p[e + 1] - 'A' < 26)
            e++;
        else
            break;
    }
    return q->tail ? j : last;
}

/* A value after a cue (spaces, ':' and '=' skipped): its end, or 0. */
static size_t value_at(const khm_sens_cat *c, const unsigned char *p, size_t j, size_t len)
{
    size_t k = j;
    while (k < len && k - j < 4 && (p[k] == ' ' || p[k] == ':' || p[k] == '='))
        k++;
    size_t l = khm_sens_lex_prefix(c->values, c->nvalues, p + k, len - k);
    if (!l && c->value_fn)
        l = c->value_fn(p + k, len - k);
    return l ? k + l : 0;
}

static int is_sep(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' || c == ':' ||
           c == '(' || c == '"';
}

/* 1 when a clause ends at e: punctuation, the end, or "and", "who", "since", "by", "(" next. */
static int clause_end(const unsigned char *p, size_t e, size_t len)
{
    static const char *const next[] = { " and ", " who", " since", " by ", " (", " from ", NULL };
    if (e >= len || strchr(".,;:!?)\r\n\"", p[e]))
        return 1;
    for (const char *const *w = next; *w; w++)
        if (starts(p + e, len - e, *w))
            return 1;
    return 0;
}

/* The tests of cue q after its fwd (flen bytes at i) and back (from `start`) matched: word
 * bounds, what must follow, a person before, vetoes. 1 and *m on a match. */
static __attribute__((noinline)) int cue_rest(const khm_sens_cat *c, const khm_sens_cue *q,
                                              const unsigned char *p, size_t lo, size_t len,
                                              size_t i, size_t start, size_t flen, khm_match *m)
{
    size_t e;
    /* English cues start at a word */
    if (p[start] < 0x80 && start > lo && khm_isalpha(p[start - 1]))
        return 0;
    if ((q->flags & KHM_CUE_SEP) && start > lo && !is_sep(p[start - 1]))
        return 0;
    e = i + flen;
    if (q->flags & (KHM_CUE_VALUE | KHM_CUE_WORD)) {
        size_t v = value_at(c, p, e, len);
        if (!v && (q->flags & KHM_CUE_WORD)) {
            v = name_at(c, q, p, e, len);
            v = v > e ? v : 0;
        }
        if (!v)
            return 0;
        e = v;
    } else if (q->flags & (KHM_CUE_NAME | KHM_CUE_OPT_NAME)) {
        size_t v = name_at(c, q, p, e, len);
        if (v == e && (q->flags & KHM_CUE_NAME))
            return 0;
        e = v;
    } else if (e > lo && p[e - 1] < 0x80 && e < len && khm_isalpha(p[e])) {
        return 0; /* an English cue must end at a word end */
    }
    if ((q->flags & KHM_CUE_END) && !clause_end(p, e, len))
        return 0;
    if ((q->flags & KHM_CUE_PERSON) && !person_before(p, lo, start))
        return 0;
    if (vetoed(c, p, lo, start))
        return 0;
    m->start = start;
    m->end = e;
    m->score = 0.85;
    return 1;
}

/* Every cue of c, one after the other: for a category not in khm_sens_cats. */
static __attribute__((noinline)) int prose_all(const khm_sens_cat *c, const unsigned char *p,
                                               size_t lo, size_t len, size_t i, khm_match *m)
{
    for (size_t k = 0; k < c->ncues; k++) {
        const khm_sens_cue *q = &c->cues[k];
        size_t start = i;
        if (!starts(p + i, len - i, q->fwd))
            continue;
        if (q->back[0] && !ends_with(p, lo, i, q->back, &start))
            continue;
        if (cue_rest(c, q, p, lo, len, i, start, strlen(q->fwd), m))
            return 1;
    }
    return 0;
}

/*
 * The cues of each category in khm_sens_cats, indexed once (on first use, for all threads).
 * Cues with the same fwd form a group ("พรรค" of four political cues); the groups are bucketed
 * by their anchor's first two characters, an anchor of fewer (ศ of sexual behaviour, "" of
 * religion's "is a ") in every bucket. A trigger tests the fwd of each group of its bucket:
 * sixteen bytes in two masked word compares against the text's (ASCII case-folded), the rest
 * byte by byte. Only when a group matches are its cues' backs tested: first the two bytes before
 * the trigger against a table of the backs' last two bytes (by hash), then, in the order of the
 * category's table (the first cue that matches wins), the last eight bytes of each back in one
 * compare and the rest byte by byte. Bytes are compared as starts() and ends_with() would: the
 * text's ASCII letters case-folded (eight at once), Thai bytes as they are.
 */
#define CUE_MAX  64 /* cues of a category indexed (a bit each); more: prose_all */
#define CUE_HASH 64 /* buckets by the first two characters */

typedef struct {
    uint64_t pre[2], mask[2]; /* fwd's bytes 0-7 and 8-15, and masks of the bytes it has */
    uint64_t cues;            /* bit k: cue k has this fwd */
    const char *s;            /* the fwd */
    unsigned char flen;       /* bytes of fwd */
    unsigned char ffold;      /* fwd's bytes from the 16th hold an ASCII letter: fold */
} fwd_ix;

typedef struct {
    uint64_t post, bmask; /* back's last min(8, blen) bytes at the end of a word, their mask */
    unsigned char blen;   /* bytes of back */
    unsigned char bfold;  /* back holds an ASCII letter: compare case-folded */
    unsigned char flen;   /* bytes of fwd */
} back_ix;

typedef struct {
    const khm_sens_cat *cat; /* NULL: not indexed (too many cues, overlong words): prose_all */
    fwd_ix fwd[CUE_MAX];
    back_ix back[CUE_MAX];
    /* bit k: cue k may end at a text whose two bytes before the trigger hash to h (its back's
     * last two bytes do, or it has fewer) */
    uint64_t last2[256];
    unsigned short at[CUE_HASH + 2]; /* bucket b: groups ord[at[b] .. at[b + 1]); CUE_HASH: all */
    unsigned char ord[(CUE_HASH + 1) * CUE_MAX];
} cat_ix;

static cat_ix cat_index[KHM_SENS_COUNT];
static uint64_t byte_mask[9]; /* byte_mask[n]: the first n bytes of a loaded word */
static uint64_t end_mask[9];  /* end_mask[n]: its last n bytes */
static atomic_int ix_ready;
static pthread_once_t ix_once = PTHREAD_ONCE_INIT;

static __attribute__((noinline)) uint64_t load_short(const unsigned char *s, size_t n)
{
    uint64_t x = 0;
    memcpy(&x, s, n);
    return x;
}

/* The bytes s[0..min(n, 8)) as a word (zeros after the n-th). */
static inline uint64_t load8(const unsigned char *s, size_t n)
{
    uint64_t x;
    if (n < 8)
        return load_short(s, n);
    memcpy(&x, s, 8);
    return x;
}

/* ASCII A-Z to a-z in each byte of x (other bytes, Thai ones too, as they are). */
static inline uint64_t fold8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t h = x & ~high;
    uint64_t upper = (h + ones * (0x80 - 'A')) & ~(h + ones * (0x80 - 'Z' - 1)) & ~x & high;
    return x | (upper >> 2);
}

/* Bytes of the first two characters of s[0..n) (UTF-8 lead bytes), or 0 when s has fewer. */
static inline size_t two_chars(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    size_t a = ch_len(s[0]);
    if (a >= n)
        return 0;
    size_t b = a + ch_len(s[a]);
    return b <= n ? b : 0;
}

static inline unsigned key_hash(uint64_t x)
{
    return (unsigned)((x * 0x9E3779B97F4A7C15u) >> 58) % CUE_HASH;
}

/* Hash of the two bytes before a trigger (ASCII case-folded): 0..255. */
static inline unsigned last2_hash(unsigned a, unsigned b)
{
    return (((a << 8) | b) * 0x9E3779B1u) >> 24;
}

static int has_letter(const char *s)
{
    for (; *s; s++)
        if (khm_isalpha((unsigned char)*s))
            return 1;
    return 0;
}

static void index_cat(const khm_sens_cat *c, cat_ix *x)
{
    if (c->ncues > CUE_MAX)
        return;
    unsigned char wild[CUE_MAX];
    unsigned hash[CUE_MAX];
    size_t ng = 0;
    for (size_t k = 0; k < c->ncues; k++) {
        const khm_sens_cue *q = &c->cues[k];
        size_t fl = strlen(q->fwd), bl = strlen(q->back);
        if (fl > 255 || bl > 255)
            return;
        back_ix *bi = &x->back[k];
        bi->blen = (unsigned char)bl;
        bi->flen = (unsigned char)fl;
        bi->bfold = (unsigned char)has_letter(q->back);
        size_t m = bl < 8 ? bl : 8;
        unsigned char tail[8] = { 0 };
        memcpy(tail + 8 - m, q->back + bl - m, m);
        memcpy(&bi->post, tail, 8);
        bi->bmask = end_mask[m];
        if (bl >= 2)
            x->last2[last2_hash((unsigned char)q->back[bl - 2], (unsigned char)q->back[bl - 1])] |=
                (uint64_t)1 << k;
        else
            for (size_t h = 0; h < 256; h++)
                x->last2[h] |= (uint64_t)1 << k;
        size_t g = 0;
        while (g < ng && strcmp(x->fwd[g].s, q->fwd) != 0)
            g++;
        if (g < ng) {
            x->fwd[g].cues |= (uint64_t)1 << k;
            continue;
        }
        fwd_ix *fi = &x->fwd[ng++];
        fi->cues = (uint64_t)1 << k;
        fi->s = q->fwd;
        fi->flen = (unsigned char)fl;
        fi->ffold = fl > 16 && has_letter(q->fwd + 16);
        for (int w = 0; w < 2; w++) {
            size_t from = 8 * (size_t)w, got = fl > from ? fl - from : 0;
            fi->pre[w] = got ? load8((const unsigned char *)q->fwd + from, got) : 0;
            fi->mask[w] = byte_mask[got < 8 ? got : 8];
        }
        size_t two = two_chars((const unsigned char *)q->fwd, fl);
        wild[g] = two == 0;
        hash[g] = two ? key_hash(fi->pre[0] & byte_mask[two]) : 0;
    }
    size_t o = 0;
    for (unsigned b = 0; b <= CUE_HASH; b++) {
        x->at[b] = (unsigned short)o;
        for (size_t g = 0; g < ng; g++)
            if (b == CUE_HASH || wild[g] || hash[g] == b)
                x->ord[o++] = (unsigned char)g;
    }
    x->at[CUE_HASH + 1] = (unsigned short)o;
    x->cat = c;
}

static void index_build(void)
{
    for (size_t n = 0; n <= 8; n++) {
        unsigned char b[8] = { 0 };
        memset(b, 0xFF, n);
        memcpy(&byte_mask[n], b, 8);
        memset(b, 0, 8);
        memset(b + 8 - n, 0xFF, n);
        memcpy(&end_mask[n], b, 8);
    }
    for (size_t k = 0; khm_sens_cats[k]; k++) {
        unsigned s = khm_sens_cats[k]->sens;
        if (s < KHM_SENS_COUNT)
            index_cat(khm_sens_cats[k], &cat_index[s]);
    }
    atomic_store_explicit(&ix_ready, 1, memory_order_release);
}

/* The index of c, or NULL when c is not one of khm_sens_cats (or could not be indexed). */
static inline const cat_ix *index_of(const khm_sens_cat *c)
{
    if (!atomic_load_explicit(&ix_ready, memory_order_acquire))
        pthread_once(&ix_once, index_build);
    if (c->sens >= KHM_SENS_COUNT || cat_index[c->sens].cat != c)
        return NULL;
    return &cat_index[c->sens];
}

/* 1 when t[0..n) equals w[0..n), t's ASCII case-folded when `f` (w holds a letter). */
static inline int same(const unsigned char *t, const char *w, size_t n, int f)
{
    const unsigned char *u = (const unsigned char *)w;
    if (f) {
        for (size_t k = n; k-- > 0;)
            if (fold(t[k]) != u[k])
                return 0;
        return 1;
    }
    for (size_t k = n; k-- > 0;) /* from the end: next to the trigger, the likeliest to differ */
        if (t[k] != u[k])
            return 0;
    return 1;
}

/* The cues of `cues` (bits, in table order) whose back ends at i: the first that matches. */
static __attribute__((noinline)) int prose_backs(const khm_sens_cat *c, const cat_ix *x,
                                                 uint64_t cues, const unsigned char *p, size_t lo,
                                                 size_t len, size_t i, khm_match *m)
{
    /* the eight bytes before i (case-folded), when the buffer has them */
    uint64_t tb = i >= 8 ? fold8(load8(p + i - 8, 8)) : 0;
    for (; cues; cues &= cues - 1) {
        unsigned k = (unsigned)__builtin_ctzll(cues);
        const back_ix *bi = &x->back[k];
        const khm_sens_cue *q = &c->cues[k];
        size_t start = i;
        if (bi->blen) {
            size_t rest = bi->blen; /* bytes of back left to compare */
            if (i >= 8) {
                if ((tb ^ bi->post) & bi->bmask)
                    continue;
                rest = rest > 8 ? rest - 8 : 0;
            }
            if (bi->blen > i - lo || !same(p + i - bi->blen, q->back, rest, bi->bfold))
                continue;
            start = i - bi->blen;
        }
        if (cue_rest(c, q, p, lo, len, i, start, bi->flen, m))
            return 1;
    }
    return 0;
}

static inline int prose(const khm_sens_cat *c, const unsigned char *p, size_t lo, size_t len,
                        size_t i, khm_match *m)
{
    const cat_ix *x = index_of(c);
    if (!x)
        return prose_all(c, p, lo, len, i, m);
    size_t n = len - i;
    uint64_t t0 = fold8(load8(p + i, n)), t1 = 0;
    int have1 = 0;
    size_t two = two_chars(p + i, n < 8 ? n : 8);
    unsigned b = two ? key_hash(t0 & byte_mask[two]) : CUE_HASH;
    uint64_t cues = 0;
    for (unsigned o = x->at[b]; o < x->at[b + 1]; o++) {
        const fwd_ix *fi = &x->fwd[x->ord[o]];
        if (fi->flen > n || ((t0 ^ fi->pre[0]) & fi->mask[0]))
            continue;
        if (fi->flen > 8) {
            if (!have1) {
                t1 = fold8(load8(p + i + 8, n - 8));
                have1 = 1;
            }
            if (((t1 ^ fi->pre[1]) & fi->mask[1]) ||
                (fi->flen > 16 && !same(p + i + 16, fi->s + 16, fi->flen - 16u, fi->ffold)))
                continue;
        }
        cues |= fi->cues;
    }
    if (cues && i - lo >= 2)
        cues &= x->last2[last2_hash(fold(p[i - 2]), fold(p[i - 1]))];
    return cues ? prose_backs(c, x, cues, p, lo, len, i, m) : 0;
}

/* A cell of a column that passed khm_sens_header(c, …): the whole cell when it holds a value. */
static __attribute__((noinline)) int cell_match(const khm_sens_cat *c, const unsigned char *p,
                                                size_t lo, size_t len, khm_match *m)
{
    if (khm_sens_value(c, p + lo, len - lo)) {
        size_t s = lo, e = len;
        while (s < e && (p[s] == ' ' || p[s] == '\t'))
            s++;
        while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\t' || p[e - 1] == '\r'))
            e--;
        m->start = s;
        m->end = e;
        m->score = 0.9;
        return 1;
    }
    return 0; /* a sensitive column's null or odd cell: not prose either */
}

int khm_sens_match(const khm_sens_cat *c, const unsigned char *p, size_t lo, size_t len, size_t i,
                   const khm_det_ctx *cx, khm_match *m)
{
    if (i == lo && cx && cx->cell) /* the column passed khm_sens_header(c, …) */
        return cell_match(c, p, lo, len, m);
    return c->ncues ? prose(c, p, lo, len, i, m) : 0;
}

int khm_sens_header_det(const khm_detector *d, const char *f, size_t n)
{
    for (size_t k = 0; khm_sens_cats[k]; k++)
        if (khm_sens_cats[k]->sens == d->sens)
            return khm_sens_header(khm_sens_cats[k], f, n);
    return 0;
}

void khm_sens_prefixes_det(const khm_detector *d, khm_prefix_add add, void *arg)
{
    for (size_t k = 0; khm_sens_cats[k]; k++) {
        const khm_sens_cat *c = khm_sens_cats[k];
        if (c->sens != d->sens)
            continue;
        for (size_t q = 0; q < c->ncues; q++)
            add(arg, c->cues[q].fwd, strlen(c->cues[q].fwd));
    }
}
