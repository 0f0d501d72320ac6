/* BIOMETRIC: biometric data, PDPA s.26 (thai-rules.md §1.4): fingerprint, iris, face and voice
templates. Column only: a header naming them (ลายนิ้วมือ, ม่านตา, ใบหน้า, fingerprint, iris, face
template, biometric) and a value that is one: an encoded template, a template file (.wsq, .fmr),
an embedding vector, or a lexicon word (ISO 19794, minutiae). No prose cues: a text names a
fingerprint, it does not hold one. */
#include "scan_int.h"

#include <string.h>
#include <strings.h>

/* Column headers naming the category (Thai anywhere, English as whole words). */
static const char *const headers[] = {
    "ลายนิ้วมือ",        "ม่านตา",      "ใบหน้า",       "ลายเสียง",      "ชีวมิติ",   "ไบโอเมตริก",
    "biometric",      "biometrics", "fingerprint", "fingerprints", "iris",   "face template",
    "face embedding", "faceprint",  "face id",     "voiceprint",   "retina", "palm vein",
    "palmprint",      "minutiae",   NULL,
};

/* Values, sorted (strcmp), English in lower case. */
static const char *const values[] = {
    "ansi 378",      "embedding", "faceprint", "iris code", "iriscode",     "iso 19794",
    "iso/iec 19794", "minutiae",  "template",  "wsq",       "แม่แบบลายนิ้วมือ",
};

/* By form: an encoded template (32+ base64 or hex characters, letters and digits mixed), a
 * template or capture file (.wsq, .fmr, .iso, .ist, .bir), an embedding ([0.12, -0.3, …]). */
static size_t biometric_form(const unsigned char *s, size_t n)
{
    static const char *const exts[] = { ".wsq", ".fmr", ".iso", ".ist", ".bir", ".ansi", NULL };
    size_t k = 0, letters = 0, digits = 0;
    while (k < n && (khm_isalnum(s[k]) || s[k] == '+' || s[k] == '/' || s[k] == '=')) {
        letters += khm_isalpha(s[k]);
        digits += khm_isdigit(s[k]);
        k++;
    }
    if (k >= 32 && letters && digits)
        return k;
    for (k = 0; k < n && k < 128 && s[k] != ' ' && s[k] != ','; k++)
        for (const char *const *e = exts; *e; e++) {
            size_t l = strlen(*e);
            if (k + l <= n && strncasecmp((const char *)s + k, *e, l) == 0 &&
                (k + l == n || !khm_isalnum(s[k + l])))
                return k + l;
        }
    if (n >= 2 && s[0] == '[' && (khm_isdigit(s[1]) || s[1] == '-')) {
        size_t commas = 0;
        for (k = 1; k < n && k < 4096 && s[k] != ']'; k++)
            commas += s[k] == ',';
        if (k < n && commas >= 7)
            return k + 1;
    }
    return 0;
}

const khm_sens_cat khm_sens_biometric = {
    KHM_SENS_BIOMETRIC,
    headers,
    values,
    sizeof(values) / sizeof(values[0]),
    biometric_form,
    0,
    NULL,
    0,
    NULL,
    NULL,
    NULL,
};

int khm_det_biometric(const unsigned char *p, size_t lo, size_t len, size_t i,
                      const khm_det_ctx *cx, khm_match *m)
{
    return khm_sens_match(&khm_sens_biometric, p, lo, len, i, cx, m);
}
