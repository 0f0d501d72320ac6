/* Consent receipts: build a Kantara Consent Receipt v1.1 (with the ISO/IEC TS 27560 and PDPA
 * extensions of thai-rules.md §6.2-6.3) from a consent event, sign it with the agency's Ed25519
 * key as a detached JWS with an unencoded payload (RFC 7515 + RFC 7797) over its JCS (RFC 8785)
 * form, and verify such a document offline, naming every problem with its JSON path in English
 * and Thai. The format and the mapping are documented in docs/consent-receipts.md. */
#include <khomun/receipt.h>

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/json.h>
#include <khomun/policy.h>
#include <khomun/rand.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JWS_ALG      "EdDSA"
#define MAX_JSON_INT 9007199254740992LL /* 2^53: larger integers are not exact in JCS */

/* ---- JCS (RFC 8785) ---------------------------------------------------------------------- */

/* The next UTF-16 code unit of the UTF-8 text at *p (valid UTF-8: jansson checked it). A code
 * point past U+FFFF gives its high surrogate first and leaves the low one in *pending. */
static unsigned next_unit(const char **p, const char *end, unsigned *pending)
{
    if (*pending) {
        unsigned u = *pending;
        *pending = 0;
        return u;
    }
    uint32_t cp;
    size_t k = khm_utf8_decode(*p, (size_t)(end - *p), &cp);
    *p += k ? k : 1;
    if (cp >= 0x10000) {
        cp -= 0x10000;
        *pending = 0xDC00 + (cp & 0x3FF);
        return 0xD800 + (cp >> 10);
    }
    return cp;
}

/* Member names compare by UTF-16 code units (RFC 8785 §3.2.3), which differs from UTF-8 byte
 * order only between U+E000..U+FFFF and the supplementary planes. */
static int utf16_cmp(const char *a, const char *b)
{
    const char *ea = a + strlen(a), *eb = b + strlen(b);
    unsigned pa = 0, pb = 0;
    while ((a < ea || pa) && (b < eb || pb)) {
        unsigned ua = next_unit(&a, ea, &pa), ub = next_unit(&b, eb, &pb);
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
    int more_a = a < ea || pa, more_b = b < eb || pb;
    return more_a - more_b;
}

static int key_cmp(const void *x, const void *y)
{
    return utf16_cmp(*(const char *const *)x, *(const char *const *)y);
}

/* A string as ECMAScript's JSON.stringify writes it: the two-character escapes, \u00xx for the
 * other controls, everything else (all non-ASCII included) as it is. */
static int jcs_string(khm_buf *b, const char *s, size_t n)
{
    int rc = khm_buf_putc(b, '"');
    for (size_t i = 0; rc == 0 && i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            rc = khm_buf_puts(b, "\\\"");
            break;
        case '\\':
            rc = khm_buf_puts(b, "\\\\");
            break;
        case '\b':
            rc = khm_buf_puts(b, "\\b");
            break;
        case '\f':
            rc = khm_buf_puts(b, "\\f");
            break;
        case '\n':
            rc = khm_buf_puts(b, "\\n");
            break;
        case '\r':
            rc = khm_buf_puts(b, "\\r");
            break;
        case '\t':
            rc = khm_buf_puts(b, "\\t");
            break;
        default:
            rc = c < 0x20 ? khm_buf_printf(b, "\\u%04x", c) : khm_buf_putc(b, (char)c);
        }
    }
    return rc ? rc : khm_buf_putc(b, '"');
}

static int jcs_value(khm_buf *b, const json_t *v, int depth)
{
    int rc = 0;
    if (depth > KHM_JSON_MAX_DEPTH)
        return khm_err_field("receipt", "ข้อมูลซ้อนกันลึกเกินไป", "nested deeper than %d levels",
                             KHM_JSON_MAX_DEPTH);
    switch (json_typeof(v)) {
    case JSON_NULL:
        return khm_buf_puts(b, "null");
    case JSON_TRUE:
        return khm_buf_puts(b, "true");
    case JSON_FALSE:
        return khm_buf_puts(b, "false");
    case JSON_STRING:
        return jcs_string(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER: {
        json_int_t i = json_integer_value(v);
        if (i > MAX_JSON_INT || i < -MAX_JSON_INT)
            return khm_err_field("receipt", "ตัวเลขใหญ่เกินกว่าจะแทนได้อย่างแม่นยำ",
                                 "integer %lld is beyond 2^53: not exact in JCS", (long long)i);
        return khm_buf_printf(b, "%lld", (long long)i);
    }
    case JSON_REAL: {
        double d = json_real_value(v);
        if (!isfinite(d) || d != floor(d) || fabs(d) > (double)MAX_JSON_INT)
            return khm_err_field("receipt", "ใบรับรองไม่ใช้ตัวเลขทศนิยม",
                                 "the number %g is not an integer: receipts carry none", d);
        return khm_buf_printf(b, "%lld", (long long)d);
    }
    case JSON_ARRAY:
        rc = khm_buf_putc(b, '[');
        for (size_t i = 0; rc == 0 && i < json_array_size(v); i++) {
            if (i && (rc = khm_buf_putc(b, ',')) < 0)
                break;
            rc = jcs_value(b, json_array_get(v, i), depth + 1);
        }
        return rc ? rc : khm_buf_putc(b, ']');
    case JSON_OBJECT: {
        size_t n = json_object_size(v), k = 0;
        const char **keys = n ? khm_malloc(n * sizeof(*keys)) : NULL;
        const char *key;
        json_t *val;
        if (n && !keys)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        json_object_foreach((json_t *)(uintptr_t)v, key, val)
        {
            (void)val;
            keys[k++] = key;
        }
        if (n > 1)
            qsort(keys, n, sizeof(*keys), key_cmp);
        rc = khm_buf_putc(b, '{');
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if ((i && (rc = khm_buf_putc(b, ',')) < 0) ||
                (rc = jcs_string(b, keys[i], strlen(keys[i]))) < 0 ||
                (rc = khm_buf_putc(b, ':')) < 0)
                break;
            rc = jcs_value(b, json_object_get(v, keys[i]), depth + 1);
        }
        khm_free(keys);
        return rc ? rc : khm_buf_putc(b, '}');
    }
    }
    return khm_err_set(KHM_ERROR, "unknown JSON type");
}

int khm_receipt_jcs(khm_buf *out, const json_t *v)
{
    if (!out || !v)
        return khm_err_set(KHM_EINVALID, "no value");
    return jcs_value(out, v, 0);
}

/* ---- the Kantara categories ---------------------------------------------------------------- */

/* Scanner types (docs/detectors/) → Kantara PII categories (thai-rules.md §6.1). */
static const struct {
    const char *type, *category;
} pii_map[] = {
    { "TH_TNIN", "8 - Official ID" },
    { "TH_PASSPORT", "8 - Official ID" },
    { "TH_JURISTIC_ID", "8 - Official ID" },
    { "TH_LICENSE_PLATE", "8 - Official ID" },
    { "PHONE_NUMBER", "2 - Contact" },
    { "EMAIL_ADDRESS", "2 - Contact" },
    { "LOCATION", "2 - Contact" },
    { "PERSON", "1 - Biographical" },
    { "DATE_TIME", "1 - Biographical" },
    { "ETHNICITY", "1 - Biographical" },
    { "RELIGION", "1 - Biographical" },
    { "BIOMETRIC", "3 - Biometric" },
    { "IP_ADDRESS", "5 - Network/Service" },
    { "URL", "5 - Network/Service" },
    { "HEALTH", "6 - Health" },
    { "DISABILITY", "6 - Health" },
    { "GENETIC", "6 - Health" },
    { "CREDIT_CARD", "7 - Financial" },
    { "IBAN_CODE", "7 - Financial" },
    { "TH_BANK_ACCOUNT", "7 - Financial" },
    { "CRIMINAL_RECORD", "10 - Judicial Data" },
    { "TRADE_UNION", "14 - Membership" },
    { "POLITICAL_OPINION", "15 - Behavioral" },
    { "SEXUAL_BEHAVIOR", "15 - Behavioral" },
};

/* "N - Name" with N in 1..max: a category already in Kantara's form passes through. */
static int kantara_form(const char *s, int max)
{
    char *end;
    long n = strtol(s, &end, 10);
    return s[0] >= '1' && s[0] <= '9' && n >= 1 && n <= max && strncmp(end, " - ", 3) == 0 &&
           end[3] != '\0';
}

static const char *pii_category(const char *type)
{
    for (size_t i = 0; i < sizeof(pii_map) / sizeof(pii_map[0]); i++)
        if (strcmp(pii_map[i].type, type) == 0)
            return pii_map[i].category;
    return kantara_form(type, 16) ? type : NULL;
}

/* The Kantara purpose category a lawful basis implies when the purpose names none. */
static const char *purpose_category_of(const char *basis)
{
    static const struct {
        const char *basis, *category;
    } map[] = {
        { "consent", "1 - Core Function" },
        { "s24(1)", "1 - Core Function" },
        { "s24(2)", "14 - Protecting Your Health" },
        { "s24(3)", "2 - Contracted Service" },
        { "s24(4)", "13 - Required by Law Enforcement or Government" },
        { "s24(5)", "15 - Protecting Our Interests" },
        { "s24(6)", "12 - Legally Required Data Retention" },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i].basis, basis) == 0)
            return map[i].category;
    return "1 - Core Function";
}

/* ---- building ------------------------------------------------------------------------------ */

static int is_hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return 0;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* A string member of the input: present when @p required, valid UTF-8, at most @p max bytes. */
static int check_str(const char *field, const char *s, int required, size_t max)
{
    if (!s || !*s) {
        if (required)
            return khm_err_field(field, "ต้องระบุ", "required");
        return 0;
    }
    size_t n = strlen(s);
    if (!khm_utf8_valid(s, n, NULL))
        return khm_err_field(field, "ไม่ใช่ข้อความ UTF-8 ที่ถูกต้อง", "not valid UTF-8");
    if (n > max)
        return khm_err_field(field, "ยาวเกินกำหนด", "longer than %zu bytes", max);
    return 0;
}

static int one_of(const char *s, const char *const *allowed)
{
    for (; s && *allowed; allowed++)
        if (strcmp(s, *allowed) == 0)
            return 1;
    return 0;
}

static int check_input(const khm_receipt *r)
{
    static const char *const events[] = { "given", "withdrawn", NULL };
    static const char *const methods[] = { "written", "electronic", "verbal-recorded", NULL };
    static const char *const langs[] = { "th", "en", NULL };
    int bad = 0, basis, s26 = KHM_S26_NONE;
    char f[48];
    khm_err_clear();
#define CHK(x) bad |= (x) < 0
    if (!r->receipt_id || !khm_id_valid(r->receipt_id, strlen(r->receipt_id)))
        CHK(khm_err_field("receipt_id", "ต้องเป็น UUID", "a UUID (v7) is required"));
    CHK(check_str("consent_id", r->consent_id, 1, 63));
    if (!one_of(r->event, events))
        CHK(khm_err_field("event", "ต้องเป็น given หรือ withdrawn", "must be given or withdrawn"));
    if (r->ts_ms <= 0)
        CHK(khm_err_field("ts_ms", "ต้องระบุเวลา", "the time of the event is required"));
    if (!one_of(r->collection_method, methods))
        CHK(khm_err_field("collection_method", "ต้องเป็น written, electronic หรือ verbal-recorded",
                          "must be written, electronic or verbal-recorded"));
    if (!is_hex64(r->subject))
        CHK(khm_err_field("subject", "ต้องเป็นโทเค็นนามแฝง (เลขฐานสิบหก 64 หลัก) ไม่ใช่เลขประจำตัว",
                          "must be the pseudonymous subject token (64 lower-case hex digits), "
                          "never a clear identifier"));
    if (r->language && !one_of(r->language, langs))
        CHK(khm_err_field("language", "ต้องเป็น th หรือ en", "must be th or en"));
    CHK(check_str("agency_id", r->agency_id, 1, 95));
    CHK(check_str("agency_name_th", r->agency_name_th, 1, 1000));
    CHK(check_str("agency_name_en", r->agency_name_en, 0, 1000));
    CHK(check_str("contact", r->contact, 0, 1000));
    CHK(check_str("address", r->address, 0, 1000));
    CHK(check_str("email", r->email, 0, 254));
    CHK(check_str("phone", r->phone, 0, 64));
    CHK(check_str("url", r->url, 0, 2000));
    CHK(check_str("dpo_name", r->dpo_name, 0, 1000));
    CHK(check_str("dpo_email", r->dpo_email, 0, 254));
    CHK(check_str("dpo_phone", r->dpo_phone, 0, 64));
    if ((!r->email || !*r->email) && (!r->dpo_email || !*r->dpo_email))
        CHK(khm_err_field("email", "ต้องมีอีเมลของหน่วยงานหรือของ DPO เพื่อให้ถอนความยินยอมได้",
                          "an e-mail address of the agency or its DPO is required "
                          "(Kantara piiControllers[].email; the way to withdraw)"));
    CHK(check_str("policy_url", r->policy_url, 1, 2000));
    CHK(check_str("purpose_code", r->purpose_code, 1, 95));
    CHK(check_str("purpose_name_th", r->purpose_name_th, 1, 1000));
    CHK(check_str("purpose_name_en", r->purpose_name_en, 0, 1000));
    if (r->text_version < 1)
        CHK(khm_err_field("text_version", "ต้องเป็นเลขฉบับของข้อความขอความยินยอม (ตั้งแต่ 1)",
                          "the consent-text version (1 or more) is required"));
    if (!r->lawful_basis || khm_basis_parse(r->lawful_basis, &basis) < 0 ||
        basis == KHM_BASIS_NONE) {
        khm_err_clear(); /* the parser's own field name is "basis"; ours is the struct's */
        bad = 1;
        khm_err_field("lawful_basis", "ต้องเป็นฐานทางกฎหมาย consent หรือ s24(1)-s24(6)",
                      "must be consent or s24(1)..s24(6) (PDPA s.24)");
    }
    if (r->s26_exception && *r->s26_exception && khm_s26_parse(r->s26_exception, &s26) < 0) {
        khm_err_clear();
        bad = 1;
        khm_err_field("s26_exception", "ต้องเป็น s26(1)-s26(5)", "must be s26(1)..s26(5)");
    }
    if ((r->sensitive || r->n_spi) && !r->explicit_consent && s26 == KHM_S26_NONE)
        CHK(khm_err_field(
            "explicit_consent", "ข้อมูลอ่อนไหวต้องได้รับความยินยอมโดยชัดแจ้ง หรือมีข้อยกเว้นตามมาตรา 26",
            "sensitive data needs explicit consent or an s.26 exception (PDPA s.26)"));
    if (r->n_pii == 0)
        CHK(khm_err_field("pii_categories", "ต้องระบุประเภทข้อมูลส่วนบุคคลอย่างน้อยหนึ่งประเภท",
                          "at least one personal-data type is required (Kantara piiCategory)"));
    for (size_t i = 0; i < r->n_pii; i++) {
        snprintf(f, sizeof(f), "pii_categories[%zu]", i);
        if (!r->pii_categories[i] || !pii_category(r->pii_categories[i]))
            CHK(khm_err_field(f, "ไม่รู้จักประเภทข้อมูลนี้",
                              "unknown personal-data type '%s' (a scanner type such as TH_TNIN, "
                              "or a Kantara category \"N - Name\")",
                              r->pii_categories[i] ? r->pii_categories[i] : "(null)"));
    }
    for (size_t i = 0; i < r->n_spi; i++) {
        snprintf(f, sizeof(f), "spi_categories[%zu]", i);
        CHK(check_str(f, r->spi_categories[i], 1, 95));
    }
    for (size_t i = 0; i < r->n_third; i++) {
        snprintf(f, sizeof(f), "third_parties[%zu]", i);
        CHK(check_str(f, r->third_parties[i], 1, 1000));
    }
    CHK(check_str("cross_border", r->cross_border, 0, 1000));
    CHK(check_str("guardian", r->guardian, 0, 200));
    CHK(check_str("withdrawal_method", r->withdrawal_method, 0, 2000));
    if (r->purpose_category && !kantara_form(r->purpose_category, 16))
        CHK(khm_err_field("purpose_category", "ต้องอยู่ในรูป \"N - ชื่อหมวด\" ตาม Kantara",
                          "must be a Kantara purpose category \"N - Name\" (1..16)"));
    if (r->retention_days < 0)
        CHK(khm_err_field("retention_days", "ต้องไม่ติดลบ", "must not be negative"));
    if (r->expires_at_ms < 0 || (r->expires_at_ms && r->expires_at_ms <= r->ts_ms))
        CHK(khm_err_field("expires_at_ms", "วันหมดอายุต้องอยู่หลังเวลาที่ให้ความยินยอม",
                          "the expiry must come after the event"));
#undef CHK
    return bad ? KHM_EINVALID : 0;
}

/* Set members, remembering the first failure (jansson returns -1 on a NULL value: OOM). */
typedef struct {
    int oom;
} builder;

static void put(builder *bd, json_t *obj, const char *key, json_t *v)
{
    if (!v || json_object_set_new(obj, key, v) < 0)
        bd->oom = 1;
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *strings(builder *bd, const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(v[i])) < 0)
            bd->oom = 1;
    return a;
}

static const char *lang_pick(int th, const char *s_th, const char *s_en)
{
    if (th)
        return s_th && *s_th ? s_th : s_en;
    return s_en && *s_en ? s_en : s_th;
}

/* 27560 makes the way to withdraw mandatory; PDPA s.19 makes it as easy as giving. */
static char *default_withdrawal(const khm_receipt *r, int th)
{
    khm_buf b;
    khm_buf_init(&b, 4096);
    const char *who_email = r->dpo_email && *r->dpo_email ? r->dpo_email : r->email;
    if (th) {
        khm_buf_puts(&b, "ถอนความยินยอมได้ทุกเมื่อ ง่ายเช่นเดียวกับการให้ความยินยอม (มาตรา 19) "
                         "ผ่าน API ความยินยอมของหน่วยงาน (POST /api/v1/consents/withdraw) ");
        if (r->dpo_name && *r->dpo_name)
            khm_buf_printf(&b, "หรือติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล %s <%s>", r->dpo_name, who_email);
        else
            khm_buf_printf(&b, "หรือติดต่อหน่วยงานที่ <%s>", who_email);
    } else {
        khm_buf_puts(&b, "Withdraw at any time, as easily as you gave it (PDPA s.19): through the "
                         "agency's consent API (POST /api/v1/consents/withdraw) ");
        if (r->dpo_name && *r->dpo_name)
            khm_buf_printf(&b, "or by contacting its data protection officer, %s <%s>", r->dpo_name,
                           who_email);
        else
            khm_buf_printf(&b, "or by contacting the agency at <%s>", who_email);
    }
    return khm_buf_detach(&b, NULL);
}

static char *termination_text(const khm_receipt *r, int th)
{
    khm_buf b;
    khm_buf_init(&b, 1024);
    if (r->expires_at_ms) {
        char t[KHM_TIME_RFC3339_LEN];
        khm_time_format(t, r->expires_at_ms);
        khm_buf_printf(&b,
                       th ? "จนกว่าเจ้าของข้อมูลจะถอนความยินยอม (มาตรา 19) หรือจนถึง %s"
                          : "Until the data subject withdraws it (PDPA s.19), or until %s",
                       t);
    } else {
        khm_buf_puts(&b, th ? "จนกว่าเจ้าของข้อมูลจะถอนความยินยอม (มาตรา 19)"
                            : "Until the data subject withdraws it (PDPA s.19)");
    }
    return khm_buf_detach(&b, NULL);
}

int khm_receipt_build(json_t **out, const khm_receipt *r,
                      const unsigned char pk[KHM_RECEIPT_PK_LEN])
{
    builder bd = { 0 };
    int rc;
    if (!out || !r || !pk)
        return khm_err_set(KHM_EINVALID, "no receipt");
    *out = NULL;
    if ((rc = check_input(r)) < 0)
        return rc;
    int th = !r->language || strcmp(r->language, "th") == 0;
    int sensitive = r->sensitive || r->n_spi > 0;
    char pkhex[2 * KHM_RECEIPT_PK_LEN + 1], retention[32];
    khm_hex_encode(pkhex, pk, KHM_RECEIPT_PK_LEN);

    json_t *rec = json_object(), *ctl = json_object(), *addr = json_object();
    json_t *svc = json_object(), *pur = json_object(), *cats = json_array();
    char *withdraw = r->withdrawal_method && *r->withdrawal_method
                         ? khm_strdup(r->withdrawal_method)
                         : default_withdrawal(r, th);
    char *term = termination_text(r, th);
    if (!rec || !ctl || !addr || !svc || !pur || !cats || !withdraw || !term) {
        bd.oom = 1;
        goto done;
    }

    /* the Kantara v1.1 required members, in the specification's order */
    put(&bd, rec, "version", json_string(KHM_RECEIPT_VERSION));
    put(&bd, rec, "jurisdiction", json_string("TH"));
    put(&bd, rec, "consentTimestamp", json_integer(r->ts_ms / 1000));
    put(&bd, rec, "collectionMethod", json_string(r->collection_method));
    put(&bd, rec, "consentReceiptID", json_string(r->receipt_id));
    put(&bd, rec, "publicKey", json_string(pkhex));
    put(&bd, rec, "language", json_string(th ? "th" : "en"));
    put(&bd, rec, "piiPrincipalId", json_string(r->subject));

    put(&bd, ctl, "piiController",
        json_string(lang_pick(th, r->agency_name_th, r->agency_name_en)));
    put(&bd, ctl, "piiControllerId", json_string(r->agency_id));
    put(&bd, ctl, "onBehalf", json_false());
    const char *contact = r->contact && *r->contact ? r->contact
                          : r->dpo_name && *r->dpo_name
                              ? r->dpo_name
                              : lang_pick(th, r->agency_name_th, r->agency_name_en);
    put(&bd, ctl, "contact", json_string(contact));
    if (r->address && *r->address)
        put(&bd, addr, "streetAddress", json_string(r->address));
    put(&bd, addr, "addressCountry", json_string("TH"));
    put(&bd, ctl, "address", json_incref(addr));
    put(&bd, ctl, "email", json_string(r->email && *r->email ? r->email : r->dpo_email));
    put(&bd, ctl, "phone",
        json_string(r->phone && *r->phone ? r->phone
                    : r->dpo_phone        ? r->dpo_phone
                                          : ""));
    if (r->url && *r->url)
        put(&bd, ctl, "piiControllerUrl", json_string(r->url));
    json_t *ctls = json_array();
    if (!ctls || json_array_append(ctls, ctl) < 0)
        bd.oom = 1;
    put(&bd, rec, "piiControllers", ctls);
    put(&bd, rec, "policyUrl", json_string(r->policy_url));

    /* one service, one purpose: a receipt attests one consent record */
    put(&bd, pur, "purpose", json_string(lang_pick(th, r->purpose_name_th, r->purpose_name_en)));
    put(&bd, pur, "purposeCode", json_string(r->purpose_code));
    put(&bd, pur, "purposeNameTh", json_string(r->purpose_name_th));
    put(&bd, pur, "purposeNameEn", str_or_null(r->purpose_name_en));
    put(&bd, pur, "consentType",
        json_string(r->explicit_consent || sensitive ? "EXPLICIT" : "EXPRESSED"));
    put(&bd, pur, "purposeCategory",
        strings(&bd,
                (const char *const[]){ r->purpose_category ? r->purpose_category
                                                           : purpose_category_of(r->lawful_basis) },
                1));
    for (size_t i = 0; i < r->n_pii; i++) {
        const char *c = pii_category(r->pii_categories[i]);
        int dup = 0;
        for (size_t j = 0; j < json_array_size(cats); j++)
            dup |= strcmp(json_string_value(json_array_get(cats, j)), c) == 0;
        if (!dup && json_array_append_new(cats, json_string(c)) < 0)
            bd.oom = 1;
    }
    put(&bd, pur, "piiCategory", json_incref(cats));
    put(&bd, pur, "piiTypes", strings(&bd, r->pii_categories, r->n_pii));
    put(&bd, pur, "primaryPurpose", json_true());
    put(&bd, pur, "termination", json_string(term));
    put(&bd, pur, "thirdPartyDisclosure", json_boolean(r->n_third > 0));
    if (r->n_third) {
        khm_buf names;
        khm_buf_init(&names, 64 * 1024);
        for (size_t i = 0; i < r->n_third; i++)
            if ((i && khm_buf_puts(&names, ", ") < 0) ||
                khm_buf_puts(&names, r->third_parties[i]) < 0)
                bd.oom = 1;
        put(&bd, pur, "thirdPartyName", names.ptr ? json_string(names.ptr) : NULL);
        khm_buf_dispose(&names);
        put(&bd, pur, "thirdParties", strings(&bd, r->third_parties, r->n_third));
    }
    /* ISO/IEC TS 27560 and PDPA extensions of the purpose */
    put(&bd, pur, "lawfulBasis", json_string(r->lawful_basis));
    put(&bd, pur, "s26Exception",
        r->s26_exception && *r->s26_exception && strcmp(r->s26_exception, "none") != 0
            ? json_string(r->s26_exception)
            : json_null());
    put(&bd, pur, "textVersion", json_integer(r->text_version));
    if (r->retention_days)
        snprintf(retention, sizeof(retention), "P%lldD", (long long)r->retention_days);
    put(&bd, pur, "retentionPeriod", r->retention_days ? json_string(retention) : json_null());
    json_t *purs = json_array();
    if (!purs || json_array_append(purs, pur) < 0)
        bd.oom = 1;
    put(&bd, svc, "service", json_string(lang_pick(th, r->purpose_name_th, r->purpose_name_en)));
    put(&bd, svc, "purposes", purs);
    json_t *svcs = json_array();
    if (!svcs || json_array_append(svcs, svc) < 0)
        bd.oom = 1;
    put(&bd, rec, "services", svcs);
    put(&bd, rec, "sensitive", json_boolean(sensitive));
    put(&bd, rec, "spiCat", strings(&bd, r->spi_categories, r->n_spi));

    /* extensions of the receipt: the consent event (27560 Events) and the PDPA parties */
    put(&bd, rec, "consentId", json_string(r->consent_id));
    put(&bd, rec, "consentEvent", json_string(r->event));
    put(&bd, rec, "withdrawalMethod", json_string(withdraw));
    put(&bd, rec, "expiresAt",
        r->expires_at_ms ? json_integer(r->expires_at_ms / 1000) : json_null());
    if (r->guardian && *r->guardian)
        put(&bd, rec, "guardianConsent",
            json_pack("{s:b, s:s}", "given", 1, "relation", r->guardian));
    else
        put(&bd, rec, "guardianConsent", json_null());
    put(&bd, rec, "crossBorder", str_or_null(r->cross_border));
    if (r->dpo_name || r->dpo_email || r->dpo_phone)
        put(&bd, rec, "dpo",
            json_pack("{s:o, s:o, s:o}", "name", str_or_null(r->dpo_name), "email",
                      str_or_null(r->dpo_email), "phone", str_or_null(r->dpo_phone)));
    else
        put(&bd, rec, "dpo", json_null()); /* s.41 gap: the agency has not appointed one */

done:
    json_decref(ctl);
    json_decref(addr);
    json_decref(svc);
    json_decref(pur);
    json_decref(cats);
    khm_free(withdraw);
    khm_free(term);
    if (bd.oom || !rec) {
        json_decref(rec);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    *out = rec;
    return 0;
}

/* ---- signing ------------------------------------------------------------------------------- */

/* b64url(JCS(header)) of the protected header for @p kid, into @p out. */
static int header_b64(khm_buf *out, const char *kid)
{
    json_t *h =
        json_pack("{s:s, s:b, s:[s], s:s}", "alg", JWS_ALG, "b64", 0, "crit", "b64", "kid", kid);
    khm_buf j;
    khm_buf_init(&j, 4096);
    int rc = h ? khm_receipt_jcs(&j, h) : khm_err_set(KHM_ENOMEM, "out of memory");
    json_decref(h);
    if (rc == 0 && (rc = khm_buf_reserve(out, KHM_B64URL_LEN(j.len))) == 0)
        out->len += khm_b64url_encode(out->ptr + out->len, out->cap - out->len,
                                      (const uint8_t *)j.ptr, j.len);
    khm_buf_dispose(&j);
    return rc;
}

int khm_receipt_sign(json_t **out, const khm_receipt *r, const unsigned char sk[KHM_RECEIPT_SK_LEN],
                     const unsigned char pk[KHM_RECEIPT_PK_LEN])
{
    json_t *rec = NULL, *doc = NULL;
    khm_buf input, jws;
    unsigned char sig[crypto_sign_BYTES];
    int rc;
    if (!out || !sk)
        return khm_err_set(KHM_EINVALID, "no key");
    *out = NULL;
    if ((rc = khm_receipt_build(&rec, r, pk)) < 0)
        return rc;
    khm_buf_init(&input, KHM_RECEIPT_MAX_BYTES);
    khm_buf_init(&jws, 4096);
    /* RFC 7797 §3: the signing input is ASCII(b64url(header)) || '.' || the payload as is */
    if ((rc = header_b64(&input, r->agency_id)) < 0 || (rc = khm_buf_putc(&input, '.')) < 0 ||
        (rc = khm_receipt_jcs(&input, rec)) < 0)
        goto done;
    crypto_sign_detached(sig, NULL, (const unsigned char *)input.ptr, input.len, sk);
    if ((rc = header_b64(&jws, r->agency_id)) < 0 || (rc = khm_buf_puts(&jws, "..")) < 0 ||
        (rc = khm_buf_reserve(&jws, KHM_B64URL_LEN(sizeof(sig)))) < 0)
        goto done;
    jws.len += khm_b64url_encode(jws.ptr + jws.len, jws.cap - jws.len, sig, sizeof(sig));
    doc = json_object();
    if (!doc || json_object_set(doc, "receipt", rec) < 0 ||
        json_object_set_new(doc, "jws", json_stringn(jws.ptr, jws.len)) < 0) {
        json_decref(doc);
        doc = NULL;
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    }
done:
    sodium_memzero(sig, sizeof(sig));
    khm_buf_dispose(&input);
    khm_buf_dispose(&jws);
    json_decref(rec);
    *out = rc == 0 ? doc : NULL;
    return rc;
}

/* ---- verifying ----------------------------------------------------------------------------- */

static const char *const problem_names[KHM_RCP__COUNT] = {
    [KHM_RCP_NOT_JSON] = "not-json",
    [KHM_RCP_NOT_OBJECT] = "not-object",
    [KHM_RCP_MISSING_FIELD] = "missing-field",
    [KHM_RCP_WRONG_TYPE] = "wrong-type",
    [KHM_RCP_BAD_VALUE] = "bad-value",
    [KHM_RCP_WRONG_VERSION] = "wrong-version",
    [KHM_RCP_BAD_JWS] = "bad-jws",
    [KHM_RCP_BAD_BASE64URL] = "bad-base64url",
    [KHM_RCP_BAD_HEADER] = "bad-header",
    [KHM_RCP_UNKNOWN_ALG] = "unknown-alg",
    [KHM_RCP_KID_MISMATCH] = "kid-mismatch",
    [KHM_RCP_BAD_KEY] = "bad-key",
    [KHM_RCP_KEY_MISMATCH] = "key-mismatch",
    [KHM_RCP_BAD_SIGNATURE] = "bad-signature",
    [KHM_RCP_NOT_CANONICAL] = "not-canonical",
};

const char *khm_receipt_problem_name(int kind)
{
    return kind > 0 && kind < KHM_RCP__COUNT ? problem_names[kind] : NULL;
}

/* Drop the bytes of @p s that are not UTF-8, in place: "%.40s" and a full buffer cut quoted
 * values inside a character, and the report goes into JSON. */
static void utf8_mend(char *s)
{
    size_t n = strlen(s), r = 0, w = 0;
    while (r < n) {
        uint32_t cp;
        size_t k = khm_utf8_decode(s + r, n - r, &cp);
        if (!k) {
            r++;
            continue;
        }
        memmove(s + w, s + r, k);
        w += k;
        r += k;
    }
    s[w] = '\0';
}

__attribute__((format(printf, 5, 6))) static void
problem(khm_receipt_report *rep, int kind, const char *path, const char *th, const char *fmt, ...)
{
    rep->valid = 0;
    if (rep->nproblems_total++ >= KHM_RECEIPT_MAX_PROBLEMS)
        return;
    khm_receipt_problem *p = &rep->problems[rep->nproblems++];
    va_list ap;
    p->kind = kind;
    snprintf(p->path, sizeof(p->path), "%s", path);
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof(p->message), fmt, ap);
    va_end(ap);
    snprintf(p->message_th, sizeof(p->message_th), "%s", th);
    utf8_mend(p->path);
    utf8_mend(p->message);
}

/* The member @p key of @p obj, checked: present (strings: non-empty unless @p may_be_empty) and
 * of JSON type @p type; NULL (and a problem) otherwise, or when optional and absent. */
enum { OPT = 0, REQ = 1, REQ_EMPTY_OK = 2 };

static const json_t *member(khm_receipt_report *rep, const json_t *obj, const char *prefix,
                            const char *key, json_type type, int req)
{
    char path[160];
    static const char *const tnames[] = {
        [JSON_OBJECT] = "an object",   [JSON_ARRAY] = "an array", [JSON_STRING] = "a string",
        [JSON_INTEGER] = "an integer", [JSON_REAL] = "a number",  [JSON_TRUE] = "a boolean",
        [JSON_FALSE] = "a boolean",    [JSON_NULL] = "null"
    };
    snprintf(path, sizeof(path), "%s.%s", prefix, key);
    const json_t *v = json_object_get(obj, key);
    if (!v || (json_is_null(v) && req != OPT)) {
        if (req != OPT)
            problem(rep, KHM_RCP_MISSING_FIELD, path, "ขาดข้อมูลที่จำเป็นในใบรับรองความยินยอม",
                    "required member %s is missing", key);
        return NULL;
    }
    if (json_is_null(v))
        return NULL;
    int ok = type == JSON_TRUE ? json_is_boolean(v)
             : type == JSON_INTEGER
                 ? json_is_integer(v) ||
                       (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)))
                 : json_typeof(v) == type;
    if (!ok) {
        problem(rep, type == JSON_OBJECT ? KHM_RCP_NOT_OBJECT : KHM_RCP_WRONG_TYPE, path,
                "ชนิดข้อมูลไม่ถูกต้อง", "%s must be %s", key, tnames[type]);
        return NULL;
    }
    if (type == JSON_STRING && req == REQ && json_string_length(v) == 0) {
        problem(rep, KHM_RCP_MISSING_FIELD, path, "ขาดข้อมูลที่จำเป็นในใบรับรองความยินยอม",
                "required member %s is empty", key);
        return NULL;
    }
    return v;
}

static const char *member_str(khm_receipt_report *rep, const json_t *obj, const char *prefix,
                              const char *key, int req)
{
    return json_string_value(member(rep, obj, prefix, key, JSON_STRING, req));
}

/* An array of strings (each non-empty); @p min elements at least. */
static void check_strings(khm_receipt_report *rep, const json_t *obj, const char *prefix,
                          const char *key, size_t min)
{
    char path[160];
    const json_t *a = member(rep, obj, prefix, key, JSON_ARRAY, REQ);
    if (!a)
        return;
    snprintf(path, sizeof(path), "%s.%s", prefix, key);
    if (json_array_size(a) < min)
        problem(rep, KHM_RCP_MISSING_FIELD, path, "ต้องมีอย่างน้อยหนึ่งรายการ",
                "%s needs at least %zu entr%s", key, min, min == 1 ? "y" : "ies");
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *s = json_array_get(a, i);
        if (!json_is_string(s) || json_string_length(s) == 0) {
            snprintf(path, sizeof(path), "%s.%s[%zu]", prefix, key, i);
            problem(rep, KHM_RCP_WRONG_TYPE, path, "ต้องเป็นข้อความที่ไม่ว่าง",
                    "%s[%zu] must be a non-empty string", key, i);
        }
    }
}

static void copy(char *dst, size_t cap, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n >= cap)
        n = cap - 1;
    while (n > 0 && s[n] && ((unsigned char)s[n] & 0xC0) == 0x80) /* whole UTF-8 sequences */
        n--;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
}

static void check_controller(khm_receipt_report *rep, const json_t *c, size_t i)
{
    char pre[48];
    snprintf(pre, sizeof(pre), "receipt.piiControllers[%zu]", i);
    if (!json_is_object(c)) {
        problem(rep, KHM_RCP_NOT_OBJECT, pre, "ต้องเป็นอ็อบเจ็กต์", "must be an object");
        return;
    }
    member_str(rep, c, pre, "piiController", REQ);
    member_str(rep, c, pre, "contact", REQ);
    member(rep, c, pre, "address", JSON_OBJECT, REQ);
    member_str(rep, c, pre, "email", REQ);
    member_str(rep, c, pre, "phone", REQ_EMPTY_OK);
    member(rep, c, pre, "onBehalf", JSON_TRUE, OPT);
    member_str(rep, c, pre, "piiControllerUrl", OPT);
    const char *id = member_str(rep, c, pre, "piiControllerId", i == 0 ? REQ : OPT);
    if (i == 0)
        copy(rep->agency_id, sizeof(rep->agency_id), id);
}

static void check_purpose(khm_receipt_report *rep, const json_t *p, const char *pre)
{
    static const char *const types[] = { "EXPLICIT", "EXPRESSED", "IMPLIED", "N/A", NULL };
    if (!json_is_object(p)) {
        problem(rep, KHM_RCP_NOT_OBJECT, pre, "ต้องเป็นอ็อบเจ็กต์", "must be an object");
        return;
    }
    char path[160];
    member_str(rep, p, pre, "purpose", OPT);
    const char *ct = member_str(rep, p, pre, "consentType", REQ);
    if (ct && !one_of(ct, types)) {
        snprintf(path, sizeof(path), "%s.consentType", pre);
        problem(rep, KHM_RCP_BAD_VALUE, path, "ประเภทความยินยอมไม่ถูกต้อง",
                "consentType '%.60s' is not EXPLICIT, EXPRESSED, IMPLIED or N/A", ct);
    }
    check_strings(rep, p, pre, "purposeCategory", 1);
    check_strings(rep, p, pre, "piiCategory", 1);
    member(rep, p, pre, "primaryPurpose", JSON_TRUE, OPT);
    member_str(rep, p, pre, "termination", REQ);
    const json_t *tpd = member(rep, p, pre, "thirdPartyDisclosure", JSON_TRUE, REQ);
    if (json_is_true(tpd))
        member_str(rep, p, pre, "thirdPartyName", REQ); /* Kantara's oneOf */
    member_str(rep, p, pre, "lawfulBasis", REQ);
    const char *code = member_str(rep, p, pre, "purposeCode", OPT);
    if (!rep->purpose[0])
        copy(rep->purpose, sizeof(rep->purpose), code);
}

/* The receipt's members: Kantara v1.1 required ones and Khomun's required extensions. */
static void check_receipt(khm_receipt_report *rep, const json_t *rec)
{
    static const char *const events[] = { "given", "withdrawn", NULL };
    const char *P = "receipt";
    const char *v = member_str(rep, rec, P, "version", REQ);
    if (v && strcmp(v, KHM_RECEIPT_VERSION) != 0)
        problem(rep, KHM_RCP_WRONG_VERSION, "receipt.version", "รุ่นของใบรับรองไม่ถูกต้อง",
                "version is '%.40s', expected " KHM_RECEIPT_VERSION, v);
    const char *j = member_str(rep, rec, P, "jurisdiction", REQ);
    if (j && strcmp(j, "TH") != 0)
        problem(rep, KHM_RCP_BAD_VALUE, "receipt.jurisdiction", "เขตอำนาจต้องเป็น TH",
                "jurisdiction is '%.40s', expected TH (PDPA)", j);
    const json_t *ts = member(rep, rec, P, "consentTimestamp", JSON_INTEGER, REQ);
    if (ts) {
        double t = json_is_integer(ts) ? (double)json_integer_value(ts) : json_real_value(ts);
        if (t < 0)
            problem(rep, KHM_RCP_BAD_VALUE, "receipt.consentTimestamp", "เวลาต้องไม่ติดลบ",
                    "consentTimestamp must be 0 or more (Unix seconds)");
        else
            rep->timestamp = (int64_t)t;
    }
    member_str(rep, rec, P, "collectionMethod", REQ);
    copy(rep->receipt_id, sizeof(rep->receipt_id),
         member_str(rep, rec, P, "consentReceiptID", REQ));
    const char *pk = member_str(rep, rec, P, "publicKey", REQ);
    if (pk && !is_hex64(pk))
        problem(rep, KHM_RCP_BAD_KEY, "receipt.publicKey",
                "กุญแจสาธารณะต้องเป็น Ed25519 เลขฐานสิบหก 64 หลัก",
                "publicKey must be an Ed25519 public key as 64 lower-case hex digits");
    member_str(rep, rec, P, "language", OPT);
    member_str(rep, rec, P, "piiPrincipalId", REQ);
    const json_t *ctls = member(rep, rec, P, "piiControllers", JSON_ARRAY, REQ);
    if (ctls && json_array_size(ctls) == 0)
        problem(rep, KHM_RCP_MISSING_FIELD, "receipt.piiControllers", "ต้องมีผู้ควบคุมข้อมูล",
                "piiControllers needs at least one controller");
    for (size_t i = 0; i < json_array_size(ctls); i++)
        check_controller(rep, json_array_get(ctls, i), i);
    member_str(rep, rec, P, "policyUrl", REQ);
    const json_t *svcs = member(rep, rec, P, "services", JSON_ARRAY, REQ);
    if (svcs && json_array_size(svcs) == 0)
        problem(rep, KHM_RCP_MISSING_FIELD, "receipt.services", "ต้องมีบริการอย่างน้อยหนึ่งรายการ",
                "services needs at least one service");
    for (size_t i = 0; i < json_array_size(svcs); i++) {
        char pre[64];
        const json_t *s = json_array_get(svcs, i);
        snprintf(pre, sizeof(pre), "receipt.services[%zu]", i);
        if (!json_is_object(s)) {
            problem(rep, KHM_RCP_NOT_OBJECT, pre, "ต้องเป็นอ็อบเจ็กต์", "must be an object");
            continue;
        }
        member_str(rep, s, pre, "service", REQ);
        const json_t *purs = member(rep, s, pre, "purposes", JSON_ARRAY, REQ);
        if (purs && json_array_size(purs) == 0) {
            char path[160];
            snprintf(path, sizeof(path), "%s.purposes", pre);
            problem(rep, KHM_RCP_MISSING_FIELD, path, "ต้องมีวัตถุประสงค์อย่างน้อยหนึ่งรายการ",
                    "purposes needs at least one purpose");
        }
        for (size_t k = 0; k < json_array_size(purs); k++) {
            char ppre[112];
            snprintf(ppre, sizeof(ppre), "%s.purposes[%zu]", pre, k);
            check_purpose(rep, json_array_get(purs, k), ppre);
        }
    }
    member(rep, rec, P, "sensitive", JSON_TRUE, REQ);
    check_strings(rep, rec, P, "spiCat", 0);
    copy(rep->consent_id, sizeof(rep->consent_id), member_str(rep, rec, P, "consentId", REQ));
    const char *ev = member_str(rep, rec, P, "consentEvent", REQ);
    if (ev && !one_of(ev, events))
        problem(rep, KHM_RCP_BAD_VALUE, "receipt.consentEvent", "เหตุการณ์ต้องเป็น given หรือ withdrawn",
                "consentEvent is '%.40s', expected given or withdrawn", ev);
    else
        copy(rep->event, sizeof(rep->event), ev);
    member_str(rep, rec, P, "withdrawalMethod", REQ);
}

/* The JWS: "<b64url(header)>..<b64url(signature)>", header {"alg":"EdDSA","b64":false,
 * "crit":["b64"],"kid":…}. 0 when the signature can still be checked — @p sig holds it and
 * @p hlen the header's length in the JWS (the signing input starts with it) — even if the
 * header's members are wrong (they are reported; a changed header also breaks the signature). */
static int check_jws(khm_receipt_report *rep, const char *jws, unsigned char sig[64], size_t *hlen)
{
    const char *d1 = strchr(jws, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || strchr(d2 + 1, '.')) {
        problem(rep, KHM_RCP_BAD_JWS, "jws", "ลายมือชื่อไม่อยู่ในรูปแบบ JWS",
                "not a JWS in compact form: expected <header>..<signature>");
        return -1;
    }
    if (d2 != d1 + 1) {
        problem(rep, KHM_RCP_BAD_JWS, "jws", "JWS ต้องไม่มีเนื้อหาอยู่ภายใน (detached)",
                "the JWS payload must be detached (empty between the dots): the receipt is "
                "the payload");
        return -1;
    }
    uint8_t hdr[1024];
    int n = khm_b64url_decode(hdr, sizeof(hdr) - 1, jws, (size_t)(d1 - jws));
    khm_err_clear();
    if (n < 0) {
        problem(rep, KHM_RCP_BAD_BASE64URL, "jws.header", "ส่วนหัวของ JWS ไม่ใช่ base64url",
                "the JWS protected header is not unpadded base64url (or over 1 KiB)");
        return -1;
    }
    uint8_t sbuf[96];
    int sn = khm_b64url_decode(sbuf, sizeof(sbuf), d2 + 1, strlen(d2 + 1));
    khm_err_clear();
    int rc = 0;
    if (sn < 0) {
        problem(rep, KHM_RCP_BAD_BASE64URL, "jws.signature", "ลายมือชื่อไม่ใช่ base64url",
                "the JWS signature is not unpadded base64url");
        rc = -1;
    } else if (sn != 64) {
        problem(rep, KHM_RCP_BAD_JWS, "jws.signature", "ลายมือชื่อ Ed25519 ต้องยาว 64 ไบต์",
                "the signature is %d bytes; Ed25519 signatures are 64", sn);
        rc = -1;
    } else {
        memcpy(sig, sbuf, 64);
    }
    json_t *h = NULL;
    if (khm_json_parse(&h, (const char *)hdr, (size_t)n, sizeof(hdr), 4) < 0 ||
        !json_is_object(h)) {
        khm_err_clear();
        json_decref(h);
        problem(rep, KHM_RCP_BAD_HEADER, "jws.header", "ส่วนหัวของ JWS ไม่ใช่อ็อบเจ็กต์ JSON",
                "the JWS protected header is not a JSON object");
        *hlen = (size_t)(d1 - jws);
        return rc;
    }
    const char *alg = json_string_value(json_object_get(h, "alg"));
    if (!alg || strcmp(alg, JWS_ALG) != 0) {
        problem(rep, KHM_RCP_UNKNOWN_ALG, "jws.header.alg", "อัลกอริทึมลายมือชื่อต้องเป็น EdDSA",
                "unknown alg '%.40s': only EdDSA (Ed25519) is accepted", alg ? alg : "(none)");
    }
    const json_t *crit = json_object_get(h, "crit");
    if (!json_is_false(json_object_get(h, "b64")) || json_array_size(crit) != 1 ||
        !json_is_string(json_array_get(crit, 0)) ||
        strcmp(json_string_value(json_array_get(crit, 0)), "b64") != 0) {
        problem(rep, KHM_RCP_BAD_HEADER, "jws.header.b64",
                "ส่วนหัวของ JWS ต้องมี \"b64\": false และ \"crit\": [\"b64\"]",
                "the header must have \"b64\": false and \"crit\": [\"b64\"] (RFC 7797)");
    }
    const char *key;
    json_t *val;
    json_object_foreach(h, key, val)
    {
        (void)val;
        if (strcmp(key, "alg") && strcmp(key, "b64") && strcmp(key, "crit") && strcmp(key, "kid")) {
            char path[160];
            snprintf(path, sizeof(path), "jws.header.%.60s", key);
            problem(rep, KHM_RCP_BAD_HEADER, path, "ส่วนหัวของ JWS มีสมาชิกที่ไม่รู้จัก",
                    "unknown header member '%.60s'", key);
        }
    }
    const char *kid = json_string_value(json_object_get(h, "kid"));
    if (!kid || (rep->agency_id[0] && strcmp(kid, rep->agency_id) != 0)) {
        problem(
            rep, KHM_RCP_KID_MISMATCH, "jws.header.kid", "kid ไม่ตรงกับรหัสผู้ควบคุมข้อมูลในใบรับรอง",
            "kid '%.60s' is not the controller's id '%.60s' (piiControllers[0].piiControllerId)",
            kid ? kid : "(none)", rep->agency_id);
    }
    json_decref(h);
    *hlen = (size_t)(d1 - jws);
    return rc;
}

static const char note_pinned[] = "signature checked with the pinned key";
static const char note_pinned_th[] = "ตรวจลายมือชื่อด้วยกุญแจสาธารณะที่ระบุ";
static const char note_own[] =
    "signature valid for the key in the receipt; pin a key with --key to trust it";
static const char note_own_th[] = "ลายมือชื่อถูกต้องตามกุญแจที่อยู่ในใบรับรองเอง "
                                  "ระบุกุญแจของหน่วยงานด้วย --key เพื่อยืนยันว่าหน่วยงานเป็นผู้ออก";

int khm_receipt_verify_json(khm_receipt_report *out, const json_t *doc, const unsigned char *pinned)
{
    memset(out, 0, sizeof(*out));
    out->valid = 1;
    out->key_pinned = pinned != NULL;
    out->note = pinned ? note_pinned : note_own;
    out->note_th = pinned ? note_pinned_th : note_own_th;
    if (!json_is_object(doc)) {
        problem(out, KHM_RCP_NOT_OBJECT, "$", "เอกสารใบรับรองต้องเป็นอ็อบเจ็กต์ JSON",
                "a receipt document is a JSON object {\"receipt\": …, \"jws\": …}");
        return 0;
    }
    const json_t *rec = member(out, doc, "$", "receipt", JSON_OBJECT, REQ);
    const char *jws = member_str(out, doc, "$", "jws", REQ);
    /* paths read better without "$." for the two top-level members */
    for (size_t i = 0; i < out->nproblems; i++)
        if (strncmp(out->problems[i].path, "$.", 2) == 0)
            memmove(out->problems[i].path, out->problems[i].path + 2,
                    strlen(out->problems[i].path + 2) + 1);
    if (rec)
        check_receipt(out, rec);

    unsigned char sig[64], pk[32];
    size_t hlen = 0;
    int have_sig = jws && check_jws(out, jws, sig, &hlen) == 0;
    const char *pkhex = json_string_value(json_object_get(rec, "publicKey"));
    int have_pk = 0;
    if (pinned) {
        memcpy(pk, pinned, 32);
        have_pk = 1;
        unsigned char own[32];
        if (is_hex64(pkhex) && khm_hex_decode(own, 32, pkhex, 64) == 0 &&
            !khm_ct_equal(own, pinned, 32))
            problem(out, KHM_RCP_KEY_MISMATCH, "receipt.publicKey",
                    "กุญแจสาธารณะในใบรับรองไม่ใช่กุญแจที่ระบุ",
                    "publicKey is not the pinned key: the receipt names another signer");
        khm_err_clear();
    } else if (is_hex64(pkhex) && khm_hex_decode(pk, 32, pkhex, 64) == 0) {
        have_pk = 1;
    }
    khm_err_clear();
    if (have_pk)
        khm_hex_encode(out->public_key, pk, 32);
    /* the signature is checked whenever there is one and a key, even when other members are
     * wrong: "tampered" is the most important thing to say */
    if (rec && have_sig && have_pk) {
        khm_buf in;
        khm_buf_init(&in, KHM_RECEIPT_MAX_BYTES + 2048);
        int rc = khm_buf_put(&in, jws, hlen);
        if (rc == 0)
            rc = khm_buf_putc(&in, '.');
        if (rc == 0)
            rc = khm_receipt_jcs(&in, rec);
        if (rc == KHM_ENOMEM) {
            khm_buf_dispose(&in);
            return rc;
        }
        if (rc < 0) {
            size_t nf;
            const khm_field_error *fe = khm_err_fields(&nf);
            problem(out, KHM_RCP_NOT_CANONICAL, "receipt",
                    "ใบรับรองมีค่าที่แปลงเป็นรูปแบบมาตรฐาน (JCS) ไม่ได้",
                    "the receipt cannot be canonicalised (JCS): %s",
                    nf ? fe[0].message : khm_err_last()->message);
            khm_err_clear();
        } else if (crypto_sign_verify_detached(sig, (const unsigned char *)in.ptr, in.len, pk) ==
                   0) {
            out->sig_ok = 1;
        } else {
            problem(out, KHM_RCP_BAD_SIGNATURE, "jws.signature",
                    "ลายมือชื่อไม่ตรงกับใบรับรอง: ใบรับรองถูกแก้ไขหลังลงนาม หรือลงนามด้วยกุญแจอื่น",
                    "the signature does not match: the receipt was changed after signing, or "
                    "signed with another key");
        }
        khm_buf_dispose(&in);
    }
    out->valid = out->nproblems_total == 0;
    return 0;
}

int khm_receipt_verify(khm_receipt_report *out, const char *doc, size_t n,
                       const unsigned char *pinned)
{
    json_t *v = NULL;
    int rc = khm_json_parse(&v, doc ? doc : "", doc ? n : 0, KHM_RECEIPT_MAX_BYTES, 0);
    if (rc == KHM_ENOMEM)
        return rc;
    if (rc < 0) {
        size_t nf;
        const khm_field_error *fe = khm_err_fields(&nf);
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", nf ? fe[0].message : khm_err_last()->message);
        khm_err_clear();
        memset(out, 0, sizeof(*out));
        out->key_pinned = pinned != NULL;
        out->note = pinned ? note_pinned : note_own;
        out->note_th = pinned ? note_pinned_th : note_own_th;
        problem(out, KHM_RCP_NOT_JSON, "$", "ไฟล์ใบรับรองไม่ใช่ JSON ที่ถูกต้อง",
                "not a JSON document%s: %s",
                rc == KHM_ELIMIT ? " (over the 256 KiB receipt limit)" : "", msg);
        return 0;
    }
    rc = khm_receipt_verify_json(out, v, pinned);
    json_decref(v);
    return rc;
}

static json_t *str_or_null_n(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

json_t *khm_receipt_report_json(const khm_receipt_report *r)
{
    json_t *probs = json_array();
    for (size_t i = 0; probs && i < r->nproblems; i++) {
        const khm_receipt_problem *p = &r->problems[i];
        if (json_array_append_new(probs, json_pack("{s:s, s:s, s:s, s:s}", "code",
                                                   khm_receipt_problem_name(p->kind), "path",
                                                   p->path, "message", p->message, "message_th",
                                                   p->message_th)) < 0) {
            json_decref(probs);
            return NULL;
        }
    }
    if (!probs)
        return NULL;
    return json_pack(
        "{s:b, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:I}", "valid", r->valid,
        "signature_ok", r->sig_ok, "key_pinned", r->key_pinned, "public_key",
        str_or_null_n(r->public_key), "receipt_id", str_or_null_n(r->receipt_id), "consent_id",
        str_or_null_n(r->consent_id), "agency_id", str_or_null_n(r->agency_id), "event",
        str_or_null_n(r->event), "purpose", str_or_null_n(r->purpose), "consent_timestamp",
        r->timestamp ? json_integer(r->timestamp) : json_null(), "note", r->note, "note_th",
        r->note_th, "problems", probs, "problems_total", (json_int_t)r->nproblems_total);
}
