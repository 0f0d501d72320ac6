/* Strict JSON input over jansson, and the declarative member checker used by every request
 * body. jansson already rejects invalid UTF-8, \u0000 and trailing data; we add duplicate-key
 * rejection, a size cap and a depth cap checked by a pre-scan (jansson's own depth limit is a
 * compile-time 2048, too deep for request bodies). */
#include <khomun/json.h>

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Deepest nesting of [ and { outside strings; stops counting once past @p limit. */
static int nesting_depth(const char *p, size_t n, int limit)
{
    int depth = 0, max = 0, in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (c == '"')
            in_str = 1;
        else if (c == '[' || c == '{') {
            if (++depth > max) {
                max = depth;
                if (max > limit)
                    return max;
            }
        } else if (c == ']' || c == '}')
            depth--;
    }
    return max;
}

int khm_json_parse(json_t **out, const char *p, size_t n, size_t max_bytes, int max_depth)
{
    json_error_t jerr;
    *out = NULL;
    if (!max_bytes)
        max_bytes = KHM_JSON_MAX_BYTES;
    if (!max_depth)
        max_depth = KHM_JSON_MAX_DEPTH;
    if (n > max_bytes)
        return khm_err_set(KHM_ELIMIT, "JSON document of %zu bytes is over the %zu-byte limit", n,
                           max_bytes);
    if (n == 0)
        return khm_err_field("body", "ไม่มีข้อมูลในคำขอ", "empty body: a JSON document is required");
    size_t bad;
    if (!khm_utf8_valid(p, n, &bad))
        return khm_err_field("body", "ข้อมูลต้องเข้ารหัสเป็น UTF-8", "invalid UTF-8 at byte offset %zu",
                             bad);
    if (nesting_depth(p, n, max_depth) > max_depth)
        return khm_err_field("body", "โครงสร้าง JSON ซ้อนกันลึกเกินไป",
                             "JSON nested deeper than %d levels", max_depth);
    json_t *v = json_loadb(p, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!v) {
        /* (jansson quotes the input near an error byte by byte: its text may stop inside a
         * UTF-8 sequence, and the message goes into problem+json) */
        khm_utf8_scrub(jerr.text);
        if (strstr(jerr.text, "duplicate"))
            return khm_err_field("body", "มีชื่อฟิลด์ซ้ำกันใน JSON", "%s (line %d, column %d)", jerr.text,
                                 jerr.line, jerr.column);
        return khm_err_field("body", "รูปแบบ JSON ไม่ถูกต้อง",
                             "malformed JSON: %s (line %d, column %d)", jerr.text, jerr.line,
                             jerr.column);
    }
    *out = v;
    return 0;
}

static const char *kind_name(khm_json_kind k)
{
    switch (k) {
    case KHM_JSON_STRING:
        return "a string";
    case KHM_JSON_INTEGER:
        return "an integer";
    case KHM_JSON_BOOLEAN:
        return "true or false";
    case KHM_JSON_OBJECT:
        return "an object";
    case KHM_JSON_ARRAY:
        return "an array";
    case KHM_JSON_NUMBER:
        return "a number";
    }
    return "?";
}

static const char *kind_name_th(khm_json_kind k)
{
    switch (k) {
    case KHM_JSON_STRING:
        return "ข้อความ";
    case KHM_JSON_INTEGER:
        return "จำนวนเต็ม";
    case KHM_JSON_BOOLEAN:
        return "ค่าจริงหรือเท็จ";
    case KHM_JSON_OBJECT:
        return "ออบเจกต์";
    case KHM_JSON_ARRAY:
        return "อาร์เรย์";
    case KHM_JSON_NUMBER:
        return "ตัวเลข";
    }
    return "?";
}

static int kind_ok(const json_t *v, khm_json_kind k)
{
    switch (k) {
    case KHM_JSON_STRING:
        return json_is_string(v);
    case KHM_JSON_INTEGER:
        return json_is_integer(v);
    case KHM_JSON_BOOLEAN:
        return json_is_boolean(v);
    case KHM_JSON_OBJECT:
        return json_is_object(v);
    case KHM_JSON_ARRAY:
        return json_is_array(v);
    case KHM_JSON_NUMBER:
        return json_is_number(v);
    }
    return 0;
}

int khm_json_check(const json_t *obj, const khm_json_field *fields)
{
    int bad = 0;
    char th[256];
    if (!json_is_object(obj))
        return khm_err_field("body", "ข้อมูลต้องเป็นออบเจกต์ JSON", "the body must be a JSON object");
    const char *key;
    json_t *val;
    /* jansson's iteration API is not const-correct; the object is only read */
    void *it;
    for (it = json_object_iter((json_t *)(uintptr_t)obj);
         it && (key = json_object_iter_key(it)) && (val = json_object_iter_value(it));
         it = json_object_iter_next((json_t *)(uintptr_t)obj, it)) {
        const khm_json_field *f = fields;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        if (!f->name) {
            size_t allowed = 0;
            char list[512] = "";
            for (const khm_json_field *g = fields; g->name; g++) {
                size_t l = strlen(list);
                snprintf(list + l, sizeof(list) - l, "%s%s", allowed++ ? ", " : "", g->name);
            }
            khm_err_field(key, "ไม่รู้จักฟิลด์นี้", "unknown field (allowed: %s)", list);
            bad++;
            continue;
        }
        /* null: accepted when nullable; for a required member the loop below reports it
         * as missing, once */
        if (json_is_null(val) && (f->required || f->nullable))
            continue;
        if (!kind_ok(val, f->kind)) {
            snprintf(th, sizeof(th), "%s ต้องเป็น%s", f->label_th ? f->label_th : f->name,
                     kind_name_th(f->kind));
            khm_err_field(key, th, "must be %s", kind_name(f->kind));
            bad++;
            continue;
        }
        if (f->kind == KHM_JSON_STRING) {
            const char *s = json_string_value(val);
            size_t len = json_string_length(val);
            size_t max = f->max_len ? f->max_len : 10000;
            size_t cps = khm_utf8_length(s, len);
            if (f->required && cps == 0) {
                snprintf(th, sizeof(th), "ต้องระบุ%s", f->label_th ? f->label_th : f->name);
                khm_err_field(key, th, "must not be empty");
                bad++;
            } else if (cps > max) {
                snprintf(th, sizeof(th), "%s ยาวเกิน %zu ตัวอักษร",
                         f->label_th ? f->label_th : f->name, max);
                khm_err_field(key, th, "must be at most %zu characters (got %zu)", max, cps);
                bad++;
            }
        }
    }
    for (const khm_json_field *f = fields; f->name; f++) {
        if (!f->required)
            continue;
        json_t *v = json_object_get(obj, f->name);
        if (!v || json_is_null(v)) {
            snprintf(th, sizeof(th), "ต้องระบุ%s", f->label_th ? f->label_th : f->name);
            khm_err_field(f->name, th, "is required");
            bad++;
        }
    }
    return bad ? KHM_EINVALID : 0;
}

const char *khm_json_str(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* OPTIMIZATION: khm_json_dump writes the compact form itself, byte for byte what
 * json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) writes (jansson 2.14: members in insertion order,
 * "," and ":" without spaces, strings copied except '"', '\\' and control characters — \b \f \n
 * \r \t, else \u00XX in upper-case hex —, integers as %lld): jansson decodes every UTF-8
 * character of every string through a callback, which made it a tenth of a catalog import's CPU
 * (bench/catalog). A real number (its shortest-round-trip form is jansson's own) or a value
 * nested deeper than DUMP_DEPTH goes to json_dumps whole. tests/unit/base/json.c compares both. */
#define DUMP_DEPTH 64

static int dump_str(khm_buf *b, const char *s, size_t n)
{
    int rc = khm_buf_putc(b, '"');
    if (rc == 0)
        rc = khm_buf_json_escape_jansson(b, s, n);
    return rc < 0 ? rc : khm_buf_putc(b, '"');
}

/* 0, 1 = not this way (a real, too deep), < 0 an error */
static int dump_fast(khm_buf *b, const json_t *v, int depth)
{
    int rc = 0;
    if (depth > DUMP_DEPTH)
        return 1;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *m;
        int first = 1;
        rc = khm_buf_putc(b, '{');
        json_object_foreach((json_t *)(uintptr_t)v, k, m)
        {
            if (rc == 0 && !first)
                rc = khm_buf_putc(b, ',');
            first = 0;
            if (rc == 0)
                rc = dump_str(b, k, strlen(k));
            if (rc == 0)
                rc = khm_buf_putc(b, ':');
            if (rc == 0)
                rc = dump_fast(b, m, depth + 1);
            if (rc)
                return rc;
        }
        return rc ? rc : khm_buf_putc(b, '}');
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *m;
        rc = khm_buf_putc(b, '[');
        json_array_foreach((json_t *)(uintptr_t)v, i, m)
        {
            if (rc == 0 && i)
                rc = khm_buf_putc(b, ',');
            if (rc == 0)
                rc = dump_fast(b, m, depth + 1);
            if (rc)
                return rc;
        }
        return rc ? rc : khm_buf_putc(b, ']');
    }
    case JSON_STRING:
        return dump_str(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return khm_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    case JSON_TRUE:
        return khm_buf_puts(b, "true");
    case JSON_FALSE:
        return khm_buf_puts(b, "false");
    case JSON_NULL:
        return khm_buf_puts(b, "null");
    default: /* JSON_REAL */
        return 1;
    }
}

char *khm_json_dump(const json_t *v, size_t *len)
{
    khm_buf b = KHM_BUF_INIT(SIZE_MAX / 2);
    int rc = v ? dump_fast(&b, v, 0) : 1;
    if (rc == 0 && (rc = khm_buf_put(&b, "", 0)) == 0) {
        if (len)
            *len = b.len;
        return b.ptr; /* (khm_buf allocates with khm_realloc: khm_free frees it) */
    }
    khm_buf_dispose(&b);
    if (rc < 0)
        return NULL;
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (s && len)
        *len = strlen(s);
    return s;
}

json_t *khm_json_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *khm_json_time(int64_t ms)
{
    char buf[KHM_TIME_RFC3339_LEN];
    if (!ms)
        return json_null();
    khm_time_format(buf, ms);
    return json_string(buf);
}

/* ---- streaming writer ---- */

void khm_jw_init(khm_jw *w, khm_buf *b)
{
    memset(w, 0, sizeof(*w));
    w->b = b;
}

static void jw_put(khm_jw *w, const char *p, size_t n)
{
    if (!w->err)
        w->err = khm_buf_put(w->b, p, n);
}

/* A comma before every value but the first at this depth, unless it follows its key. */
static void jw_value(khm_jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->n[w->depth]) /* a flag, not a count: a count would wrap after 255 values */
        jw_put(w, ",", 1);
    w->n[w->depth] = 1;
}

static void jw_open(khm_jw *w, char c)
{
    jw_value(w);
    jw_put(w, &c, 1);
    if (w->depth + 1 >= KHM_JW_MAX_DEPTH) {
        if (!w->err)
            w->err = khm_err_set(KHM_ELIMIT, "JSON writer nested too deep");
        return;
    }
    w->n[++w->depth] = 0;
}

static void jw_close(khm_jw *w, char c)
{
    if (w->depth > 0)
        w->depth--;
    jw_put(w, &c, 1);
}

void khm_jw_obj(khm_jw *w)
{
    jw_open(w, '{');
}

void khm_jw_obj_end(khm_jw *w)
{
    jw_close(w, '}');
}

void khm_jw_arr(khm_jw *w)
{
    jw_open(w, '[');
}

void khm_jw_arr_end(khm_jw *w)
{
    jw_close(w, ']');
}

static void jw_string(khm_jw *w, const char *s)
{
    size_t n = strlen(s);
    khm_buf *b = w->b;
    /* OPTIMIZATION: room for the quoted text (and the NUL) and nothing in it to escape — most
     * keys and values — is one copy instead of three appends and a byte loop */
    if (!w->err && b->ptr && n + 2 < b->cap - b->len && b->len + n + 2 <= b->max &&
        khm_json_plain_span(s, n) == n) {
        char *p = b->ptr + b->len;
        p[0] = '"';
        memcpy(p + 1, s, n);
        p[n + 1] = '"';
        p[n + 2] = '\0';
        b->len += n + 2;
        return;
    }
    jw_put(w, "\"", 1);
    if (!w->err)
        w->err = khm_buf_json_escape(w->b, s, n);
    jw_put(w, "\"", 1);
}

void khm_jw_key(khm_jw *w, const char *key)
{
    jw_value(w);
    jw_string(w, key);
    jw_put(w, ":", 1);
    w->after_key = 1;
}

void khm_jw_str(khm_jw *w, const char *s)
{
    if (!s) {
        khm_jw_null(w);
        return;
    }
    jw_value(w);
    jw_string(w, s);
}

void khm_jw_int(khm_jw *w, int64_t v)
{
    char tmp[24];
    jw_value(w);
    int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
    jw_put(w, tmp, (size_t)n);
}

void khm_jw_bool(khm_jw *w, int v)
{
    jw_value(w);
    if (v)
        jw_put(w, "true", 4);
    else
        jw_put(w, "false", 5);
}

void khm_jw_null(khm_jw *w)
{
    jw_value(w);
    jw_put(w, "null", 4);
}

void khm_jw_time(khm_jw *w, int64_t ms)
{
    char t[KHM_TIME_RFC3339_LEN];
    if (!ms) {
        khm_jw_null(w);
        return;
    }
    khm_time_format(t, ms);
    jw_value(w);
    jw_put(w, "\"", 1);
    jw_put(w, t, strlen(t));
    jw_put(w, "\"", 1);
}

void khm_jw_raw(khm_jw *w, const char *json, size_t n)
{
    jw_value(w);
    jw_put(w, json, n);
}

void khm_jw_members(khm_jw *w, const char *json, size_t n)
{
    jw_value(w);
    jw_put(w, json, n);
}

int khm_jw_finish(khm_jw *w)
{
    return w->err;
}

json_t *khm_jw_to_jansson(void (*write)(khm_jw *w, const void *rec), const void *rec)
{
    khm_buf b = KHM_BUF_INIT(16 << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    write(&w, rec);
    json_t *j = khm_jw_finish(&w) == 0 && b.ptr ? json_loadb(b.ptr, b.len, 0, NULL) : NULL;
    khm_buf_dispose(&b);
    return j;
}

/* ---- khm_json_load_value: a JSON value, faster than json_loadb ---- */

#define LOAD_DEPTH 256

typedef struct {
    const unsigned char *p, *end;
    khm_buf sb; /* a string with escapes, unescaped */
    int depth;
} loader;

static void load_ws(loader *l)
{
    while (l->p < l->end && (*l->p == ' ' || *l->p == '\n' || *l->p == '\r' || *l->p == '\t'))
        l->p++;
}

static int hex4(const unsigned char *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* The string at l->p ('"'): *s and *n, in the input or in l->sb; 0 or -1 (not taken). */
static int load_string(loader *l, const char **s, size_t *n)
{
    const unsigned char *start = ++l->p, *q = start;
    /* OPTIMIZATION: a string without escapes (nearly all) is validated and used in place */
    while (q < l->end && *q != '"' && *q != '\\' && *q >= 0x20)
        q++;
    if (q >= l->end || *q < 0x20)
        return -1;
    if (*q == '"') {
        if (!khm_utf8_valid((const char *)start, (size_t)(q - start), NULL))
            return -1;
        *s = (const char *)start;
        *n = (size_t)(q - start);
        l->p = q + 1;
        return 0;
    }
    khm_buf_reset(&l->sb);
    if (khm_buf_put(&l->sb, start, (size_t)(q - start)) < 0)
        return -1;
    for (;;) {
        const unsigned char *r = q;
        while (q < l->end && *q != '"' && *q != '\\' && *q >= 0x20)
            q++;
        if (q >= l->end || *q < 0x20 || khm_buf_put(&l->sb, r, (size_t)(q - r)) < 0)
            return -1;
        if (*q == '"')
            break;
        /* an escape */
        if (q + 1 >= l->end)
            return -1;
        char c, u8[4];
        size_t k = 1;
        switch (q[1]) {
        case '"':
            c = '"';
            break;
        case '\\':
            c = '\\';
            break;
        case '/':
            c = '/';
            break;
        case 'b':
            c = '\b';
            break;
        case 'f':
            c = '\f';
            break;
        case 'n':
            c = '\n';
            break;
        case 'r':
            c = '\r';
            break;
        case 't':
            c = '\t';
            break;
        case 'u': {
            uint32_t cp, lo;
            if (l->end - q < 6 || hex4(q + 2, &cp) < 0)
                return -1;
            q += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) { /* a surrogate pair */
                if (l->end - q < 6 || q[0] != '\\' || q[1] != 'u' || hex4(q + 2, &lo) < 0 ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return -1;
                q += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                return -1; /* (a lone low surrogate; \u0000: json_loadb refuses both) */
            }
            k = khm_utf8_encode(cp, u8);
            if (k == 0 || khm_buf_put(&l->sb, u8, k) < 0)
                return -1;
            continue;
        }
        default:
            return -1;
        }
        if (khm_buf_putc(&l->sb, c) < 0)
            return -1;
        q += 2;
    }
    if (!khm_utf8_valid(l->sb.ptr, l->sb.len, NULL))
        return -1;
    *s = l->sb.ptr;
    *n = l->sb.len;
    l->p = q + 1;
    return 0;
}

static json_t *load_any(loader *l);

static json_t *load_number(loader *l)
{
    const unsigned char *q = l->p;
    int neg = *q == '-';
    if (neg)
        q++;
    const unsigned char *d = q;
    while (q < l->end && *q >= '0' && *q <= '9')
        q++;
    size_t nd = (size_t)(q - d);
    if (nd == 0 || nd > 18 || (d[0] == '0' && nd > 1))
        return NULL;
    if (q < l->end && (*q == '.' || *q == 'e' || *q == 'E'))
        return NULL; /* a real: jansson's own conversion */
    json_int_t v = 0;
    for (const unsigned char *c = d; c < q; c++)
        v = v * 10 + (*c - '0');
    l->p = q;
    return json_integer(neg ? -v : v);
}

static json_t *load_any(loader *l)
{
    load_ws(l);
    if (l->p >= l->end)
        return NULL;
    switch (*l->p) {
    case '{': {
        if (++l->depth > LOAD_DEPTH)
            return NULL;
        json_t *o = json_object();
        l->p++;
        load_ws(l);
        if (o && l->p < l->end && *l->p == '}') {
            l->p++;
            l->depth--;
            return o;
        }
        while (o) {
            const char *k;
            size_t kn;
            if (l->p >= l->end || *l->p != '"' || load_string(l, &k, &kn) < 0)
                break;
            /* the key in l->sb is overwritten by the value's strings: keep it apart */
            char kbuf[256], *key = kn < sizeof(kbuf) ? kbuf : khm_malloc(kn + 1);
            if (!key)
                break;
            memcpy(key, k, kn);
            key[kn] = '\0';
            load_ws(l);
            json_t *v = NULL;
            if (l->p < l->end && *l->p == ':') {
                l->p++;
                v = load_any(l);
            }
            int rc = v ? json_object_setn_new_nocheck(o, key, kn, v) : -1;
            if (key != kbuf)
                khm_free(key);
            if (rc < 0)
                break;
            load_ws(l);
            if (l->p < l->end && *l->p == ',') {
                l->p++;
                load_ws(l);
                continue;
            }
            if (l->p < l->end && *l->p == '}') {
                l->p++;
                l->depth--;
                return o;
            }
            break;
        }
        json_decref(o);
        return NULL;
    }
    case '[': {
        if (++l->depth > LOAD_DEPTH)
            return NULL;
        json_t *a = json_array();
        l->p++;
        load_ws(l);
        if (a && l->p < l->end && *l->p == ']') {
            l->p++;
            l->depth--;
            return a;
        }
        while (a) {
            json_t *v = load_any(l);
            if (!v || json_array_append_new(a, v) < 0)
                break;
            load_ws(l);
            if (l->p < l->end && *l->p == ',') {
                l->p++;
                continue;
            }
            if (l->p < l->end && *l->p == ']') {
                l->p++;
                l->depth--;
                return a;
            }
            break;
        }
        json_decref(a);
        return NULL;
    }
    case '"': {
        const char *s;
        size_t n;
        return load_string(l, &s, &n) < 0 ? NULL : json_stringn_nocheck(s, n);
    }
    case 't':
        if (l->end - l->p >= 4 && memcmp(l->p, "true", 4) == 0) {
            l->p += 4;
            return json_true();
        }
        return NULL;
    case 'f':
        if (l->end - l->p >= 5 && memcmp(l->p, "false", 5) == 0) {
            l->p += 5;
            return json_false();
        }
        return NULL;
    case 'n':
        if (l->end - l->p >= 4 && memcmp(l->p, "null", 4) == 0) {
            l->p += 4;
            return json_null();
        }
        return NULL;
    default:
        return *l->p == '-' || (*l->p >= '0' && *l->p <= '9') ? load_number(l) : NULL;
    }
}

json_t *khm_json_load_value(const char *buf, size_t len, size_t *used)
{
    loader l = { (const unsigned char *)buf, (const unsigned char *)buf + len,
                 KHM_BUF_INIT((size_t)1 << 30), 0 };
    json_t *v = load_any(&l);
    /* a literal or number running on into letters ("truex", "5a") is not one value */
    if (v && !json_is_object(v) && !json_is_array(v) && !json_is_string(v) && l.p < l.end &&
        ((*l.p >= 'a' && *l.p <= 'z') || (*l.p >= 'A' && *l.p <= 'Z') ||
         (*l.p >= '0' && *l.p <= '9') || *l.p == '.' || *l.p == '-' || *l.p == '+' ||
         *l.p >= 0x80)) {
        json_decref(v);
        v = NULL;
    }
    khm_buf_dispose(&l.sb);
    if (v && used)
        *used = (size_t)(l.p - (const unsigned char *)buf);
    return v;
}
