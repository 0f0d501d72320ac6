/* Custom detectors (docs/scan-config.md): an agency's own identifiers — an employee number, a
 * case number, a member card — described in a JSON file (khomun scan --config FILE) and compiled
 * with vectorscan (the Hyperscan API) into one database that scans a region in one pass. Each has
 * a name, a pattern, an optional validator from the built-in set (Thai mod-11, Luhn, mod-97),
 * context words, a base score and a PDPA category. Every problem in the file is named by its path
 * (detectors[2].pattern) in English and Thai, and nothing is compiled until all are right. */
#include "scan_int.h"

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/json.h>

#include <errno.h>
#include <hs/hs.h>
#include <stdio.h>
#include <string.h>

#define KHM_CUSTOM_MAX     (KHM_SCAN_MAX_TYPES - 32) /* built-ins leave room for this many */
#define KHM_CONFIG_MAX     ((size_t)1 << 20)
#define KHM_CUSTOM_MAX_CTX 32

static const char *const validators[] = { "none", "th_id", "luhn", "mod97", NULL };

const char *khm_custom_validator_name(int v)
{
    return v >= 0 && v < KHM_VALID__COUNT ? validators[v] : NULL;
}

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 40 || !(s[0] >= 'A' && s[0] <= 'Z'))
        return 0;
    for (size_t k = 0; k < n; k++)
        if (!((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9') || s[k] == '_'))
            return 0;
    return 1;
}

static char *dup_str(const char *s)
{
    return s ? khm_strdup(s) : NULL;
}

void khm_scan_config_free(khm_scan_config *c)
{
    if (!c)
        return;
    for (size_t k = 0; k < c->n; k++) {
        khm_custom_det *d = &c->dets[k];
        khm_free(d->name);
        khm_free(d->pattern);
        khm_free(d->description);
        for (size_t j = 0; d->context && d->context[j]; j++)
            khm_free(d->context[j]);
        khm_free(d->context);
    }
    khm_free(c->dets);
    if (c->db)
        hs_free_database(c->db);
    khm_free(c);
}

/* One detector object; adds field errors under "detectors[i]". */
static void load_one(khm_custom_det *d, json_t *o, size_t i, int *bad)
{
    char f[64];
#define FIELD(key) (snprintf(f, sizeof(f), "detectors[%zu].%s", i, key), f)
    if (!json_is_object(o)) {
        snprintf(f, sizeof(f), "detectors[%zu]", i);
        khm_err_field(f, "ต้องเป็นออบเจกต์", "must be an object with name, pattern, …");
        *bad = 1;
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        static const char *const known[] = { "name",        "pattern", "validator", "context",
                                             "score",       "pdpa",    "sensitive", "description",
                                             "ignore_case", NULL };
        int ok = 0;
        for (size_t k = 0; known[k]; k++)
            ok |= strcmp(known[k], key) == 0;
        if (!ok) {
            khm_err_field(FIELD(key), "ไม่รู้จักฟิลด์นี้",
                          "unknown field (allowed: name, pattern, validator, context, score, "
                          "pdpa, sensitive, description, ignore_case)");
            *bad = 1;
        }
    }
    const char *name = json_string_value(json_object_get(o, "name"));
    if (!name || !name_ok(name)) {
        khm_err_field(FIELD("name"), "ชื่อชนิดข้อมูลต้องเป็นตัวพิมพ์ใหญ่ ตัวเลข หรือ _",
                      "a type name of 1-40 capital letters, digits and _, starting with a "
                      "letter (EMPLOYEE_ID)");
        *bad = 1;
    } else if (khm_scan_detector_find(name) >= 0) {
        khm_err_field(FIELD("name"), "ซ้ำกับชนิดข้อมูลที่มีอยู่แล้ว",
                      "'%s' is a built-in detector; choose another name", name);
        *bad = 1;
    }
    const char *pattern = json_string_value(json_object_get(o, "pattern"));
    if (!pattern || !*pattern || strlen(pattern) > 4096) {
        khm_err_field(FIELD("pattern"), "ต้องระบุรูปแบบ (regular expression)",
                      "a regular expression of 1-4096 bytes is required");
        *bad = 1;
    }
    const char *val = json_string_value(json_object_get(o, "validator"));
    d->validator = KHM_VALID_NONE;
    if (json_object_get(o, "validator") && !json_is_null(json_object_get(o, "validator"))) {
        int found = -1;
        for (int k = 0; val && validators[k]; k++)
            if (strcmp(validators[k], val) == 0)
                found = k;
        if (found < 0) {
            khm_err_field(FIELD("validator"), "ตัวตรวจสอบไม่ถูกต้อง (none, th_id, luhn, mod97)",
                          "must be one of none, th_id (Thai mod-11), luhn, mod97");
            *bad = 1;
        } else {
            d->validator = found;
        }
    }
    json_t *ctx = json_object_get(o, "context");
    size_t nctx = 0;
    if (ctx && !json_is_null(ctx)) {
        if (!json_is_array(ctx) || json_array_size(ctx) > KHM_CUSTOM_MAX_CTX) {
            khm_err_field(FIELD("context"), "ต้องเป็นรายการคำ ไม่เกิน 32 คำ",
                          "must be an array of up to 32 words");
            *bad = 1;
        } else {
            nctx = json_array_size(ctx);
            for (size_t k = 0; k < nctx; k++) {
                const char *w = json_string_value(json_array_get(ctx, k));
                if (!w || !*w || strlen(w) > 100) {
                    char g[80];
                    snprintf(g, sizeof(g), "detectors[%zu].context[%zu]", i, k);
                    khm_err_field(g, "คำต้องไม่ว่างและยาวไม่เกิน 100 ไบต์", "a word of 1-100 bytes");
                    *bad = 1;
                }
            }
        }
    }
    json_t *score = json_object_get(o, "score");
    d->score = 0.6;
    if (score && !json_is_null(score)) {
        if (!json_is_number(score) || json_number_value(score) <= 0 ||
            json_number_value(score) > 0.99) {
            khm_err_field(FIELD("score"), "คะแนนต้องมากกว่า 0 และไม่เกิน 0.99",
                          "a number in (0, 0.99]");
            *bad = 1;
        } else {
            d->score = json_number_value(score);
        }
    }
    const char *pdpa = json_string_value(json_object_get(o, "pdpa"));
    d->pdpa = KHM_PDPA_PERSONAL;
    if (json_object_get(o, "pdpa")) {
        if (pdpa && strcmp(pdpa, "personal") == 0)
            d->pdpa = KHM_PDPA_PERSONAL;
        else if (pdpa && strcmp(pdpa, "sensitive") == 0)
            d->pdpa = KHM_PDPA_SENSITIVE;
        else if (pdpa && strcmp(pdpa, "none") == 0)
            d->pdpa = KHM_PDPA_NONE;
        else {
            khm_err_field(FIELD("pdpa"), "หมวดต้องเป็น personal, sensitive หรือ none",
                          "must be personal, sensitive or none");
            *bad = 1;
        }
    }
    const char *sens = json_string_value(json_object_get(o, "sensitive"));
    d->sens = 0;
    if (d->pdpa == KHM_PDPA_SENSITIVE) {
        for (unsigned k = 1; sens && k < KHM_SENS_COUNT; k++)
            if (strcmp(khm_sensitive_name(k), sens) == 0)
                d->sens = k;
        if (!d->sens) {
            khm_err_field(FIELD("sensitive"), "ต้องระบุหมวดข้อมูลอ่อนไหวตามมาตรา 26",
                          "sensitive data needs its s.26 category: ethnicity, political_opinion, "
                          "religion, sexual_behavior, criminal_record, health, disability, "
                          "trade_union, genetic or biometric");
            *bad = 1;
        }
    } else if (json_object_get(o, "sensitive")) {
        khm_err_field(FIELD("sensitive"), "ใช้ได้เฉพาะเมื่อ pdpa เป็น sensitive",
                      "only with \"pdpa\": \"sensitive\"");
        *bad = 1;
    }
    json_t *ic = json_object_get(o, "ignore_case");
    if (ic && !json_is_boolean(ic)) {
        khm_err_field(FIELD("ignore_case"), "ต้องเป็น true หรือ false", "must be true or false");
        *bad = 1;
    }
    d->caseless = json_is_true(ic);
    const char *desc = json_string_value(json_object_get(o, "description"));
    if (*bad)
        return;
    d->name = dup_str(name);
    d->pattern = dup_str(pattern);
    d->description = dup_str(desc ? desc : "");
    d->context = khm_calloc(nctx + 1, sizeof(char *));
    for (size_t k = 0; d->context && k < nctx; k++)
        d->context[k] = dup_str(json_string_value(json_array_get(ctx, k)));
#undef FIELD
}

int khm_scan_config_load(khm_scan_config **out, const char *json, size_t len)
{
    json_t *root = NULL;
    khm_scan_config *c = NULL;
    int rc, bad = 0;
    *out = NULL;
    khm_err_clear(); /* field errors accumulate: start from none */
    if ((rc = khm_json_parse(&root, json, len, KHM_CONFIG_MAX, 16)) < 0)
        return rc;
    json_t *dets = json_object_get(root, "detectors");
    if (!json_is_object(root) || json_object_size(root) != 1 || !json_is_array(dets) ||
        json_array_size(dets) == 0) {
        json_decref(root);
        return khm_err_field("detectors", "ต้องมีรายการ detectors อย่างน้อยหนึ่งรายการ",
                             "the file must be {\"detectors\": [ … ]} with at least one "
                             "detector");
    }
    size_t n = json_array_size(dets);
    if (n > KHM_CUSTOM_MAX) {
        json_decref(root);
        return khm_err_field("detectors", "มีตัวตรวจจับมากเกินไป", "at most %d custom detectors",
                             KHM_CUSTOM_MAX);
    }
    if (!(c = khm_calloc(1, sizeof(*c))) || !(c->dets = khm_calloc(n, sizeof(*c->dets)))) {
        khm_free(c);
        json_decref(root);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    c->n = n;
    for (size_t i = 0; i < n; i++) {
        load_one(&c->dets[i], json_array_get(dets, i), i, &bad);
        for (size_t j = 0; !bad && j < i; j++)
            if (strcmp(c->dets[j].name, c->dets[i].name) == 0) {
                char f[48];
                snprintf(f, sizeof(f), "detectors[%zu].name", i);
                khm_err_field(f, "ชื่อซ้ำกัน", "'%s' appears twice", c->dets[i].name);
                bad = 1;
            }
    }
    json_decref(root);
    if (bad) {
        khm_scan_config_free(c);
        return KHM_EINVALID;
    }
    /* one database for all patterns: leftmost start of each match, UTF-8 patterns */
    const char **pats = khm_calloc(n, sizeof(char *));
    unsigned *flags = khm_calloc(n, sizeof(unsigned)), *ids = khm_calloc(n, sizeof(unsigned));
    if (!pats || !flags || !ids) {
        khm_free(pats);
        khm_free(flags);
        khm_free(ids);
        khm_scan_config_free(c);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        pats[i] = c->dets[i].pattern;
        flags[i] =
            HS_FLAG_SOM_LEFTMOST | HS_FLAG_UTF8 | (c->dets[i].caseless ? HS_FLAG_CASELESS : 0);
        ids[i] = (unsigned)i;
    }
    hs_compile_error_t *ce = NULL;
    hs_error_t he =
        hs_compile_multi(pats, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &c->db, &ce);
    khm_free(pats);
    khm_free(flags);
    khm_free(ids);
    if (he != HS_SUCCESS) {
        char f[48];
        int at = ce && ce->expression >= 0 ? ce->expression : 0;
        snprintf(f, sizeof(f), "detectors[%d].pattern", at);
        rc = khm_err_field(f, "รูปแบบ (regular expression) ไม่ถูกต้อง", "%s",
                           ce && ce->message ? ce->message : "cannot compile");
        if (ce)
            hs_free_compile_error(ce);
        c->db = NULL;
        khm_scan_config_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int khm_scan_config_load_file(khm_scan_config **out, const char *path)
{
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (!f)
        return khm_err_set(KHM_EIO, "cannot read %s: %s", path, strerror(errno));
    khm_buf b = KHM_BUF_INIT(KHM_CONFIG_MAX);
    char tmp[8192];
    size_t got;
    int rc = 0;
    while (rc == 0 && (got = fread(tmp, 1, sizeof(tmp), f)) > 0)
        rc = khm_buf_put(&b, tmp, got);
    int err = ferror(f);
    fclose(f);
    if (rc == 0 && err)
        rc = khm_err_set(KHM_EIO, "cannot read %s", path);
    if (rc == KHM_ELIMIT)
        rc = khm_err_field("config", "ไฟล์ใหญ่เกินไป", "%s is over 1 MiB", path);
    if (rc == 0)
        rc = khm_scan_config_load(out, b.ptr ? b.ptr : "", b.len);
    khm_buf_dispose(&b);
    return rc;
}

/* ---- matching ---- */

typedef struct {
    khm_custom_match *m;
    size_t n, cap;
    size_t base;
} collect;

static int on_hs(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                 void *ctx)
{
    (void)flags;
    collect *c = ctx;
    if (c->n == c->cap)
        return 0; /* full: the rest of this region is not reported (cap is large) */
    c->m[c->n].start = c->base + (size_t)from;
    c->m[c->n].end = c->base + (size_t)to;
    c->m[c->n].id = id;
    c->n++;
    return 0;
}

static int by_start_longest(const void *a, const void *b)
{
    const khm_custom_match *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int valid(int v, const unsigned char *p, size_t s, size_t e)
{
    char digits[40];
    size_t n = 0;
    if (v == KHM_VALID_NONE)
        return 1;
    if (v == KHM_VALID_MOD97) {
        char t[40];
        for (size_t k = s; k < e && n < sizeof(t); k++)
            if (p[k] != ' ')
                t[n++] = (char)p[k];
        return n <= 34 && khm_iban_check(t, n);
    }
    for (size_t k = s; k < e; k++) {
        if (khm_isdigit(p[k])) {
            if (n == sizeof(digits))
                return 0;
            digits[n++] = (char)p[k];
        }
    }
    if (v == KHM_VALID_TH_ID)
        return n == 13 && khm_th_tnin_check(digits);
    return n >= 8 && khm_luhn_check(digits, n);
}

int khm_custom_scan(const khm_scan_config *c, void *scratch, const unsigned char *p, size_t lo,
                    size_t hi, khm_custom_match *out, size_t cap, size_t *n)
{
    collect col = { out, 0, cap, lo };
    *n = 0;
    if (hi <= lo)
        return 0;
    if (hs_scan(c->db, (const char *)p + lo, (unsigned)(hi - lo), 0, scratch, on_hs, &col) !=
        HS_SUCCESS)
        return -1;
    if (col.n > 1)
        qsort(out, col.n, sizeof(*out), by_start_longest);
    /* leftmost-longest, non-overlapping, validated */
    size_t w = 0, last_end = lo;
    for (size_t k = 0; k < col.n; k++) {
        khm_custom_match *m = &out[k];
        if (m->start < last_end || m->end <= m->start)
            continue;
        if (!valid(c->dets[m->id].validator, p, m->start, m->end))
            continue;
        out[w++] = *m;
        last_end = m->end;
    }
    *n = w;
    return 0;
}

void *khm_custom_scratch_new(const khm_scan_config *c)
{
    hs_scratch_t *s = NULL;
    return hs_alloc_scratch(c->db, &s) == HS_SUCCESS ? s : NULL;
}

void khm_custom_scratch_free(void *s)
{
    if (s)
        hs_free_scratch(s);
}
