/* RELIGION: cult, religious or philosophical beliefs, PDPA s.26 (thai-rules.md §1.4). Column: a
header naming religion (ศาสนา, นับถือ, religion) and a religion (พุทธ, อิสลาม, คริสต์, Buddhist,
Muslim …, also ไม่นับถือศาสนา). Prose: "นับถือศาสนาอิสลาม", "ศาสนาพุทธ" right after a named
person, "is a devout Muslim". A religious place (ศาสนสถาน, วัด) or religion in general is not. */
#include "scan_int.h"

/* Column headers naming the category (Thai anywhere, English as whole words). */
static const char *const headers[] = {
    "ศาสนา", "นับถือ", "ความเชื่อ", "religion", "religious", "faith", "belief", "beliefs", NULL,
};

/* Values, sorted (strcmp), English in lower case. */
static const char *const values[] = {
    "agnostic",    "atheism",      "atheist",    "baha'i",
    "bahai",       "buddhism",     "buddhist",   "catholic",
    "christian",   "christianity", "confucian",  "confucianism",
    "evangelical", "hindu",        "hinduism",   "irreligious",
    "islam",       "islamic",      "jain",       "jew",
    "jewish",      "judaism",      "mormon",     "muslim",
    "no religion", "orthodox",     "protestant", "roman catholic",
    "shia",        "shinto",       "sikh",       "sikhism",
    "sunni",       "taoism",       "taoist",     "zoroastrian",
    "ขงจื๊อ",        "คริสต์",         "คริสเตียน",    "คาทอลิก",
    "คาทอลิค",      "ชินโต",         "ซิกข์",        "ซิกส์",
    "นิกายเถรวาท",  "บาไฮ",         "พราหมณ์",     "พุทธ",
    "พุทธศาสนา",    "มหายาน",       "มุสลิม",       "ยิว",
    "อิสลาม",       "อเทวนิยม",      "ฮินดู",        "เต๋า",
    "โปรเตสแตนต์",  "ไม่นับถือศาสนา",  "ไม่มีศาสนา",   "ไม่มีศาสนาประจำตัว",
};

/* Prose: `back` ends right before the trigger character, `fwd` starts at it. */
static const khm_sens_cue cues[] = {
    { "ไม่นับถือ", "ศาสนาใด", 0, NULL },
    { "ไม่นับถือ", "ศาสนา", KHM_CUE_VALUE, NULL },
    { "นับถือ", "ศาสนา", KHM_CUE_VALUE, NULL },
    { "", "ศาสนา", KHM_CUE_VALUE | KHM_CUE_PERSON | KHM_CUE_SEP, NULL },
    { "is a ", "", KHM_CUE_VALUE | KHM_CUE_END, NULL },
    { "is an ", "", KHM_CUE_VALUE | KHM_CUE_END, NULL },
    { "a devout ", "", KHM_CUE_VALUE, NULL },
    { "a practising ", "", KHM_CUE_VALUE, NULL },
    { "a practicing ", "", KHM_CUE_VALUE, NULL },
    { "converted to ", "", KHM_CUE_VALUE, NULL },
};

static const char *const not_after[] = {
    "ที่",    "ใน",   "ของ", "และ", "หรือ",  "การ", "เกี่ยวกับ", "สนใจ",
    "ศึกษา", "เรื่อง", "ต่อ",  "ทุก",  "ไม่ได้", "a",   "the",    NULL,
};

static const char *const not_near[] = {
    "ประชากร", "ร้อยละ", "ส่วนใหญ่", "ชาวบ้าน", "ประเทศ", "คนไทย", "%", NULL,
};

const khm_sens_cat khm_sens_religion = {
    KHM_SENS_RELIGION,
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

int khm_det_religion(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                     khm_match *m)
{
    return khm_sens_match(&khm_sens_religion, p, lo, len, i, cx, m);
}
