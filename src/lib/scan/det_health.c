/* HEALTH: health data, PDPA s.26 (thai-rules.md §1.4): diagnoses, chronic conditions, ICD-10
codes, medications, blood groups, test results. Column: a header naming them (โรคประจำตัว,
การวินิจฉัย, ICD-10, ยาที่ใช้, กรุ๊ปเลือด, diagnosis, medication, blood type) and a value of the
lexicon or of a form (E11.9, AB+, 500 mg). Disability has its own type, DISABILITY. Prose:
"ป่วยเป็นโรคเบาหวาน", "ได้รับการวินิจฉัยว่าเป็น…", "ผลเลือด HIV บวก", "กรุ๊ปเลือด O" of a named
person, "diagnosed with diabetes". Health in general (กระทรวงสาธารณสุข, โรงพยาบาล, a server's
health check) is not. */
#include "scan_int.h"

#include <string.h>
#include <strings.h>

/* Column headers naming the category (Thai anywhere, English as whole words). */
static const char *const headers[] = {
    "โรค",       "วินิจฉัย",    "อาการ",     "ยาที่ใช้",       "ยาประจำ",    "รายการยา",    "แพ้ยา",
    "กรุ๊ปเลือด",   "หมู่เลือด",   "ผลเลือด",    "สุขภาพ",       "การรักษา",    "icd",         "diagnosis",
    "diagnoses", "disease",  "diseases",  "medical",     "medication", "medications", "medicine",
    "medicines", "allergy",  "allergies", "blood group", "blood type", "abo",         "health",
    "symptom",   "symptoms", "treatment", "condition",   "conditions", "hiv",         NULL,
};

/* Values, sorted (strcmp), English in lower case. */
static const char *const values[] = {
    "aids",
    "allergic rhinitis",
    "alzheimer",
    "alzheimer's",
    "amlodipine",
    "amoxicillin",
    "anaemia",
    "anemia",
    "anxiety",
    "aspirin",
    "asthma",
    "atenolol",
    "atorvastatin",
    "bipolar",
    "bipolar disorder",
    "breast cancer",
    "budesonide",
    "cancer",
    "chronic kidney disease",
    "clopidogrel",
    "copd",
    "coronary artery disease",
    "covid-19",
    "dementia",
    "dengue",
    "depression",
    "diabetes",
    "dolutegravir",
    "dyslipidemia",
    "efavirenz",
    "enalapril",
    "epilepsy",
    "fluoxetine",
    "furosemide",
    "gabapentin",
    "glipizide",
    "gonorrhea",
    "gout",
    "heart disease",
    "heart failure",
    "hepatitis",
    "hepatitis b",
    "hepatitis c",
    "hiv",
    "hydrochlorothiazide",
    "hyperlipidemia",
    "hypertension",
    "hyperthyroidism",
    "hypothyroidism",
    "ibuprofen",
    "insulin",
    "kidney disease",
    "lamivudine",
    "levothyroxine",
    "lisinopril",
    "losartan",
    "lung cancer",
    "major depressive disorder",
    "metformin",
    "metoprolol",
    "migraine",
    "montelukast",
    "obesity",
    "omeprazole",
    "osteoarthritis",
    "osteoporosis",
    "paracetamol",
    "parkinson",
    "parkinson's",
    "penicillin allergy",
    "prednisolone",
    "pregnancy",
    "pregnant",
    "ptsd",
    "salbutamol",
    "schizophrenia",
    "sertraline",
    "simvastatin",
    "stroke",
    "syphilis",
    "tenofovir",
    "thalassemia",
    "tuberculosis",
    "type 1 diabetes",
    "type 2 diabetes",
    "warfarin",
    "กรดไหลย้อน",
    "กระดูกพรุน",
    "กระเพาะอาหาร",
    "ข้อเข่าเสื่อม",
    "ความดัน",
    "ความดันสูง",
    "ความดันโลหิตสูง",
    "ความวิตกกังวล",
    "จิตเภท",
    "ซิฟิลิส",
    "ซิมวาสแตติน",
    "ซึมเศร้า",
    "ตับอักเสบ",
    "ตับแข็ง",
    "ตั้งครรภ์",
    "ติดเชื้อเอชไอวี",
    "ธาลัสซีเมีย",
    "ปอดอุดกั้นเรื้อรัง",
    "พาราเซตามอล",
    "พาร์กินสัน",
    "ภูมิแพ้",
    "มะเร็ง",
    "ยาต้านไวรัส",
    "ยาลดความดัน",
    "ยาเบาหวาน",
    "ลมชัก",
    "ลมบ้าหมู",
    "ลอซาร์แทน",
    "วัณโรค",
    "สมองเสื่อม",
    "หนองใน",
    "หลอดเลือดสมอง",
    "หอบหืด",
    "หัวใจ",
    "หัวใจขาดเลือด",
    "หืด",
    "อัมพาต",
    "อัลไซเมอร์",
    "อินซูลิน",
    "เกาต์",
    "เก๊าท์",
    "เบาหวาน",
    "เพนิซิลลิน",
    "เมทฟอร์มิน",
    "เอชไอวี",
    "เอดส์",
    "แพ้ยา",
    "แพ้ยาเพนิซิลลิน",
    "แอมโลดิปีน",
    "แอสไพริน",
    "โควิด",
    "โรคอ้วน",
    "โลหิตจาง",
    "ไขมันในเลือดสูง",
    "ไข้เลือดออก",
    "ไตวาย",
    "ไตเรื้อรัง",
    "ไทรอยด์",
    "ไบโพลาร์",
    "ไมเกรน",
    "ไวรัสตับอักเสบซี",
    "ไวรัสตับอักเสบบี",
};

/* Prose: `back` ends right before the trigger character, `fwd` starts at it. */
static const khm_sens_cue cues[] = {
    { "ป่วยเป็น", "โรค", KHM_CUE_VALUE, NULL },
    { "ป่วยด้วย", "โรค", KHM_CUE_VALUE, NULL },
    { "เป็น", "โรค", KHM_CUE_VALUE, NULL },
    { "มี", "โรคประจำตัวคือ", KHM_CUE_VALUE, NULL },
    { "มี", "โรคประจำตัว", KHM_CUE_VALUE, NULL },
    { "", "โรคประจำตัว", KHM_CUE_VALUE | KHM_CUE_PERSON, NULL },
    { "ได้รับการวินิจ", "ฉัยว่าเป็นโรค", KHM_CUE_WORD, NULL },
    { "ได้รับการวินิจ", "ฉัยว่าเป็น", KHM_CUE_WORD, NULL },
    { "แพทย์วินิจ", "ฉัยว่าเป็นโรค", KHM_CUE_VALUE, NULL },
    { "แพทย์วินิจ", "ฉัยว่าเป็น", KHM_CUE_VALUE, NULL },
    { "กรุ", "๊ปเลือด", KHM_CUE_VALUE | KHM_CUE_PERSON, NULL },
    { "ผลเลือด ", "hiv บวก", 0, NULL },
    { "ผลเลือด ", "hiv เป็นบวก", 0, NULL },
    { "ผลเลือด", "hiv บวก", 0, NULL },
    { "ผลตรวจ ", "hiv เป็นบวก", 0, NULL },
    { "ผลตรวจ ", "hiv บวก", 0, NULL },
    { "ติดเชื้อ ", "hiv", 0, NULL },
    { "ติดเชื้อ", "hiv", 0, NULL },
    { "tested positive for ", "hiv", 0, NULL },
    { "is ", "hiv-positive", 0, NULL },
    { "is ", "hiv positive", 0, NULL },
    { "", "diagnosed with ", KHM_CUE_VALUE, NULL },
    { "", "blood type ", KHM_CUE_VALUE | KHM_CUE_PERSON, NULL },
    { "", "blood group ", KHM_CUE_VALUE | KHM_CUE_PERSON, NULL },
};

static const char *const not_after[] = {
    "ที่",  "ผู้ที่",  "คนที่",   "การ", "เสี่ยง", "เสี่ยงต่อการ", "ไม่",  "ไม่ได้",     "ไม่ได้",   "ป้องกัน", "หาก",
    "ถ้า", "อาจ", "never", "not", "if",   "be",        "who", "patients", "people", NULL,
};

static const char *const not_near[] = {
    "ประชากร", "ร้อยละ", "%", "สถิติ", NULL,
};

/* A blood group standing alone: A, B, AB or O, then +, -, Rh+, Rh-, " Rh positive" … */
static size_t blood_group(const unsigned char *s, size_t n)
{
    size_t k = 0;
    if (n >= 2 && s[0] == 'A' && s[1] == 'B')
        k = 2;
    else if (n >= 1 && (s[0] == 'A' || s[0] == 'B' || s[0] == 'O'))
        k = 1;
    else
        return 0;
    if (k < n && s[k] == ' ' && k + 2 < n && s[k + 1] == 'R' && s[k + 2] == 'h')
        k++;
    if (k + 1 < n && s[k] == 'R' && s[k + 1] == 'h')
        k += 2;
    if (k < n && (s[k] == '+' || s[k] == '-'))
        k++;
    else if (k + 8 < n && memcmp(s + k, " positive", 9) == 0)
        k += 9;
    else if (k + 8 < n && memcmp(s + k, " negative", 9) == 0)
        k += 9;
    if (k < n && (khm_isalnum(s[k]) || s[k] == '.' || s[k] == '@'))
        return 0;
    return k;
}

/* An ICD-10 code: a letter, two digits (the second may be a letter), then .1-4 characters. */
static size_t icd10(const unsigned char *s, size_t n)
{
    if (n < 3 || s[0] - 'A' >= 26 || !khm_isdigit(s[1]) || !khm_isalnum(s[2]))
        return 0;
    size_t k = 3;
    if (k + 1 < n && s[k] == '.' && khm_isalnum(s[k + 1])) {
        k++;
        while (k < n && k < 8 && khm_isalnum(s[k]))
            k++;
    }
    if (k < n && (khm_isalnum(s[k]) || s[k] == '-' || s[k] == '@'))
        return 0;
    return k;
}

/* A dose: a number, a space or not, a unit (500 mg, 10 มก.). */
static size_t dose(const unsigned char *s, size_t n)
{
    static const char *const units[] = { "mg",  "mcg", "ml",  "iu",  "units",
                                         "มก.", "มก",  "มล.", "เม็ด", NULL };
    size_t k = 0;
    while (k < n && (khm_isdigit(s[k]) || (k > 0 && (s[k] == '.' || s[k] == ','))))
        k++;
    if (k == 0)
        return 0;
    if (k < n && s[k] == ' ')
        k++;
    for (const char *const *u = units; *u; u++) {
        size_t l = strlen(*u);
        if (k + l <= n && strncasecmp((const char *)s + k, *u, l) == 0 &&
            (k + l == n || !khm_isalpha(s[k + l])))
            return k + l;
    }
    return 0;
}

static size_t health_form(const unsigned char *s, size_t n)
{
    size_t k = blood_group(s, n);
    if (!k)
        k = icd10(s, n);
    return k ? k : dose(s, n);
}

const khm_sens_cat khm_sens_health = {
    KHM_SENS_HEALTH, headers,  values, sizeof(values) / sizeof(values[0]),
    health_form,     0,        cues,   sizeof(cues) / sizeof(cues[0]),
    not_after,       not_near, NULL,
};

int khm_det_health(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                   khm_match *m)
{
    return khm_sens_match(&khm_sens_health, p, lo, len, i, cx, m);
}
