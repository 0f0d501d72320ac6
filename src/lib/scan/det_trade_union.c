/* TRADE_UNION: trade union information, PDPA s.26 (thai-rules.md §1.4). Column: a header naming
it (สหภาพแรงงาน, union membership) and a union's name or a yes. Prose: "เป็นสมาชิกสหภาพแรงงาน…",
"ประธานสหภาพแรงงาน…", "member of the … Workers' Union". The European Union or a set union is not. */
#include "scan_int.h"

/* Column headers naming the category (Thai anywhere, English as whole words). */
static const char *const headers[] = {
    "สหภาพ", "trade union", "union", "labour union", "labor union", "union membership", NULL,
};

/* Values, sorted (strcmp), English in lower case. */
static const char *const values[] = {
    "federation",   "labor union",  "labour union", "shop steward", "trade union", "union",
    "union member", "unionised",    "unionized",    "กรรมการสหภาพ", "ประธานสหภาพ", "สภาองค์การลูกจ้าง",
    "สมาชิก",        "สมาพันธ์แรงงาน", "สหพันธ์แรงงาน",  "สหภาพ",        "สหภาพแรงงาน",
};

/* Prose: `back` ends right before the trigger character, `fwd` starts at it. */
static const khm_sens_cue cues[] = {
    { "เป็นสมาชิกสห", "ภาพแรงงาน", KHM_CUE_OPT_NAME, NULL },
    { "สมาชิกสห", "ภาพแรงงาน", KHM_CUE_OPT_NAME | KHM_CUE_PERSON, NULL },
    { "เป็นสมาชิกสห", "ภาพพนักงาน", KHM_CUE_OPT_NAME, NULL },
    { "สมาชิกสห", "ภาพพนักงาน", KHM_CUE_OPT_NAME | KHM_CUE_PERSON, NULL },
    { "ประธานสห", "ภาพแรงงาน", KHM_CUE_OPT_NAME, NULL },
    { "กรรมการสห", "ภาพแรงงาน", KHM_CUE_OPT_NAME, NULL },
    { "", "member of the ", KHM_CUE_NAME, "union" },
};

static const char *const not_after[] = {
    "ที่", "ผู้ที่", "การ", "ทุก", "ไม่ได้", "ไม่เคย", "ไม่", NULL,
};

static const char *const not_names[] = {
    "european", "african",          "soviet",
    "eurasian", "universal postal", "international telecommunication",
    NULL,
};

const khm_sens_cat khm_sens_trade_union = {
    KHM_SENS_TRADE_UNION,
    headers,
    values,
    sizeof(values) / sizeof(values[0]),
    NULL,
    KHM_SENSF_YES,
    cues,
    sizeof(cues) / sizeof(cues[0]),
    not_after,
    NULL,
    not_names,
};

int khm_det_trade_union(const unsigned char *p, size_t lo, size_t len, size_t i,
                        const khm_det_ctx *cx, khm_match *m)
{
    return khm_sens_match(&khm_sens_trade_union, p, lo, len, i, cx, m);
}
