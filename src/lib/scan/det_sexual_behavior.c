/* SEXUAL_BEHAVIOR: sexual behaviour and orientation, PDPA s.26 (thai-rules.md §1.4). Column: a
header naming it (รสนิยมทางเพศ, พฤติกรรมทางเพศ, เพศวิถี, sexual orientation) and a value (รักร่วมเพศ,
เกย์, heterosexual, MSM …). A sex or gender column (เพศ: ชาย/หญิง) is not. Prose:
"รสนิยมทางเพศ: รักร่วมเพศ", "มีเพศสัมพันธ์กับ…" about a named person, "is gay". */
#include "scan_int.h"

/* Column headers naming the category (Thai anywhere, English as whole words). */
static const char *const headers[] = {
    "รสนิยมทางเพศ",     "พฤติกรรมทางเพศ",    "เพศวิถี",     "เพศสัมพันธ์", "sexual orientation",
    "sexual behavior", "sexual behaviour", "sexuality", "sexual",   NULL,
};

/* Values, sorted (strcmp), English in lower case. */
static const char *const values[] = {
    "asexual",
    "bisexual",
    "celibate",
    "gay",
    "heterosexual",
    "homosexual",
    "lesbian",
    "lgbt",
    "lgbtq",
    "lgbtq+",
    "men who have sex with men",
    "msm",
    "multiple partners",
    "pansexual",
    "queer",
    "sex worker",
    "straight",
    "ขายบริการทางเพศ",
    "คู่นอนหลายคน",
    "ชายรักชาย",
    "ดี้",
    "ทอม",
    "มีคู่นอนหลายคน",
    "มีเพศสัมพันธ์",
    "รักต่างเพศ",
    "รักร่วมเพศ",
    "รักสองเพศ",
    "หญิงรักหญิง",
    "เกย์",
    "เพศทางเลือก",
    "เลสเบี้ยน",
    "แพนเซ็กชวล",
    "ไบเซ็กชวล",
    "ไม่ฝักใฝ่ทางเพศ",
};

/* Prose: `back` ends right before the trigger character, `fwd` starts at it. */
static const khm_sens_cue cues[] = {
    { "รสนิยมทางเพ", "ศ", KHM_CUE_VALUE, NULL }, { "พฤติกรรมทางเพ", "ศ", KHM_CUE_VALUE, NULL },
    { "มีเพ", "ศสัมพันธ์", KHM_CUE_PERSON, NULL },  { "is ", "gay", KHM_CUE_END, NULL },
    { "is a ", "lesbian", KHM_CUE_END, NULL },  { "is ", "lesbian", KHM_CUE_END, NULL },
};

static const char *const not_after[] = {
    "การ", "ที่", "ผู้ที่", "ความ", "ไม่", "ของ", "และ", "หรือ", NULL,
};

static const char *const not_near[] = {
    "ประชากร", "ร้อยละ", "ส่วนใหญ่", "ชาวบ้าน", "ประเทศ", "คนไทย", "%", NULL,
};

const khm_sens_cat khm_sens_sexual_behavior = {
    KHM_SENS_SEXUAL_BEHAVIOR,
    headers,
    values,
    sizeof(values) / sizeof(values[0]),
    NULL,
    0,
    cues,
    sizeof(cues) / sizeof(cues[0]),
    not_after,
    not_near,
    NULL,
};

int khm_det_sexual_behavior(const unsigned char *p, size_t lo, size_t len, size_t i,
                            const khm_det_ctx *cx, khm_match *m)
{
    return khm_sens_match(&khm_sens_sexual_behavior, p, lo, len, i, cx, m);
}
