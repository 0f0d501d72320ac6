/* DISABILITY: disability, PDPA s.26 (thai-rules.md §1.4). Column: a header naming it (ความพิการ,
ประเภทความพิการ, disability) and a kind (ทางการเห็น, ทางการได้ยิน, ทางการเคลื่อนไหว, visual,
hearing …) or a yes. Prose: "ผู้พิการทางการเห็น" of a named person, "เป็นผู้พิการทาง…". Services
for disabled people in general ("ทางลาดสำหรับผู้พิการ") are not. */
#include "scan_int.h"

/* Column headers naming the category (Thai anywhere, English as whole words). */
static const char *const headers[] = {
    "พิการ", "ทุพพลภาพ", "disability", "disabilities", "disabled", "impairment", "handicap", NULL,
};

/* Values, sorted (strcmp), English in lower case. */
static const char *const values[] = {
    "amputee",
    "autism",
    "autistic",
    "blind",
    "deaf",
    "hard of hearing",
    "hearing",
    "hearing impairment",
    "intellectual",
    "learning",
    "learning disability",
    "low vision",
    "mental",
    "mobility",
    "multiple",
    "paralysis",
    "paraplegic",
    "physical",
    "psychosocial",
    "speech",
    "visual",
    "visual impairment",
    "visually impaired",
    "wheelchair",
    "wheelchair user",
    "การเคลื่อนไหว",
    "การเคลื่อนไหวหรือทางร่างกาย",
    "การเรียนรู้",
    "การเห็น",
    "การได้ยิน",
    "การได้ยินหรือสื่อความหมาย",
    "ขาขาด",
    "จิตใจ",
    "จิตใจหรือพฤติกรรม",
    "ตาบอด",
    "ทุพพลภาพ",
    "พิการ",
    "พิการซ้ำซ้อน",
    "รถเข็น",
    "ร่างกาย",
    "สติปัญญา",
    "สายตาเลือนราง",
    "หูตึง",
    "หูหนวก",
    "ออทิสติก",
    "อัมพฤกษ์",
    "อัมพาต",
    "แขนขาด",
    "ใบ้",
};

/* Prose: `back` ends right before the trigger character, `fwd` starts at it. */
static const khm_sens_cue cues[] = {
    { "เป็นผู้", "พิการทาง", KHM_CUE_VALUE, NULL },
    { "เป็นคน", "พิการทาง", KHM_CUE_VALUE, NULL },
    { "ผู้", "พิการทาง", KHM_CUE_VALUE | KHM_CUE_PERSON, NULL },
    { "คน", "พิการทาง", KHM_CUE_VALUE | KHM_CUE_PERSON, NULL },
    { "", "พิการทาง", KHM_CUE_VALUE | KHM_CUE_PERSON, NULL },
};

static const char *const not_after[] = {
    "สำหรับ", "ของ", "แก่", "เพื่อ", "ช่วยเหลือ", "สิทธิ", "กลุ่ม", "ให้", "ที่", "และ", "ทุก", NULL,
};

static const char *const not_near[] = {
    "ประชากร", "ร้อยละ", "ส่วนใหญ่", "ชาวบ้าน", "ประเทศ", "คนไทย", "%", NULL,
};

const khm_sens_cat khm_sens_disability = {
    KHM_SENS_DISABILITY,
    headers,
    values,
    sizeof(values) / sizeof(values[0]),
    NULL,
    KHM_SENSF_YES,
    cues,
    sizeof(cues) / sizeof(cues[0]),
    not_after,
    not_near,
    NULL,
};

int khm_det_disability(const unsigned char *p, size_t lo, size_t len, size_t i,
                       const khm_det_ctx *cx, khm_match *m)
{
    return khm_sens_match(&khm_sens_disability, p, lo, len, i, cx, m);
}
