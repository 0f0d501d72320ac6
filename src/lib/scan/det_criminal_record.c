/* CRIMINAL_RECORD: criminal records, PDPA s.26 (thai-rules.md §1.4). Column: a header naming
them (ประวัติอาชญากรรม, คดี, ความผิด, criminal record, conviction) and an offence or sentence
(ลักทรัพย์, ยาเสพติด, จำคุก, theft …) or a yes. Prose: "ต้องคำพิพากษาให้จำคุก", "เคยต้องโทษ",
"มีประวัติอาชญากรรม", "has a criminal record", "was convicted of fraud". The law's own words
("ไม่เคยต้องคำพิพากษา…", "มีโทษจำคุก") and a background check are not. */
#include "scan_int.h"

/* Column headers naming the category (Thai anywhere, English as whole words). */
static const char *const headers[] = {
    "ประวัติอาชญากรรม", "อาชญากรรม", "คดี",         "ความผิด",        "ต้องโทษ",
    "ข้อหา",           "criminal",  "conviction", "convictions",   "offence",
    "offences",       "offense",   "offenses",   "police record", NULL,
};

/* Values, sorted (strcmp), English in lower case. */
static const char *const values[] = {
    "arson",
    "assault",
    "bribery",
    "burglary",
    "convicted",
    "conviction",
    "defamation",
    "drug possession",
    "drug trafficking",
    "drugs",
    "drunk driving",
    "dui",
    "embezzlement",
    "felony",
    "forgery",
    "fraud",
    "gambling",
    "homicide",
    "imprisoned",
    "imprisonment",
    "kidnapping",
    "manslaughter",
    "misdemeanor",
    "misdemeanour",
    "money laundering",
    "murder",
    "narcotics",
    "probation",
    "rape",
    "robbery",
    "sentenced",
    "shoplifting",
    "suspended sentence",
    "theft",
    "trespass",
    "vandalism",
    "กระทำความผิด",
    "กักขัง",
    "การพนัน",
    "ขับรถขณะเมาสุรา",
    "ข่มขืน",
    "ครอบครองยาเสพติด",
    "คุมประพฤติ",
    "ค้ามนุษย์",
    "ฆาตกรรม",
    "ฆ่า",
    "ฆ่าผู้อื่น",
    "จำคุก",
    "จำหน่ายยาเสพติด",
    "ฉ้อโกง",
    "ชิงทรัพย์",
    "ติดคุก",
    "ต้องโทษ",
    "ทำร้ายร่างกาย",
    "ทุจริต",
    "บุกรุก",
    "ปลอมแปลงเอกสาร",
    "ปล้นทรัพย์",
    "พกพาอาวุธ",
    "พยายามฆ่า",
    "ฟอกเงิน",
    "ยักยอก",
    "ยักยอกทรัพย์",
    "ยาบ้า",
    "ยาเสพติด",
    "รอลงอาญา",
    "รับของโจร",
    "รับสินบน",
    "ลหุโทษ",
    "ลักทรัพย์",
    "วิ่งราวทรัพย์",
    "ศาลพิพากษา",
    "หมิ่นประมาท",
    "อนาจาร",
    "อาวุธปืน",
    "เมาแล้วขับ",
    "เล่นการพนัน",
    "เสพยาเสพติด",
};

/* Prose: `back` ends right before the trigger character, `fwd` starts at it. */
static const khm_sens_cue cues[] = {
    { "ต้องคำพิพาก", "ษาถึงที่สุดให้จำคุก", 0, NULL },  { "ต้องคำพิพาก", "ษาให้จำคุก", 0, NULL },
    { "ถูกพิพาก", "ษาให้จำคุก", 0, NULL },          { "ถูกพิพาก", "ษาจำคุก", 0, NULL },
    { "ถูกศาลพิพาก", "ษาให้จำคุก", 0, NULL },       { "ศาลพิพาก", "ษาให้จำคุก", KHM_CUE_PERSON, NULL },
    { "เคยต้องโท", "ษจำคุก", 0, NULL },           { "เคยต้องโท", "ษ", 0, NULL },
    { "ต้องโท", "ษจำคุก", KHM_CUE_PERSON, NULL }, { "เคยมีประวัติอาช", "ญากรรม", 0, NULL },
    { "มีประวัติอาช", "ญากรรม", 0, NULL },         { "has a ", "criminal record", 0, NULL },
    { "had a ", "criminal record", 0, NULL },   { "", "convicted of ", KHM_CUE_VALUE, NULL },
    { "was ", "convicted", 0, NULL },           { "been ", "convicted", 0, NULL },
};

static const char *const not_after[] = {
    "ไม่",  "ไม่เคย", "ต้องไม่", "ผู้ที่",  "ผู้ซึ่ง", "ที่",       "หาก", "ถ้า",
    "หรือ", "never", "not",   "who", "if",  "without", NULL,
};

const khm_sens_cat khm_sens_criminal_record = {
    KHM_SENS_CRIMINAL_RECORD,
    headers,
    values,
    sizeof(values) / sizeof(values[0]),
    NULL,
    KHM_SENSF_YES,
    cues,
    sizeof(cues) / sizeof(cues[0]),
    not_after,
    NULL,
    NULL,
};

int khm_det_criminal_record(const unsigned char *p, size_t lo, size_t len, size_t i,
                            const khm_det_ctx *cx, khm_match *m)
{
    return khm_sens_match(&khm_sens_criminal_record, p, lo, len, i, cx, m);
}
