/* PERSON: people's names (thai-rules.md §4.5 name titles). Three ways in:
 * - a Thai title (คำนำหน้านาม: นาย, นาง, นางสาว, เด็กชาย/เด็กหญิง; abbreviations น.ส., ด.ช., ด.ญ.;
 *   academic ดร., ศ., รศ., ผศ. and their combinations; military and police ranks, full and
 *   abbreviated, ว่าที่ before a rank, หญิง after one), with or without a space, then a given name
 *   and, after one space, a surname;
 * - an English title (Mr, Mrs, Ms, Miss, Dr, with or without the dot), then 1-3 capitalised words;
 * - a whole cell under a name column (ชื่อ, ชื่อ-นามสกุล, นามสกุล, name, first_name …) that
 *   looks like a name: letters, spaces and dots, 1-4 words, no digits, no '@'.
 * Thai is written without spaces between words, so a title also begins many ordinary words
 * (นายก, นายอำเภอ, นางพยาบาL …): a stop list of such words, checked at the title, rejects them,
 * and a list of words that cannot start a given name or a surname (ที่, และ, กล่าว, รอง …)
 * bounds the name. */
#include "scan_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#define MAX_GIVEN   18 /* characters (code points) of a Thai given name */
#define MAX_SURNAME 22

/* Code point of the Thai character at p[j] (U+0E00..U+0E7F), or 0. */
static inline unsigned thai_at(const unsigned char *p, size_t j, size_t len)
{
    if (j + 3 > len || p[j] != 0xE0 || (p[j + 1] & 0xFE) != 0xB8 || (p[j + 2] & 0xC0) != 0x80)
        return 0;
    return 0x0E00 + (((unsigned)(p[j + 1] - 0xB8) << 6) | (p[j + 2] & 0x3Fu));
}

/* Bits a..b (0 <= a <= b <= 63) of a 64-bit mask. */
#define BITS(a, b) ((~0ull >> (63 - (b))) & (~0ull << (a)))

/* Thai characters as sets of code points U+0E00 + 0..127, bit c of word c >> 6:
 * - name letters: consonants, vowels, tone marks (not ฯ U+0E2F, ๆ U+0E46, digits, ฿ U+0E3F);
 * - initials, what a Thai word may begin with: a consonant or a leading vowel. */
static const uint64_t letter_set[2] = { BITS(0x01, 0x2E) | BITS(0x30, 0x3A),
                                        BITS(0x00, 0x05) | BITS(0x07, 0x0E) };
static const uint64_t initial_set[2] = { BITS(0x01, 0x2E), BITS(0x00, 0x04) };

static int in_set(const uint64_t set[2], unsigned c)
{
    return c >= 0x0E00 && c <= 0x0E7F && ((set[(c >> 6) & 1] >> (c & 63)) & 1);
}

/* A character of a Thai name (c: a code point, 0 for none). */
static int thai_letter(unsigned c)
{
    return in_set(letter_set, c);
}

static int starts(const unsigned char *p, size_t j, size_t len, const char *w)
{
    size_t n = strlen(w);
    return j + n <= len && memcmp(p + j, w, n) == 0;
}

/* Length of the longest of @p words at p[j], or 0 (byte by byte: most differ at once). */
static size_t starts_any(const unsigned char *p, size_t j, size_t len, const char *const *words)
{
    size_t best = 0;
    for (; *words; words++) {
        const unsigned char *w = (const unsigned char *)*words;
        size_t k = 0;
        while (w[k] && j + k < len && w[k] == p[j + k])
            k++;
        if (!w[k] && k > best)
            best = k;
    }
    return best;
}

/* A list of words indexed for the hot path. A word's bucket is a hash of two characters at a
 * known place in it, and a test reads the one bucket that the text's bytes at that place pick:
 * most tests find it empty, the rest compare a word or two, byte by byte from the end (words
 * of a bucket share those characters, seldom their last ones), stopping at the first
 * difference, with lengths known: no strlen, no memcmp call. Two kinds:
 * - a prefix set: the text at p[j] begins with a word; the key is the two characters (6 bytes)
 *   at p[j + off], off given per word when it is added and per test (0, or a title's length);
 * - a suffix set: the text before p[j] ends with a word; the key is its last two bytes.
 * Collisions only cost a comparison: a word is always in the bucket its own bytes pick. */
#define WS_MAX     128
#define WS_BUCKETS 1024
typedef struct {
    const unsigned char *w[WS_MAX];
    unsigned char n[WS_MAX];
    short next[WS_MAX], head[WS_BUCKETS]; /* chains of word indexes; -1 ends */
    int count;
} wordset;

/* The prefix key of the 6 bytes at s: the low 7 bits of each of two Thai characters' code
 * points (bytes 1-2 and 4-5; any bytes will do for other text, as long as words and text are
 * hashed alike), folded to WS_BUCKETS. */
static unsigned ws_key_start(const unsigned char *s)
{
    unsigned c1 = ((s[1] & 1u) << 6) | (s[2] & 0x3Fu), c2 = ((s[4] & 1u) << 6) | (s[5] & 0x3Fu);
    return ((c1 << 3) ^ c2) & (WS_BUCKETS - 1);
}

/* The suffix key of the two bytes ending at s[-1]. */
static unsigned ws_key_end(const unsigned char *s)
{
    return (s[-1] + 31u * s[-2]) & (WS_BUCKETS - 1);
}

static void ws_init(wordset *ws)
{
    memset(ws->head, 0xFF, sizeof(ws->head)); /* all -1 */
    ws->count = 0;
}

static void ws_add(wordset *ws, const char *w, unsigned key)
{
    int k = ws->count++;
    ws->w[k] = (const unsigned char *)w;
    ws->n[k] = (unsigned char)strlen(w);
    ws->next[k] = ws->head[key];
    ws->head[key] = (short)k;
}

/* A word with at least off + 6 bytes, keyed by its two characters after the first off bytes. */
static void ws_add_prefix(wordset *ws, const char *w, size_t off)
{
    ws_add(ws, w, ws_key_start((const unsigned char *)w + off));
}

/* A word with at least two bytes, keyed by its last two. */
static void ws_add_suffix(wordset *ws, const char *w)
{
    ws_add(ws, w, ws_key_end((const unsigned char *)w + strlen(w)));
}

/* The length of a word of the prefix set (added with this off) that begins at p[j], or 0.
 * Which one, when several do, is unspecified. */
static size_t ws_starts(const wordset *ws, const unsigned char *p, size_t j, size_t len, size_t off)
{
    if (j + off + 6 > len)
        return 0; /* too short for any word */
    for (int k = ws->head[ws_key_start(p + j + off)]; k >= 0; k = ws->next[k]) {
        const unsigned char *w = ws->w[k];
        size_t n = ws->n[k];
        if (n > len - j)
            continue;
        size_t b = n;
        while (b > 0 && w[b - 1] == p[j + b - 1])
            b--;
        if (b == 0)
            return n;
    }
    return 0;
}

/* 1 when p[lo..j) ends with one of the words of the suffix set (compared from the end). */
static int ws_ends(const wordset *ws, const unsigned char *p, size_t lo, size_t j)
{
    if (j - lo < 2)
        return 0;
    for (int k = ws->head[ws_key_end(p + j)]; k >= 0; k = ws->next[k]) {
        const unsigned char *w = ws->w[k];
        size_t n = ws->n[k], b = 1;
        if (n > j - lo)
            continue;
        while (b <= n && w[n - b] == p[j - b])
            b++;
        if (b > n)
            return 1;
    }
    return 0;
}

enum { T_ABBR = 1, T_RANK = 2, T_BEFORE = 4 };

#define T(s, f)             \
    {                       \
        s, sizeof(s) - 1, f \
    }
typedef struct {
    const char *s;
    size_t n;
    unsigned flags;
} title;
static const title titles[] = {
    /* thai-rules.md §4.5: นาย (from 15), นาง / นางสาว, เด็กชาย / เด็กหญิง (under 15) */
    T("นาย", 0),
    T("นาง", 0),
    T("นางสาว", 0),
    T("น.ส.", T_ABBR),
    T("เด็กชาย", 0),
    T("เด็กหญิง", 0),
    T("ด.ช.", T_ABBR),
    T("ด.ญ.", T_ABBR),
    /* academic and medical */
    T("ดร.", T_ABBR),
    T("ศ.", T_ABBR),
    T("รศ.", T_ABBR),
    T("ผศ.", T_ABBR),
    T("นพ.", T_ABBR),
    T("พญ.", T_ABBR),
    T("ภก.", T_ABBR),
    T("ภญ.", T_ABBR),
    T("นายแพทย์", 0),
    T("ศาสตราจารย์", 0),
    T("รองศาสตราจารย์", 0),
    T("ผู้ช่วยศาสตราจารย์", 0),
    /* royal descent */
    T("ม.ร.ว.", T_ABBR),
    T("ม.ล.", T_ABBR),
    T("ม.จ.", T_ABBR),
    /* army */
    T("พล.อ.", T_ABBR | T_RANK),
    T("พล.ท.", T_ABBR | T_RANK),
    T("พล.ต.", T_ABBR | T_RANK),
    T("พ.อ.", T_ABBR | T_RANK),
    T("พ.ท.", T_ABBR | T_RANK),
    T("พ.ต.", T_ABBR | T_RANK),
    T("ร.อ.", T_ABBR | T_RANK),
    T("ร.ท.", T_ABBR | T_RANK),
    T("ร.ต.", T_ABBR | T_RANK),
    T("จ.ส.อ.", T_ABBR | T_RANK),
    T("จ.ส.ท.", T_ABBR | T_RANK),
    T("จ.ส.ต.", T_ABBR | T_RANK),
    T("ส.อ.", T_ABBR | T_RANK),
    T("ส.ท.", T_ABBR | T_RANK),
    T("ส.ต.", T_ABBR | T_RANK),
    T("พลเอก", T_RANK),
    T("พลโท", T_RANK),
    T("พลตรี", T_RANK),
    T("พันเอก", T_RANK),
    T("พันโท", T_RANK),
    T("พันตรี", T_RANK),
    T("ร้อยเอก", T_RANK),
    T("ร้อยโท", T_RANK),
    T("ร้อยตรี", T_RANK),
    T("จ่าสิบเอก", T_RANK),
    T("จ่าสิบโท", T_RANK),
    T("จ่าสิบตรี", T_RANK),
    T("สิบเอก", T_RANK),
    T("สิบโท", T_RANK),
    T("สิบตรี", T_RANK),
    /* police */
    T("พล.ต.อ.", T_ABBR | T_RANK),
    T("พล.ต.ท.", T_ABBR | T_RANK),
    T("พล.ต.ต.", T_ABBR | T_RANK),
    T("พ.ต.อ.", T_ABBR | T_RANK),
    T("พ.ต.ท.", T_ABBR | T_RANK),
    T("พ.ต.ต.", T_ABBR | T_RANK),
    T("ร.ต.อ.", T_ABBR | T_RANK),
    T("ร.ต.ท.", T_ABBR | T_RANK),
    T("ร.ต.ต.", T_ABBR | T_RANK),
    T("ด.ต.", T_ABBR | T_RANK),
    T("ส.ต.อ.", T_ABBR | T_RANK),
    T("ส.ต.ท.", T_ABBR | T_RANK),
    T("ส.ต.ต.", T_ABBR | T_RANK),
    T("พลตำรวจเอก", T_RANK),
    T("พลตำรวจโท", T_RANK),
    T("พลตำรวจตรี", T_RANK),
    T("พันตำรวจเอก", T_RANK),
    T("พันตำรวจโท", T_RANK),
    T("พันตำรวจตรี", T_RANK),
    T("ร้อยตำรวจเอก", T_RANK),
    T("ร้อยตำรวจโท", T_RANK),
    T("ร้อยตำรวจตรี", T_RANK),
    T("ดาบตำรวจ", T_RANK),
    /* navy and air force */
    T("น.อ.", T_ABBR | T_RANK),
    T("น.ท.", T_ABBR | T_RANK),
    T("น.ต.", T_ABBR | T_RANK),
    T("พล.ร.อ.", T_ABBR | T_RANK),
    T("พล.ร.ท.", T_ABBR | T_RANK),
    T("พล.ร.ต.", T_ABBR | T_RANK),
    T("พล.อ.อ.", T_ABBR | T_RANK),
    T("พล.อ.ท.", T_ABBR | T_RANK),
    T("พล.อ.ต.", T_ABBR | T_RANK),
    T("พลเรือเอก", T_RANK),
    T("พลอากาศเอก", T_RANK),
    T("นาวาเอก", T_RANK),
    T("นาวาโท", T_RANK),
    T("นาวาตรี", T_RANK),
    /* acting (a graduate reserve officer): only before a rank */
    T("ว่าที่", T_BEFORE),
};
#undef T
#define NTITLES (sizeof(titles) / sizeof(titles[0]))

/* Index 0..126 of the Thai character at t (U+0E00 + index), 127 for '.', -1 for others. */
static int second_index(const unsigned char *t)
{
    if (t[0] == '.')
        return 127;
    if (t[0] != 0xE0 || (t[1] & 0xFE) != 0xB8 || (t[2] & 0xC0) != 0x80)
        return -1;
    return (int)((((unsigned)t[1] - 0xB8) << 6) | (t[2] & 0x3Fu));
}

/* The bucket of a title's (or the text's) first two characters, their indexes c and c2. */
static unsigned title_key(int c, int c2)
{
    return (((unsigned)c << 3) ^ (unsigned)c2) & (WS_BUCKETS - 1);
}

/* Words that begin with a title but are not a name (checked at the title's first byte). */
static const char *const not_names[] = {
    "นายอำเภอ",  "นายทะเบียน",   "นายจ้าง",      "นายหน้า",         "นายทุน",     "นายพราน",
    "นายท่าน",    "นายร้อย",      "นายสิบ",       "นายพล",          "นายพัน",     "นายทหาร",
    "นายตำรวจ",  "นายช่าง",      "นายด่าน",      "นายประกัน",       "นายเรือ",    "นายงาน",
    "นายห้าง",    "นายเวร",      "นายหัว",       "นายธนาคาร",      "นายประตู",   "นายกอง",
    "นายบ่อน",    "นายอากาศ",    "นายแบบ",      "นายสถานี",        "นายความ",   "นายตรวจ",
    "นายไปรษณีย์", "นางพยาบาล",   "นางงาม",      "นางฟ้า",          "นางแบบ",    "นางสาวไทย",
    "นางสนอง",   "นางกำนัล",     "นางเอก",      "นางร้าย",         "นางใน",     "นางสงกรานต์",
    "นางนพมาศ",  "นางไม้",       "นางพญา",      "นางรำ",          "นางละคร",   "นางนวล",
    "นางเงือก",   "นางบำเรอ",    "นางห้าม",      "นางกวัก",         "นางรอง",    "นางยักษ์",
    "นางแมว",    "นางอาย",      "นางเลิ้ง",      "นางข้าหลวง",      "นางแบก",    "นางชี",
    "นางสนม",    "นางมาร",      "นางโจร",      "นางตานี",         "นางสาวน้อย", "เด็กชายคน",
    "เด็กหญิงคน",  "เด็กชายและ",   "เด็กหญิงและ",   "เด็กชายอายุ",      "เด็กหญิงอายุ", "เด็กชายวัย",
    "เด็กหญิงวัย",  "เด็กชายชาว",   "เด็กหญิงชาว",   "เด็กชายไทย",      "เด็กหญิงไทย", "เด็กชายที่",
    "เด็กหญิงที่",   "เด็กชายจำนวน", "เด็กหญิงจำนวน", "ศาสตราจารย์พิเศษ", NULL,
};
/* นายก (prime minister, mayor, president of …) is not a name followed by one of these, or
 * alone; what else may follow it in a name (นายกมล, นายกฤษดา, นายกิตติ …) is anything but these. */
#define NAYOK "นายก"
static const char *const nayok_next[] = {
    "รัฐมนตรี", "เทศมนตรี", "สมาคม", "สภา", "องค์การ", "อบต", "อบจ", "เมือง", "สโมสร", "ฯ", NULL,
};

/* Words that end right before a title make it part of a place or another word. */
static const char *const not_before[] = {
    "อ.",  "ต.",    "จ.",  "อำเภอ",  "ตำบล",    "จังหวัด",  "แขวง",  "เขต",  "ถนน",  "ถ.",   "ซอย",
    "ซ.",  "หมู่บ้าน", "บ้าน", "วัด",     "โรงเรียน", "ขุน",     "เจ้า",   "แม่",   "ท่า",   "ลูก",   "คุณ",
    "นคร", /* นครนายก: a province, not นาย + a name */
    "อ. ", "ต. ",   "จ. ", "อำเภอ ", "ตำบล ",   "จังหวัด ", "แขวง ", "เขต ", "ถนน ", "ซอย ", NULL,
};

/* Words that do not start a given name or a surname: function words, roles, verbs. */
static const char *const not_name_start[] = {
    "ที่",       "และ",      "ซึ่ง",     "ได้",     "จะ",      "เป็น",    "ไม่",    "อายุ",   "วัย",
    "จำนวน",   "ผู้",        "ของ",    "ให้",     "กับ",      "ใน",     "ว่า",    "คน",    "ทั้ง",
    "กล่าว",    "รอง",      "ปลัด",    "ประธาน", "อธิบดี",    "รัฐมนตรี", "เลขา",  "นายก",  "ตำแหน่ง",
    "หัวหน้า",   "เลข",      "โทร",    "จาก",    "เมื่อ",     "ไป",     "ก็",     "ยัง",    "พร้อม",
    "เจ้าหน้าที่", "ข้าราชการ", "อาจารย์", "แพทย์",   "พยาบาล",  "สมาชิก",  "บุตร",   "ภรรยา", "สามี",
    "เดินทาง",  "ตรวจ",     "เข้า",    "ออก",    "มอบ",     "ติดต่อ",   "แจ้ง",   "ยื่น",    "ขอ",
    "หรือ",     "คือ",       "ถูก",     "โดย",    "เพื่อ",     "แห่ง",    "ประจำ", "สังกัด",  "บ้าน",
    "อาศัย",    "ชื่อ",       "นามสกุล", "ผอ",     "กรรมการ", "อดีต",    "ส.ส",   "ส.ว",   "พร้อมด้วย",
    "เบอร์",    "มือถือ",     "อีเมล",   "ตั้งแต่",   "ถึง",      "แต่",     "เพราะ", "หาก",   "ถ้า",
    "กำลัง",    "เคย",      "ต้อง",    "ควร",    "เห็น",     "บอก",    "เสีย",   "ซื้อ",    "ขาย",
    "จ่าย",     "เลขที่",     NULL,
};

/* Titles by their first two characters (chains of indexes into titles[], -1 ends; longest
 * first, so the first that matches is the longest), and the word lists, built once. */
static short title_head[WS_BUCKETS], title_next[NTITLES];
static wordset ws_not_names, ws_not_name_start, ws_not_before;
/* name_letter[b1 - 0xB8][b2]: 1 when the bytes E0 b1 b2 are a name letter (0 when b2 is no
 * continuation byte), so that thai_word() tests a character with one load. */
static unsigned char name_letter[2][256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static atomic_int tables_built; /* set last by build_tables() */

static const title *title_find(const unsigned char *p, size_t i, size_t len);

static void build_tables(void)
{
    short *tail[WS_BUCKETS];
    memset(title_head, 0xFF, sizeof(title_head)); /* all -1 */
    for (size_t k = 0; k < WS_BUCKETS; k++)
        tail[k] = &title_head[k];
    size_t longest = 0;
    for (size_t k = 0; k < NTITLES; k++)
        longest = titles[k].n > longest ? titles[k].n : longest;
    for (size_t n = longest; n > 0; n--) /* longest first; in table order within one length */
        for (size_t k = 0; k < NTITLES; k++) {
            const unsigned char *t = (const unsigned char *)titles[k].s;
            if (titles[k].n != n)
                continue;
            unsigned key = title_key(second_index(t), second_index(t + 3));
            title_next[k] = -1;
            *tail[key] = (short)k;
            tail[key] = &title_next[k];
        }
    for (unsigned c = 0; c < 128; c++)
        name_letter[c >> 6][0x80 | (c & 63)] = (unsigned char)thai_letter(0x0E00 + c);
    /* a stop word that begins with a title is keyed after its longest title: where the word is
     * in the text, so is that title, and it is the longest there, as no title begins with a
     * stop word; so thai_titled() looks the words up after the title it found */
    ws_init(&ws_not_names);
    for (size_t k = 0; not_names[k]; k++) {
        const unsigned char *w = (const unsigned char *)not_names[k];
        ws_add_prefix(&ws_not_names, not_names[k], title_find(w, 0, strlen(not_names[k]))->n);
    }
    ws_init(&ws_not_name_start);
    for (size_t k = 0; not_name_start[k]; k++)
        ws_add_prefix(&ws_not_name_start, not_name_start[k], 0);
    ws_init(&ws_not_before);
    for (size_t k = 0; not_before[k]; k++)
        ws_add_suffix(&ws_not_before, not_before[k]);
    atomic_store_explicit(&tables_built, 1, memory_order_release);
}

/* The tables, built on first use; after that one load per call rather than a pthread_once(). */
static void tables(void)
{
    if (!atomic_load_explicit(&tables_built, memory_order_acquire))
        pthread_once(&tables_once, build_tables);
}

/* Longest title at p[i] (a Thai character), or NULL. The tables must be built: title_at()
 * checks that, build_tables() calls this one. */
static const title *title_find(const unsigned char *p, size_t i, size_t len)
{
    int c, c2;
    if (i + 6 > len || (c = second_index(p + i)) < 0 || (c2 = second_index(p + i + 3)) < 0)
        return NULL;
    for (int k = title_head[title_key(c, c2)]; k >= 0; k = title_next[k]) {
        const unsigned char *w = (const unsigned char *)titles[k].s;
        size_t n = titles[k].n;
        if (n > len - i)
            continue;
        /* from the last byte back: titles that share their first two characters (พันเอก,
         * พันโท …) differ near the end, and so does the text (พัฒนา): most stop at once */
        while (n > 0 && w[n - 1] == p[i + n - 1])
            n--;
        if (n == 0)
            return &titles[k];
    }
    return NULL;
}

static const title *title_at(const unsigned char *p, size_t i, size_t len)
{
    tables();
    return title_find(p, i, len);
}

/* End of a run of Thai name letters from j that starts with an initial, and its length in
 * characters, counted up to max + 1 (a longer run is no name, its end is not needed); j when
 * there is none. The tables must be built. */
static size_t thai_word(const unsigned char *p, size_t j, size_t len, size_t max, size_t *chars)
{
    size_t e = j, n = 0; /* a local count: p[] may alias *chars, a store would reload p[] */
    unsigned b1;
    if (in_set(initial_set, thai_at(p, j, len)))
        while (n <= max && e + 3 <= len && p[e] == 0xE0 && (b1 = p[e + 1] - 0xB8u) < 2 &&
               name_letter[b1][p[e + 2]]) {
            e += 3;
            n++;
        }
    *chars = n;
    return e;
}

/* "'s" ending a word (Lee's): a possessive, not part of the name. */
static int possessive(const unsigned char *p, size_t e, size_t len)
{
    return p[e] == '\'' && e + 1 < len && (p[e + 1] | 0x20) == 's' &&
           (e + 2 >= len || !khm_isalpha(p[e + 2]));
}

/* End of 1..maxw capitalised words (Smith, O'Neil, Smith-Jones, J.) from j, or j; *words set. */
static size_t latin_words(const unsigned char *p, size_t j, size_t len, int maxw, int *words)
{
    size_t end = j, e = j;
    *words = 0;
    while (*words < maxw && e < len && p[e] >= 'A' && p[e] <= 'Z') {
        size_t s = e++;
        if (e < len && p[e] == '.') { /* an initial */
            e++;
        } else {
            size_t lower = 0;
            while (e < len &&
                   (khm_isalpha(p[e]) || ((p[e] == '\'' || p[e] == '-') && e + 1 < len &&
                                          khm_isalpha(p[e + 1]) && !possessive(p, e, len)))) {
                lower += p[e] >= 'a' && p[e] <= 'z';
                e++;
            }
            if (!lower || (e < len && (khm_isdigit(p[e]) || p[e] == '_' || p[e] == '@'))) {
                e = s;
                break;
            }
        }
        end = e;
        ++*words;
        if (e + 1 < len && p[e] == ' ' && p[e + 1] >= 'A' && p[e + 1] <= 'Z')
            e++;
        else
            break;
    }
    return end;
}

/* A title (the longest) at p[i]: the name after it. Out of line, so that the common case, no
 * title, costs khm_det_person() no stack frame. */
__attribute__((noinline)) static int thai_titled(const unsigned char *p, size_t lo, size_t len,
                                                 size_t i, const title *ti, khm_match *m)
{
    size_t t = ti->n;
    unsigned flags = ti->flags;
    if ((flags & T_ABBR) && i > lo && (p[i - 1] == '.' || khm_isalnum(p[i - 1])))
        return 0; /* inside an abbreviation: พ.ศ., ร.ศ. */
    if (ws_ends(&ws_not_before, p, lo, i))
        return 0;
    if (ws_starts(&ws_not_names, p, i, len, t))
        return 0;
    if (starts(p, i, len, NAYOK) && (!thai_letter(thai_at(p, i + strlen(NAYOK), len)) ||
                                     starts_any(p, i + strlen(NAYOK), len, nayok_next)))
        return 0;
    size_t j = i + t;
    /* chained titles: ผศ.ดร., ว่าที่ ร.ต., พ.ต.อ.หญิง */
    for (int chain = 0; chain < 3; chain++) {
        if ((flags & T_RANK) && starts(p, j, len, "หญิง")) {
            j += strlen("หญิง");
            flags &= ~(unsigned)T_RANK;
        }
        size_t s = j + ((flags & T_BEFORE) && j < len && p[j] == ' ');
        const title *t2 = s + 3 <= len && thai_at(p, s, len) ? title_at(p, s, len) : NULL;
        if (t2 && ((flags & T_BEFORE) || (flags & T_ABBR))) {
            j = s + t2->n;
            flags = t2->flags;
            continue;
        }
        break;
    }
    if (flags & T_BEFORE)
        return 0; /* ว่าที่ without a rank: "ว่าที่ผู้สมัคร" */
    if (j < len && p[j] == ' ')
        j++;
    int words = 0;
    size_t chars, g = thai_word(p, j, len, MAX_GIVEN, &chars), e;
    if (g > j) { /* a Thai given name */
        if (chars < 2 || chars > MAX_GIVEN || ws_starts(&ws_not_name_start, p, j, len, 0))
            return 0;
        if (g < len && (p[g] == '.' || thai_at(p, g, len))) /* น.ส.พ., นายกฯ, ๆ */
            return 0;
        e = g;
    } else if ((e = latin_words(p, j, len, 1, &words)) == j) {
        return 0;
    }
    m->start = i;
    m->end = e;
    m->score = 0.6;
    /* the surname, after one space */
    if (e + 1 < len && p[e] == ' ') {
        size_t s = e + 1, se;
        if (starts(p, s, len, "ณ ")) /* ณ อยุธยา, ณ ป้อมเพชร */
            s += strlen("ณ ");
        se = thai_word(p, s, len, MAX_SURNAME, &chars);
        if (se > s) {
            if (chars < 2 || chars > MAX_SURNAME || ws_starts(&ws_not_name_start, p, s, len, 0) ||
                title_at(p, s, len) || (se < len && (p[se] == '.' || thai_at(p, se, len))))
                se = s;
        } else {
            se = latin_words(p, s, len, 2, &words);
        }
        if (se > s) {
            m->end = se;
            m->score = 0.85;
        }
    }
    return 1;
}

/* Mr, Mrs, Ms, Miss, Dr at p[i] and the name after it (out of line, as thai_titled()). */
__attribute__((noinline)) static int english_titled(const unsigned char *p, size_t len, size_t i,
                                                    khm_match *m)
{
    static const char *const en[] = { "Mrs", "Mr", "Ms", "Miss", "Dr", NULL };
    size_t t = starts_any(p, i, len, en), j = i + t;
    if (!t || (j < len && khm_isalnum(p[j])))
        return 0;
    int dot = j < len && p[j] == '.';
    j += dot;
    if (j < len && p[j] == ' ')
        j++;
    else if (!dot)
        return 0;
    int words;
    size_t e = latin_words(p, j, len, 3, &words);
    if (e == j || (words == 1 && e - j == 2 && p[e - 1] == '.'))
        return 0; /* nothing, or a lone initial */
    static const char *const pageants[] = { "Universe", "World",         "Thailand", "Grand",
                                            "Earth",    "International", "Tiffany",  NULL };
    if (p[i + 1] == 'i' && starts_any(p, j, len, pageants))
        return 0; /* Miss Universe, Miss Grand Thailand */
    m->start = i;
    m->end = e;
    m->score = words >= 2 ? 0.85 : 0.6;
    return 1;
}

/* ---- name columns ---------------------------------------------------------------------- */

/* What may follow ชื่อ in a Thai name header (after '-', ' ', '_'): nothing, or one of these. */
static const char *const th_name_rest[] = {
    "นามสกุล",  "สกุล",  "และนามสกุล", "จริง",       "เล่น",     "ผู้ป่วย",    "ผู้ติดต่อ",  "ผู้สมัคร",
    "ผู้แจ้ง",    "ผู้ยื่น",  "ผู้รับ",       "ผู้ส่ง",       "ผู้ปกครอง", "ผู้เสียชีวิต", "ผู้ต้องหา", "ผู้ขอ",
    "ผู้เช่า",    "ผู้กู้",   "ผู้ถือ",       "ผู้เยาว์",     "ผู้เรียน",   "ผู้ประกัน",  "ผู้ได้รับ",  "ผู้เข้าร่วม",
    "ผู้มาติดต่อ", "ลูกค้า", "นักเรียน",    "นักศึกษา",    "พนักงาน",  "บิดา",     "มารดา",  "คู่สมรส",
    "สมาชิก",   "ตัว",   "ภาษาไทย",   "ภาษาอังกฤษ", "ไทย",     "อังกฤษ",   "(",      "th",
    "en",      "TH",   "EN",        NULL,
};
static const char *const en_name_prefix[] = {
    "",       "full",      "first",      "last",      "given",    "family", "middle",
    "sur",    "customer",  "patient",    "contact",   "employee", "person", "student",
    "member", "applicant", "parent",     "father",    "mother",   "spouse", "staff",
    "owner",  "holder",    "cardholder", "recipient", "sender",   NULL,
};
static const char *const en_not_name[] = {
    "product",  "file",       "company",  "project",  "agency", "organization", "organisation",
    "org",      "department", "dept",     "user",     "host",   "domain",       "table",
    "column",   "field",      "item",     "brand",    "shop",   "store",        "school",
    "hospital", "bank",       "account",  "app",      "device", "server",       "service",
    "course",   "city",       "province", "district", "street", "building",     "village",
    "event",    "category",   "group",    "type",     "model",  "package",      "dataset",
    "business", "unit",       "branch",   "office",   "site",   "place",        "location",
    "drug",     "disease",    "team",     NULL,
};

/* 1 when s[0..n) is one of @p words (byte by byte: most differ at once). */
static int in_list(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++) {
        const char *w = *words;
        size_t k = 0;
        while (k < n && w[k] && w[k] == s[k])
            k++;
        if (k == n && !w[k])
            return 1;
    }
    return 0;
}

/* 1 when a column header names people: ชื่อ, ชื่อ-นามสกุล, นามสกุล, name, first_name … */
int khm_person_name_header(const char *f, size_t n)
{
    const unsigned char *p = (const unsigned char *)f;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
        n--;
    while (n && *p == ' ')
        p++, n--;
    if (!n || n > 96)
        return 0;
    size_t j = 0;
    if (starts(p, 0, n, "ชื่อ"))
        j = strlen("ชื่อ");
    else if (starts(p, 0, n, "นามสกุล") || starts(p, 0, n, "สกุล"))
        return 1;
    if (j) {
        while (j < n && (p[j] == '-' || p[j] == ' ' || p[j] == '_' || p[j] == '/'))
            j++;
        return j == n || starts_any(p, j, n, th_name_rest) > 0;
    }
    /* English: words of letters (camelCase and separators folded); one ends in "name" after an
     * allowed prefix, none is a thing's name */
    int named = 0;
    for (size_t k = 0; k < n;) {
        char w[40];
        size_t wl = 0;
        while (k < n && !khm_isalpha(p[k]))
            k++;
        while (k < n && khm_isalpha(p[k])) {
            if (wl && p[k] >= 'A' && p[k] <= 'Z' && p[k - 1] >= 'a' && p[k - 1] <= 'z')
                break; /* firstName: "first", then "Name" */
            if (wl < sizeof(w))
                w[wl++] = (char)(p[k] | 0x20);
            k++;
        }
        if (!wl)
            break;
        if (in_list(w, wl, en_not_name))
            return 0;
        size_t base = wl >= 5 && memcmp(w + wl - 5, "names", 5) == 0  ? wl - 5
                      : wl >= 4 && memcmp(w + wl - 4, "name", 4) == 0 ? wl - 4
                                                                      : (size_t)-1;
        if (base != (size_t)-1 && in_list(w, base, en_name_prefix))
            named = 1;
        else if (base != (size_t)-1 && base > 0)
            return 0; /* filename, username, hostname */
    }
    return named;
}

static const char *const not_name_values[] = {
    "ไม่ระบุ", "ไม่มี",     "ไม่ทราบ",  "ไม่พบ", "null", "NULL", "Null", "none", "None",
    "NONE",  "unknown", "Unknown", "N",    "NA",   "TBD",  "Test", "test", NULL,
};

/* A cell that looks like a person's name: Thai or Latin letters, spaces, dots, hyphens,
 * apostrophes; 1-4 words; at least two letters. Out of line (once per cell), so that its
 * locals cost khm_det_person() no stack frame on every other call. */
__attribute__((noinline)) static int name_cell(const unsigned char *p, size_t lo, size_t len,
                                               khm_match *m)
{
    size_t s = lo, e = len, letters = 0;
    int words = 0, inword = 0;
    while (s < e && p[s] == ' ')
        s++;
    while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\r'))
        e--;
    if (e - s < 2 || e - s > 160)
        return 0;
    for (size_t j = s; j < e;) {
        unsigned c = p[j];
        if (c == ' ') {
            inword = 0;
            j++;
            continue;
        }
        if (!inword)
            words++;
        inword = 1;
        if (khm_isalpha(c)) {
            letters++;
            j++;
        } else if (c == '.' || c == '-' || c == '\'') {
            j++;
        } else if (thai_letter(thai_at(p, j, e))) {
            letters++;
            j += 3;
        } else {
            return 0; /* digits, '@', '/', other scripts and punctuation */
        }
    }
    if (words > 4 || letters < 2 || in_list((const char *)p + s, e - s, not_name_values))
        return 0;
    /* a word that begins with a title (นายก, นางพยาบาล): none of not_names begins another */
    const title *t = title_at(p, s, e);
    if (t && (ws_starts(&ws_not_names, p, s, e, t->n) == e - s ||
              (e - s == strlen(NAYOK) && memcmp(p + s, NAYOK, e - s) == 0)))
        return 0;
    m->start = s;
    m->end = e;
    m->score = 0.85;
    return 1;
}

int khm_det_person(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                   khm_match *m)
{
    if (i == lo && cx && cx->cell && name_cell(p, lo, len, m)) /* khm_person_name_header() */
        return 1;
    if (p[i] == 0xE0) {
        const title *t = title_at(p, i, len);
        return t && thai_titled(p, lo, len, i, t, m);
    }
    if (p[i] == 'M' || p[i] == 'D')
        return english_titled(p, len, i, m);
    return 0;
}

int khm_person_header_det(const khm_detector *d, const char *f, size_t n)
{
    (void)d;
    return khm_person_name_header(f, n);
}

void khm_person_prefixes(const khm_detector *d, khm_prefix_add add, void *arg)
{
    (void)d;
    for (size_t k = 0; k < sizeof(titles) / sizeof(titles[0]); k++)
        add(arg, titles[k].s, titles[k].n);
}
