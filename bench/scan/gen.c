/* bench/scan/gen.c — the synthetic corpus of bench/scan (not a test): a deterministic mix of
 * CSV files with Thai and English columns, JSON Lines files with nested records and Thai prose,
 * with roughly one detectable personal-data value (national ID, phone, e-mail, card, IPv4) per
 * 200 bytes. Every value is made up here from a fixed seed: names from short lists of common
 * given names and surnames, national IDs with valid check digits (thai-rules.md §4.1), Luhn-valid
 * card numbers, phones in the Thai numbering plan, e-mails at example domains.
 *
 *   gen OUTDIR MB FILES [SEED.txt...]
 *
 * writes FILES files of MB/FILES MiB each into OUTDIR (corpus_00.csv, corpus_01.jsonl,
 * corpus_02.txt, corpus_03.csv, …), taking the prose's phrases from the SEED files (lines split
 * at spaces; built-in phrases when none is given), and prints one line
 *
 *   GEN files=8 bytes=1073741824 pii=5368709 other=3221225
 *
 * pii: detectable values written (the scanner's types); other: names, addresses, dates. The same
 * arguments give the same bytes on every machine. */
#define _POSIX_C_SOURCE 200809L /* strdup, strtok */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* --- output ---------------------------------------------------------------------------------- */

typedef struct {
    FILE *f;
    char buf[1 << 20];
    size_t len;
    uint64_t written;
} out_t;

static void flush(out_t *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len) {
        perror("gen: write");
        exit(1);
    }
    o->written += o->len;
    o->len = 0;
}

static void put(out_t *o, const char *s, size_t n)
{
    if (o->len + n > sizeof(o->buf))
        flush(o);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void puts_(out_t *o, const char *s)
{
    put(o, s, strlen(s));
}

static void putch(out_t *o, char c)
{
    put(o, &c, 1);
}

static void putnum(out_t *o, uint64_t v, int width) /* zero-padded to width */
{
    char t[24];
    int n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < width);
    while (n)
        putch(o, t[--n]);
}

static uint64_t pos(const out_t *o)
{
    return o->written + o->len;
}

/* --- randomness (splitmix64: fixed, portable) ------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static int chance(unsigned percent)
{
    return below(100) < percent;
}

#define PICK(a) ((a)[below(NELEM(a))])

/* --- word lists (made up or common words; no real person) ------------------------------------ */

static const char *const male[] = { "สมชาย", "สมศักดิ์",  "ประเสริฐ", "วิชัย",   "สุรชัย",  "อนุชา",
                                    "ธนากร", "กิตติพงษ์", "ณัฐวุฒิ",    "พงศกร", "ชัยวัฒน์", "เอกชัย" };
static const char *const female[] = { "สมหญิง", "มาลี",   "สุดารัตน์", "วิภาวรรณ", "กาญจนา", "นภัสสร",
                                      "ปวีณา",  "จิราพร", "อรทัย",   "ศิริพร",    "พิมพ์ชนก", "รัตนา" };
static const char *const surname[] = { "ใจดี",  "รักไทย", "มั่นคง",    "สุขสวัสดิ์", "ศรีสุข", "ทองดี",
                                       "บุญมา", "แก้วมณี", "วงศ์สวัสดิ์", "เจริญผล", "พึ่งบุญ", "สายทอง" };
static const char *const male_en[] = { "somchai",  "somsak",     "prasert",   "wichai",
                                       "surachai", "anucha",     "thanakorn", "kittipong",
                                       "nattawut", "pongsakorn", "chaiwat",   "ekachai" };
static const char *const female_en[] = { "somying", "malee",     "sudarat",   "wipawan",
                                         "kanjana", "napatsorn", "paweena",   "jiraporn",
                                         "orathai", "siriporn",  "pimchanok", "rattana" };
static const char *const surname_en[] = { "jaidee",    "rakthai",     "mankong",   "suksawat",
                                          "srisuk",    "thongdee",    "boonma",    "kaewmanee",
                                          "wongsawat", "charoenphon", "phungboon", "saithong" };
static const char *const domain[] = { "example.com",      "example.co.th", "example.net",
                                      "mail.example.org", "example.ac.th", "example.go.th" };

typedef struct {
    const char *sub, *dist, *prov, *zip;
    int bkk; /* Bangkok: แขวง/เขต instead of ต./อ./จ. */
} place_t;

static const place_t place[] = {
    { "บางพูด", "ปากเกร็ด", "นนทบุรี", "11120", 0 },
    { "บางกระสอ", "เมืองนนทบุรี", "นนทบุรี", "11000", 0 },
    { "สุเทพ", "เมืองเชียงใหม่", "เชียงใหม่", "50200", 0 },
    { "ในเมือง", "เมืองขอนแก่น", "ขอนแก่น", "40000", 0 },
    { "หาดใหญ่", "หาดใหญ่", "สงขลา", "90110", 0 },
    { "บางปลา", "บางพลี", "สมุทรปราการ", "10540", 0 },
    { "ลาดยาว", "จตุจักร", "กรุงเทพมหานคร", "10900", 1 },
    { "สีลม", "บางรัก", "กรุงเทพมหานคร", "10500", 1 },
    { "ทุ่งพญาไท", "ราชเทวี", "กรุงเทพมหานคร", "10400", 1 },
    { "คลองตัน", "คลองเตย", "กรุงเทพมหานคร", "10110", 1 },
};

static const char *const month_th[] = { "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                                        "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",  "พ.ย.", "ธ.ค." };

static const char *const builtin_phrases[] = {
    "ลูกค้าขอให้จัดส่งสินค้าในช่วงเช้า",
    "ประชุมหารือเพื่อเตรียมการจัดทำงบประมาณ",
    "หน่วยงานของรัฐต้องจัดทำมาตรฐานการรักษาความมั่นคงปลอดภัยไซเบอร์",
    "การเก็บรวบรวมข้อมูลส่วนบุคคลต้องได้รับความยินยอมจากเจ้าของข้อมูล",
    "ธรรมาภิบาลข้อมูลภาครัฐ",
    "the customer asked for delivery before noon",
    "ปรับปรุงกระบวนการทำงานและพัฒนาบริการดิจิทัล",
};

static const char *const *phrase;
static size_t nphrase;

/* --- values ------------------------------------------------------------------------------------
 */

static uint64_t n_pii, n_other;

static int male_pick; /* the gender of the last name() for the matching e-mail */
static unsigned name_first, name_last;

static void name(out_t *o)
{
    static const char *const mtitle[] = { "นาย", "นาย", "นาย", "ด.ช.", "ดร." };
    static const char *const ftitle[] = { "นางสาว", "นางสาว", "นาง", "ด.ญ.", "ดร." };
    male_pick = chance(50);
    name_first = below(12);
    name_last = below(12);
    puts_(o, male_pick ? PICK(mtitle) : PICK(ftitle));
    puts_(o, male_pick ? male[name_first] : female[name_first]);
    putch(o, ' ');
    puts_(o, surname[name_last]);
    n_other++;
}

static void name_en(out_t *o)
{
    static const char *const caps[] = { "Mr. ", "Ms. ", "Mrs. " };
    name(o); /* counted; the English form follows in parentheses */
    puts_(o, " (");
    puts_(o, male_pick ? caps[0] : caps[1 + below(2)]);
    const char *f = male_pick ? male_en[name_first] : female_en[name_first];
    putch(o, (char)(f[0] - 32));
    puts_(o, f + 1);
    putch(o, ' ');
    putch(o, (char)(surname_en[name_last][0] - 32));
    puts_(o, surname_en[name_last] + 1);
    putch(o, ')');
}

static void tnin(out_t *o)
{
    static const char first[] = "1111133358"; /* 1 and 3 most common; never 0 or 9 */
    char d[13];
    int sum = 0;
    d[0] = first[below(10)];
    for (int i = 1; i < 12; i++)
        d[i] = (char)('0' + below(10));
    for (int i = 0; i < 12; i++)
        sum += (d[i] - '0') * (13 - i);
    d[12] = (char)('0' + (11 - sum % 11) % 10);
    if (chance(50)) {
        put(o, d, 13);
    } else {
        char sep = chance(90) ? '-' : ' ';
        put(o, d, 1), putch(o, sep), put(o, d + 1, 4), putch(o, sep), put(o, d + 5, 5);
        putch(o, sep), put(o, d + 10, 2), putch(o, sep), put(o, d + 12, 1);
    }
    n_pii++;
}

static void phone(out_t *o)
{
    unsigned kind = below(10);
    if (kind < 6) { /* mobile 0[689]X-XXX-XXXX */
        char d[10] = { '0', "689"[below(3)] };
        for (int i = 2; i < 10; i++)
            d[i] = (char)('0' + below(10));
        if (kind < 3)
            put(o, d, 3), putch(o, '-'), put(o, d + 3, 3), putch(o, '-'), put(o, d + 6, 4);
        else if (kind < 5)
            put(o, d, 10);
        else
            puts_(o, "+66 "), put(o, d + 1, 2), putch(o, ' '), put(o, d + 3, 3), putch(o, ' '),
                put(o, d + 6, 4);
    } else if (kind < 9) { /* Bangkok 02-XXX-XXXX */
        puts_(o, "02-");
        putnum(o, below(900) + 100, 3);
        putch(o, '-');
        putnum(o, below(10000), 4);
    } else { /* provincial 0XX-XXX-XXX */
        putch(o, '0');
        putnum(o, 32 + below(45), 2);
        putch(o, '-');
        putnum(o, below(900) + 100, 3);
        putch(o, '-');
        putnum(o, below(1000), 3);
    }
    n_pii++;
}

static void email(out_t *o) /* after name(): the same person */
{
    puts_(o, male_pick ? male_en[name_first] : female_en[name_first]);
    unsigned k = below(3);
    if (k == 0)
        putch(o, '.'), puts_(o, surname_en[name_last]);
    else if (k == 1)
        putch(o, '.'), put(o, surname_en[name_last], 1);
    else
        putnum(o, below(100), 2);
    putch(o, '@');
    puts_(o, PICK(domain));
    n_pii++;
}

static void card(out_t *o)
{
    char d[16];
    int sum = 0;
    d[0] = chance(60) ? '4' : '5';
    d[1] = d[0] == '5' ? (char)('1' + below(5)) : (char)('0' + below(10));
    for (int i = 2; i < 15; i++)
        d[i] = (char)('0' + below(10));
    for (int i = 14, dbl = 1; i >= 0; i--, dbl = !dbl) {
        int v = (d[i] - '0') * (dbl ? 2 : 1);
        sum += v > 9 ? v - 9 : v;
    }
    d[15] = (char)('0' + (10 - sum % 10) % 10);
    if (chance(50)) {
        put(o, d, 16);
    } else {
        char sep = chance(50) ? ' ' : '-';
        for (int g = 0; g < 4; g++) {
            if (g)
                putch(o, sep);
            put(o, d + 4 * g, 4);
        }
    }
    n_pii++;
}

static void ipv4(out_t *o)
{
    unsigned k = below(3);
    putnum(o, k == 0 ? 10 : k == 1 ? 192 : 1 + below(223), 0);
    putch(o, '.');
    putnum(o, k == 1 ? 168 : below(256), 0);
    putch(o, '.');
    putnum(o, below(256), 0);
    putch(o, '.');
    putnum(o, 1 + below(254), 0);
    n_pii++;
}

static void address(out_t *o)
{
    const place_t *p = &place[below(NELEM(place))];
    putnum(o, 1 + below(300), 0);
    if (chance(50))
        putch(o, '/'), putnum(o, 1 + below(20), 0);
    if (p->bkk) {
        puts_(o, " ซอย");
        putnum(o, 1 + below(60), 0);
        puts_(o, " แขวง"), puts_(o, p->sub), puts_(o, " เขต"), puts_(o, p->dist);
        putch(o, ' '), puts_(o, p->prov);
    } else {
        puts_(o, " หมู่ ");
        putnum(o, 1 + below(12), 0);
        puts_(o, " ต."), puts_(o, p->sub), puts_(o, " อ."), puts_(o, p->dist);
        puts_(o, " จ."), puts_(o, p->prov);
    }
    putch(o, ' ');
    puts_(o, p->zip);
    n_other++;
}

static void date(out_t *o)
{
    unsigned dd = 1 + below(28), mm = 1 + below(12), y = 2019 + below(7), k = below(4);
    if (k < 2) { /* 15/03/2567 (Buddhist era) */
        putnum(o, dd, 2), putch(o, '/'), putnum(o, mm, 2), putch(o, '/'), putnum(o, y + 543, 4);
    } else if (k == 2) { /* 2024-03-15 */
        putnum(o, y, 4), putch(o, '-'), putnum(o, mm, 2), putch(o, '-'), putnum(o, dd, 2);
    } else { /* 15 มี.ค. 2567 */
        putnum(o, dd, 0), putch(o, ' '), puts_(o, month_th[mm - 1]), putch(o, ' ');
        putnum(o, y + 543, 4);
    }
    n_other++;
}

static void amount(out_t *o, int grouped)
{
    unsigned baht = below(200000), satang = below(100);
    if (grouped && baht >= 1000)
        putnum(o, baht / 1000, 0), putch(o, ','), putnum(o, baht % 1000, 3);
    else
        putnum(o, baht, 0);
    putch(o, '.');
    putnum(o, satang, 2);
}

static void order_no(out_t *o)
{
    puts_(o, "ORD-");
    putnum(o, 2562 + below(7), 4);
    putch(o, '-');
    putnum(o, below(10000000), 7);
}

/* A 13-digit reference with a wrong check digit: looks like an ID to a regular expression, is not
 * one; not counted. */
static void near_miss(out_t *o)
{
    char d[13];
    int sum = 0;
    for (int i = 0; i < 12; i++)
        d[i] = (char)('0' + (i ? below(10) : 1 + below(8)));
    for (int i = 0; i < 12; i++)
        sum += (d[i] - '0') * (13 - i);
    d[12] = (char)('0' + ((11 - sum % 11) % 10 + 1 + below(9)) % 10);
    put(o, d, 13);
}

enum { RAW, CSV, JSON }; /* how free text is escaped */

/* Free text of about len bytes from the seed phrases, escaped for a CSV field or a JSON string. */
static void prose(out_t *o, size_t len, int esc)
{
    uint64_t end = pos(o) + len;
    while (pos(o) < end) {
        const char *s = phrase[below((unsigned)nphrase)];
        for (; *s; s++) {
            if (esc == CSV && *s == '"')
                putch(o, '"');
            if (esc == JSON && (*s == '"' || *s == '\\'))
                putch(o, '\\');
            putch(o, *s);
        }
        putch(o, ' ');
    }
}

/* One sentence with personal data, in a Thai or English template. */
static void pii_sentence(out_t *o)
{
    switch (below(7)) {
    case 0:
        puts_(o, "ผู้ติดต่อ "), name(o), puts_(o, " เลขประจำตัวประชาชน "), tnin(o);
        puts_(o, " โทร "), phone(o);
        break;
    case 1:
        puts_(o, "ส่งเอกสารถึง "), name(o), puts_(o, " ที่อยู่ "), address(o);
        puts_(o, " อีเมล "), email(o);
        break;
    case 2:
        puts_(o, "เมื่อวันที่ "), date(o), putch(o, ' '), name(o);
        puts_(o, " แจ้งเปลี่ยนเบอร์โทรศัพท์เป็น "), phone(o);
        break;
    case 3:
        puts_(o, "Contact "), name_en(o), puts_(o, " at "), email(o), puts_(o, " or "), phone(o);
        putch(o, '.');
        break;
    case 4:
        puts_(o, "บันทึกการเข้าใช้งานจากหมายเลข IP "), ipv4(o), puts_(o, " เมื่อ "), date(o);
        break;
    case 5:
        puts_(o, "ชำระเงินด้วยบัตรเครดิต "), card(o), puts_(o, " ยอด "), amount(o, 1);
        puts_(o, " บาท");
        break;
    default:
        puts_(o, "บัตรประชาชนเลขที่ "), tnin(o), puts_(o, " ของ"), name(o);
        puts_(o, " เลขอ้างอิง "), near_miss(o);
        break;
    }
}

/* --- records ------------------------------------------------------------------------------- */

static void csv_header(out_t *o)
{
    puts_(o, "order_no,ชื่อ-นามสกุล,เลขประจำตัวประชาชน,โทรศัพท์,email,ที่อยู่,วันที่สั่งซื้อ,"
             "amount,ip_address,card_no,ref_no,หมายเหตุ\r\n");
}

static void csv_row(out_t *o)
{
    order_no(o), putch(o, ',');
    name(o), putch(o, ',');
    tnin(o), putch(o, ',');
    phone(o), putch(o, ',');
    if (chance(80))
        email(o);
    putch(o, ',');
    address(o), putch(o, ',');
    date(o), puts_(o, ",\"");
    amount(o, 1), puts_(o, "\",");
    if (chance(30))
        ipv4(o);
    putch(o, ',');
    if (chance(10))
        card(o);
    putch(o, ',');
    if (chance(20))
        near_miss(o);
    puts_(o, ",\"");
    prose(o, 60 + below(400), CSV);
    if (chance(30))
        pii_sentence(o);
    puts_(o, "\"\r\n");
}

static void jsonl_row(out_t *o, uint64_t id)
{
    puts_(o, "{\"id\":"), putnum(o, id, 0);
    puts_(o, ",\"order\":\""), order_no(o);
    puts_(o, "\",\"customer\":{\"name\":\""), name(o);
    puts_(o, "\",\"national_id\":\""), tnin(o);
    puts_(o, "\",\"contact\":{\"phone\":\""), phone(o);
    puts_(o, "\",\"email\":\""), email(o), puts_(o, "\"");
    if (chance(30)) {
        puts_(o, ",\"emergency\":{\"name\":\""), name(o);
        puts_(o, "\",\"phone\":\""), phone(o), puts_(o, "\"}");
    }
    const place_t *p = &place[below(NELEM(place))];
    puts_(o, "},\"address\":{\"line\":\"");
    putnum(o, 1 + below(300), 0), puts_(o, " หมู่ "), putnum(o, 1 + below(12), 0);
    puts_(o, "\",\"subdistrict\":\""), puts_(o, p->sub);
    puts_(o, "\",\"district\":\""), puts_(o, p->dist);
    puts_(o, "\",\"province\":\""), puts_(o, p->prov);
    puts_(o, "\",\"postcode\":\""), puts_(o, p->zip), puts_(o, "\"}}");
    n_other++;
    puts_(o, ",\"items\":[");
    for (unsigned i = 0, n = 1 + below(3); i < n; i++) {
        if (i)
            putch(o, ',');
        puts_(o, "{\"sku\":\"SKU-"), putnum(o, below(100000), 5);
        puts_(o, "\",\"qty\":"), putnum(o, 1 + below(5), 0);
        puts_(o, ",\"price\":"), amount(o, 0), putch(o, '}');
    }
    puts_(o, "],\"created\":\""), date(o);
    puts_(o, "\",\"client_ip\":\""), ipv4(o), putch(o, '"');
    if (chance(15))
        puts_(o, ",\"payment\":{\"method\":\"card\",\"card\":\""), card(o), puts_(o, "\"}");
    puts_(o, ",\"note\":\"");
    prose(o, 100 + below(350), JSON);
    if (chance(30))
        pii_sentence(o);
    puts_(o, "\"}\n");
}

static void prose_paragraph(out_t *o)
{
    for (unsigned i = 0, n = 2 + below(4); i < n; i++) {
        prose(o, 10 + below(100), RAW);
        pii_sentence(o);
        putch(o, ' ');
    }
    puts_(o, "\n\n");
}

/* --- seed phrases -------------------------------------------------------------------------- */

static void load_phrases(int n, char **files)
{
    static char **loaded;
    size_t cap = 0;
    for (int i = 0; i < n; i++) {
        FILE *f = fopen(files[i], "rb");
        if (!f) {
            fprintf(stderr, "gen: %s: %s\n", files[i], strerror(errno));
            exit(1);
        }
        char line[65536];
        while (fgets(line, sizeof line, f)) {
            /* phrases: runs between spaces, at least 24 bytes (8 Thai characters) */
            for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
                if (strlen(tok) < 24)
                    continue;
                if (nphrase == cap) {
                    cap = cap ? 2 * cap : 256;
                    loaded = realloc(loaded, cap * sizeof *loaded);
                    if (!loaded)
                        exit(1);
                }
                if (!(loaded[nphrase++] = strdup(tok)))
                    exit(1);
            }
        }
        fclose(f);
    }
    phrase = (const char *const *)loaded;
    if (nphrase == 0) {
        phrase = builtin_phrases;
        nphrase = NELEM(builtin_phrases);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: gen OUTDIR MB FILES [SEED.txt...]\n");
        return 2;
    }
    const char *dir = argv[1];
    long mb = strtol(argv[2], NULL, 10), files = strtol(argv[3], NULL, 10);
    if (mb < 1 || files < 1 || files > 99) {
        fprintf(stderr, "gen: MB must be >= 1 and FILES 1..99\n");
        return 2;
    }
    load_phrases(argc - 4, argv + 4);
    static out_t o;
    uint64_t total = 0, per = (uint64_t)mb * 1048576 / (uint64_t)files;
    static const char *const ext[] = { "csv", "jsonl", "txt" };
    for (long i = 0; i < files; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/corpus_%02ld.%s", dir, i, ext[i % 3]);
        rng_state = 0x6b686f6d756e00ull + (uint64_t)i; /* "khomun" + file number */
        o.f = fopen(path, "wb");
        if (!o.f) {
            fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
            return 1;
        }
        o.written = 0;
        if (i % 3 == 0)
            csv_header(&o);
        for (uint64_t rec = 1; pos(&o) < per; rec++) {
            if (i % 3 == 0)
                csv_row(&o);
            else if (i % 3 == 1)
                jsonl_row(&o, rec);
            else
                prose_paragraph(&o);
        }
        flush(&o);
        if (fclose(o.f) != 0) {
            perror("gen: close");
            return 1;
        }
        total += o.written;
    }
    printf("GEN files=%ld bytes=%llu pii=%llu other=%llu\n", files, (unsigned long long)total,
           (unsigned long long)n_pii, (unsigned long long)n_other);
    return 0;
}
