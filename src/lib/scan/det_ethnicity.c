/* ETHNICITY: race and ethnic origin (เชื้อชาติ, ชาติพันธุ์), PDPA s.26 (thai-rules.md §1.4).
Nationality (สัญชาติ) is not s.26 and is not named here: a สัญชาติ column is not sensitive.
Column: a header naming race or ethnicity and a value of the lexicon (ไทย, จีน, กะเหรี่ยง,
Hmong …). Prose: "เชื้อชาติจีน", "ชาติพันธุ์ม้ง", "มีเชื้อสายจีน", "is an ethnic Karen". */
#include "scan_int.h"

/* Column headers naming the category (Thai anywhere, English as whole words). */
static const char *const headers[] = {
    "เชื้อชาติ", "ชาติพันธุ์", "เชื้อสาย", "เผ่า", "ethnicity", "ethnic", "race", "racial", NULL,
};

/* Values, sorted (strcmp), English in lower case. */
static const char *const values[] = {
    "african",
    "african american",
    "akha",
    "arab",
    "asian",
    "bamar",
    "black",
    "burmese",
    "cambodian",
    "caucasian",
    "chinese",
    "european",
    "filipino",
    "han",
    "hispanic",
    "hmong",
    "indian",
    "japanese",
    "karen",
    "khmer",
    "korean",
    "lahu",
    "lao",
    "laotian",
    "latina",
    "latino",
    "lawa",
    "lisu",
    "lua",
    "malay",
    "mien",
    "mixed",
    "mlabri",
    "moken",
    "mon",
    "native american",
    "pacific islander",
    "shan",
    "tai lue",
    "tamil",
    "thai",
    "thai chinese",
    "thai-chinese",
    "urak lawoi",
    "vietnamese",
    "white",
    "yao",
    "กะเหรี่ยง",
    "กัมพูชา",
    "กูย",
    "ขมุ",
    "จีน",
    "ชาวเล",
    "ซาไก",
    "ญวน",
    "ญี่ปุ่น",
    "ถิ่น",
    "ปกาเกอะญอ",
    "ปะหล่อง",
    "ผู้ไท",
    "ฝรั่ง",
    "พม่า",
    "ภูไท",
    "มลาบรี",
    "มลายู",
    "มอญ",
    "มอแกน",
    "มอแกลน",
    "มาเลย์",
    "มูเซอ",
    "ม้ง",
    "ยอง",
    "ยุโรป",
    "ลัวะ",
    "ลาว",
    "ลาหู่",
    "ลีซอ",
    "ลีซู",
    "ส่วย",
    "อาข่า",
    "อาหรับ",
    "อินเดีย",
    "อูรักลาโว้ย",
    "เกาหลี",
    "เขมร",
    "เมี่ยน",
    "เย้า",
    "เวียดนาม",
    "แขก",
    "แอฟริกัน",
    "ไทดำ",
    "ไทย",
    "ไทย-จีน",
    "ไทยมุสลิม",
    "ไทยวน",
    "ไทยเชื้อสายจีน",
    "ไทลื้อ",
    "ไทใหญ่",
};

/* Prose: `back` ends right before the trigger character, `fwd` starts at it. */
static const khm_sens_cue cues[] = {
    { "เ", "ชื้อชาติ", KHM_CUE_VALUE, NULL },        { "", "ชาติพันธุ์", KHM_CUE_VALUE, NULL },
    { "มีเ", "ชื้อสาย", KHM_CUE_VALUE, NULL },       { "เป็นคนเ", "ชื้อสาย", KHM_CUE_VALUE, NULL },
    { "เป็น", "ชาวเขาเผ่า", KHM_CUE_VALUE, NULL },  { "", "ethnicity", KHM_CUE_VALUE, NULL },
    { "is an ", "ethnic ", KHM_CUE_VALUE, NULL }, { "is ", "ethnically ", KHM_CUE_VALUE, NULL },
};

static const char *const not_after[] = {
    "กลุ่ม", "ทาง", "แบ่งแยก", "ทุก", "ต่าง", "ไม่แบ่ง", "หลาย", NULL,
};

static const char *const not_near[] = {
    "ประชากร", "ร้อยละ", "ส่วนใหญ่", "ชาวบ้าน", "ประเทศ", "คนไทย", "%", NULL,
};

const khm_sens_cat khm_sens_ethnicity = {
    KHM_SENS_ETHNICITY,
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

int khm_det_ethnicity(const unsigned char *p, size_t lo, size_t len, size_t i,
                      const khm_det_ctx *cx, khm_match *m)
{
    return khm_sens_match(&khm_sens_ethnicity, p, lo, len, i, cx, m);
}
