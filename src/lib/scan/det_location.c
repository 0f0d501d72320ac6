/* LOCATION: Thai postal addresses. An address is a chain of parts, in the usual order, with or
 * without spaces between them: house number (123, 123/45), หมู่/หมู่ที่/ม. + number, หมู่บ้าน +
 * name, ซอย/ซ. + name, ถนน/ถ. + name, ตำบล/ต./แขวง + sub-district, อำเภอ/อ./เขต + district,
 * จังหวัด/จ. + province (or the province alone, กรุงเทพฯ, กทม.), 5-digit postcode. The detector
 * is tried at digits: at a house number it parses forward; at a number after หมู่/ซอย/ถนน it
 * starts at that word; at a 5-digit number it looks back (same line, 300 bytes) for where an
 * address ending there begins. Under an address column (ที่อยู่, address) a cell is parsed from
 * its start. The sub-district, district, province and postcode found must exist in the
 * gazetteer (gazetteer.c) and agree with each other; otherwise the score stays under the
 * threshold. */
#include "scan_int.h"

#include "gazetteer.h"

#include <string.h>

enum { P_HOUSE, P_MOO, P_VILLAGE, P_SOI, P_ROAD, P_SUB, P_DIST, P_PROV, P_POST };

/* The address keywords, grouped by their first character (kw_at() picks the group), the longest
 * of a group first. */
static const struct {
    const char *w;
    unsigned char n, part;
} kws[] = {
#define KW(w, part)            \
    {                          \
        w, sizeof(w) - 1, part \
    }
    KW("หมู่บ้าน", P_VILLAGE), KW("หมู่ที่", P_MOO), KW("หมู่", P_MOO), /* 0-2 ห */
    KW("ม.", P_MOO),                                           /* 3 ม */
    KW("ซอย", P_SOI),       KW("ซ.", P_SOI),                   /* 4-5 ซ */
    KW("ถนน", P_ROAD),      KW("ถ.", P_ROAD),                  /* 6-7 ถ */
    KW("ตำบล", P_SUB),      KW("ต.", P_SUB),                   /* 8-9 ต */
    KW("แขวง", P_SUB),                                         /* 10 แ */
    KW("อำเภอ", P_DIST),    KW("อ.", P_DIST),                  /* 11-12 อ */
    KW("เขต", P_DIST),                                         /* 13 เ */
    KW("จังหวัด", P_PROV),    KW("จ.", P_PROV),                  /* 14-15 จ */
#undef KW
};

/* Bangkok as people write it; the gazetteer spells it กรุงเทพมหานคร. */
static const struct {
    const char *w;
    size_t n;
} bangkok[] = {
#define BKK(w)           \
    {                    \
        w, sizeof(w) - 1 \
    }
    BKK("กรุงเทพมหานคร"), BKK("กรุงเทพฯ"), BKK("กรุงเทพ"), BKK("กทม."), BKK("กทม"),
#undef BKK
};

typedef struct {
    int prov, dist, sub; /* gazetteer ids, -1 none (dist KHM_GZ_MUEANG: อ.เมือง) */
    uint32_t post;
    int bad;       /* a sub-district, district or province name not in the gazetteer */
    unsigned seen; /* parts found, bit (1 << P_*) */
    int nparts;
    size_t end;
} addr;

static int is_thai(const unsigned char *p, size_t j, size_t len)
{
    return j + 3 <= len && p[j] == 0xE0 && (p[j + 1] & 0xFE) == 0xB8;
}

/* kw_at() at a Thai character. */
static size_t kw_at_thai(const unsigned char *p, size_t j, size_t len, int *part)
{
    size_t a, b;
    switch ((p[j + 1] << 8) | p[j + 2]) { /* the first character: its group in kws[] */
    case 0xB8AB:                          /* ห */
        a = 0, b = 3;
        break;
    case 0xB8A1: /* ม */
        a = 3, b = 4;
        break;
    case 0xB88B: /* ซ */
        a = 4, b = 6;
        break;
    case 0xB896: /* ถ */
        a = 6, b = 8;
        break;
    case 0xB895: /* ต */
        a = 8, b = 10;
        break;
    case 0xB981: /* แ */
        a = 10, b = 11;
        break;
    case 0xB8AD: /* อ */
        a = 11, b = 13;
        break;
    case 0xB980: /* เ */
        a = 13, b = 14;
        break;
    case 0xB888: /* จ */
        a = 14, b = 16;
        break;
    default:
        return 0;
    }
    for (; a < b; a++) {
        size_t n = kws[a].n;
        if (j + n <= len && memcmp(p + j + 3, kws[a].w + 3, n - 3) == 0) {
            *part = kws[a].part;
            return n;
        }
    }
    return 0;
}

/* Length of the address keyword at p[j] (its part in *part), or 0: the longest one. The test for
 * a Thai character is inline: most calls are at a digit, a space or a comma. */
static inline size_t kw_at(const unsigned char *p, size_t j, size_t len, int *part)
{
    return is_thai(p, j, len) ? kw_at_thai(p, j, len, part) : 0;
}

static size_t bangkok_at(const unsigned char *p, size_t j, size_t len)
{
    if (j + 3 > len || p[j] != 0xE0 || p[j + 1] != 0xB8 || p[j + 2] != 0x81) /* ก */
        return 0;
    for (size_t k = 0; k < sizeof(bangkok) / sizeof(bangkok[0]); k++) {
        size_t n = bangkok[k].n;
        if (j + n <= len && memcmp(p + j + 3, bangkok[k].w + 3, n - 3) == 0)
            return n;
    }
    return 0;
}

/* A name may end at e: the end, anything but a Thai letter, or the next part glued on. */
static int boundary(const unsigned char *p, size_t e, size_t len)
{
    int part;
    khm_gz_hit h[1];
    if (e >= len || !is_thai(p, e, len))
        return 1;
    return kw_at(p, e, len, &part) || bangkok_at(p, e, len) ||
           khm_gz_prefixes(KHM_GZ_PROVINCE, p + e, len - e, h, 1);
}

/* Longest gazetteer name of @p kind at p[j] that ends at a boundary: its end, *id set; or 0. */
static size_t gz_name_at(const unsigned char *p, size_t j, size_t len, int kind, int *id)
{
    khm_gz_hit h[6];
    size_t n = khm_gz_prefixes(kind, p + j, len - j, h, 6);
    for (size_t k = 0; k < n; k++)
        if (boundary(p, j + h[k].len, len)) {
            *id = h[k].id;
            return j + h[k].len;
        }
    return 0;
}

/* A province written alone or after จ./จังหวัด: its end, *id set; or 0. */
static size_t province_at(const unsigned char *p, size_t j, size_t len, int *id)
{
    size_t n = bangkok_at(p, j, len);
    if (n && boundary(p, j + n, len)) {
        *id = khm_gz_find(KHM_GZ_PROVINCE, "กรุงเทพมหานคร", strlen("กรุงเทพมหานคร"));
        return j + n;
    }
    return gz_name_at(p, j, len, KHM_GZ_PROVINCE, id);
}

/* End of a free-text name (a village, soi or road) from j: up to a space, a comma or the next
 * part, at most 90 bytes; then " 21" or " 101/1" when a short number follows. */
static size_t free_name(const unsigned char *p, size_t j, size_t len)
{
    size_t e = j;
    int part;
    while (e < len && e - j < 90 && p[e] != ' ' && p[e] != ',' && p[e] != '\n' && p[e] != '\r') {
        if (e > j && kw_at(p, e, len, &part))
            break;
        e += is_thai(p, e, len) ? 3 : 1;
    }
    if (e == j)
        return j;
    if (e + 1 < len && p[e] == ' ' && khm_isdigit(p[e + 1])) {
        size_t d = e + 1, nd = 0;
        while (d < len && khm_isdigit(p[d]))
            d++, nd++;
        if (d + 1 < len && p[d] == '/' && khm_isdigit(p[d + 1]))
            for (d++; d < len && khm_isdigit(p[d]);)
                d++;
        if (nd <= 4 && khm_num_right_ok(p, len, d))
            e = d;
    }
    return e;
}

/* A number of 1..maxd digits at j, optionally "/" and 1..4 more (123/45): its end, or j. */
static inline __attribute__((always_inline)) size_t number_at(const unsigned char *p, size_t j,
                                                              size_t len, size_t maxd, int slash)
{
    size_t e = j;
    while (e < len && e - j <= maxd && khm_isdigit(p[e])) /* a longer run is no number here */
        e++;
    if (e == j || e - j > maxd)
        return j;
    if (slash && e + 1 < len && p[e] == '/' && khm_isdigit(p[e + 1])) {
        size_t s = ++e;
        while (e < len && khm_isdigit(p[e]))
            e++;
        if (e - s > 4)
            return j;
    }
    if (e < len && (khm_isword(p[e]) || p[e] == '.' || p[e] == '/' || p[e] == '-'))
        return j;
    return e;
}

/* Skip what separates two parts: spaces and one comma. */
static size_t skip_sep(const unsigned char *p, size_t j, size_t len)
{
    size_t s = j;
    while (j < len && j - s < 6 && (p[j] == ' ' || p[j] == ','))
        j++;
    return j;
}

/* Parse the chain of parts from s. */
static void parse(const unsigned char *p, size_t len, size_t s, addr *a)
{
    size_t j = s;
    memset(a, 0, sizeof(*a));
    a->prov = a->dist = a->sub = -1;
    a->end = s;
    for (int k = 0; k < 12; k++) {
        size_t b = k ? skip_sep(p, j, len) : j, e = 0, kl;
        int part = -1, id = -1;
        if (b >= len)
            break;
        if (khm_isdigit(p[b])) {
            size_t n = number_at(p, b, len, 5, 1);
            if (n - b == 5 && k > 0 && khm_num_right_ok(p, len, n) && !memchr(p + b, '/', 5)) {
                part = P_POST;
                for (size_t d = b; d < n; d++)
                    a->post = a->post * 10 + (uint32_t)(p[d] - '0');
            } else if (k == 0 && n > b) {
                part = P_HOUSE;
            } else {
                break;
            }
            e = n;
        } else if ((kl = kw_at(p, b, len, &part))) {
            size_t v = b + kl;
            if (v < len && p[v] == ' ')
                v++;
            switch (part) {
            case P_MOO:
                e = number_at(p, v, len, 3, 0);
                e = e > v ? e : 0;
                break;
            case P_VILLAGE:
            case P_SOI:
            case P_ROAD:
                e = free_name(p, v, len);
                e = e > v ? e : 0;
                break;
            case P_SUB:
            case P_DIST:
                e = gz_name_at(p, v, len, part == P_SUB ? KHM_GZ_SUBDISTRICT : KHM_GZ_DISTRICT,
                               &id);
                if (!e && part == P_DIST && v + strlen("เมือง") <= len &&
                    memcmp(p + v, "เมือง", strlen("เมือง")) == 0 &&
                    boundary(p, v + strlen("เมือง"), len)) {
                    e = v + strlen("เมือง");
                    id = KHM_GZ_MUEANG;
                }
                break;
            default: /* P_PROV */
                e = province_at(p, v, len, &id);
                break;
            }
            if (!e && (part == P_SUB || part == P_DIST || part == P_PROV)) {
                e = free_name(p, v, len); /* an unknown place: keep going, but it counts against */
                if (e == v)
                    break;
                a->bad = 1;
                id = -1;
            } else if (!e) {
                break;
            }
        } else if (k > 0 && (e = province_at(p, b, len, &id))) {
            part = P_PROV;
        } else {
            break;
        }
        if (a->seen & (1u << part))
            break;
        a->seen |= 1u << part;
        a->nparts++;
        if (part == P_SUB)
            a->sub = id;
        else if (part == P_DIST)
            a->dist = id;
        else if (part == P_PROV)
            a->prov = id;
        a->end = j = e;
        if (part == P_POST)
            break;
    }
}

/* The score of a parsed chain (0 when it is no address at all). */
static double score_of(const addr *a)
{
    int admin = (a->sub >= 0) + (a->dist != -1) + (a->prov >= 0) + (a->post != 0);
    int street = 0;
    for (int part = P_HOUSE; part <= P_ROAD; part++)
        street += (a->seen >> part) & 1;
    if (a->nparts < 2 || (!admin && !a->bad))
        return 0;
    if (a->bad || !khm_gz_consistent(a->prov, a->dist, a->sub, a->post))
        return 0.25; /* unknown place, or parts that do not agree: under the threshold */
    if (admin >= 3)
        return 0.9;
    if (admin == 2)
        return 0.75;
    return street >= 2 ? 0.45 : street ? 0.4 : 0.25; /* with context only */
}

/* The start of the word that ends at j (after spaces), when it is a part that takes a number
 * (หมู่ 4, ม.4, ซอย 5, ซอยสุขุมวิท 21, ถนนพระราม 9); else (size_t)-1. */
static size_t keyword_before(const unsigned char *p, size_t lo, size_t i)
{
    static const struct {
        const char *w;
        size_t n;
    } numbered[] = {
#define NUM(w) { w, sizeof(w) - 1 }
        NUM("หมู่ที่"), NUM("หมู่"), NUM("ม."), NUM("ซอย"), NUM("ซ."), NUM("ถนน"), NUM("ถ."),
#undef NUM
    };
    size_t j = i;
    while (j > lo && i - j < 3 && p[j - 1] == ' ')
        j--;
    if (j == lo || (p[j - 1] < 0x80 && p[j - 1] != '.'))
        return (size_t)-1;
    unsigned z = p[j - 1]; /* the last byte of a numbered word: '.', ่ (หมู่, ที่), ย, น */
    for (size_t k = 0; (z == '.' || z == 0x88 || z == 0xA2 || z == 0x99) &&
                       k < sizeof(numbered) / sizeof(numbered[0]);
         k++) {
        size_t n = numbered[k].n;
        if (j - lo >= n && z == (unsigned char)numbered[k].w[n - 1] &&
            memcmp(p + j - n, numbered[k].w, n) == 0)
            return j - n;
    }
    if (j == i)
        return (size_t)-1; /* a soi or road name is followed by a space */
    /* the word before: back to a space, a newline or a comma, at most 90 bytes */
    size_t w = j - lo > 90 ? j - 90 : lo;
    const unsigned char *d;
    if ((d = memrchr(p + w, ' ', j - w)))
        w = (size_t)(d - p) + 1;
    if ((d = memrchr(p + w, '\n', j - w)))
        w = (size_t)(d - p) + 1;
    if ((d = memrchr(p + w, ',', j - w)))
        w = (size_t)(d - p) + 1;
    /* ซอย, ซ., ถนน, ถ.: the only keywords of a soi or a road */
    int part;
    if (w + 3 <= j && p[w] == 0xE0 && p[w + 1] == 0xB8 && (p[w + 2] == 0x8B || p[w + 2] == 0x96) &&
        kw_at(p, w, j, &part) && (part == P_SOI || part == P_ROAD))
        return w;
    return (size_t)-1;
}

/* A 5-digit number at i: the address that ends with it as its postcode, from its earliest
 * start. */
static int look_back(const unsigned char *p, size_t lo, size_t len, size_t i, khm_match *m)
{
    size_t w0 = i - lo > 300 ? i - 300 : lo, tries = 0;
    addr a;
    for (size_t b = w0; b < i && tries < 12; b++) {
        int part;
        if (p[b] == '\n') {
            w0 = b + 1;
            continue;
        }
        if (b > w0 && p[b - 1] != ' ' && p[b - 1] != ',' && p[b - 1] != '\t')
            continue; /* parts start words here; glued ones are found from the house number */
        int start = (khm_isdigit(p[b]) && khm_num_left_ok(p, lo, b)) || kw_at(p, b, len, &part);
        if (!start)
            continue;
        tries++;
        parse(p, len, b, &a);
        if (a.end != i + 5 || !a.post)
            continue;
        /* the earliest start is the address: a later one would drop a part that is wrong */
        m->start = b;
        m->end = a.end;
        m->score = score_of(&a);
        return m->score > 0;
    }
    return 0;
}

/* 1 when a column header holds addresses: ที่อยู่, ที่ตั้ง, ภูมิลำเนา, address (not e-mail or IP). */
int khm_location_header(const char *f, size_t n)
{
    static const char *const not_postal[] = { "อีเมล", "ไอพี", "email", "Email", "EMAIL", "mail",
                                              "Mail", "ip",  "IP",    "Ip",    "mac",   "MAC",
                                              "web",  "Web", "url",   "URL",   NULL };
    static const char *const postal[] = { "ที่อยู่",     "ที่ตั้ง",  "ภูมิลำเนา", "address", "Address",
                                          "ADDRESS", "addr", "Addr",    NULL };
    int hit = 0;
    for (const char *const *w = postal; *w && !hit; w++)
        hit = memmem(f, n, *w, strlen(*w)) != NULL;
    for (const char *const *w = not_postal; *w && hit; w++)
        hit = !memmem(f, n, *w, strlen(*w));
    return hit;
}

int khm_det_location(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                     khm_match *m)
{
    addr a;
    if (!khm_isdigit(p[i])) {            /* a cell of an address column */
        if (i != lo || !cx || !cx->cell) /* the column's header passed khm_location_header() */
            return 0;
        size_t s = skip_sep(p, i, len);
        parse(p, len, s, &a);
        if (!(m->score = score_of(&a)))
            return 0;
        m->start = s;
        m->end = a.end;
        return 1;
    }
    if (!khm_num_left_ok(p, lo, i))
        return 0;
    size_t s = keyword_before(p, lo, i);
    if (s == (size_t)-1) {
        size_t n = number_at(p, i, len, 5, 1);
        if (n == i)
            return 0;
        /* cheap rejection: a house number is followed by a part */
        size_t b = skip_sep(p, n, len);
        int part;
        if (!kw_at(p, b, len, &part)) {
            if (n - i == 5 && !memchr(p + i, '/', 5))
                return look_back(p, lo, len, i, m);
            return 0;
        }
        s = i;
    }
    parse(p, len, s, &a);
    if (!(m->score = score_of(&a))) {
        size_t n = number_at(p, i, len, 5, 0);
        return n - i == 5 && look_back(p, lo, len, i, m);
    }
    m->start = s;
    m->end = a.end;
    return 1;
}

int khm_location_header_det(const khm_detector *d, const char *f, size_t n)
{
    (void)d;
    return khm_location_header(f, n);
}
