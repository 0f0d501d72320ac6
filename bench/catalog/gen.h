/* gen.h — the catalog bench/catalog imports: DATASETS datasets with Thai and English GD-Catalog
 * metadata, made deterministically (a fixed-seed xorshift) from real Thai words, so libthai has
 * real segmentation work and searches find realistic shares of the catalog. A title is built as
 * Thai agencies write them, words run together without spaces:
 *
 *   สถิติผู้ป่วยโรคติดต่อจำแนกตามจังหวัด เชียงใหม่ พ.ศ. 2565
 *   Statistics of communicable diseases by province, Chiang Mai 2022
 *
 * Subjects are drawn with a skew (index = n·u²: the first, งบประมาณ, is in about one title in
 * eight), the rest uniformly. Benchmarks only; not part of libkhomun. */
#ifndef KHM_BENCH_CATALOG_GEN_H
#define KHM_BENCH_CATALOG_GEN_H

#include <khomun/buf.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *th, *en;
} pair;

/* agencies: slug, Thai name, English name */
static const struct {
    const char *slug, *th, *en;
} AGENCIES[] = {
    { "bb", "สำนักงบประมาณ", "Bureau of the Budget" },
    { "cgd", "กรมบัญชีกลาง", "Comptroller General's Department" },
    { "nso", "สำนักงานสถิติแห่งชาติ", "National Statistical Office" },
    { "dopa", "กรมการปกครอง", "Department of Provincial Administration" },
    { "ddc", "กรมควบคุมโรค", "Department of Disease Control" },
    { "dms", "กรมการแพทย์", "Department of Medical Services" },
    { "obec", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "Office of the Basic Education Commission" },
    { "ricethailand", "กรมการข้าว", "Rice Department" },
    { "doa", "กรมวิชาการเกษตร", "Department of Agriculture" },
    { "doe", "กรมการจัดหางาน", "Department of Employment" },
    { "rd", "กรมสรรพากร", "Revenue Department" },
    { "doh", "กรมทางหลวง", "Department of Highways" },
    { "dot", "กรมการท่องเที่ยว", "Department of Tourism" },
    { "mwa", "การประปานครหลวง", "Metropolitan Waterworks Authority" },
    { "forest", "กรมป่าไม้", "Royal Forest Department" },
    { "pcd", "กรมควบคุมมลพิษ", "Pollution Control Department" },
    { "dop", "กรมกิจการผู้สูงอายุ", "Department of Older Persons" },
    { "dol", "กรมที่ดิน", "Department of Lands" },
    { "customs", "กรมศุลกากร", "Customs Department" },
    { "fisheries", "กรมประมง", "Department of Fisheries" },
    { "dld", "กรมปศุสัตว์", "Department of Livestock Development" },
    { "disaster", "กรมป้องกันและบรรเทาสาธารณภัย", "Department of Disaster Prevention and Mitigation" },
    { "police", "สำนักงานตำรวจแห่งชาติ", "Royal Thai Police" },
    { "correct", "กรมราชทัณฑ์", "Department of Corrections" },
    { "ect", "สำนักงานคณะกรรมการการเลือกตั้ง", "Office of the Election Commission" },
    { "finearts", "กรมศิลปากร", "Fine Arts Department" },
    { "dga", "สำนักงานพัฒนารัฐบาลดิจิทัล", "Digital Government Development Agency" },
    { "ncsa", "สำนักงานคณะกรรมการการรักษาความมั่นคงปลอดภัยไซเบอร์แห่งชาติ",
      "National Cyber Security Agency" },
    { "mdes", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "Ministry of Digital Economy and Society" },
    { "moph", "สำนักงานปลัดกระทรวงสาธารณสุข",
      "Office of the Permanent Secretary, Ministry of Public Health" },
};
#define N_AGENCIES (sizeof(AGENCIES) / sizeof(AGENCIES[0]))

static const pair SUBJECTS[] = {
    { "งบประมาณ", "budget" },
    { "ประชากร", "population" },
    { "ผู้ป่วย", "patients" },
    { "โรงพยาบาล", "hospitals" },
    { "นักเรียน", "students" },
    { "รายจ่าย", "expenditure" },
    { "เกษตรกร", "farmers" },
    { "ภาษี", "tax" },
    { "การท่องเที่ยว", "tourism" },
    { "แรงงาน", "labour" },
    { "โรงเรียน", "schools" },
    { "อุบัติเหตุ", "accidents" },
    { "ถนน", "roads" },
    { "ผู้สูงอายุ", "elderly people" },
    { "เบี้ยยังชีพ", "living allowance" },
    { "โรคติดต่อ", "communicable diseases" },
    { "วัคซีน", "vaccines" },
    { "ข้าว", "rice" },
    { "ยางพารา", "rubber" },
    { "น้ำประปา", "water supply" },
    { "ไฟฟ้า", "electricity" },
    { "ป่าไม้", "forests" },
    { "ฝุ่นละออง", "particulate matter" },
    { "คุณภาพอากาศ", "air quality" },
    { "ขยะมูลฝอย", "solid waste" },
    { "ผู้พิการ", "persons with disabilities" },
    { "ที่ดิน", "land" },
    { "อาคาร", "buildings" },
    { "ใบอนุญาต", "licences" },
    { "การร้องเรียน", "complaints" },
    { "สวัสดิการ", "welfare" },
    { "การจ้างงาน", "employment" },
    { "รายได้ครัวเรือน", "household income" },
    { "หนี้สินครัวเรือน", "household debt" },
    { "การส่งออก", "exports" },
    { "การนำเข้า", "imports" },
    { "พลังงาน", "energy" },
    { "น้ำมันเชื้อเพลิง", "fuel" },
    { "ประมง", "fisheries" },
    { "ปศุสัตว์", "livestock" },
    { "อุทกภัย", "floods" },
    { "ภัยแล้ง", "drought" },
    { "ยาเสพติด", "narcotics" },
    { "คดีอาญา", "criminal cases" },
    { "เรือนจำ", "prisons" },
    { "ทะเบียนราษฎร", "civil registration" },
    { "บัตรประจำตัวประชาชน", "identity cards" },
    { "การเลือกตั้ง", "elections" },
    { "ห้องสมุด", "libraries" },
    { "พิพิธภัณฑ์", "museums" },
    { "มหาวิทยาลัย", "universities" },
    { "ทุนการศึกษา", "scholarships" },
    { "อินเทอร์เน็ต", "internet" },
    { "ความมั่นคงปลอดภัยไซเบอร์", "cybersecurity" },
    { "รัฐบาลดิจิทัล", "digital government" },
    { "โบราณสถาน", "ancient monuments" },
};
#define N_SUBJECTS (sizeof(SUBJECTS) / sizeof(SUBJECTS[0]))

static const pair FORMS[] = {
    { "สถิติ", "Statistics of" }, { "ทะเบียน", "Register of" },
    { "รายงาน", "Report on" },  { "ข้อมูล", "Data on" },
    { "บัญชี", "List of" },       { "ผลการสำรวจ", "Survey of" },
    { "แผนงาน", "Plan for" },   { "ดัชนี", "Index of" },
    { "จำนวน", "Number of" },   { "แผนงานบูรณาการ", "Integrated plan for" },
};
#define N_FORMS (sizeof(FORMS) / sizeof(FORMS[0]))

static const pair QUALIFIERS[] = {
    { "ประจำปี", "annual" },
    { "รายเดือน", "monthly" },
    { "รายไตรมาส", "quarterly" },
    { "จำแนกตามจังหวัด", "by province" },
    { "จำแนกตามเพศและอายุ", "by sex and age" },
    { "ระดับอำเภอ", "district level" },
    { "ระดับตำบล", "sub-district level" },
    { "ย้อนหลังห้าปี", "over five years" },
};
#define N_QUALIFIERS (sizeof(QUALIFIERS) / sizeof(QUALIFIERS[0]))

static const pair PROVINCES[] = {
    { "กรุงเทพมหานคร", "Bangkok" },
    { "เชียงใหม่", "Chiang Mai" },
    { "เชียงราย", "Chiang Rai" },
    { "ขอนแก่น", "Khon Kaen" },
    { "นครราชสีมา", "Nakhon Ratchasima" },
    { "อุบลราชธานี", "Ubon Ratchathani" },
    { "อุดรธานี", "Udon Thani" },
    { "ภูเก็ต", "Phuket" },
    { "สงขลา", "Songkhla" },
    { "สุราษฎร์ธานี", "Surat Thani" },
    { "ชลบุรี", "Chon Buri" },
    { "ระยอง", "Rayong" },
    { "พิษณุโลก", "Phitsanulok" },
    { "นครศรีธรรมราช", "Nakhon Si Thammarat" },
    { "ลำปาง", "Lampang" },
    { "น่าน", "Nan" },
    { "ตาก", "Tak" },
    { "กาญจนบุรี", "Kanchanaburi" },
    { "พระนครศรีอยุธยา", "Ayutthaya" },
    { "ปัตตานี", "Pattani" },
};
#define N_PROVINCES (sizeof(PROVINCES) / sizeof(PROVINCES[0]))

static const char *const MAINTAINERS[] = {
    "กองยุทธศาสตร์และแผนงาน", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
    "กองนโยบายและแผน",      "สำนักงานเลขานุการกรม",
    "กองบริหารการคลัง",
};
#define N_MAINTAINERS (sizeof(MAINTAINERS) / sizeof(MAINTAINERS[0]))

static const char *const UPDATE_UNITS[] = { "ปี", "ไตรมาส", "เดือน", "สัปดาห์", "วัน" };
static const char *const GEO[] = { "ประเทศ", "ภาค", "จังหวัด", "อำเภอ", "ตำบล" };

/* xorshift64*: the same catalog on every run */
typedef struct {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ull;
}

static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) / (double)(1ull << 53);
}

static size_t pick(rng *r, size_t n)
{
    return (size_t)(rng_next(r) % n);
}

/* skewed: low indexes often (P(0) = 1/sqrt(n)) */
static size_t pick_skewed(rng *r, size_t n)
{
    double u = rng_unit(r);
    size_t i = (size_t)((double)n * u * u);
    return i < n ? i : n - 1;
}

/* What dataset i is, drawn from @p r (call in order: the draws are the catalog). */
typedef struct {
    size_t agency, form, subject, subject2, qualifier, province, maintainer, unit, geo;
    int year_be; /* พ.ศ. */
    int has_province;
    int category; /* 0 public, 1 internal, 2 personal */
    int statistical; /* data_type ข้อมูลสถิติ, else ข้อมูลระเบียน */
} gen_row;

static void gen_draw(rng *r, gen_row *g)
{
    g->agency = pick(r, N_AGENCIES);
    g->form = pick(r, N_FORMS);
    g->subject = pick_skewed(r, N_SUBJECTS);
    g->subject2 = pick(r, N_SUBJECTS);
    g->qualifier = pick(r, N_QUALIFIERS);
    g->province = pick(r, N_PROVINCES);
    g->has_province = pick(r, 2);
    g->maintainer = pick(r, N_MAINTAINERS);
    g->unit = pick(r, 5);
    g->geo = pick(r, 5);
    g->year_be = 2555 + (int)pick(r, 13);
    size_t c = pick(r, 10);
    g->category = c < 7 ? 0 : c < 9 ? 1 : 2;
    g->statistical = pick(r, 2);
}

/* A JSON string literal of the words (no escaping needed: the vocabulary has no quote or
 * backslash). */
static void gen_dataset_json(khm_buf *b, long i, const gen_row *g)
{
    static const char *const cats[] = { "ข้อมูลสาธารณะ", "ข้อมูลใช้ภายใน", "ข้อมูลส่วนบุคคล" };
    static const char *const levels[] = { "เปิดเผย", "ชั้นเผยแพร่ภายในองค์กร", "ลับ" };
    const pair *f = &FORMS[g->form], *s = &SUBJECTS[g->subject], *s2 = &SUBJECTS[g->subject2];
    const pair *q = &QUALIFIERS[g->qualifier], *p = &PROVINCES[g->province];
    char prov_th[128] = "", prov_en[128] = "";
    if (g->has_province) {
        snprintf(prov_th, sizeof(prov_th), " %s", p->th);
        snprintf(prov_en, sizeof(prov_en), ", %s", p->en);
    }
    khm_buf_printf(b,
                   "{\"name\":\"ds-%07ld\",\"agency\":\"%s\","
                   "\"title_en\":\"%s %s %s%s %d\",\"metadata\":{"
                   "\"data_type\":\"%s\","
                   "\"title\":\"%s%s%s%s พ.ศ. %d\","
                   "\"maintainer\":\"%s\",\"maintainer_email\":\"data@%s.go.th\","
                   "\"tag_string\":[\"%s\",\"%s\"%s%s%s],",
                   i, AGENCIES[g->agency].slug, f->en, s->en, q->en, prov_en, g->year_be - 543,
                   g->statistical ? "ข้อมูลสถิติ" : "ข้อมูลระเบียน", f->th, s->th, q->th, prov_th,
                   g->year_be, MAINTAINERS[g->maintainer], AGENCIES[g->agency].slug, s->th, s->en,
                   g->has_province ? ",\"" : "", g->has_province ? p->th : "",
                   g->has_province ? "\"" : "");
    khm_buf_printf(b,
                   "\"notes\":\"ข้อมูล%s%sของ%s เพื่อใช้ในการวางแผนและติดตามผลการดำเนินงาน "
                   "รวมถึงข้อมูล%sที่เกี่ยวข้อง ปรับปรุงล่าสุดปีงบประมาณ %d\","
                   "\"objective\":[\"พันธกิจหน่วยงาน\"],\"update_frequency_unit\":\"%s\","
                   "\"geo_coverage\":\"%s\",\"data_source\":\"%s\",\"data_format\":[\"CSV\"],"
                   "\"data_category\":\"%s\",\"data_classification\":\"%s\","
                   "\"license_id\":\"Open Data Common\"}}",
                   s->th, q->th, AGENCIES[g->agency].th, s2->th, g->year_be, UPDATE_UNITS[g->unit],
                   GEO[g->geo], AGENCIES[g->agency].th, cats[g->category], levels[g->category]);
}

#endif
