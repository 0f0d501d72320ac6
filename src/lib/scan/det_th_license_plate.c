/* TH_LICENSE_PLATE: Thai vehicle registration plates (ป้ายทะเบียนรถ): one or two Thai consonants,
 * after a series digit on newer plates, then a number of 1 to 4 digits — "1กข 1234", "กข 1234",
 * "1กข-1234", "ฒก 56" — optionally followed by the province ("1กข 1234 กรุงเทพมหานคร").
 *
 * The detector is tried at the number (a digit trigger) and looks back over the letters, so Thai
 * prose costs nothing: no Thai character is a trigger. The letters must be a whole word of
 * consonants only (no vowel or tone mark, no dot), which leaves out address parts and prose
 * ("ข้อ 12", "ม. 5", "หมู่ 4", "ซอย 7", "ครั้งที่ 3", "บาท 500"). Two-consonant words followed by
 * a number still occur in prose ("คน 12"), so a plate without a series digit or a province
 * needs a long number, or context, to be reported. */
#include "scan_int.h"

#include <string.h>

/* A Thai consonant (ก..ฮ, not the vowels ฤ ฦ) encoded at p[j..j+3). */
static inline int consonant_at(const unsigned char *p, size_t j)
{
    return p[j] == 0xE0 && p[j + 1] == 0xB8 && p[j + 2] >= 0x81 && p[j + 2] <= 0xAE &&
           p[j + 2] != 0xA4 && p[j + 2] != 0xA6;
}

/* A Thai character (U+0E00..U+0E7F) ends just before j. */
static inline int thai_before(const unsigned char *p, size_t lo, size_t j)
{
    return j >= lo + 3 && p[j - 3] == 0xE0 && (p[j - 2] & 0xFE) == 0xB8;
}

static const char *const provinces[] = {
    "กรุงเทพมหานคร", "กรุงเทพฯ",     "กรุงเทพ",     "กระบี่",      "กาญจนบุรี",       "กาฬสินธุ์",
    "กำแพงเพชร",    "ขอนแก่น",      "จันทบุรี",      "ฉะเชิงเทรา", "ชลบุรี",          "ชัยนาท",
    "ชัยภูมิ",         "ชุมพร",        "เชียงราย",    "เชียงใหม่",   "ตรัง",           "ตราด",
    "ตาก",          "นครนายก",     "นครปฐม",     "นครพนม",    "นครราชสีมา",     "นครศรีธรรมราช",
    "นครสวรรค์",     "นนทบุรี",       "นราธิวาส",    "น่าน",       "บึงกาฬ",         "บุรีรัมย์",
    "ปทุมธานี",       "ประจวบคีรีขันธ์", "ปราจีนบุรี",    "ปัตตานี",     "พระนครศรีอยุธยา", "พะเยา",
    "พังงา",         "พัทลุง",        "พิจิตร",       "พิษณุโลก",    "เพชรบุรี",        "เพชรบูรณ์",
    "แพร่",          "ภูเก็ต",        "มหาสารคาม",  "มุกดาหาร",   "แม่ฮ่องสอน",      "ยโสธร",
    "ยะลา",         "ร้อยเอ็ด",      "ระนอง",      "ระยอง",     "ราชบุรี",         "ลพบุรี",
    "ลำปาง",        "ลำพูน",        "เลย",        "ศรีสะเกษ",   "สกลนคร",        "สงขลา",
    "สตูล",          "สมุทรปราการ",  "สมุทรสงคราม", "สมุทรสาคร",  "สระแก้ว",        "สระบุรี",
    "สิงห์บุรี",        "สุโขทัย",       "สุพรรณบุรี",    "สุราษฎร์ธานี", "สุรินทร์",         "หนองคาย",
    "หนองบัวลำภู",    "อ่างทอง",      "อำนาจเจริญ",  "อุดรธานี",    "อุตรดิตถ์",        "อุทัยธานี",
    "อุบลราชธานี",    "เบตง",        NULL,
};

/* A province name at p[j..) ending at a word edge (not followed by a Thai character): its end,
 * or j. The longest name wins ("กรุงเทพมหานคร" over "กรุงเทพ"). */
static size_t province_at(const unsigned char *p, size_t len, size_t j)
{
    size_t best = j;
    if (j + 3 > len || p[j] != 0xE0)
        return j;
    for (const char *const *q = provinces; *q; q++) {
        size_t n = strlen(*q);
        if (j + n > len || memcmp(p + j, *q, n) != 0 || j + n <= best)
            continue;
        if (j + n + 2 < len && p[j + n] == 0xE0 && (p[j + n + 1] & 0xFE) == 0xB8)
            continue;
        best = j + n;
    }
    return best;
}

int khm_det_th_license_plate(const unsigned char *p, size_t lo, size_t len, size_t i,
                             const khm_det_ctx *cx, khm_match *m)
{
    (void)cx;
    size_t j = i, s, e;
    int lead = 0, letters = 0;
    /* cheap rejections first: a leading 0, no Thai consonant before the number */
    s = i > lo && (p[i - 1] == ' ' || p[i - 1] == '-') ? i - 1 : i;
    if (p[i] == '0' || s < lo + 3 || !consonant_at(p, s - 3))
        return 0;
    /* the number: 1-4 digits, no leading 0, standing alone on the right */
    while (j < len && j - i < 5 && khm_isdigit(p[j]))
        j++;
    if (j - i > 4 || p[i] == '0' || !khm_num_right_ok(p, len, j) ||
        (j + 1 < len && p[j] == ':' && khm_isdigit(p[j + 1])))
        return 0;
    e = j;
    /* the letters before it, after one optional space or dash */
    s = i;
    if (s > lo && (p[s - 1] == ' ' || p[s - 1] == '-'))
        s--;
    while (s >= lo + 3 && letters < 3 && consonant_at(p, s - 3)) {
        s -= 3;
        letters++;
    }
    if (letters < 1 || letters > 2)
        return 0;
    /* the series digit of newer plates ("1กข"), else a word edge */
    if (s > lo && khm_isdigit(p[s - 1]) && p[s - 1] != '0') {
        if (s - 1 > lo && (khm_isword(p[s - 2]) || p[s - 2] == '.' || p[s - 2] == ','))
            return 0;
        s--;
        lead = 1;
    } else if (s > lo && (khm_isword(p[s - 1]) || p[s - 1] == '.' || thai_before(p, lo, s))) {
        return 0; /* the end of a longer word, or an abbreviation */
    }
    /* the province after it */
    size_t q = j, pe;
    int province = 0, thai_after = 0;
    while (q < len && q - j < 2 && p[q] == ' ')
        q++;
    if ((pe = province_at(p, len, q)) > q) {
        e = pe;
        province = 1;
    } else if (q + 2 < len && thai_before(p, lo, q + 3)) {
        thai_after = 1; /* prose: "คน 1234 คน" */
    }
    double score = 0.3;
    if (lead)
        score += 0.3;
    if (letters == 2)
        score += 0.15;
    if (j - i >= 3)
        score += 0.1;
    if (province)
        score += 0.3;
    else if (thai_after)
        score -= 0.15;
    m->start = s;
    m->end = e;
    m->score = score;
    return 1;
}
