/* Data-subject identifiers (include/khomun/subject.h): one validation, one canonical form and one
 * pseudonymous token for consent records, data-subject requests and discovery. */
#define OPENSSL_SUPPRESS_DEPRECATED /* SHA256_Init & co.: a state we can copy, no allocation */
#include <khomun/subject.h>

#include <khomun/err.h>
#include <khomun/scan.h>

#include <openssl/sha.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((khm_pseudonymizer *)0)->state[0]),
               "SHA256_CTX fits the pseudonymizer's state");

static const char *const type_names[KHM_SUBJECT__COUNT] = { "tnin", "email", "phone", "other" };

const char *khm_subject_type_name(int type)
{
    return type >= 0 && type < KHM_SUBJECT__COUNT ? type_names[type] : NULL;
}

int khm_subject_type_parse(const char *s, const char *field, int *out)
{
    for (int i = 0; s && i < KHM_SUBJECT__COUNT; i++)
        if (strcmp(s, type_names[i]) == 0) {
            *out = i;
            return 0;
        }
    if (s && strcmp(s, "national_id") == 0) {
        *out = KHM_SUBJECT_TNIN;
        return 0;
    }
    return khm_err_field(field, "ชนิดตัวระบุต้องเป็น tnin (national_id), email, phone หรือ other",
                         "unknown subject type '%.40s' (allowed: tnin or national_id, email, "
                         "phone, other)",
                         s ? s : "");
}

/* Why an identifier was refused: Thai and English, never quoting it. */
typedef struct {
    const char *th, *en;
} why;

static const why w_empty = { "ต้องระบุตัวระบุเจ้าของข้อมูล (ไม่เกิน 256 ไบต์)",
                             "the subject's identifier is required (1-256 bytes)" };
static const why w_tnin = { "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก",
                            "a Thai national ID is 13 digits (dashes and spaces allowed)" };
static const why w_tnin_check = { "เลขตรวจสอบของเลขประจำตัวประชาชนไม่ถูกต้อง",
                                  "not a valid Thai national ID: the check digit (13th, mod 11) "
                                  "does not match" };
static const why w_email = { "ที่อยู่อีเมลไม่ถูกต้อง",
                             "not an e-mail address (one '@' and a dotted domain, no spaces)" };
static const why w_phone = { "หมายเลขโทรศัพท์ต้องเป็นหมายเลขในประเทศไทย เช่น 0812345678 หรือ "
                             "+66812345678",
                             "a Thai phone number is required, e.g. 0812345678 or +66812345678" };

/* The normalised identifier after "<type>:" at buf[k]; the new length or -1 with *w set. */
static int canon(char *buf, size_t cap, size_t k, int type, const char *id, const why **w)
{
    size_t start = k;
    while (id && (*id == ' ' || *id == '\t'))
        id++;
    size_t n = id ? strlen(id) : 0;
    while (n && (id[n - 1] == ' ' || id[n - 1] == '\t'))
        n--;
    *w = &w_empty;
    if (!n || n > KHM_SUBJECT_ID_MAX || k + n + 2 > cap)
        return -1;
    switch (type) {
    case KHM_SUBJECT_TNIN:
        *w = &w_tnin;
        for (size_t i = 0; i < n; i++) {
            if (id[i] == '-' || id[i] == ' ')
                continue;
            if (id[i] < '0' || id[i] > '9' || k - start >= 13)
                return -1;
            buf[k++] = id[i];
        }
        buf[k] = '\0';
        if (k - start != 13)
            return -1;
        *w = &w_tnin_check;
        if (!khm_th_tnin_check(buf + start))
            return -1;
        break;
    case KHM_SUBJECT_EMAIL: {
        int at = 0;
        size_t at_pos = 0;
        *w = &w_email;
        if (n < 3 || n > 254)
            return -1;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)id[i];
            if (c <= ' ' || c == 0x7f)
                return -1;
            if (c == '@') {
                at++;
                at_pos = i;
            }
            buf[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        buf[k] = '\0';
        if (at != 1 || at_pos == 0 || at_pos == n - 1 ||
            !memchr(id + at_pos + 1, '.', n - at_pos - 1) || id[n - 1] == '.')
            return -1;
        break;
    }
    case KHM_SUBJECT_PHONE: {
        size_t i = 0;
        *w = &w_phone;
        if (id[0] == '+') {
            if (n < 3 || id[1] != '6' || id[2] != '6')
                return -1;
            buf[k++] = '0';
            i = 3;
        }
        for (; i < n; i++) {
            if (id[i] >= '0' && id[i] <= '9') {
                if (k - start >= 12)
                    return -1;
                buf[k++] = id[i];
            } else if (!strchr(" -.()", id[i])) {
                return -1;
            }
        }
        buf[k] = '\0';
        if (k - start == 11 && buf[start] == '6' && buf[start + 1] == '6') {
            /* 66 81 234 5678: the country code without its '+' */
            memmove(buf + start + 1, buf + start + 2, 10);
            buf[start] = '0';
            k--;
        }
        if ((k - start != 9 && k - start != 10) || buf[start] != '0')
            return -1;
        break;
    }
    case KHM_SUBJECT_OTHER:
        memcpy(buf + k, id, n);
        k += n;
        break;
    default:
        return -1;
    }
    buf[k] = '\0';
    *w = NULL;
    return (int)k;
}

int khm_subject_canonical(char *buf, size_t cap, int type, const char *id, const char *field)
{
    const why *w = NULL;
    if (type < 0 || type >= KHM_SUBJECT__COUNT)
        return khm_err_field(field, "ชนิดตัวระบุไม่ถูกต้อง", "unknown subject type");
    /* "TYPE:" without printf: once per consent check */
    size_t k = strlen(type_names[type]) + 1;
    int n = -1;
    if (k < cap) {
        memcpy(buf, type_names[type], k - 1);
        buf[k - 1] = ':';
        buf[k] = '\0';
        n = canon(buf, cap, k, type, id, &w);
    }
    if (n < 0) {
        sodium_memzero(buf, cap);
        return khm_err_field(field, w ? w->th : w_empty.th, "%s", w ? w->en : w_empty.en);
    }
    return n;
}

int khm_subject_normalise(char *out, size_t cap, int type, const char *value)
{
    const why *w;
    if (type < 0 || type >= KHM_SUBJECT__COUNT || canon(out, cap, 0, type, value, &w) < 0) {
        if (cap)
            out[0] = '\0';
        return -1;
    }
    return 0;
}

void khm_pseudonymizer_init(khm_pseudonymizer *p, const unsigned char key[32])
{
    unsigned char pad[64];
    SHA256_CTX *in = (SHA256_CTX *)(void *)p->state[0], *out = (SHA256_CTX *)(void *)p->state[1];
    memset(p, 0, sizeof(*p));
    memset(pad, 0x36, sizeof(pad));
    for (int i = 0; i < 32; i++)
        pad[i] ^= key[i];
    SHA256_Init(in);
    SHA256_Update(in, pad, sizeof(pad));
    memset(pad, 0x5c, sizeof(pad));
    for (int i = 0; i < 32; i++)
        pad[i] ^= key[i];
    SHA256_Init(out);
    SHA256_Update(out, pad, sizeof(pad));
    memset(pad, 0, sizeof(pad));
}

/* HMAC-SHA-256 of @p msg (RFC 2104) from the absorbed pads. */
void khm_pseudonymizer_mac(const khm_pseudonymizer *p, const void *msg, size_t n,
                           unsigned char out[32])
{
    SHA256_CTX c;
    unsigned char inner[32];
    memcpy(&c, p->state[0], sizeof(c));
    SHA256_Update(&c, msg, n);
    SHA256_Final(inner, &c);
    memcpy(&c, p->state[1], sizeof(c));
    SHA256_Update(&c, inner, sizeof(inner));
    SHA256_Final(out, &c);
}

int khm_consent_subject_token(const khm_pseudonymizer *p, int type, const char *identifier,
                              const char *field, unsigned char out[32])
{
    char buf[KHM_SUBJECT_CANON_LEN];
    int n = khm_subject_canonical(buf, sizeof(buf), type, identifier, field);
    if (n < 0)
        return n;
    khm_pseudonymizer_mac(p, buf, (size_t)n, out);
    sodium_memzero(buf, sizeof(buf));
    return 0;
}

int khm_subject_token(char out[KHM_SUBJECT_TOKEN_LEN], const khm_keys *keys, const char *agency_id,
                      int type, const char *value, const char *field)
{
    unsigned char key[KHM_KEY_LEN], mac[32];
    khm_pseudonymizer p;
    char buf[KHM_SUBJECT_CANON_LEN];
    int n = khm_subject_canonical(buf, sizeof(buf), type, value, field);
    if (n < 0)
        return n;
    khm_keys_agency_pseudonym(keys, agency_id, key);
    khm_pseudonymizer_init(&p, key);
    khm_pseudonymizer_mac(&p, buf, (size_t)n, mac);
    sodium_bin2hex(out, KHM_SUBJECT_TOKEN_LEN, mac, sizeof(mac));
    sodium_memzero(key, sizeof(key));
    sodium_memzero(buf, sizeof(buf));
    sodium_memzero(&p, sizeof(p));
    return 0;
}
