/* The detector table (style.md §2.7): one row per entity type, one det_<name>.c each, one page
 * docs/detectors/<NAME>.md each (tests/unit/scan/detectors.c checks all three). Adding a
 * detector: write det_<name>.c with its matcher, add its row and its page. Order matters only
 * for ties: two detectors matching the same span with the same score, the earlier row wins. */
#include "scan_int.h"

#include <string.h>

static const char *const ctx_tnin[] = {
    "เลขบัตรประชาชน",
    "เลขประจำตัวประชาชน",
    "บัตรประชาชน",
    "ประจำตัวประชาชน",
    "เลขประจำตัว",
    "บัตรประจำตัว",
    "citizen",
    "national id",
    "id card",
    "id no",
    "id_card",
    "national_id",
    "tnin",
    "pid",
    NULL,
};
static const char *const ctx_juristic[] = {
    "เลขทะเบียนนิติบุคคล",
    "ทะเบียนนิติบุคคล",
    "นิติบุคคล",
    "เลขประจำตัวผู้เสียภาษี",
    "ผู้เสียภาษี",
    "บริษัท",
    "ห้างหุ้นส่วน",
    "juristic",
    "company",
    "registration",
    "tax id",
    "tax_id",
    NULL,
};
static const char *const ctx_phone[] = {
    "โทร", "มือถือ", "เบอร์", "ติดต่อ", "phone", "tel", "mobile", "fax", "โทรสาร", NULL,
};
static const char *const ctx_email[] = {
    "อีเมล", "อีเมล์", "email", "e-mail", "mail", NULL,
};
static const char *const ctx_card[] = {
    "บัตรเครดิต", "บัตรเดบิต", "card", "credit", "visa", "mastercard", NULL,
};
static const char *const ctx_ip[] = {
    "ip", "ไอพี", "ip_address", "client_ip", "host", NULL,
};
static const char *const ctx_iban[] = {
    "iban", "บัญชี", "เลขที่บัญชี", "account", NULL,
};
static const char *const ctx_url[] = {
    "url", "link", "website", "web", "ลิงก์", "ลิ้งค์", "เว็บไซต์", "เว็บ", NULL,
};
static const char *const ctx_date[] = {
    "วันที่", "เกิด", "เมื่อ", "date", "dob", "birth", "birthday", "born", NULL,
};
static const char *const ctx_passport[] = {
    "หนังสือเดินทาง", "พาสปอร์ต", "passport", "passport no", "passport_no", NULL,
};
static const char *const ctx_bank[] = {
    "บัญชี",        "เลขที่บัญชี",      "เลขบัญชี", "บัญชีธนาคาร", "ธนาคาร", "account",
    "account no", "bank account", "acct",   "bank",      NULL,
};
static const char *const ctx_plate[] = {
    "ทะเบียนรถ", "ป้ายทะเบียน", "เลขทะเบียน", "ทะเบียน", "license plate", "licence plate", "plate", NULL,
};
static const char *const ctx_person[] = {
    "ชื่อ", "นามสกุล", "ผู้ติดต่อ", "name", "surname", "contact", NULL,
};
static const char *const ctx_location[] = {
    "ที่อยู่", "ที่ตั้ง", "ภูมิลำเนา", "บ้านเลขที่", "จัดส่ง", "address", "shipping", "residence", NULL,
};

static const char *const ctx_ethnicity[] = {
    "เชื้อชาติ", "ชาติพันธุ์", "เชื้อสาย", "ethnicity", "ethnic", "race", NULL,
};
static const char *const ctx_political[] = {
    "พรรค", "การเมือง", "political", "party", NULL,
};
static const char *const ctx_religion[] = {
    "ศาสนา", "นับถือ", "religion", "religious", "faith", NULL,
};
static const char *const ctx_sexual[] = {
    "รสนิยมทางเพศ", "พฤติกรรมทางเพศ", "เพศวิถี", "sexual", "sexuality", "orientation", NULL,
};
static const char *const ctx_criminal[] = {
    "ประวัติอาชญากรรม", "อาชญากรรม", "คดี",      "ความผิด",  "ศาล", "criminal",
    "conviction",     "court",     "offence", "offense", NULL,
};
static const char *const ctx_health[] = {
    "โรค",     "วินิจฉัย",   "ผู้ป่วย",       "แพทย์",  "ยา",  "เลือด", "diagnosis",
    "patient", "medical", "medication", "blood", "icd", NULL,
};
static const char *const ctx_disability[] = {
    "พิการ", "ความพิการ", "บัตรคนพิการ", "disability", "disabled", "impairment", NULL,
};
static const char *const ctx_union[] = {
    "สหภาพ", "แรงงาน", "สมาชิก", "union", "member", NULL,
};
static const char *const ctx_genetic[] = {
    "พันธุกรรม", "ยีน", "ดีเอ็นเอ", "dna", "genetic", "genotype", "gene", NULL,
};
static const char *const ctx_biometric[] = {
    "ลายนิ้วมือ", "ม่านตา", "ใบหน้า", "ชีวมิติ", "biometric", "fingerprint", "iris", "face", NULL,
};

/* clang-format off */
const khm_detector khm_detectors[] = {
    { "TH_TNIN", KHM_PDPA_PERSONAL, khm_det_th_tnin, KHM_TRIG_DIGIT, 0.15, ctx_tnin,
      "Thai national ID number: 13 digits, plain or 1-2345-67890-12-1, mod-11 check digit",
      .dfirst = KHM_FIRST(1, 8), .druns = KHM_RUNS(13, 13), .dflags = KHM_DGATE_SEP1 },
    { "TH_JURISTIC_ID", KHM_PDPA_NONE, khm_det_th_juristic_id, KHM_TRIG_DIGIT, 0.15, ctx_juristic,
      "Thai juristic person (company) number: 13 digits from 0, mod-11 check digit",
      .dfirst = KHM_FIRST(0, 0), .druns = KHM_RUNS(13, 13), .dflags = KHM_DGATE_SEP1 },
    { "PHONE_NUMBER", KHM_PDPA_PERSONAL, khm_det_phone, KHM_TRIG_DIGIT | KHM_TRIG_PLUS, 0.2,
      ctx_phone, "Thai mobile (06/08/09) and landline (02-07) numbers, +66, dashes, dots, spaces",
      .dfirst = KHM_FIRST(0, 0), .druns = KHM_RUNS(1, 10) },
    { "EMAIL_ADDRESS", KHM_PDPA_PERSONAL, khm_det_email, KHM_TRIG_AT, 0.09, ctx_email,
      "e-mail address, ASCII local part and domain" },
    { "CREDIT_CARD", KHM_PDPA_PERSONAL, khm_det_credit_card, KHM_TRIG_DIGIT, 0.14, ctx_card,
      "payment card number: 13-19 digits, major issuer ranges, Luhn check",
      .dfirst = KHM_FIRST(2, 6), .druns = KHM_RUNS(4, 19) },
    { "IP_ADDRESS", KHM_PDPA_PERSONAL, khm_det_ip_address,
      KHM_TRIG_DIGIT | KHM_TRIG_HEX | KHM_TRIG_COLON, 0.2, ctx_ip,
      "IPv4 dotted quad; IPv6, full, compressed with ::, or with an embedded IPv4",
      .druns = KHM_RUNS(1, 4),
      .dnext = KHM_NEXT(KHM_NEXT_DOT) | KHM_NEXT(KHM_NEXT_COLON) | KHM_NEXT(KHM_NEXT_HEX) },
    { "IBAN_CODE", KHM_PDPA_PERSONAL, khm_det_iban, KHM_TRIG_UPPER, 0.09, ctx_iban,
      "international bank account number, ISO 13616 mod-97 check" },
    { "URL", KHM_PDPA_NONE, khm_det_url, KHM_TRIG_H, 0.1, ctx_url,
      "http and https URL, ending before trailing punctuation and Thai text" },
    { "DATE_TIME", KHM_PDPA_NONE, khm_det_date_time,
      KHM_TRIG_DIGIT | KHM_TRIG_UPPER | KHM_TRIG_THAI, 0.1, ctx_date,
      "dates (ISO, d/m/y, Thai and English month names, Thai digits, Buddhist-era years), "
      "optional time; a date of birth is personal", 0, "๐๑๒๓๔๕๖๗๘๙",
      .druns = KHM_RUNS(1, 2) | KHM_RUNS(4, 4), .dflags = KHM_DGATE_HIGH,
      .dnext = KHM_NEXT(KHM_NEXT_SEP) | KHM_NEXT(KHM_NEXT_HIGH) | KHM_NEXT(KHM_NEXT_DOT) |
               KHM_NEXT(KHM_NEXT_SLASH) | KHM_NEXT(KHM_NEXT_HEX) | KHM_NEXT(KHM_NEXT_ALPHA) },
    { "TH_PASSPORT", KHM_PDPA_PERSONAL, khm_det_th_passport, KHM_TRIG_UPPER, 0.45, ctx_passport,
      "Thai passport number: 1-2 Latin letters and 7 digits (AA1234567), only with context" },
    { "TH_BANK_ACCOUNT", KHM_PDPA_PERSONAL, khm_det_th_bank_account, KHM_TRIG_DIGIT, 0.45,
      ctx_bank, "Thai bank account: 10 digits (xxx-x-xxxxx-x) or 12 (GSB, BAAC), only with context",
      .druns = KHM_RUNS(3, 4) | KHM_RUNS(10, 10) | KHM_RUNS(12, 12) },
    { "TH_LICENSE_PLATE", KHM_PDPA_PERSONAL, khm_det_th_license_plate, KHM_TRIG_DIGIT, 0.3,
      ctx_plate, "Thai vehicle plate: 1กข 1234, กข 1234, ฒก 56, with its province",
      .dfirst = KHM_FIRST(1, 9), .druns = KHM_RUNS(1, 4) },
    { "PERSON", KHM_PDPA_PERSONAL, khm_det_person,
      KHM_TRIG_THAI | KHM_TRIG_UPPER | KHM_TRIG_CELL, 0.1, ctx_person,
      "person's name after a Thai or English title (นาย, น.ส., ดร., ranks; Mr, Ms, Dr), or a "
      "name-column cell", 0, "นดเศรผพจสวมภ", .header = khm_person_header_det,
      .prefixes = khm_person_prefixes },
    { "LOCATION", KHM_PDPA_PERSONAL, khm_det_location, KHM_TRIG_DIGIT | KHM_TRIG_CELL, 0.2,
      ctx_location,
      "Thai postal address (house number, หมู่, ซอย, ถนน, ตำบล, อำเภอ, จังหวัด, postcode) "
      "checked against the gazetteer of sub-districts, districts, provinces and postcodes",
      .header = khm_location_header_det },
    /* PDPA s.26 sensitive data (sensitive.c does the matching; det_<category>.c hold the words).
     * Each is a cell detector (header + value); those with prose cues also trigger on the few
     * Thai characters and ASCII letters their cues start at. */
    { "ETHNICITY", KHM_PDPA_SENSITIVE, khm_det_ethnicity,
      KHM_TRIG_CELL | KHM_TRIG_THAI | KHM_TRIG_LOWER | KHM_TRIG_UPPER, 0.05, ctx_ethnicity,
      "race and ethnic origin (เชื้อชาติ, ชาติพันธุ์), not nationality: column header and value, prose",
      KHM_SENS_ETHNICITY, "ช", "e", .header = khm_sens_header_det, .prefixes = khm_sens_prefixes_det },
    { "POLITICAL_OPINION", KHM_PDPA_SENSITIVE, khm_det_political_opinion,
      KHM_TRIG_CELL | KHM_TRIG_THAI | KHM_TRIG_LOWER | KHM_TRIG_UPPER, 0.05, ctx_political,
      "political party membership and leaning: column header and value, prose (สมาชิกพรรค…)",
      KHM_SENS_POLITICAL_OPINION, "พ", "m", .header = khm_sens_header_det, .prefixes = khm_sens_prefixes_det },
    { "RELIGION", KHM_PDPA_SENSITIVE, khm_det_religion,
      KHM_TRIG_CELL | KHM_TRIG_THAI | KHM_TRIG_UPPER, 0.05, ctx_religion,
      "religion and belief (ศาสนา): column header and value, prose (นับถือศาสนาอิสลาม)",
      KHM_SENS_RELIGION, "ศ", "bchijmps", .header = khm_sens_header_det, .prefixes = khm_sens_prefixes_det },
    { "SEXUAL_BEHAVIOR", KHM_PDPA_SENSITIVE, khm_det_sexual_behavior,
      KHM_TRIG_CELL | KHM_TRIG_THAI | KHM_TRIG_LOWER, 0.05, ctx_sexual,
      "sexual behaviour and orientation: column header and value, prose",
      KHM_SENS_SEXUAL_BEHAVIOR, "ศ", "gl", .header = khm_sens_header_det, .prefixes = khm_sens_prefixes_det },
    { "CRIMINAL_RECORD", KHM_PDPA_SENSITIVE, khm_det_criminal_record,
      KHM_TRIG_CELL | KHM_TRIG_THAI | KHM_TRIG_LOWER | KHM_TRIG_UPPER, 0.05, ctx_criminal,
      "criminal records: column header and offence, prose (ต้องคำพิพากษาให้จำคุก, convicted of)",
      KHM_SENS_CRIMINAL_RECORD, "ษญ", "c", .header = khm_sens_header_det, .prefixes = khm_sens_prefixes_det },
    { "HEALTH", KHM_PDPA_SENSITIVE, khm_det_health,
      KHM_TRIG_CELL | KHM_TRIG_THAI | KHM_TRIG_LOWER | KHM_TRIG_UPPER, 0.05, ctx_health,
      "health data: diagnoses, ICD-10, medications, blood groups; column and prose",
      KHM_SENS_HEALTH, "โฉ๊", "bdh", .header = khm_sens_header_det, .prefixes = khm_sens_prefixes_det },
    { "DISABILITY", KHM_PDPA_SENSITIVE, khm_det_disability, KHM_TRIG_CELL | KHM_TRIG_THAI, 0.05,
      ctx_disability, "disability (ความพิการ) and its kind: column header and value, prose",
      KHM_SENS_DISABILITY, "พ", .header = khm_sens_header_det, .prefixes = khm_sens_prefixes_det },
    { "TRADE_UNION", KHM_PDPA_SENSITIVE, khm_det_trade_union,
      KHM_TRIG_CELL | KHM_TRIG_THAI | KHM_TRIG_LOWER | KHM_TRIG_UPPER, 0.05, ctx_union,
      "trade union membership (สหภาพแรงงาน): column header and value, prose",
      KHM_SENS_TRADE_UNION, "ภ", "m", .header = khm_sens_header_det, .prefixes = khm_sens_prefixes_det },
    { "GENETIC", KHM_PDPA_SENSITIVE, khm_det_genetic, KHM_TRIG_CELL | KHM_TRIG_THAI | KHM_TRIG_UPPER,
      0.05, ctx_genetic, "genetic data: genes, alleles, genotypes, rs numbers; column and prose",
      KHM_SENS_GENETIC, "ธ", "b", .header = khm_sens_header_det, .prefixes = khm_sens_prefixes_det },
    { "BIOMETRIC", KHM_PDPA_SENSITIVE, khm_det_biometric, KHM_TRIG_CELL, 0.05, ctx_biometric,
      "biometric templates (fingerprint, iris, face): column header and value only",
      KHM_SENS_BIOMETRIC, .header = khm_sens_header_det, .prefixes = khm_sens_prefixes_det },
};
/* clang-format on */

const size_t khm_detector_count = sizeof(khm_detectors) / sizeof(khm_detectors[0]);

size_t khm_scan_detector_count(void)
{
    return khm_detector_count;
}

const char *khm_scan_detector_name(size_t i)
{
    return i < khm_detector_count ? khm_detectors[i].name : NULL;
}

khm_pdpa khm_scan_detector_pdpa(size_t i)
{
    return i < khm_detector_count ? khm_detectors[i].pdpa : KHM_PDPA_NONE;
}

int khm_scan_detector_find(const char *name)
{
    for (size_t i = 0; name && i < khm_detector_count; i++)
        if (strcmp(khm_detectors[i].name, name) == 0)
            return (int)i;
    return -1;
}

unsigned khm_scan_detector_sens(size_t i)
{
    return i < khm_detector_count ? khm_detectors[i].sens : 0;
}

const char *khm_sensitive_name(unsigned k)
{
    static const char *const names[KHM_SENS_COUNT] = {
        NULL,       "ethnicity",       "political_opinion",
        "religion", "sexual_behavior", "criminal_record",
        "health",   "disability",      "trade_union",
        "genetic",  "biometric",
    };
    return k < KHM_SENS_COUNT ? names[k] : NULL;
}

const char *khm_pdpa_name(khm_pdpa p)
{
    return p == KHM_PDPA_SENSITIVE ? "sensitive" : p == KHM_PDPA_PERSONAL ? "personal" : "none";
}
