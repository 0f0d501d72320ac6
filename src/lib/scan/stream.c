/* Streams: scan any amount of input in bounded memory. Bytes come from a read function (a file,
 * stdin, a request body), through gzip when the input starts with its magic bytes, through a
 * decoder to UTF-8 (UTF-16 and TIS-620 keep a map back to the bytes as stored), into a window
 * of at most cap + 3 × block bytes. Each round scans the window's whole units — lines of text,
 * CSV records (quote-aware), JSON values (the JSON reader says how far it got) — and moves the
 * rest to the front. A line, record or value longer than the cap is scanned in pieces and
 * counted in info->split, never held whole. */
#include "scan_int.h"

#include <khomun/alloc.h>
#include <khomun/err.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

#define KHM_SCAN_BLOCK    ((size_t)1 << 20)
#define KHM_SCAN_CAP      ((size_t)1 << 20)
#define KHM_JSON_MAXCOLS  4096
#define KHM_DETECT_SAMPLE 65536 /* bytes the encoding is guessed from */

const char *khm_in_format_name(khm_in_format f)
{
    static const char *const names[] = { "auto", "csv", "tsv", "json", "jsonl", "text" };
    return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "auto";
}

int khm_in_format_parse(const char *s, khm_in_format *out)
{
    static const struct {
        const char *name;
        khm_in_format f;
    } names[] = {
        { "auto", KHM_IN_AUTO }, { "csv", KHM_IN_CSV },     { "tsv", KHM_IN_TSV },
        { "json", KHM_IN_JSON }, { "jsonl", KHM_IN_JSONL }, { "ndjson", KHM_IN_JSONL },
        { "text", KHM_IN_TEXT }, { "txt", KHM_IN_TEXT },
    };
    for (size_t k = 0; s && k < sizeof(names) / sizeof(names[0]); k++)
        if (strcasecmp(s, names[k].name) == 0) {
            *out = names[k].f;
            return 0;
        }
    return khm_err_field(
        "input-format", "รูปแบบข้อมูลนำเข้าไม่ถูกต้อง (auto, csv, tsv, json, jsonl, text)",
        "unknown input format '%s' (allowed: auto, csv, tsv, json, jsonl, text)", s ? s : "");
}

/* JSON field paths → profile columns (open addressing over the column names). */
typedef struct {
    int32_t slot[2 * KHM_JSON_MAXCOLS]; /* column index + 1, 0 = free */
    uint32_t len[KHM_JSON_MAXCOLS];     /* each column's path length */
} path_index;

typedef struct {
    const khm_scanner *sc;
    khm_scan_state *st;
    const khm_scan_input *in;
    khm_scan_info *info;
    khm_profile *prof;
    khm_on_finding cb;
    void *payload;
    khm_region rc;
    /* source */
    khm_read_fn rd;
    void *src;
    int eof;     /* the source is exhausted (and inflated, and decoded) */
    int src_eof; /* the read function said 0 */
    z_stream z;
    int gz, gz_end;
    unsigned char *raw; /* compressed or to-be-decoded bytes */
    size_t raw_len, raw_pos;
    unsigned char *zout; /* inflated bytes waiting for the decoder */
    /* decoding */
    khm_decoder dec;
    int identity;    /* UTF-8: window offsets are input offsets + base */
    uint64_t in_off; /* input bytes (after gzip) handed to the decoder or window */
    /* window */
    char *win;
    uint64_t *map; /* map[0..wlen], only when !identity */
    size_t wlen, wcap, block, cap;
    int in_long;      /* the unit at the window's start was already split */
    size_t next_emit; /* report nothing starting before this in the next window (pieces) */
    int64_t nvalues;  /* JSON values seen: each counts once in its column's matched rows */
    /* formats */
    khm_in_format fmt;
    khm_tab tab;
    khm_jsonr *json;
    char *ubuf; /* unescaped JSON string */
    uint32_t *umap;
    path_index *paths;
    khm_colplan *plans; /* per profile column (JSON fields) */
    int err;
    int late_err; /* reported after scanning what could be read (truncated gzip) */
} stream;

static int stream_fail(stream *s, int code)
{
    if (!s->err)
        s->err = code;
    return code;
}

/* The user's callback, after counting the finding for the file's totals. */
static int count_finding(const khm_finding *f, void *payload)
{
    stream *s = payload;
    khm_scan_info *info = s->info;
    info->findings++;
    if (f->det >= 0 && f->det < KHM_SCAN_MAX_TYPES)
        info->types[f->det]++;
    if (f->pdpa > info->pdpa)
        info->pdpa = f->pdpa;
    if (f->sens)
        info->sensitive |= 1u << f->sens;
    return s->cb ? s->cb(f, s->payload) : 0;
}

/* Read up to n bytes of the source as stored; 0 at its end. */
static long read_raw(stream *s, unsigned char *dst, size_t n)
{
    if (s->src_eof)
        return 0;
    long got;
    do
        got = s->rd(s->src, (char *)dst, n);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return stream_fail(s, khm_err_set(KHM_EIO, "read failed: %s", strerror(errno)));
    if (got == 0)
        s->src_eof = 1;
    s->info->bytes += (uint64_t)got;
    if (s->in->progress && got > 0)
        s->in->progress(s->info->bytes, s->payload);
    return got;
}

/* Up to n bytes of the input after gzip into dst; 0 at its end, < 0 on error. */
static long pull(stream *s, unsigned char *dst, size_t n)
{
    if (!s->gz)
        return read_raw(s, dst, n);
    s->z.next_out = dst;
    s->z.avail_out = (uInt)n;
    while (s->z.avail_out == n) {
        if (s->z.avail_in == 0) {
            long got = read_raw(s, s->raw, s->block);
            if (got < 0)
                return got;
            if (got == 0) {
                /* what was inflated is scanned; the error is reported at the end */
                if (!s->gz_end && !s->late_err)
                    s->late_err = khm_err_set(KHM_EINVALID, "truncated gzip input: the "
                                                            "compressed stream ends before its "
                                                            "end marker");
                break;
            }
            s->z.next_in = s->raw;
            s->z.avail_in = (uInt)got;
        }
        if (s->gz_end) { /* another gzip member follows */
            if (inflateReset(&s->z) != Z_OK)
                return stream_fail(s, khm_err_set(KHM_EINVALID, "bad gzip member"));
            s->gz_end = 0;
        }
        int zr = inflate(&s->z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            s->gz_end = 1;
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            return stream_fail(s, khm_err_set(KHM_EINVALID, "bad gzip data: %s",
                                              s->z.msg ? s->z.msg : "inflate failed"));
        }
    }
    return (long)(n - s->z.avail_out);
}

/* Append decoded input to the window; sets s->eof at the end of the input. */
static int fill(stream *s)
{
    size_t room = s->wcap - s->wlen;
    if (s->identity) {
        size_t want = room < s->block ? room : s->block;
        long got = pull(s, (unsigned char *)s->win + s->wlen, want);
        if (got < 0)
            return (int)got;
        if (got == 0) {
            s->eof = 1;
            khm_decode_finish(&s->dec, NULL, NULL); /* counts a sequence cut at the end */
        } else { /* validated in place: counts invalid sequences, changes nothing */
            khm_decode(&s->dec, (unsigned char *)s->win + s->wlen, (size_t)got, s->in_off,
                       s->win + s->wlen, NULL);
        }
        s->wlen += (size_t)got;
        s->in_off += (uint64_t)got;
        return 0;
    }
    size_t want = room / 3 > 8 ? room / 3 - 8 : 0;
    if (want > s->block)
        want = s->block;
    long got = pull(s, s->zout, want);
    if (got < 0)
        return (int)got;
    size_t out;
    if (got == 0) {
        out = khm_decode_finish(&s->dec, s->win + s->wlen, s->map + s->wlen);
        s->eof = 1;
    } else {
        out = khm_decode(&s->dec, s->zout, (size_t)got, s->in_off, s->win + s->wlen,
                         s->map + s->wlen);
        s->in_off += (uint64_t)got;
    }
    s->wlen += out;
    s->map[s->wlen] = s->in_off - s->dec.ncarry; /* where the next byte will come from */
    return 0;
}

/* Overlap of the pieces of a line longer than the cap: a value up to this long that straddles
 * a cut is found whole by the piece that scans past the cut. */
#define KHM_PIECE_OVERLAP 256

/* Where to cut a piece of a line longer than the cap: KHM_PIECE_OVERLAP before the end, on a
 * UTF-8 character boundary. */
static size_t piece_cut(const char *w, size_t len)
{
    size_t c = len - KHM_PIECE_OVERLAP;
    while (c > 0 && ((unsigned char)w[c] & 0xC0) == 0x80)
        c--;
    return c;
}

/* End of the last whole line in w[0..len), 0 if none. */
static size_t last_line(const char *w, size_t len)
{
    const char *nl = memrchr(w, '\n', len);
    return nl ? (size_t)(nl - w) + 1 : 0;
}

/* End of the last whole CSV record: after the last newline outside quotes. Quotes are counted
 * forward (a loop the compiler vectorises), then the parity at each newline is known walking
 * back from the end. */
static size_t last_record(const char *w, size_t len)
{
    if (!memchr(w, '"', len))
        return last_line(w, len);
    size_t q = 0, k = 0;
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (k + 8 <= len) { /* count '"' eight bytes at a time */
        uint64_t acc = 0;  /* eight byte-wide counters, summed every 255 words at most */
        for (size_t end = k + 8 * 255 < len ? k + 8 * 255 : len; k + 8 <= end; k += 8) {
            uint64_t x;
            memcpy(&x, w + k, 8);
            x ^= ones * '"';
            /* exact per-byte zero test: high bit of each byte set where the byte was '"' */
            acc += (~(((x & ~highs) + ~highs) | x | ~highs)) >> 7;
        }
        const uint64_t m16 = 0x00FF00FF00FF00FFull; /* byte pairs summed, then the four sums */
        q += (size_t)((((acc & m16) + ((acc >> 8) & m16)) * 0x0001000100010001ull) >> 48);
    }
    for (; k < len; k++)
        q += w[k] == '"';
    for (size_t j = len; j > 0; j--) {
        char c = w[j - 1];
        if (c == '"')
            q--;
        else if (c == '\n' && (q & 1) == 0)
            return j;
    }
    return 0;
}

/* ---- JSON ---- */

/* A hash of a field path, eight bytes at a time (paths repeat with every record). */
static uint32_t hash_path(const char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t w;
        memcpy(&w, p + k, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
    }
    if (k < n) { /* the rest: fixed-size loads overlapping what was hashed */
        uint64_t w = 0;
        if (n >= 8) {
            memcpy(&w, p + n - 8, 8);
        } else if (n >= 4) {
            uint32_t a, b;
            memcpy(&a, p, 4);
            memcpy(&b, p + n - 4, 4);
            w = a | (uint64_t)b << 32;
        } else {
            for (size_t j = 0; j < n; j++)
                w = w << 8 | (unsigned char)p[j];
        }
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
    }
    return (uint32_t)(h ^ (h >> 32));
}

/* The profile column of a JSON path, added on first sight; -1 past the column limit. */
static int64_t path_column(stream *s, const char *p, size_t n)
{
    if (!s->prof)
        return -1;
    if (!s->paths && !(s->paths = khm_calloc(1, sizeof(*s->paths))))
        return stream_fail(s, khm_err_set(KHM_ENOMEM, "out of memory")), -1;
    size_t mask = 2 * KHM_JSON_MAXCOLS - 1;
    for (size_t k = hash_path(p, n) & mask;; k = (k + 1) & mask) {
        int32_t c = s->paths->slot[k];
        if (c == 0) {
            size_t col = s->prof->ncols;
            if (col >= KHM_JSON_MAXCOLS)
                return -1;
            char *name = khm_malloc(n + 1);
            if (!name || khm_profile_grow(s->prof, col + 1) < 0) {
                khm_free(name);
                return stream_fail(s, khm_err_set(KHM_ENOMEM, "out of memory")), -1;
            }
            memcpy(name, p, n);
            name[n] = '\0';
            s->prof->cols[col].field = name;
            if (!s->plans && !(s->plans = khm_malloc(KHM_JSON_MAXCOLS * sizeof(*s->plans))))
                return stream_fail(s, khm_err_set(KHM_ENOMEM, "out of memory")), -1;
            khm_colplan_init(s->sc, &s->plans[col], name, n);
            s->paths->slot[k] = (int32_t)col + 1;
            s->paths->len[col] = (uint32_t)n;
            return (int64_t)col;
        }
        if (s->paths->len[c - 1] == n && memcmp(s->prof->cols[c - 1].field, p, n) == 0)
            return c - 1;
    }
}

static int on_json_value(const khm_json_value *v, void *payload)
{
    stream *s = payload;
    khm_region *rc = &s->rc;
    if (v->record + 1 > s->info->rows)
        s->info->rows = v->record + 1;
    if (v->end <= v->start)
        return 0;
    if (v->partial)
        s->info->split++;
    rc->row = v->record;
    rc->cell_id = s->nvalues++;
    rc->field = v->path;
    rc->field_len = v->path_len;
    rc->col = path_column(s, v->path, v->path_len);
    if (s->err)
        return 1;
    rc->plan = rc->col >= 0 ? &s->plans[rc->col] : NULL;
    if (rc->col >= 0)
        s->prof->cols[rc->col].rows++;
    if (v->kind == KHM_JV_STRING && v->escaped) {
        size_t n = khm_json_unescape(s->win + v->start, v->end - v->start, s->ubuf, s->umap);
        s->umap[n] = (uint32_t)(v->end - v->start);
        rc->umap = s->umap;
        rc->uoff = v->start;
        khm_scan_region(s->sc, s->st, s->ubuf, 0, n, rc);
        rc->umap = NULL;
    } else {
        khm_scan_region(s->sc, s->st, s->win, v->start, v->end, rc);
    }
    return rc->stopped;
}

/* ---- format guessing ---- */

static const char *ext_of(const char *name, char *tmp, size_t tmpsz)
{
    const char *slash = name ? strrchr(name, '/') : NULL, *base = slash ? slash + 1 : name;
    if (!base)
        return "";
    size_t n = strlen(base);
    if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0) { /* a.csv.gz is a CSV */
        snprintf(tmp, tmpsz, "%.*s", (int)(n - 3), base);
        base = tmp;
    }
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot + 1 : "";
}

/* JSON Lines when at least two of the first lines start with '{' and none with anything else. */
static int looks_jsonl(const char *w, size_t len)
{
    size_t lines = 0, k = 0;
    while (k < len && lines < 8) {
        while (k < len && (w[k] == ' ' || w[k] == '\t' || w[k] == '\r' || w[k] == '\n'))
            k++;
        if (k >= len)
            break;
        if (w[k] != '{')
            return 0;
        const char *nl = memchr(w + k, '\n', len - k);
        lines++;
        if (!nl)
            break;
        k = (size_t)(nl - w) + 1;
    }
    return lines >= 2;
}

static khm_in_format guess_format(const khm_scan_input *in, const char *w, size_t len)
{
    char tmp[256];
    const char *e = ext_of(in->name, tmp, sizeof(tmp));
    size_t k = 0;
    while (k < len && (w[k] == ' ' || w[k] == '\t' || w[k] == '\r' || w[k] == '\n'))
        k++;
    int jsonish = k < len && (w[k] == '{' || w[k] == '[');
    if (strcasecmp(e, "csv") == 0)
        return KHM_IN_CSV;
    if (strcasecmp(e, "tsv") == 0 || strcasecmp(e, "tab") == 0)
        return KHM_IN_TSV;
    if (strcasecmp(e, "jsonl") == 0 || strcasecmp(e, "ndjson") == 0)
        return KHM_IN_JSONL;
    if (strcasecmp(e, "json") == 0)
        return looks_jsonl(w, len) ? KHM_IN_JSONL : KHM_IN_JSON;
    if (*e && strcasecmp(e, "txt") != 0 && strcasecmp(e, "text") != 0 && !jsonish)
        return KHM_IN_TEXT;
    if (jsonish)
        return w[k] == '{' && looks_jsonl(w, len) ? KHM_IN_JSONL : KHM_IN_JSON;
    if (*e) /* .txt */
        return KHM_IN_TEXT;
    char d = khm_csv_sniff(w, len);
    const char *nl = memchr(w, '\n', len);
    if (d && nl && memchr(nl + 1, '\n', len - (size_t)(nl + 1 - w))) /* two lines at least */
        return d == '\t' ? KHM_IN_TSV : KHM_IN_CSV;
    return KHM_IN_TEXT;
}

/* ---- the loop ---- */

/* Scan the window's whole units; returns how many bytes were consumed. */
static size_t scan_units(stream *s)
{
    khm_region *rc = &s->rc;
    int last = s->eof;
    size_t cut = 0;
    rc->wlen = s->wlen;
    if (s->fmt == KHM_IN_JSON || s->fmt == KHM_IN_JSONL) {
        int64_t used = khm_jsonr_feed(s->json, s->win, s->wlen, s->cap, last, on_json_value, s);
        if (used < 0) { /* -1 with the error set (KHM_EINVALID: where and what) */
            const khm_error *e = khm_err_last();
            stream_fail(s, e && e->code < 0 ? e->code : KHM_EINVALID);
            return s->wlen;
        }
        return (size_t)used;
    }
    size_t scan_to, emit_lo = s->next_emit;
    s->next_emit = 0;
    if (last) {
        cut = s->wlen;
    } else {
        cut = s->fmt == KHM_IN_TEXT ? last_line(s->win, s->wlen) : last_record(s->win, s->wlen);
        if (cut == 0 && s->wlen >= s->cap) {
            if (!s->in_long)
                s->info->split++;
            s->in_long = 1;
            if (s->fmt == KHM_IN_TEXT) { /* overlapping pieces */
                cut = piece_cut(s->win, s->wlen);
                rc->row = rc->col = rc->cell_id = -1;
                rc->field = NULL;
                rc->field_len = 0;
                rc->plan = NULL;
                rc->emit_lo = emit_lo;
                rc->emit_hi = cut;
                rc->emit_end = 0;
                khm_scan_region(s->sc, s->st, s->win, 0, s->wlen, rc);
                rc->emit_lo = 0;
                rc->emit_hi = SIZE_MAX;
                s->next_emit = rc->emit_end > cut ? rc->emit_end - cut : 0;
                return cut;
            }
            cut = s->wlen;
        } else if (cut) {
            s->in_long = 0;
        }
    }
    if (cut == 0)
        return 0;
    scan_to = cut;
    if (s->fmt == KHM_IN_TEXT) {
        rc->row = rc->col = rc->cell_id = -1;
        rc->field = NULL;
        rc->field_len = 0;
        rc->plan = NULL;
        rc->emit_lo = emit_lo;
        khm_scan_region(s->sc, s->st, s->win, 0, scan_to, rc);
        rc->emit_lo = 0;
    } else if (khm_tab_window(s->sc, s->st, &s->tab, s->win, cut, rc) < 0) {
        stream_fail(s, khm_err_set(KHM_ENOMEM, "out of memory"));
    }
    return cut;
}

static void shift(stream *s, size_t cut)
{
    if (cut == 0)
        return;
    khm_scan_state_shift(s->st, cut);
    memmove(s->win, s->win + cut, s->wlen - cut);
    if (s->map) {
        memmove(s->map, s->map + cut, (s->wlen - cut + 1) * sizeof(*s->map));
        s->rc.map = s->map;
    }
    s->rc.base += cut;
    s->info->scanned += cut;
    s->wlen -= cut;
}

static void stream_dispose(stream *s)
{
    if (s->gz)
        inflateEnd(&s->z);
    khm_free(s->raw);
    khm_free(s->zout);
    khm_free(s->win);
    khm_free(s->map);
    khm_free(s->ubuf);
    khm_free(s->umap);
    khm_free(s->paths);
    khm_free(s->plans);
    khm_jsonr_free(s->json);
}

/* The first bytes: gzip? which encoding? binary? which format? */
static int start(stream *s)
{
    size_t n = 0;
    long got = 0;
    /* raw: bytes as stored (compressed when gzip); zout: the first block after gzip */
    if (!(s->raw = khm_malloc(s->block)) || !(s->zout = khm_malloc(s->block)))
        return stream_fail(s, khm_err_set(KHM_ENOMEM, "out of memory"));
    while (n < 2 && (got = read_raw(s, s->raw + n, s->block - n)) > 0)
        n += (size_t)got;
    if (got < 0)
        return (int)got;
    if (s->in->gzip > 0 || (s->in->gzip == 0 && n >= 2 && s->raw[0] == 0x1f && s->raw[1] == 0x8b)) {
        memset(&s->z, 0, sizeof(s->z));
        if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
            return stream_fail(s, khm_err_set(KHM_ENOMEM, "out of memory"));
        s->gz = 1;
        s->info->gzip = 1;
        s->z.next_in = s->raw;
        s->z.avail_in = (uInt)n;
        n = 0;
    } else {
        memcpy(s->zout, s->raw, n);
    }
    /* fill zout with the first block of the input after gzip */
    while (n < s->block && (got = pull(s, s->zout + n, s->block - n)) > 0)
        n += (size_t)got;
    if (got < 0)
        return (int)got;
    size_t bom = 0, sample = n < KHM_DETECT_SAMPLE ? n : KHM_DETECT_SAMPLE;
    khm_enc enc = khm_enc_detect(s->zout, sample, &bom);
    if (s->in->encoding != KHM_ENC_AUTO) {
        size_t b2 = 0;
        khm_enc seen = khm_enc_detect(s->zout, sample, &b2);
        enc = s->in->encoding;
        bom = seen == enc ? b2 : 0; /* a BOM of the encoding given is still skipped */
    }
    s->info->encoding = enc;
    khm_decoder_init(&s->dec, enc);
    s->identity = enc == KHM_ENC_UTF8;
    s->wcap = s->cap + 3 * s->block + 64;
    if (!(s->win = khm_malloc(s->wcap + 1)))
        return stream_fail(s, khm_err_set(KHM_ENOMEM, "out of memory"));
    if (!s->identity && !(s->map = khm_malloc((s->wcap + 1) * sizeof(*s->map))))
        return stream_fail(s, khm_err_set(KHM_ENOMEM, "out of memory"));
    if (s->identity) {
        memcpy(s->win, s->zout + bom, n - bom);
        khm_decode(&s->dec, (unsigned char *)s->win, n - bom, bom, s->win, NULL);
        s->wlen = n - bom;
        s->in_off = n;
        s->rc.base = bom;
    } else {
        s->in_off = bom;
        s->wlen = khm_decode(&s->dec, s->zout + bom, n - bom, bom, s->win, s->map);
        s->in_off = n;
        s->map[s->wlen] = s->in_off - s->dec.ncarry;
        s->rc.map = s->map;
    }
    size_t probe = s->wlen < 8192 ? s->wlen : 8192;
    if (probe && memchr(s->win, '\0', probe)) {
        s->info->binary = 1;
        return 0;
    }
    s->fmt = s->in->format != KHM_IN_AUTO ? s->in->format : guess_format(s->in, s->win, s->wlen);
    s->info->format = s->fmt;
    if (s->fmt == KHM_IN_CSV || s->fmt == KHM_IN_TSV) {
        khm_tab_init(&s->tab, s->fmt == KHM_IN_TSV ? '\t' : 0);
        s->info->rows = 0;
    } else if (s->fmt == KHM_IN_JSON || s->fmt == KHM_IN_JSONL) {
        if (khm_jsonr_new(&s->json, s->fmt == KHM_IN_JSONL) < 0 ||
            !(s->ubuf = khm_malloc(s->wcap + 1)) ||
            !(s->umap = khm_malloc((s->wcap + 1) * sizeof(*s->umap))))
            return stream_fail(s, khm_err_set(KHM_ENOMEM, "out of memory"));
        s->info->rows = 0;
    } else {
        s->info->rows = -1;
    }
    return 0;
}

int khm_scan_stream(const khm_scanner *sc, khm_scan_state *st, khm_read_fn rd, void *src,
                    const khm_scan_input *in, khm_profile *prof, khm_on_finding cb, void *payload,
                    khm_scan_info *info)
{
    static const khm_scan_input defaults = { 0 };
    stream s;
    memset(&s, 0, sizeof(s));
    memset(info, 0, sizeof(*info));
    if (prof) {
        memset(prof, 0, sizeof(*prof));
        prof->ndet = khm_scanner_type_count(sc);
        prof->scanner = sc;
    }
    s.sc = sc;
    s.st = st;
    s.in = in ? in : &defaults;
    s.info = info;
    s.prof = prof;
    s.cb = cb;
    s.payload = payload;
    s.rd = rd;
    s.src = src;
    s.block = s.in->block ? s.in->block : KHM_SCAN_BLOCK;
    s.cap = s.in->cap ? s.in->cap : KHM_SCAN_CAP;
    if (s.cap < 4096)
        s.cap = 4096;
    s.rc.row = s.rc.col = s.rc.cell_id = -1;
    s.rc.cb = count_finding;
    s.rc.payload = &s;
    s.rc.prof = prof;
    s.rc.emit_hi = SIZE_MAX;
    info->rows = -1;
    info->scanner = sc;
    if (start(&s) == 0 && !info->binary) {
        khm_scan_state_reset(st, s.win);
        for (;;) {
            size_t cut = scan_units(&s);
            if (s.err || s.rc.stopped)
                break;
            shift(&s, cut);
            if (s.eof && (s.wlen == 0 || cut == 0))
                break;
            if (!s.eof && fill(&s) < 0)
                break;
        }
    }
    if (s.json) {
        info->bad_lines = khm_jsonr_bad_lines(s.json);
        info->first_bad_line = khm_jsonr_first_bad_line(s.json);
    }
    if (s.fmt == KHM_IN_CSV || s.fmt == KHM_IN_TSV) {
        if (khm_tab_finish(&s.tab, prof) < 0)
            stream_fail(&s, khm_err_set(KHM_ENOMEM, "out of memory"));
        info->rows = s.tab.nrows;
    }
    info->invalid = s.dec.invalid;
    stream_dispose(&s);
    if (!s.err && s.late_err) /* set the message again: scanning may have set others */
        s.err = khm_err_set(s.late_err, "truncated gzip input: the compressed stream ends "
                                        "before its end marker");
    if (s.err)
        return s.err;
    return s.rc.stopped ? 1 : 0;
}

/* ---- sources ---- */

static long read_fd(void *src, char *buf, size_t n)
{
    return (long)read(*(int *)src, buf, n);
}

int khm_scan_fd(const khm_scanner *sc, khm_scan_state *st, int fd, const khm_scan_input *in,
                khm_profile *prof, khm_on_finding cb, void *payload, khm_scan_info *info)
{
    return khm_scan_stream(sc, st, read_fd, &fd, in, prof, cb, payload, info);
}

typedef struct {
    const char *p;
    size_t len, pos;
} mem_src;

static long read_mem(void *src, char *buf, size_t n)
{
    mem_src *m = src;
    size_t k = m->len - m->pos < n ? m->len - m->pos : n;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return (long)k;
}

int khm_scan_mem(const khm_scanner *sc, khm_scan_state *st, const char *buf, size_t len,
                 const khm_scan_input *in, khm_profile *prof, khm_on_finding cb, void *payload,
                 khm_scan_info *info)
{
    mem_src m = { buf, len, 0 };
    return khm_scan_stream(sc, st, read_mem, &m, in, prof, cb, payload, info);
}
