/* The files of the demo catalog (`init --demo`, `serve --demo`): synthetic Thai data made in
 * memory from fixed seeds, so every installation stores the same bytes (nothing is downloaded)
 * and each file stays small (a few KB to about 200 KB) to keep the seed fast. The people in
 * them are made up: their national IDs carry valid check digits (thai-rules.md §4.1) but name
 * no one; their phones, e-mails and bank accounts are shaped like real ones. What each file is
 * for in the demo:
 *
 *   - personal data the scanner finds (IDs, names, phones, e-mails, addresses, bank accounts)
 *     in registers declared personal: the data map fills and the classification is confirmed;
 *   - a staff directory that also lists blood groups (health data, PDPA s.26) and a volunteer
 *     list published as public data: both flagged ("scan_disagrees") with a suggestion;
 *   - public tables (budget, procurement, statistics, locations) in which nothing is found;
 *   - a legacy CSV in TIS-620 (the scanner and the quality profile decode it);
 *   - files with the defects real ones have (empty cells, an ID with a bad check digit,
 *     31/02/2567, a repeated row, a missing reading), so the quality scores differ.
 *
 * The chronic-patient register's file holds the planted subject of the demo (1101000000009,
 * first row): the one file that does (data-subject discovery finds exactly it). */
#include "demo_int.h"

#include <khomun/err.h>
#include <khomun/scan.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- building blocks ------------------------------------------------------------------- */

/* A small deterministic generator (PCG-style LCG step, high bits out). */
typedef struct {
    uint64_t s;
} rng;

static unsigned pick(rng *r, unsigned n)
{
    r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((r->s >> 33) % n);
}

/* Provinces (TIS 1099 code, name, region, centre in micro-degrees). */
/* clang-format off */
static const struct {
    unsigned code;
    const char *name, *region;
    int lat, lon;
} prov[] = {
    { 10, "กรุงเทพมหานคร", "ภาคกลาง", 13750000, 100500000 },
    { 11, "สมุทรปราการ", "ภาคกลาง", 13600000, 100600000 },
    { 12, "นนทบุรี", "ภาคกลาง", 13860000, 100510000 },
    { 13, "ปทุมธานี", "ภาคกลาง", 14020000, 100530000 },
    { 14, "พระนครศรีอยุธยา", "ภาคกลาง", 14350000, 100570000 },
    { 15, "อ่างทอง", "ภาคกลาง", 14590000, 100450000 },
    { 16, "ลพบุรี", "ภาคกลาง", 14800000, 100650000 },
    { 17, "สิงห์บุรี", "ภาคกลาง", 14890000, 100400000 },
    { 18, "ชัยนาท", "ภาคกลาง", 15190000, 100130000 },
    { 19, "สระบุรี", "ภาคกลาง", 14530000, 100910000 },
    { 20, "ชลบุรี", "ภาคตะวันออก", 13360000, 100980000 },
    { 21, "ระยอง", "ภาคตะวันออก", 12680000, 101280000 },
    { 22, "จันทบุรี", "ภาคตะวันออก", 12610000, 102100000 },
    { 23, "ตราด", "ภาคตะวันออก", 12240000, 102520000 },
    { 24, "ฉะเชิงเทรา", "ภาคตะวันออก", 13690000, 101070000 },
    { 25, "ปราจีนบุรี", "ภาคตะวันออก", 14050000, 101370000 },
    { 26, "นครนายก", "ภาคกลาง", 14210000, 101210000 },
    { 27, "สระแก้ว", "ภาคตะวันออก", 13820000, 102060000 },
    { 30, "นครราชสีมา", "ภาคตะวันออกเฉียงเหนือ", 14970000, 102100000 },
    { 31, "บุรีรัมย์", "ภาคตะวันออกเฉียงเหนือ", 14990000, 103100000 },
    { 32, "สุรินทร์", "ภาคตะวันออกเฉียงเหนือ", 14880000, 103490000 },
    { 33, "ศรีสะเกษ", "ภาคตะวันออกเฉียงเหนือ", 15120000, 104320000 },
    { 34, "อุบลราชธานี", "ภาคตะวันออกเฉียงเหนือ", 15240000, 104850000 },
    { 35, "ยโสธร", "ภาคตะวันออกเฉียงเหนือ", 15790000, 104150000 },
    { 36, "ชัยภูมิ", "ภาคตะวันออกเฉียงเหนือ", 15810000, 102030000 },
    { 37, "อำนาจเจริญ", "ภาคตะวันออกเฉียงเหนือ", 15860000, 104630000 },
    { 38, "บึงกาฬ", "ภาคตะวันออกเฉียงเหนือ", 18360000, 103650000 },
    { 39, "หนองบัวลำภู", "ภาคตะวันออกเฉียงเหนือ", 17200000, 102440000 },
    { 40, "ขอนแก่น", "ภาคตะวันออกเฉียงเหนือ", 16430000, 102840000 },
    { 41, "อุดรธานี", "ภาคตะวันออกเฉียงเหนือ", 17410000, 102790000 },
    { 42, "เลย", "ภาคตะวันออกเฉียงเหนือ", 17490000, 101720000 },
    { 43, "หนองคาย", "ภาคตะวันออกเฉียงเหนือ", 17880000, 102740000 },
    { 44, "มหาสารคาม", "ภาคตะวันออกเฉียงเหนือ", 16180000, 103300000 },
    { 45, "ร้อยเอ็ด", "ภาคตะวันออกเฉียงเหนือ", 16050000, 103650000 },
    { 46, "กาฬสินธุ์", "ภาคตะวันออกเฉียงเหนือ", 16430000, 103510000 },
    { 47, "สกลนคร", "ภาคตะวันออกเฉียงเหนือ", 17160000, 104150000 },
    { 48, "นครพนม", "ภาคตะวันออกเฉียงเหนือ", 17410000, 104780000 },
    { 49, "มุกดาหาร", "ภาคตะวันออกเฉียงเหนือ", 16540000, 104720000 },
    { 50, "เชียงใหม่", "ภาคเหนือ", 18790000, 98980000 },
    { 51, "ลำพูน", "ภาคเหนือ", 18580000, 99010000 },
    { 52, "ลำปาง", "ภาคเหนือ", 18290000, 99490000 },
    { 53, "อุตรดิตถ์", "ภาคเหนือ", 17620000, 100100000 },
    { 54, "แพร่", "ภาคเหนือ", 18140000, 100140000 },
    { 55, "น่าน", "ภาคเหนือ", 18780000, 100780000 },
    { 56, "พะเยา", "ภาคเหนือ", 19170000, 99900000 },
    { 57, "เชียงราย", "ภาคเหนือ", 19910000, 99830000 },
    { 58, "แม่ฮ่องสอน", "ภาคเหนือ", 19300000, 97970000 },
    { 60, "นครสวรรค์", "ภาคเหนือ", 15700000, 100140000 },
    { 61, "อุทัยธานี", "ภาคเหนือ", 15380000, 100020000 },
    { 62, "กำแพงเพชร", "ภาคเหนือ", 16480000, 99520000 },
    { 63, "ตาก", "ภาคตะวันตก", 16880000, 99130000 },
    { 64, "สุโขทัย", "ภาคเหนือ", 17010000, 99820000 },
    { 65, "พิษณุโลก", "ภาคเหนือ", 16820000, 100260000 },
    { 66, "พิจิตร", "ภาคเหนือ", 16440000, 100350000 },
    { 67, "เพชรบูรณ์", "ภาคเหนือ", 16420000, 101160000 },
    { 70, "ราชบุรี", "ภาคตะวันตก", 13540000, 99820000 },
    { 71, "กาญจนบุรี", "ภาคตะวันตก", 14020000, 99530000 },
    { 72, "สุพรรณบุรี", "ภาคกลาง", 14470000, 100120000 },
    { 73, "นครปฐม", "ภาคกลาง", 13820000, 100060000 },
    { 74, "สมุทรสาคร", "ภาคกลาง", 13550000, 100270000 },
    { 75, "สมุทรสงคราม", "ภาคกลาง", 13410000, 100000000 },
    { 76, "เพชรบุรี", "ภาคตะวันตก", 13110000, 99940000 },
    { 77, "ประจวบคีรีขันธ์", "ภาคตะวันตก", 11810000, 99800000 },
    { 80, "นครศรีธรรมราช", "ภาคใต้", 8430000, 99960000 },
    { 81, "กระบี่", "ภาคใต้", 8090000, 98910000 },
    { 82, "พังงา", "ภาคใต้", 8450000, 98530000 },
    { 83, "ภูเก็ต", "ภาคใต้", 7890000, 98400000 },
    { 84, "สุราษฎร์ธานี", "ภาคใต้", 9140000, 99330000 },
    { 85, "ระนอง", "ภาคใต้", 9960000, 98640000 },
    { 86, "ชุมพร", "ภาคใต้", 10490000, 99180000 },
    { 90, "สงขลา", "ภาคใต้", 7190000, 100600000 },
    { 91, "สตูล", "ภาคใต้", 6620000, 100070000 },
    { 92, "ตรัง", "ภาคใต้", 7560000, 99610000 },
    { 93, "พัทลุง", "ภาคใต้", 7620000, 100080000 },
    { 94, "ปัตตานี", "ภาคใต้", 6870000, 101250000 },
    { 95, "ยะลา", "ภาคใต้", 6540000, 101280000 },
    { 96, "นราธิวาส", "ภาคใต้", 6430000, 101820000 },
};

/* Given names (the first 12 men's, the rest women's) and family names, with the romanisation an
 * e-mail address takes; no two family names share their first three letters. */
static const struct { const char *th, *rom; } given[] = {
    { "สมชาย", "somchai" }, { "วิชัย", "wichai" }, { "ประเสริฐ", "prasert" }, { "อนันต์", "anan" },
    { "กิตติ", "kitti" }, { "ธนากร", "thanakorn" }, { "สุรชัย", "surachai" }, { "พงศกร", "pongsakorn" },
    { "ณัฐวุฒิ", "nattawut" }, { "ชยพล", "chayapol" }, { "ศักดิ์ชัย", "sakchai" }, { "วีระ", "weera" },
    { "สมหญิง", "somying" }, { "นภา", "napa" }, { "มาลี", "malee" }, { "สุนีย์", "sunee" },
    { "พรทิพย์", "pornthip" }, { "จิราพร", "jiraporn" }, { "วันเพ็ญ", "wanpen" }, { "กนกวรรณ", "kanokwan" },
    { "ศิริพร", "siriporn" }, { "ปวีณา", "paweena" }, { "อรุณี", "arunee" }, { "ณัฐธิดา", "nattida" },
};
static const struct { const char *th, *rom; } family[] = {
    { "ใจดี", "jaidee" }, { "รักไทย", "rakthai" }, { "มั่นคง", "mankong" }, { "แสงทอง", "saengthong" },
    { "สุขใจ", "sukjai" }, { "ศรีสุข", "srisuk" }, { "วงศ์ใหญ่", "wongyai" }, { "ทองดี", "thongdee" },
    { "บุญมา", "boonma" }, { "แก้วมณี", "kaewmanee" }, { "พัฒนพันธ์ชัย", "pattanaphanchai" },
    { "จันทร์เพ็ญ", "chanpen" }, { "สมบูรณ์", "somboon" }, { "ศักดิ์สิทธิ์", "saksit" },
    { "คำดี", "khamdee" }, { "เพชรรัตน์", "petcharat" }, { "อินทร์แก้ว", "inkaew" },
    { "ประเสริฐสุข", "prasertsuk" }, { "มีสุข", "meesuk" }, { "นาคสวัสดิ์", "naksawat" },
};
/* clang-format on */

#define NGIVEN  COUNT(given)
#define NFAMILY COUNT(family)

/* The @p k-th of NGIVEN × NFAMILY distinct people (k < 480): given name, family name, title. */
static void person(unsigned k, unsigned *g, unsigned *f, const char **title)
{
    unsigned i = (k * 37u) % (unsigned)(NGIVEN * NFAMILY);
    *g = i % (unsigned)NGIVEN;
    *f = i / (unsigned)NGIVEN;
    *title = *g < 12 ? "นาย" : (k % 3 ? "นางสาว" : "นาง");
}

/* The planted subject of the demo and the valid ID discovery must find nowhere: a generated ID
 * never takes either. */
#define PLANTED_ID "1101000000009"
#define ABSENT_ID  "1101000000017"

/* A synthetic 13-digit national ID with its check digit: person type @p type (1, 3, 5, 8),
 * a registration office of a real province (district 01–19, never the 20 the demo consents
 * use), seven digits from @p r. */
static void tnin(rng *r, unsigned type, char out[14])
{
    do {
        unsigned sum = 0;
        snprintf(out, 14, "%u%02u%02u%07u0", type, prov[pick(r, COUNT(prov))].code, 1 + pick(r, 19),
                 pick(r, 10000000));
        for (int i = 0; i < 12; i++)
            sum += (unsigned)(out[i] - '0') * (unsigned)(13 - i);
        out[12] = (char)('0' + (11 - sum % 11) % 10);
    } while (strcmp(out, PLANTED_ID) == 0 || strcmp(out, ABSENT_ID) == 0);
}

/* A mobile number as people write it: 08x-xxx-xxxx (06, 08 or 09). */
static void mobile(rng *r, char out[16])
{
    static const char lead[] = "6889";
    snprintf(out, 16, "0%c%u-%03u-%04u", lead[pick(r, 4)], 1 + pick(r, 9), pick(r, 1000),
             pick(r, 10000));
}

/* Micro-degrees as decimal degrees with five places (no floating point: the same text
 * everywhere). */
static int put_deg(khm_buf *b, int micro)
{
    const char *sign = micro < 0 ? "-" : "";
    unsigned m = (unsigned)(micro < 0 ? -micro : micro);
    return khm_buf_printf(b, "%s%u.%05u", sign, m / 1000000, (m % 1000000) / 10);
}

/* Tenths as "12.3". */
static int put_tenths(khm_buf *b, unsigned t)
{
    return khm_buf_printf(b, "%u.%u", t / 10, t % 10);
}

/* A buffer's sticky error: each generator appends freely and checks once at the end. */
#define P(...)                                   \
    do {                                         \
        if (rc == 0)                             \
            rc = khm_buf_printf(b, __VA_ARGS__); \
    } while (0)

/* ---- moph: the chronic-patient register (the planted subject's file) ------------------- */

static const char *const old_first[] = { "สมชาย", "สมหญิง", "วิชัย", "นภา",  "ประเสริฐ",
                                         "มาลี",   "กิตติ",   "สุนีย์", "อนันต์", "พรทิพย์" };
static const char *const old_last[] = { "ใจดี", "รักไทย", "มั่นคง", "แสงทอง", "สุขใจ", "ศรีสุข" };
static const char *const illness[] = { "เบาหวาน", "ความดันโลหิตสูง", "หอบหืด",
                                       "โรคหัวใจ", "ไขมันในเลือดสูง", "โรคไตเรื้อรัง" };

/* The register's IDs: k = 0 is the planted subject 1101000000009. */
static void patient_id(unsigned k, char out[14])
{
    unsigned sum = 0;
    snprintf(out, 14, "1%02u%04u%05u", 10 + k % 80, 1000 + (k * 37) % 9000, (k * 7919) % 100000);
    for (int i = 0; i < 12; i++)
        sum += (unsigned)(out[i] - '0') * (unsigned)(13 - i);
    out[12] = (char)('0' + (11 - sum % 11) % 10);
    out[13] = '\0';
}

static int patients_csv(khm_buf *b)
{
    int rc = khm_buf_puts(b, "เลขประจำตัวประชาชน,ชื่อ-สกุล,โทรศัพท์,โรคประจำตัว,จังหวัด\n");
    for (unsigned k = 0; k < 40; k++) {
        char id[14];
        patient_id(k, id);
        P("%s,%s %s,08%u-%03u-%04u,%s,%s\n", id, old_first[k % 10], old_last[k % 6], 1 + k % 9,
          (k * 17) % 1000, (k * 331) % 10000, illness[k % 6], k % 2 ? "เชียงใหม่" : "ขอนแก่น");
    }
    return rc;
}

/* ---- mdes ------------------------------------------------------------------------------ */

static int budget_csv(khm_buf *b)
{
    return khm_buf_puts(b, "ปีงบประมาณ,แผนงาน,โครงการ,งบประมาณ (บาท)\n"
                           "2567,รัฐบาลดิจิทัล,ศูนย์กลางข้อมูลภาครัฐ,125000000\n"
                           "2567,รัฐบาลดิจิทัล,ระบบคลาวด์กลางภาครัฐ,480000000\n"
                           "2567,เศรษฐกิจดิจิทัล,อินเทอร์เน็ตชายขอบ,210500000\n"
                           "2567,ความมั่นคงปลอดภัยไซเบอร์,ศูนย์ประสานการรักษาความมั่นคงปลอดภัยระบบ"
                           "คอมพิวเตอร์,96000000\n");
}

/* The staff directory: names, positions, work and mobile phones, e-mails — and the blood
 * group HR keeps for emergencies, which is health data (PDPA s.26). */
static int staff_csv(khm_buf *b)
{
    static const char *const pos[] = {
        "ผู้อำนวยการกอง",
        "นักวิชาการคอมพิวเตอร์ชำนาญการ",
        "นักวิชาการคอมพิวเตอร์ปฏิบัติการ",
        "นักวิเคราะห์นโยบายและแผนชำนาญการ",
        "นักทรัพยากรบุคคลปฏิบัติการ",
        "นิติกรชำนาญการ",
        "นักจัดการงานทั่วไปปฏิบัติการ",
        "เจ้าพนักงานธุรการชำนาญงาน",
        "นักวิชาการเงินและบัญชีชำนาญการ",
        "นักประชาสัมพันธ์ปฏิบัติการ",
    };
    static const char *const div[] = {
        "กองยุทธศาสตร์และแผนงาน",
        "กองบริหารทรัพยากรบุคคล",
        "กองกฎหมาย",
        "กองการต่างประเทศ",
        "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
        "สำนักงานรัฐมนตรี",
        "กองบริหารการคลัง",
        "กองกลาง",
    };
    static const char *const blood[] = { "O", "O", "O", "O", "B", "B", "B", "A", "A", "AB" };
    rng r = { 2567001 };
    int rc = khm_buf_puts(b, "ลำดับ,ชื่อ-สกุล,ตำแหน่ง,กอง/สำนัก,โทรศัพท์ที่ทำงาน,โทรศัพท์มือถือ,อีเมล,"
                             "กรุ๊ปเลือด\n");
    for (unsigned k = 0; k < 120; k++) {
        unsigned g, f;
        const char *title;
        char mob[16];
        person(k + 1, &g, &f, &title);
        mobile(&r, mob);
        P("%u,%s%s %s,%s,%s,0 2141 %04u,%s,%s.%.3s@mdes.example.go.th,%s\n", k + 1, title,
          given[g].th, family[f].th, k % 12 == 0 ? pos[0] : pos[1 + pick(&r, COUNT(pos) - 1)],
          div[k % COUNT(div)], 6000 + (k * 37) % 1000, mob, given[g].rom, family[f].rom,
          blood[pick(&r, COUNT(blood))]);
    }
    return rc;
}

static int assets_csv(khm_buf *b)
{
    static const struct {
        const char *fsc, *type, *model[3];
        unsigned price; /* baht, about */
    } kind[] = {
        { "7440-001",
          "เครื่องคอมพิวเตอร์ตั้งโต๊ะ",
          { "Dell OptiPlex 7010", "Lenovo ThinkCentre M70s", "HP ProDesk 400 G9" },
          24000 },
        { "7440-002",
          "เครื่องคอมพิวเตอร์โน้ตบุ๊ก",
          { "Lenovo ThinkPad E14", "Dell Latitude 5440", "Asus ExpertBook B1" },
          27000 },
        { "7025-001",
          "เครื่องพิมพ์เลเซอร์",
          { "HP LaserJet Pro M404dn", "Brother HL-L5100DN", "Canon LBP325x" },
          9500 },
        { "5895-001",
          "อุปกรณ์กระจายสัญญาณ (L2 Switch)",
          { "Cisco Catalyst 9200", "Aruba 2930F", "Huawei S5735" },
          58000 },
        { "5895-002",
          "อุปกรณ์กระจายสัญญาณไร้สาย (Access Point)",
          { "Aruba AP-515", "Cisco CW9120", "Ruckus R550" },
          21000 },
        { "7440-003",
          "เครื่องคอมพิวเตอร์แม่ข่าย",
          { "Huawei FusionServer 2288H", "Dell PowerEdge R750", "HPE ProLiant DL380" },
          385000 },
        { "6130-001",
          "เครื่องสำรองไฟฟ้า (UPS)",
          { "APC Smart-UPS 1500", "Eaton 5PX 2200", "Cyberpower OLS3000" },
          15500 },
    };
    rng r = { 2567002 };
    int rc = khm_buf_puts(b, "รหัสครุภัณฑ์,ประเภท,ยี่ห้อและรุ่น,ปีที่ได้มา (พ.ศ.),ราคาต่อหน่วย (บาท),"
                             "ที่ตั้ง,สถานะ\n");
    unsigned seq[COUNT(kind)] = { 0 };
    for (unsigned k = 0; k < 240; k++) {
        unsigned t = k % 9 < 4 ? k % 2 : 2 + pick(&r, COUNT(kind) - 2);
        unsigned year = 2559 + pick(&r, 9), age = 2567 - year;
        const char *state = age >= 7 && pick(&r, 2) ? "รอจำหน่าย"
                            : pick(&r, 20) == 0     ? "ชำรุดรอซ่อม"
                                                    : "ใช้งาน";
        P("%s-%04u/%02u,%s,%s,%u,%u,อาคาร %c ชั้น %u ห้อง %u%02u,%s\n", kind[t].fsc, ++seq[t],
          year % 100, kind[t].type, kind[t].model[pick(&r, 3)], year,
          kind[t].price / 100 * (90 + pick(&r, 21)), "AB"[pick(&r, 2)], 2 + pick(&r, 8),
          2 + pick(&r, 8), 1 + pick(&r, 30), state);
    }
    return rc;
}

/* Real sub-district / district / province / postcode combinations (the scanner checks addresses
 * against its gazetteer). */
static const char *const where[] = {
    "ตำบลบางพูด อำเภอปากเกร็ด จังหวัดนนทบุรี 11120",
    "ตำบลตลาดขวัญ อำเภอเมืองนนทบุรี จังหวัดนนทบุรี 11000",
    "ตำบลสุเทพ อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50200",
    "ตำบลในเมือง อำเภอเมืองขอนแก่น จังหวัดขอนแก่น 40000",
    "ตำบลหาดใหญ่ อำเภอหาดใหญ่ จังหวัดสงขลา 90110",
    "ตำบลในเมือง อำเภอเมืองนครราชสีมา จังหวัดนครราชสีมา 30000",
    "ตำบลบ้านสวน อำเภอเมืองชลบุรี จังหวัดชลบุรี 20000",
    "ตำบลตลาดใหญ่ อำเภอเมืองภูเก็ต จังหวัดภูเก็ต 83000",
    "ตำบลหมากแข้ง อำเภอเมืองอุดรธานี จังหวัดอุดรธานี 41000",
    "ตำบลในเมือง อำเภอเมืองพิษณุโลก จังหวัดพิษณุโลก 65000",
    "แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร 10900",
    "แขวงทุ่งสองห้อง เขตหลักสี่ กรุงเทพมหานคร 10210",
    "แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 10400",
};

/* Citizen complaints, one JSON record a line, the complainant nested. Record 17 is the subject
 * of the demo's access request (1103702071811): discovery in mdes finds it there. */
static int complaints_jsonl(khm_buf *b)
{
    static const struct {
        const char *topic, *text;
    } what[] = {
        { "ไฟฟ้าและประปา", "ไฟฟ้าส่องสว่างในซอยดับหลายจุด ขอให้ซ่อมแซม" },
        { "ไฟฟ้าและประปา", "น้ำประปาไม่ไหลติดต่อกันสามวัน" },
        { "ถนนและทางเท้า", "ถนนในหมู่บ้านเป็นหลุมบ่อ รถจักรยานยนต์ล้มบ่อย" },
        { "ถนนและทางเท้า", "ทางเท้าชำรุดและมีสิ่งกีดขวาง" },
        { "อินเทอร์เน็ตและโทรคมนาคม", "สัญญาณโทรศัพท์เคลื่อนที่ในหมู่บ้านใช้งานไม่ได้" },
        { "อินเทอร์เน็ตและโทรคมนาคม", "จุดให้บริการอินเทอร์เน็ตเน็ตประชารัฐในหมู่บ้านใช้งานไม่ได้" },
        { "การให้บริการของเจ้าหน้าที่", "รอรับบริการนานและไม่ได้รับคำชี้แจง" },
        { "ภัยออนไลน์", "ได้รับข้อความสั้นแนบลิงก์ปลอมอ้างเป็นหน่วยงานรัฐ" },
        { "ภัยออนไลน์", "ซื้อสินค้าออนไลน์แล้วไม่ได้รับสินค้า ติดต่อผู้ขายไม่ได้" },
        { "สิ่งแวดล้อม", "มีการเผาขยะในที่โล่งทำให้เกิดควันรบกวน" },
    };
    static const char *const via[] = { "สายด่วน 1111", "เว็บไซต์", "ศูนย์ดำรงธรรม", "ไลน์ @1111" };
    static const char *const state[] = { "รับเรื่อง", "อยู่ระหว่างดำเนินการ", "ส่งหน่วยงานที่เกี่ยวข้อง",
                                         "ยุติเรื่อง", "ยุติเรื่อง" };
    static const char *const road[] = { "ถนนพหลโยธิน", "ถนนวิภาวดีรังสิต", "ถนนแจ้งวัฒนะ" };
    rng r = { 2567003 };
    int rc = 0;
    for (unsigned k = 0; k < 150; k++) {
        unsigned g, f, w = pick(&r, COUNT(where)), t = pick(&r, COUNT(what));
        const char *title;
        char id[14], mob[16], addr[256];
        person(k + 200, &g, &f, &title);
        tnin(&r, pick(&r, 4) ? 1 : 3, id);
        if (k == 17)
            memcpy(id, "1103702071811", 14);
        mobile(&r, mob);
        if (w >= 10)
            snprintf(addr, sizeof(addr), "%u %s %s", 1 + pick(&r, 400), road[w - 10], where[w]);
        else
            snprintf(addr, sizeof(addr), "%u/%u หมู่ %u %s", 1 + pick(&r, 200), 1 + pick(&r, 40),
                     1 + pick(&r, 12), where[w]);
        P("{\"เลขที่เรื่อง\":\"มดส.2567/%05u\",\"วันที่รับเรื่อง\":\"2024-%02u-%02u\",\"ช่องทาง\":\"%s\","
          "\"ผู้ร้องเรียน\":{\"ชื่อ\":\"%s%s %s\",\"เลขประจำตัวประชาชน\":\"%s\",\"โทรศัพท์\":\"%s\",",
          k + 101, 1 + k / 25, 1 + (k * 7) % 28, via[pick(&r, COUNT(via))], title, given[g].th,
          family[f].th, id, mob);
        if (pick(&r, 5) < 3)
            P("\"อีเมล\":\"%s.%s%u@example.com\",", given[g].rom, family[f].rom, k % 90 + 10);
        P("\"ที่อยู่\":\"%s\"},\"หมวดเรื่อง\":\"%s\",\"รายละเอียด\":\"%s\",\"สถานะ\":\"%s\"}\n", addr,
          what[t].topic, what[t].text, k < 125 ? state[3 + pick(&r, 2)] : state[pick(&r, 3)]);
    }
    return rc;
}

/* Thai juristic-person numbers start with 0 and carry the same check digit (thai-rules.md
 * §4.1); they are not personal data. */
static void juristic(unsigned k, char out[14])
{
    unsigned sum = 0;
    /* 0-10-5-YYY-NNNNN-C: Bangkok, a limited company, its registration year (B.E. 25YY) */
    snprintf(out, 14, "0105%03u%05u0", 540 + (k * 7) % 27, 1000 + (k * 7919) % 90000);
    for (int i = 0; i < 12; i++)
        sum += (unsigned)(out[i] - '0') * (unsigned)(13 - i);
    out[12] = (char)('0' + (11 - sum % 11) % 10);
}

static int procurement_csv(khm_buf *b)
{
    static const char *const firm[] = {
        "บริษัท ดาต้าไทย โซลูชั่น จำกัด",
        "บริษัท สยามคลาวด์ เซอร์วิส จำกัด",
        "บริษัท ไทยเน็ตเวิร์ค อินทิเกรชั่น จำกัด (มหาชน)",
        "ห้างหุ้นส่วนจำกัด เจริญพาณิชย์ออฟฟิศ",
        "บริษัท ดิจิทัล เอ็ดดูเคชั่น จำกัด",
        "บริษัท ไซเบอร์การ์ด ซีเคียวริตี้ จำกัด",
        "บริษัท ภูมิสารสนเทศไทย จำกัด",
        "บริษัท ออฟฟิศเมท ซัพพลาย จำกัด",
        "บริษัท มีเดีย ครีเอทีฟ จำกัด",
        "ห้างหุ้นส่วนจำกัด ช่างเหมาไฟฟ้าเมืองทอง",
        "บริษัท เอไอ อนาไลติกส์ จำกัด",
        "บริษัท คลีนแอนด์เซฟ เซอร์วิส จำกัด",
    };
    static const struct {
        const char *name;
        unsigned method; /* index in how[] */
        unsigned lo, hi; /* budget, thousand baht */
        unsigned firm[2];
    } job[] = {
        { "จ้างพัฒนาระบบบัญชีข้อมูลภาครัฐ", 0, 5000, 15000, { 0, 10 } },
        { "เช่าใช้บริการคลาวด์สำหรับระบบงานภาครัฐ", 0, 8000, 30000, { 1, 2 } },
        { "จ้างที่ปรึกษาจัดทำแผนปฏิบัติการด้านดิจิทัล", 2, 1500, 4500, { 10, 0 } },
        { "ซื้อเครื่องคอมพิวเตอร์โน้ตบุ๊ก", 1, 600, 2400, { 3, 7 } },
        { "ซื้อวัสดุสำนักงาน", 3, 20, 95, { 7, 3 } },
        { "จ้างบำรุงรักษาระบบเครือข่าย", 0, 900, 3500, { 2, 1 } },
        { "จ้างทดสอบเจาะระบบ (Penetration Test)", 2, 450, 1800, { 5, 2 } },
        { "จ้างจัดอบรมทักษะดิจิทัลสำหรับผู้สูงอายุ", 0, 1200, 6000, { 4, 8 } },
        { "จ้างทำความสะอาดอาคารสำนักงาน", 1, 1800, 3600, { 11, 11 } },
        { "จ้างผลิตสื่อประชาสัมพันธ์เตือนภัยออนไลน์", 2, 300, 2500, { 8, 4 } },
        { "ซื้ออุปกรณ์กระจายสัญญาณไร้สาย", 1, 400, 1500, { 2, 3 } },
        { "จ้างปรับปรุงระบบไฟฟ้าห้องเครื่องแม่ข่าย", 3, 250, 480, { 9, 9 } },
        { "จ้างจัดทำแผนที่ภูมิสารสนเทศจุดให้บริการอินเทอร์เน็ต", 2, 800, 2200, { 6, 0 } },
    };
    static const char *const how[] = { "วิธีประกาศเชิญชวนทั่วไป (e-bidding)",
                                       "วิธีตลาดอิเล็กทรอนิกส์ (e-market)", "วิธีคัดเลือก", "วิธีเฉพาะเจาะจง" };
    rng r = { 2566004 };
    int rc = khm_buf_puts(b, "เลขที่โครงการ (e-GP),ชื่อโครงการ,วิธีจัดซื้อจัดจ้าง,"
                             "เลขประจำตัวผู้เสียภาษีของผู้ชนะ,ผู้ชนะการเสนอราคา,วงเงินงบประมาณ (บาท),"
                             "ราคาที่ตกลงซื้อหรือจ้าง (บาท),วันที่ลงนามในสัญญา\n");
    for (unsigned k = 0; k < 150; k++) {
        unsigned j = pick(&r, COUNT(job)), fi = job[j].firm[pick(&r, 2)];
        unsigned budget = (job[j].lo + pick(&r, job[j].hi - job[j].lo + 1)) * 1000;
        unsigned price = budget / 1000 * (880 + pick(&r, 121));
        unsigned month = 1 + (k * 12) / 150; /* fiscal month: October first */
        unsigned m = (month + 8) % 12 + 1;
        char tax[14];
        juristic(fi, tax);
        P("66%09u,%s,%s,%s,%s,%u,%u,%02u/%02u/%u\n", 19000000 + k * 7919, job[j].name,
          how[job[j].method], tax, firm[fi], budget, price, 1 + pick(&r, 28), m,
          m >= 10 ? 2565 : 2566);
    }
    return rc;
}

static const char *const village[] = {
    "หนองบัว", "โนนสูง", "ดอนแดง", "ห้วยทราย", "นาคำ",  "โคกกลาง", "หนองแวง", "ป่าสัก",
    "ท่าช้าง",  "สันติสุข", "ทุ่งใหญ่",  "ควนเนียง", "ปากน้ำ", "หนองหิน",  "นาดี",     "ดงเย็น",
};
static const char *const vsuffix[] = { "", "", "เหนือ", "ใต้", "พัฒนา", "ใหม่" };

static int villages_csv(khm_buf *b)
{
    rng r = { 2566005 };
    int rc = khm_buf_puts(b, "รหัสหมู่บ้าน,ชื่อหมู่บ้าน,จังหวัด,ละติจูด,ลองจิจูด,จำนวนจุดให้บริการ,"
                             "ความเร็วดาวน์โหลด (Mbps),ปีที่ติดตั้ง (พ.ศ.)\n");
    for (unsigned k = 0; k < 250; k++) {
        unsigned p = 1 + pick(&r, COUNT(prov) - 1); /* not Bangkok: no villages there */
        P("%02u%02u%02u%02u,บ้าน%s%s,%s,", prov[p].code, 1 + pick(&r, 15), 1 + pick(&r, 12),
          1 + pick(&r, 14), village[pick(&r, COUNT(village))], vsuffix[pick(&r, COUNT(vsuffix))],
          prov[p].name);
        if (rc == 0)
            rc = put_deg(b, prov[p].lat + (int)pick(&r, 600001) - 300000);
        P(",");
        if (rc == 0)
            rc = put_deg(b, prov[p].lon + (int)pick(&r, 600001) - 300000);
        P(",%u,%u,%u\n", 1 + pick(&r, 3), pick(&r, 4) ? 30 : 100, 2560 + pick(&r, 4));
    }
    return rc;
}

/* ---- dga ------------------------------------------------------------------------------- */

static int welfare_csv(khm_buf *b)
{
    static const struct {
        const char *name;
        int twelve; /* GSB and BAAC accounts have 12 digits */
    } bank[] = {
        { "ธนาคารกรุงไทย", 0 },  { "ธนาคารออมสิน", 1 },  { "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", 1 },
        { "ธนาคารกสิกรไทย", 0 }, { "ธนาคารกรุงเทพ", 0 },
    };
    rng r = { 2566006 };
    int rc = khm_buf_puts(b, "เลขที่คำขอ,เลขประจำตัวประชาชน,ชื่อ-สกุล,วันเกิด,โทรศัพท์มือถือ,ธนาคาร,"
                             "เลขที่บัญชีธนาคาร,รายได้ต่อปี (บาท),จังหวัด,ผลการพิจารณา\n");
    for (unsigned k = 0; k < 400; k++) {
        unsigned g, f, bk = pick(&r, COUNT(bank)), income = pick(&r, 1300) * 100;
        const char *title, *result;
        char id[14], mob[16], acct[20];
        person(k + 60, &g, &f, &title);
        tnin(&r, pick(&r, 3) ? 3 : 1, id);
        mobile(&r, mob);
        if (bank[bk].twelve)
            snprintf(acct, sizeof(acct), "0201%04u%04u", pick(&r, 10000), pick(&r, 10000));
        else
            snprintf(acct, sizeof(acct), "%03u-%u-%05u-%u", pick(&r, 1000), pick(&r, 10),
                     pick(&r, 100000), pick(&r, 10));
        result = income > 100000 ? "ไม่ผ่านเกณฑ์ (รายได้เกินหนึ่งแสนบาทต่อปี)"
                 : pick(&r, 8) == 0 ? "ไม่ผ่านเกณฑ์ (ทรัพย์สินเกินเกณฑ์)"
                                    : "ผ่านเกณฑ์";
        P("TR66-%07u,%s,%s%s %s,%02u/%02u/%u,%s,%s,%s,%u,%s,%s\n", k + 1, id, title, given[g].th,
          family[f].th, 1 + pick(&r, 28), 1 + pick(&r, 12), 2490 + pick(&r, 56), mob, bank[bk].name,
          acct, income, prov[pick(&r, COUNT(prov))].name, result);
    }
    return rc;
}

/* GDX services; their owners are other agencies. */
/* clang-format off */
static const struct { const char *code, *name, *owner; } gdx[] = {
    { "GDX-001", "ตรวจสอบข้อมูลทะเบียนราษฎร", "กรมการปกครอง" },
    { "GDX-002", "ตรวจสอบสถานะบุคคลล้มละลาย", "กรมบังคับคดี" },
    { "GDX-003", "ข้อมูลนิติบุคคล", "กรมพัฒนาธุรกิจการค้า" },
    { "GDX-004", "ตรวจสอบใบอนุญาตขับรถ", "กรมการขนส่งทางบก" },
    { "GDX-005", "ข้อมูลผู้ประกันตน", "สำนักงานประกันสังคม" },
    { "GDX-006", "ข้อมูลเกษตรกร", "กรมส่งเสริมการเกษตร" },
    { "GDX-007", "ข้อมูลเบี้ยยังชีพผู้สูงอายุ", "กรมส่งเสริมการปกครองท้องถิ่น" },
    { "GDX-008", "ข้อมูลนักเรียนรายบุคคล", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน" },
    { "GDX-009", "ข้อมูลที่ดิน (โฉนด)", "กรมที่ดิน" },
    { "GDX-010", "ข้อมูลการยื่นภาษีเงินได้", "กรมสรรพากร" },
    { "GDX-011", "ข้อมูลทะเบียนรถ", "กรมการขนส่งทางบก" },
    { "GDX-012", "ข้อมูลบัตรสวัสดิการแห่งรัฐ", "กรมบัญชีกลาง" },
};
/* clang-format on */

static int gdx_usage_csv(khm_buf *b)
{
    rng r = { 2567007 };
    int rc = khm_buf_puts(b, "เดือน,รหัสบริการ,ชื่อบริการ,หน่วยงานเจ้าของข้อมูล,จำนวนครั้งที่เรียกใช้,"
                             "เวลาตอบสนองเฉลี่ย (มิลลิวินาที),ร้อยละความพร้อมใช้งาน\n");
    for (unsigned m = 0; m < 12; m++)
        for (unsigned s = 0; s < COUNT(gdx); s++) {
            unsigned base = 20000 + (s * 7919) % 400000;
            P("%u-%02u,%s,%s,%s,%u,%u,", m < 3 ? 2566 : 2567, (m + 9) % 12 + 1, gdx[s].code,
              gdx[s].name, gdx[s].owner, base + base / 12 * m + pick(&r, 5000), 80 + pick(&r, 400));
            if (rc == 0) {
                unsigned up = 9950 + pick(&r, 50); /* hundredths of a percent */
                rc = khm_buf_printf(b, "%u.%02u\n", up / 100, up % 100);
            }
        }
    return rc;
}

/* UTF-8 to TIS-620: the Thai block U+0E01–U+0E5B is 0xA1–0xFB (code point − 0x0D60); ASCII
 * stays. The generators write only those two. */
static int to_tis620(khm_buf *out, const char *s, size_t n)
{
    int rc = khm_buf_reserve(out, n);
    for (size_t i = 0; rc == 0 && i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            rc = khm_buf_putc(out, (char)c);
            i++;
        } else if (c == 0xE0 && i + 2 < n && ((unsigned char)s[i + 1] & 0xFE) == 0xB8) {
            unsigned cp =
                0x0E00u | (((unsigned char)s[i + 1] & 1u) << 6) | ((unsigned char)s[i + 2] & 0x3Fu);
            rc = khm_buf_putc(out, (char)(cp - 0x0D60u));
            i += 3;
        } else {
            return khm_err_set(KHM_EINVALID, "demo text outside TIS-620 at byte %zu", i);
        }
    }
    return rc;
}

/* The agencies connected to GDX as the old registry exported them: TIS-620, CRLF. */
static int gdx_agencies_tis620(khm_buf *b)
{
    /* clang-format off */
    static const struct { const char *name, *ministry; } ag[] = {
        { "กรมการปกครอง", "กระทรวงมหาดไทย" }, { "กรมที่ดิน", "กระทรวงมหาดไทย" },
        { "กรมส่งเสริมการปกครองท้องถิ่น", "กระทรวงมหาดไทย" }, { "กรมสรรพากร", "กระทรวงการคลัง" },
        { "กรมบัญชีกลาง", "กระทรวงการคลัง" }, { "กรมศุลกากร", "กระทรวงการคลัง" },
        { "กรมสรรพสามิต", "กระทรวงการคลัง" }, { "กรมพัฒนาธุรกิจการค้า", "กระทรวงพาณิชย์" },
        { "กรมการค้าภายใน", "กระทรวงพาณิชย์" }, { "กรมการขนส่งทางบก", "กระทรวงคมนาคม" },
        { "กรมทางหลวง", "กระทรวงคมนาคม" }, { "สำนักงานประกันสังคม", "กระทรวงแรงงาน" },
        { "กรมการจัดหางาน", "กระทรวงแรงงาน" }, { "กรมส่งเสริมการเกษตร", "กระทรวงเกษตรและสหกรณ์" },
        { "กรมชลประทาน", "กระทรวงเกษตรและสหกรณ์" }, { "กรมบังคับคดี", "กระทรวงยุติธรรม" },
        { "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "กระทรวงศึกษาธิการ" },
        { "สำนักงานปลัดกระทรวงสาธารณสุข", "กระทรวงสาธารณสุข" },
        { "กรมควบคุมโรค", "กระทรวงสาธารณสุข" },
        { "สำนักงานสถิติแห่งชาติ", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม" },
        { "กรมอุตุนิยมวิทยา", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม" },
        { "กรมควบคุมมลพิษ", "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม" },
        { "กรมการท่องเที่ยว", "กระทรวงการท่องเที่ยวและกีฬา" },
        { "กรมพัฒนาสังคมและสวัสดิการ", "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์" },
    };
    /* clang-format on */
    khm_buf u = KHM_BUF_INIT(KHM_DEMO_FILE_MAX);
    rng r = { 2566008 };
    int rc = khm_buf_puts(&u, "รหัสหน่วยงาน,ชื่อหน่วยงาน,กระทรวง,วันที่เริ่มเชื่อมโยง,"
                              "จำนวนบริการที่เชื่อมโยง,สถานะ\r\n");
    for (unsigned k = 0; rc == 0 && k < COUNT(ag); k++)
        rc = khm_buf_printf(&u, "%05u,%s,%s,%02u/%02u/%u,%u,%s\r\n", 10100 + k * 37, ag[k].name,
                            ag[k].ministry, 1 + pick(&r, 28), 1 + pick(&r, 12),
                            2561 + k * 5 / (unsigned)COUNT(ag), 1 + pick(&r, 9),
                            k % 9 == 4 ? "ระงับชั่วคราว" : "ใช้งาน");
    if (rc == 0)
        rc = to_tis620(b, u.ptr, u.len);
    khm_buf_dispose(&u);
    return rc;
}

/* Accounts migrated from an old e-service, with the defects a migration brings: e-mails and
 * phones missing ("-") or malformed, IDs with a wrong check digit (rows 17, 33, 61), dates that
 * do not exist (31/02/2567 row 23, 29/02/2566 row 47, 31/04/2566 row 66), rows exported twice
 * (row 40 = row 12, row 75 = row 50) and IDs given to two people (rows 30 and 55, 5 and 70);
 * rows count from 1 after the header. */
static int accounts_csv(khm_buf *b)
{
    rng r = { 2567009 };
    char ids[80][14], kept[2][512] = { "", "" };
    int rc = khm_buf_puts(b, "รหัสผู้ใช้,เลขประจำตัวประชาชน,ชื่อ-สกุล,อีเมล,โทรศัพท์มือถือ,วันที่สมัคร,"
                             "วันที่เข้าใช้ล่าสุด\n");
    for (unsigned k = 0; k < 80; k++) {
        unsigned g, f, row = k + 1;
        const char *title;
        char mob[16], mail[80] = "", date[16], seen[16] = "", line[512];
        person(k + 320, &g, &f, &title);
        tnin(&r, pick(&r, 2) ? 1 : 3, ids[k]);
        if (row == 17 || row == 33 || row == 61) /* a wrong check digit */
            ids[k][12] = (char)('0' + (ids[k][12] - '0' + 3) % 10);
        if (row == 55 || row == 70) /* someone else's ID */
            memcpy(ids[k], ids[row == 55 ? 29 : 4], 14);
        mobile(&r, mob);
        unsigned m = pick(&r, 20);
        if (m < 4)
            snprintf(mob, sizeof(mob), "-");
        else if (m < 6)
            snprintf(mob, sizeof(mob), "08%u-%03u", pick(&r, 10), pick(&r, 1000)); /* cut short */
        m = pick(&r, 20);
        if (m >= 10)
            snprintf(mail, sizeof(mail), "%s.%.3s%u@example.com", given[g].rom, family[f].rom, k);
        else if (m >= 8)
            snprintf(mail, sizeof(mail), "%s(at)example.com", given[g].rom);
        snprintf(date, sizeof(date), "%02u/%02u/%u", 1 + pick(&r, 28), 1 + pick(&r, 12),
                 2560 + pick(&r, 7));
        if (row == 23 || row == 47 || row == 66)
            snprintf(date, sizeof(date), "%s",
                     row == 23   ? "31/02/2567"
                     : row == 47 ? "29/02/2566"
                                 : "31/04/2566");
        if (pick(&r, 5) > 1) /* the old system lost the last login of many */
            snprintf(seen, sizeof(seen), "%02u/%02u/2567", 1 + pick(&r, 28), 1 + pick(&r, 6));
        if (snprintf(line, sizeof(line), "U%06u,%s,%s%s %s,%s,%s,%s,%s\n", 10000 + k * 13, ids[k],
                     title, given[g].th, family[f].th, mail, mob, date, seen) >= (int)sizeof(line))
            return khm_err_set(KHM_ELIMIT, "demo row too long");
        if (row == 12 || row == 50)
            memcpy(kept[row == 50], line, sizeof(line));
        P("%s", row == 40 ? kept[0] : row == 75 ? kept[1] : line);
    }
    return rc;
}

/* ---- nso ------------------------------------------------------------------------------- */

/* line 5: no female count; line 6: "ไม่ระบุ" where the total should be; line 7 repeats line 3 */
static int population_csv(khm_buf *b)
{
    return khm_buf_puts(b, "รหัสจังหวัด,จังหวัด,ชาย,หญิง,รวม\n"
                           "10,กรุงเทพมหานคร,2556247,2915070,5471317\n"
                           "50,เชียงใหม่,872431,925263,1797694\n"
                           "40,ขอนแก่น,890123,913837,1803960\n"
                           "90,สงขลา,709385,,1454225\n"
                           "30,นครราชสีมา,1301452,1343798,ไม่ระบุ\n"
                           "50,เชียงใหม่,872431,925263,1797694\n");
}

/* Household microdata: a household code instead of names and addresses. */
static int households_csv(khm_buf *b)
{
    static const char *const region[] = { "กรุงเทพมหานคร", "ภาคกลาง", "ภาคเหนือ",
                                          "ภาคตะวันออกเฉียงเหนือ", "ภาคใต้" };
    rng r = { 2566010 };
    int rc = khm_buf_puts(b, "รหัสครัวเรือน,ภาค,เขตการปกครอง,จำนวนสมาชิก,อายุหัวหน้าครัวเรือน,"
                             "รายได้เฉลี่ยต่อเดือน (บาท),ค่าใช้จ่ายเฉลี่ยต่อเดือน (บาท),"
                             "หนี้สินครัวเรือน (บาท),ค่าถ่วงน้ำหนัก\n");
    for (unsigned k = 0; k < 400; k++) {
        unsigned reg = pick(&r, COUNT(region)), income = 9000 + pick(&r, 60) * 500;
        unsigned weight = 8000 + pick(&r, 30000); /* hundredths */
        P("HH66-%06u,%s,%s,%u,%u,%u,%u,%u,%u.%02u\n", 100000 + k * 7, region[reg],
          reg == 0 || pick(&r, 3) == 0 ? "ในเขตเทศบาล" : "นอกเขตเทศบาล", 1 + pick(&r, 6),
          25 + pick(&r, 55), income, income / 100 * (60 + pick(&r, 45)),
          pick(&r, 3) ? pick(&r, 80) * 5000 : 0, weight / 100, weight % 100);
    }
    return rc;
}

static int labour_csv(khm_buf *b)
{
    static const struct {
        const char *name;
        unsigned men, women; /* labour force, hundreds */
    } reg[] = {
        { "ทั่วราชอาณาจักร", 214500, 186200 },
        { "กรุงเทพมหานคร", 27600, 27100 },
        { "ภาคกลาง", 49800, 42300 },
        { "ภาคเหนือ", 35100, 30400 },
        { "ภาคตะวันออกเฉียงเหนือ", 71900, 62500 },
        { "ภาคใต้", 30100, 23900 },
    };
    static const char *const month[] = { "มกราคม 2567", "กุมภาพันธ์ 2567", "มีนาคม 2567" };
    rng r = { 2567011 };
    int rc = khm_buf_puts(b, "เดือน,ภาค,เพศ,กำลังแรงงานรวม (พันคน),ผู้มีงานทำ (พันคน),"
                             "ผู้ว่างงาน (พันคน),อัตราการว่างงาน (ร้อยละ)\n");
    for (unsigned m = 0; m < COUNT(month); m++)
        for (unsigned i = 0; i < COUNT(reg); i++)
            for (unsigned s = 0; s < 2; s++) {
                unsigned force = (s ? reg[i].women : reg[i].men) + pick(&r, 400); /* hundreds */
                unsigned rate = 6 + pick(&r, 8);                                  /* tenths % */
                unsigned jobless = force * rate / 1000;
                P("%s,%s,%s,", month[m], reg[i].name, s ? "หญิง" : "ชาย");
                if (rc == 0)
                    rc = put_tenths(b, force);
                P(",");
                if (rc == 0)
                    rc = put_tenths(b, force - jobless);
                P(",");
                if (rc == 0)
                    rc = put_tenths(b, jobless);
                P(",");
                if (rc == 0)
                    rc = put_tenths(b, rate);
                P("\n");
            }
    return rc;
}

static int tourism_csv(khm_buf *b)
{
    rng r = { 2566012 };
    int rc = khm_buf_puts(b, "รหัสจังหวัด,จังหวัด,ภาค,ผู้เยี่ยมเยือนชาวไทย (คน),"
                             "ผู้เยี่ยมเยือนชาวต่างประเทศ (คน),รายได้จากผู้เยี่ยมเยือนชาวไทย (ล้านบาท),"
                             "รายได้จากผู้เยี่ยมเยือนชาวต่างประเทศ (ล้านบาท)\n");
    for (size_t p = 0; p < COUNT(prov); p++) {
        int big = prov[p].code == 10 || prov[p].code == 83 || prov[p].code == 20 ||
                  prov[p].code == 50 || prov[p].code == 81 || prov[p].code == 90;
        unsigned thai = (big ? 9000000 : 800000) + pick(&r, big ? 20000000 : 4000000);
        unsigned foreign = big ? 2000000 + pick(&r, 20000000) : 5000 + pick(&r, 400000);
        P("%u,%s,%s,%u,%u,%u,%u\n", prov[p].code, prov[p].name, prov[p].region, thai, foreign,
          thai / 1000 * (2 + pick(&r, 3)) / 1000, foreign / 1000 * (5 + pick(&r, 5)) / 100);
    }
    return rc;
}

/* Daily PM2.5 in March 2024 (the northern haze season); a station offline leaves a day empty. */
static int air_quality_csv(khm_buf *b)
{
    rng r = { 2567013 };
    int rc = khm_buf_puts(b, "วันที่,รหัสจังหวัด,จังหวัด,PM2.5 เฉลี่ย 24 ชั่วโมง (มคก./ลบ.ม.),"
                             "ดัชนีคุณภาพอากาศ (AQI)\n");
    for (unsigned d = 1; d <= 31; d++)
        for (size_t p = 0; p < COUNT(prov); p++) {
            int north = prov[p].lat > 17000000;
            unsigned pm = (north ? 450 : 180) + pick(&r, north ? 900 : 300); /* tenths */
            P("2024-03-%02u,%u,%s,", d, prov[p].code, prov[p].name);
            if (pick(&r, north ? 12 : 40) == 0) {
                P(",\n");
                continue;
            }
            if (rc == 0)
                rc = put_tenths(b, pm);
            /* the Thai AQI of PM2.5 (Pollution Control Department), piecewise linear */
            unsigned aqi = pm <= 250   ? pm * 25 / 250
                           : pm <= 370 ? 26 + (pm - 260) * 24 / 110
                           : pm <= 500 ? 51 + (pm - 380) * 49 / 120
                           : pm <= 900 ? 101 + (pm - 510) * 99 / 390
                                       : 201 + (pm - 910) / 5;
            P(",%u\n", aqi);
        }
    return rc;
}

static int schools_csv(khm_buf *b)
{
    static const char *const level[] = { "อนุบาล-ประถมศึกษาปีที่ 6", "อนุบาล-มัธยมศึกษาปีที่ 3",
                                         "มัธยมศึกษาปีที่ 1-6" };
    rng r = { 2566014 };
    int rc = khm_buf_puts(b, "รหัสโรงเรียน,ชื่อโรงเรียน,สังกัด,จังหวัด,ละติจูด,ลองจิจูด,ระดับที่เปิดสอน,"
                             "จำนวนนักเรียน,จำนวนครู\n");
    for (unsigned k = 0; k < 300; k++) {
        unsigned p = pick(&r, COUNT(prov)), lv = pick(&r, 10) < 6 ? 0 : pick(&r, 2) + 1;
        unsigned pupils = lv == 2 ? 600 + pick(&r, 2400) : 40 + pick(&r, 600);
        P("10%02u%06u,โรงเรียน%s%s%s,%s%s เขต %u,%s,", prov[p].code, 10000 + k * 31,
          lv == 2       ? ""
          : pick(&r, 3) ? "บ้าน"
                        : "วัด",
          village[pick(&r, COUNT(village))], lv == 2 ? "วิทยา" : "", lv == 2 ? "สพม." : "สพป.",
          prov[p].name, 1 + pick(&r, 3), prov[p].name);
        if (rc == 0)
            rc = put_deg(b, prov[p].lat + (int)pick(&r, 500001) - 250000);
        P(",");
        if (rc == 0)
            rc = put_deg(b, prov[p].lon + (int)pick(&r, 500001) - 250000);
        P(",%s,%u,%u\n", level[lv], pupils, 2 + pupils / (18 + pick(&r, 10)));
    }
    return rc;
}

/* ---- moph ------------------------------------------------------------------------------ */

static int hospitals_csv(khm_buf *b)
{
    static const struct {
        const char *kind;
        unsigned beds_lo, beds_hi;
    } kind[] = {
        { "โรงพยาบาลศูนย์", 500, 1200 },
        { "โรงพยาบาลทั่วไป", 200, 500 },
        { "โรงพยาบาลชุมชน", 30, 150 },
    };
    rng r = { 2566015 };
    int rc = khm_buf_puts(b, "รหัสหน่วยบริการ,ชื่อหน่วยบริการ,ประเภท,จังหวัด,ละติจูด,ลองจิจูด,"
                             "จำนวนเตียง\n");
    for (size_t p = 0; p < COUNT(prov); p++) {
        unsigned n = p % 3 == 0 ? 2 : 1;
        for (unsigned i = 0; i < n; i++) {
            unsigned t = i == 0 ? (prov[p].code % 7 == 0 ? 0 : 1) : 2;
            P("1%04u,โรงพยาบาล%s%s,%s,%s,", (unsigned)(p * 97 + i * 13) % 10000,
              i == 0 ? "" : village[pick(&r, COUNT(village))], i == 0 ? prov[p].name : "",
              kind[t].kind, prov[p].name);
            if (rc == 0)
                rc = put_deg(b, prov[p].lat + (i ? (int)pick(&r, 400001) - 200000 : 0));
            P(",");
            if (rc == 0)
                rc = put_deg(b, prov[p].lon + (i ? (int)pick(&r, 400001) - 200000 : 0));
            P(",%u\n", kind[t].beds_lo + pick(&r, kind[t].beds_hi - kind[t].beds_lo));
        }
    }
    return rc;
}

/* Village health volunteers of Khon Kaen with their mobile numbers: personal data, though the
 * dataset was registered as public. */
static int volunteers_csv(khm_buf *b)
{
    static const struct {
        const char *district, *sub[2];
    } area[] = {
        { "เมืองขอนแก่น", { "ศิลา", "บ้านเป็ด" } }, { "หนองเรือ", { "หนองเรือ", "บ้านเม็ง" } },
        { "ชุมแพ", { "ชุมแพ", "โนนหัน" } },       { "บ้านไผ่", { "ในเมือง", "หัวหนอง" } },
        { "น้ำพอง", { "น้ำพอง", "วังชัย" } },
    };
    rng r = { 2566016 };
    int rc = khm_buf_puts(b, "ลำดับ,ชื่อ-สกุล,หมู่ที่,หมู่บ้าน,ตำบล,อำเภอ,โทรศัพท์มือถือ,"
                             "ปีที่เริ่มปฏิบัติงาน (พ.ศ.)\n");
    for (unsigned k = 0; k < 200; k++) {
        unsigned g, f, a = pick(&r, COUNT(area));
        const char *title;
        char mob[16];
        person(k + 120, &g, &f, &title);
        mobile(&r, mob);
        P("%u,%s%s %s,%u,บ้าน%s,%s,%s,%s,%u\n", k + 1, title, given[g].th, family[f].th,
          1 + pick(&r, 14), village[pick(&r, COUNT(village))], area[a].sub[pick(&r, 2)],
          area[a].district, mob, 2540 + pick(&r, 27));
    }
    return rc;
}

static int dengue_csv(khm_buf *b)
{
    rng r = { 2566017 };
    int rc = khm_buf_puts(b, "เดือน,รหัสจังหวัด,จังหวัด,จำนวนผู้ป่วย (ราย),อัตราป่วยต่อแสนประชากร,"
                             "จำนวนผู้เสียชีวิต (ราย)\n");
    for (unsigned m = 1; m <= 12; m++)
        for (size_t p = 0; p < COUNT(prov); p++) {
            /* the rainy season peaks in June to August */
            unsigned season = m >= 6 && m <= 8 ? 10 : m >= 5 && m <= 10 ? 5 : 1;
            unsigned cases = season * (5 + pick(&r, prov[p].code == 10 ? 400 : 80));
            unsigned rate = cases * 1000 / (300 + pick(&r, 900)); /* tenths per 100,000 */
            P("2566-%02u,%u,%s,%u,", m, prov[p].code, prov[p].name, cases);
            if (rc == 0)
                rc = put_tenths(b, rate);
            P(",%u\n", cases > 300 && pick(&r, 3) == 0 ? 1 + pick(&r, 3) : 0);
        }
    return rc;
}

/* ---- the table ------------------------------------------------------------------------- */

static const khm_demo_file files[] = {
    { "chronic-patient-register", "ทะเบียนผู้ป่วย-สาธิต.csv", "ผู้ป่วยโรคเรื้อรังที่ขึ้นทะเบียน (ข้อมูลสังเคราะห์)",
      patients_csv },
    { "staff-directory", "ทำเนียบบุคลากร-2567.csv",
      "ทำเนียบบุคลากร พร้อมกรุ๊ปเลือดสำหรับกรณีฉุกเฉิน (ข้อมูลสังเคราะห์)", staff_csv },
    { "digital-budget-2567", "งบประมาณ-2567.csv", "วงเงินงบประมาณรายโครงการ (บาท)", budget_csv },
    { "population-by-province-2566", "ประชากร-รายจังหวัด-2566.csv",
      "ประชากรรายจังหวัด จำแนกตามเพศ (ตัวอย่างบางจังหวัด)", population_csv },
    { "it-asset-register", "ครุภัณฑ์คอมพิวเตอร์-2567.csv", "ครุภัณฑ์รายชิ้น ณ ไตรมาส 2/2567", assets_csv },
    { "citizen-complaints", "เรื่องร้องเรียน-2567.jsonl",
      "เรื่องร้องเรียนหนึ่งเรื่องต่อบรรทัด (JSON Lines; ข้อมูลสังเคราะห์)", complaints_jsonl },
    { "procurement-contracts-2566", "สัญญาจัดซื้อจัดจ้าง-2566.csv", "สัญญาที่ลงนามในปีงบประมาณ พ.ศ. 2566",
      procurement_csv },
    { "net-pracharat-villages", "หมู่บ้านเน็ตประชารัฐ.csv", "พิกัดจุดให้บริการรายหมู่บ้าน (WGS 84)",
      villages_csv },
    { "welfare-applicants", "คำขอสวัสดิการ-2566.csv", "คำขอที่ยื่นผ่านแอปพลิเคชันทางรัฐ (ข้อมูลสังเคราะห์)",
      welfare_csv },
    { "gdx-api-usage-2567", "สถิติการเรียกใช้-GDX-2567.csv", "จำนวนครั้งรายบริการรายเดือน", gdx_usage_csv },
    { "gdx-connected-agencies", "หน่วยงานเชื่อมโยง-GDX-tis620.csv",
      "ไฟล์ส่งออกจากระบบเดิม เข้ารหัสอักขระ TIS-620", gdx_agencies_tis620 },
    { "eservice-accounts-migration", "บัญชีผู้ใช้-ระบบเดิม.csv",
      "บัญชีผู้ใช้ที่ย้ายจากระบบเดิม ก่อนตรวจสอบความถูกต้อง (ข้อมูลสังเคราะห์)", accounts_csv },
    { "household-socioeconomic-survey", "ครัวเรือน-SES-2566-ตัวอย่าง.csv",
      "ข้อมูลรายครัวเรือน (ตัวอย่างย่อย ใช้รหัสครัวเรือนแทนชื่อและที่อยู่)", households_csv },
    { "labour-force-2567-q1", "ภาวะการทำงาน-ไตรมาส1-2567.csv", "รายเดือน จำแนกตามภาคและเพศ",
      labour_csv },
    { "tourism-by-province-2566", "การท่องเที่ยว-รายจังหวัด-2566.csv", "ผู้เยี่ยมเยือนและรายได้ รายจังหวัด",
      tourism_csv },
    { "air-quality-pm25-2567", "PM2.5-รายวัน-มีนาคม-2567.csv",
      "ค่าเฉลี่ย 24 ชั่วโมงรายจังหวัด (วันที่สถานีขัดข้องเว้นว่าง)", air_quality_csv },
    { "school-locations", "สถานศึกษาขั้นพื้นฐาน.csv", "ที่ตั้ง (WGS 84) จำนวนนักเรียนและครู", schools_csv },
    { "hospital-locations", "โรงพยาบาล-สังกัดสำนักงานปลัดกระทรวง.csv",
      "ที่ตั้ง (WGS 84) ประเภท และจำนวนเตียง", hospitals_csv },
    { "village-health-volunteers", "อสม-ขอนแก่น.csv", "รายชื่อและโทรศัพท์ อสม. (ข้อมูลสังเคราะห์)",
      volunteers_csv },
    { "dengue-cases-2566", "ไข้เลือดออก-รายจังหวัด-2566.csv", "จำนวนผู้ป่วยรายเดือน รายจังหวัด", dengue_csv },
};

const khm_demo_file *khm_setup__demo_files(size_t *n)
{
    *n = COUNT(files);
    return files;
}
