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
        if (json_is_null(val) && !f->required && f->nullable)
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

char *khm_json_dump(const json_t *v, size_t *len)
{
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
