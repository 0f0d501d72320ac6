/* POLITICAL_OPINION: political opinions, party membership and affiliation, PDPA s.26
(thai-rules.md §1.4). Column: a header naming a political party or leaning (พรรคการเมือง,
สังกัดพรรค, political party) and a party name or leaning. Prose: "เป็นสมาชิกพรรคX",
"สังกัดพรรคX", "member of the X Party". Politics in general ("พรรคการเมืองทุกพรรค") is not. */
#include "scan_int.h"

/* Column headers naming the category (Thai anywhere, English as whole words). */
static const char *const headers[] = {
    "พรรค",     "ทางการเมือง",        "การเมือง",          "political",
    "politics", "party affiliation", "party membership", "voting preference",
    NULL,
};

/* Values, sorted (strcmp), English in lower case. */
static const char *const values[] = {
    "bhumjaithai",
    "centrist",
    "chart thai pattana",
    "communist",
    "conservative",
    "democrat",
    "democratic party",
    "democrats",
    "future forward",
    "green",
    "labor",
    "labour",
    "left",
    "left-wing",
    "liberal",
    "libertarian",
    "move forward",
    "palang pracharath",
    "people's party",
    "pheu thai",
    "prachachat",
    "progressive",
    "republican",
    "right",
    "right-wing",
    "royalist",
    "seri ruam thai",
    "socialist",
    "thai sang thai",
    "united thai nation",
    "กษัตริย์นิยม",
    "ก้าวไกล",
    "คอมมิวนิสต์",
    "ชาติพัฒนา",
    "ชาติไทยพัฒนา",
    "ประชาชน",
    "ประชาชาติ",
    "ประชาธิปัตย์",
    "ประชาธิปไตย",
    "ฝ่ายขวา",
    "ฝ่ายค้าน",
    "ฝ่ายซ้าย",
    "ฝ่ายรัฐบาล",
    "พรรค",
    "พลังประชารัฐ",
    "ภูมิใจไทย",
    "รวมไทยสร้างชาติ",
    "สังคมนิยม",
    "อนาคตใหม่",
    "อนุรักษ์นิยม",
    "เพื่อไทย",
    "เพื่อไทรวมพลัง",
    "เศรษฐกิจใหม่",
    "เสรีนิยม",
    "เสรีรวมไทย",
    "ไทยภักดี",
    "ไทยสร้างไทย",
};

/* Prose: `back` ends right before the trigger character, `fwd` starts at it. */
static const khm_sens_cue cues[] = {
    { "เป็นสมาชิก", "พรรค", KHM_CUE_NAME, NULL },
    { "สมาชิก", "พรรค", KHM_CUE_NAME | KHM_CUE_PERSON, NULL },
    { "สังกัด", "พรรค", KHM_CUE_NAME, NULL },
    { "สนับสนุน", "พรรค", KHM_CUE_NAME | KHM_CUE_PERSON, NULL },
    { "", "member of the ", KHM_CUE_NAME, "party" },
};

static const char *const not_after[] = {
    "ที่", "ผู้ที่", "การ", "ทุก", "ไม่ได้", "ไม่เคย", NULL,
};

static const char *const not_names[] = {
    "การเมือง", "ใด", "ต่าง", "ร่วม", "ฝ่าย", "เล็ก", "ใหญ่", "ทุก", NULL,
};

const khm_sens_cat khm_sens_political_opinion = {
    KHM_SENS_POLITICAL_OPINION,
    headers,
    values,
    sizeof(values) / sizeof(values[0]),
    NULL,
    0,
    cues,
    sizeof(cues) / sizeof(cues[0]),
    not_after,
    NULL,
    not_names,
};

int khm_det_political_opinion(const unsigned char *p, size_t lo, size_t len, size_t i,
                              const khm_det_ctx *cx, khm_match *m)
{
    return khm_sens_match(&khm_sens_political_opinion, p, lo, len, i, cx, m);
}
