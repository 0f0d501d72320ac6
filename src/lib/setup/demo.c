/* Demo data for `khomun serve --demo`: a few real Thai agencies, (fictional) users for every
 * role, the demo catalog (demo_catalog.c; docs/catalog/demo.md), the agencies'
 * ministry, parent, contact, DPO and privacy notice (one left without, to show the s.41 gap), a
 * few activities of the record of processing (PDPA s.39; one incomplete), data-subject requests
 * and breaches, and purposes with the consents of synthetic subjects (signed receipts), seeded
 * once; the meta key "demo_seeded" remembers it. Later capabilities add their demo rows here. */
#include <khomun/setup.h>

#include <khomun/access.h>
#include <khomun/audit.h>
#include <khomun/breach.h>
#include <khomun/catalog.h>
#include <khomun/consent.h>
#include <khomun/err.h>
#include <khomun/pdpa.h>
#include <khomun/policy.h>
#include <khomun/request.h>
#include <khomun/ropa.h>
#include <khomun/scan.h>
#include <khomun/time.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "demo_int.h"

/* clang-format off */
static const khm_agency_input demo_agencies[] = {
    { "mdes", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "Ministry of Digital Economy and Society" },
    { "dga",  "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)", "Digital Government Development Agency" },
    { "nso",  "สำนักงานสถิติแห่งชาติ", "National Statistical Office" },
    { "moph", "กระทรวงสาธารณสุข", "Ministry of Public Health" },
};

static const khm_user_input demo_users[] = {
    { "somchai.dpo",  "สมชาย ใจดี",        "dpo@mdes.example.go.th",     "mdes", "dpo",       "confidential" },
    { "malee.owner",  "มาลี ศรีสุข",        "malee@mdes.example.go.th",   "mdes", "owner",     "secret" },
    { "wichai.stew",  "วิชัย ปัญญาดี",      "wichai@mdes.example.go.th",  "mdes", "steward",   "confidential" },
    { "napa.cust",    "นภา แสงทอง",        "napa@mdes.example.go.th",    "mdes", "custodian", "confidential" },
    { "kittipong.an", "กิตติพงษ์ วงศ์ใหญ่",   "kittipong@nso.example.go.th", "nso", "analyst",   "internal" },
    { "pranee.audit", "ปราณี ตรวจตรา",      "pranee@dga.example.go.th",   "dga",  "auditor",   "confidential" },
    { "anan.health",  "อนันต์ สุขภาพดี",     "anan@moph.example.go.th",    "moph", "steward",   "confidential" },
    { "wanpen.moph",  "วันเพ็ญ ใส่ใจ",       "wanpen@moph.example.go.th",  "moph", "owner",     "secret" },
    { "thanakorn.dga", "ธนากร ศรีวงศ์",      "thanakorn@dga.example.or.th", "dga", "owner",     "secret" },
    { "jiraporn.dga", "จิราพร ข้อมูลดี",      "jiraporn@dga.example.or.th", "dga",  "steward",   "confidential" },
    { "siriporn.nso", "ศิริพร นับถ้วน",       "siriporn@nso.example.go.th", "nso",  "owner",     "confidential" },
};
/* clang-format on */

/* Details of the demo agencies (issue 4): ministry, parent, contact, DPO, privacy notice. nso is
 * left without a DPO (and a privacy notice) on purpose, so the s.41 gap shows and its consent
 * receipts cannot be signed. Fictional contacts. */
static const struct {
    const char *slug;
    khm_agency_input in;
} demo_details[] = {
    { "mdes",
      { NULL, NULL, NULL, NULL, NULL, "120 หมู่ 3 ศูนย์ราชการเฉลิมพระเกียรติฯ ถนนแจ้งวัฒนะ กรุงเทพฯ 10210",
        "0 2141 6747", "saraban@mdes.example.go.th", "https://www.mdes.example.go.th",
        "somchai.dpo", "สมชาย ใจดี", "dpo@mdes.example.go.th", "0 2141 6999",
        "https://www.mdes.example.go.th/privacy-notice" } },
    { "dga",
      { NULL, NULL, NULL, "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "mdes",
        "17 อาคารไทยศรีประกันภัย ถนนพญาไท กรุงเทพฯ 10400", "0 2612 6000", "contact@dga.example.or.th",
        "https://www.dga.example.or.th", NULL, "วรรณา คุ้มครอง", "dpo@dga.example.or.th", NULL,
        "https://www.dga.example.or.th/privacy" } },
    { "nso",
      { NULL, NULL, NULL, "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "mdes",
        "120 หมู่ 3 ศูนย์ราชการเฉลิมพระเกียรติฯ อาคาร B ถนนแจ้งวัฒนะ กรุงเทพฯ 10210", "0 2141 7500",
        "services@nso.example.go.th", NULL, NULL, NULL, NULL, NULL } },
    { "moph",
      { NULL, NULL, NULL, NULL, NULL, "ถนนติวานนท์ ตำบลตลาดขวัญ อำเภอเมือง นนทบุรี 11000", "0 2590 1000",
        "saraban@moph.example.go.th", NULL, NULL, "ประเสริฐ รักษ์ข้อมูล", "dpo@moph.example.go.th",
        "0 2590 1999", "https://www.moph.example.go.th/pdpa/privacy-notice" } },
};

/* Demo activities of the record of processing (PDPA s.39); cctv is left incomplete (no
 * retention period, no access rights: the completeness report shows it). */
static const struct {
    const char *agency, *body;
} demo_ropa[] = {
    { "mdes",
      "{\"code\": \"citizen-complaints\", \"name_th\": \"รับและติดตามเรื่องร้องเรียนของประชาชน\","
      " \"name_en\": \"Citizen complaints\", \"personal_data\": [\"PERSON\", \"TH_TNIN\","
      " \"PHONE_NUMBER\", \"EMAIL_ADDRESS\", \"LOCATION\"], \"data_subjects\": [\"ผู้ร้องเรียน\","
      " \"ผู้ถูกร้องเรียน\"], \"purposes\": [\"complaint-handling\"], \"purpose_description\":"
      " \"รับ ตรวจสอบ และแจ้งผลเรื่องร้องเรียนตามภารกิจของรัฐ (มาตรา 24(4))\", \"retention_period\":"
      " \"5 ปีนับจากวันที่ยุติเรื่อง\", \"access_rights\": \"ผู้ร้องเรียนขอตรวจดูหรือขอสำเนาได้ที่ศูนย์ดำรงธรรม"
      " หรือทางอีเมลของเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล\", \"access_conditions\": \"เฉพาะเจ้าหน้าที่ศูนย์รับเรื่อง"
      "ร้องเรียนที่ได้รับมอบหมาย ตามสิทธิที่กำหนดในระบบ\", \"exempt_uses\": [{\"description\":"
      " \"ส่งเรื่องให้หน่วยงานที่เกี่ยวข้องดำเนินการ\", \"legal_basis\": \"มาตรา 24(4)\"}],"
      " \"security_description\": \"ระบบงานในเครือข่ายภายใน บันทึกการเข้าถึงทุกครั้ง\","
      " \"security_measures\": [\"access-control\", \"user-access-management\", \"audit-trail\","
      " \"encryption\"], \"recipients\": [{\"name\": \"สำนักงานปลัดสำนักนายกรัฐมนตรี\","
      " \"type\": \"government\", \"country\": \"TH\"}], \"datasets\": [\"citizen-complaints\"]}" },
    { "mdes",
      "{\"code\": \"cctv\", \"name_th\": \"กล้องวงจรปิดภายในอาคารสำนักงาน\", \"name_en\": \"CCTV\","
      " \"personal_data\": [\"BIOMETRIC\"], \"personal_data_other\": \"ภาพเคลื่อนไหวของบุคคล\","
      " \"data_subjects\": [\"บุคลากร\", \"ผู้มาติดต่อ\"], \"purposes\": [\"building-security\"],"
      " \"exempt_uses\": [], \"security_measures\": [\"access-control\"]}" },
    { "moph",
      "{\"code\": \"chronic-care\", \"name_th\": \"ทะเบียนผู้ป่วยโรคเรื้อรังเพื่อการดูแลต่อเนื่อง\","
      " \"name_en\": \"Chronic disease care register\", \"personal_data\": [\"PERSON\", "
      "\"TH_TNIN\","
      " \"HEALTH\", \"DATE_TIME\", \"PHONE_NUMBER\"], \"data_subjects\": [\"ผู้ป่วย\"],"
      " \"purposes\": [\"continuing-care\"], \"purpose_description\": "
      "\"ติดตามการรักษาโรคเบาหวานและความดัน"
      "โลหิตสูง (มาตรา 26(5)(ก))\", \"retention_period\": \"10 ปีนับจากการรักษาครั้งสุดท้าย\","
      " \"access_rights\": \"ผู้ป่วยขอสำเนาเวชระเบียนได้ที่หน่วยบริการ\", \"access_conditions\":"
      " \"แพทย์และพยาบาลผู้รักษา ตามหลักการให้สิทธิเท่าที่จำเป็น\", \"exempt_uses\": [{\"description\":"
      " \"รายงานโรคตามกฎหมายว่าด้วยโรคติดต่อ\", \"legal_basis\": \"มาตรา 24(6), มาตรา 26(5)(ข)\"}],"
      " \"security_description\": \"เข้ารหัสข้อมูล แยกสิทธิการเข้าถึงตามบทบาท สำรองข้อมูลนอกสถานที่\","
      " \"security_measures\": [\"access-control\", \"need-to-know\", \"authentication\","
      " \"audit-trail\", \"encryption\", \"pseudonymisation\"], \"recipients\": [{\"name\":"
      " \"สำนักงานหลักประกันสุขภาพแห่งชาติ\", \"type\": \"government\", \"country\": \"TH\"},"
      " {\"name\": \"ผู้ให้บริการคลาวด์สำรองข้อมูล\", \"type\": \"processor\", \"country\": \"SG\","
      " \"transfer_mechanism\": \"safeguards\", \"safeguard\": \"ASEAN Model Contractual "
      "Clauses\"}],"
      " \"datasets\": [\"chronic-patient-register\"]}" },
    { "dga",
      "{\"code\": \"welfare-application\", \"name_th\": \"คำขอรับสวัสดิการผ่านแอปพลิเคชันทางรัฐ\","
      " \"name_en\": \"Welfare applications via the Tang Rat app\", \"role\": \"processor\","
      " \"controller\": {\"name\": \"กรมบัญชีกลาง\", \"email\": \"dpo@cgd.example.go.th\"},"
      " \"personal_data\": [\"PERSON\", \"TH_TNIN\", \"PHONE_NUMBER\", \"TH_BANK_ACCOUNT\"],"
      " \"personal_data_other\": \"รายได้ต่อปี\", \"data_subjects\": [\"ผู้ยื่นคำขอรับสวัสดิการ\"],"
      " \"purposes\": [\"welfare-eligibility\"], \"retention_period\": \"ตามที่ผู้ควบคุมข้อมูลกำหนด (3 "
      "ปี)\","
      " \"access_rights\": \"ผู้ยื่นคำขอตรวจสอบสถานะและข้อมูลของตนในแอปพลิเคชัน\", \"access_conditions\":"
      " \"ผู้ดูแลระบบของผู้ประมวลผลเฉพาะเพื่อแก้ไขปัญหาตามคำสั่งของผู้ควบคุม\", \"exempt_uses\": [],"
      " \"security_description\": \"ยืนยันตัวตนด้วย ThaID เข้ารหัสระหว่างส่ง\", \"security_measures\":"
      " [\"authentication\", \"encryption\", \"audit-trail\"], \"datasets\": "
      "[\"welfare-applicants\"]}" },
};

/* Set the details of demo agency @p slug, which the demo just made (an operator's own agency
 * keeps its own). The DPO user only when it is a user of that agency (an operator's user of the
 * same name may be elsewhere). */
static int demo_agency_details(khm_tx *tx, const char *slug, int64_t now, khm_arena *a)
{
    khm_agency ag;
    khm_user u;
    size_t i = 0;
    while (i < sizeof(demo_details) / sizeof(demo_details[0]) &&
           strcmp(demo_details[i].slug, slug) != 0)
        i++;
    if (i == sizeof(demo_details) / sizeof(demo_details[0]))
        return 0;
    int rc = khm_store_agency_get(tx, &ag, slug, a);
    if (rc < 0)
        return rc;
    khm_agency_input in = demo_details[i].in;
    in.name_th = ag.name_th;
    in.name_en = ag.name_en;
    if (in.dpo_user) {
        rc = khm_store_user_get(tx, &u, in.dpo_user, a);
        if (rc == KHM_ENOTFOUND || (rc == 0 && strcmp(u.agency_id, ag.id) != 0)) {
            khm_err_clear();
            in.dpo_user = NULL;
        } else if (rc < 0) {
            return rc;
        }
    }
    return khm_agency_update(tx, &ag, &in, ag.version, now, a);
}

static int demo_activity(khm_tx *tx, size_t i, int64_t now, khm_arena *a)
{
    khm_agency ag;
    khm_ropa_row row;
    int rc = khm_store_agency_get(tx, &ag, demo_ropa[i].agency, a);
    if (rc < 0)
        return rc;
    json_t *body = json_loads(demo_ropa[i].body, 0, NULL);
    if (!body)
        return khm_err_set(KHM_ERROR, "demo activity %zu is not JSON", i);
    rc = khm_ropa_create(tx, &row, body, ag.id, NULL, now, a);
    if (rc == KHM_EINVALID) {
        /* an operator's dataset of the same name elsewhere: the activity goes in unlinked */
        khm_err_clear();
        json_object_del(body, "datasets");
        rc = khm_ropa_create(tx, &row, body, ag.id, NULL, now, a);
    }
    json_decref(body);
    return rc;
}

/* Demo purposes of mdes (PDPA s.19, s.24, s.26): two on consent with Thai and English consent
 * texts, one on the public task (s.24(4); the purpose of the complaints activity in the record
 * of processing) and one on explicit consent to health data (s.26). */
static const struct {
    const char *code, *body;
} demo_purposes[] = {
    { "e-newsletter",
      "{\"code\": \"e-newsletter\", \"name_th\": \"จดหมายข่าวและข่าวประชาสัมพันธ์ทางอีเมล\","
      " \"name_en\": \"E-newsletter and announcements by e-mail\", \"description_th\":"
      " \"ส่งจดหมายข่าวรายเดือน ข่าวกิจกรรม และประกาศบริการดิจิทัลใหม่ของกระทรวง\", \"basis\":"
      " \"consent\", \"categories\": [\"PERSON\", \"EMAIL_ADDRESS\"], \"retention_days\": 730,"
      " \"consent_text_th\": \"ข้าพเจ้ายินยอมให้กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมเก็บรวบรวมและใช้"
      "ชื่อและที่อยู่อีเมลของข้าพเจ้า เพื่อส่งจดหมายข่าวและข่าวประชาสัมพันธ์ของกระทรวง ข้าพเจ้าถอนความ"
      "ยินยอมได้ทุกเมื่อโดยกดลิงก์ยกเลิกในอีเมลหรือแจ้งเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล\","
      " \"consent_text_en\": \"I consent to the Ministry of Digital Economy and Society collecting"
      " and using my name and e-mail address to send me its newsletter and announcements. I may"
      " withdraw this consent at any time through the unsubscribe link or the data protection"
      " officer.\"}" },
    { "e-service-sms",
      "{\"code\": \"e-service-sms\", \"name_th\": \"แจ้งสถานะคำขอบริการอิเล็กทรอนิกส์ทาง SMS\","
      " \"name_en\": \"E-service status alerts by SMS\", \"basis\": \"consent\", \"categories\":"
      " [\"PERSON\", \"TH_TNIN\", \"PHONE_NUMBER\"], \"retention_days\": 365, \"consent_text_th\":"
      " \"ข้าพเจ้ายินยอมให้กระทรวงใช้หมายเลขโทรศัพท์เคลื่อนที่ของข้าพเจ้าเพื่อแจ้งสถานะคำขอบริการ"
      "อิเล็กทรอนิกส์ทาง SMS\", \"consent_text_en\": \"I consent to the Ministry using my mobile"
      " number to send me the status of my e-service requests by SMS.\","
      " \"privacy_notice_url\": \"https://www.mdes.example.go.th/e-service/privacy-notice\"}" },
    { "complaint-handling",
      "{\"code\": \"complaint-handling\", \"name_th\": \"รับและติดตามเรื่องร้องเรียนของประชาชน\","
      " \"name_en\": \"Handling citizen complaints\", \"description_th\": \"รับ ตรวจสอบ และแจ้งผล"
      "เรื่องร้องเรียนตามภารกิจของรัฐ\", \"basis\": \"s24(4)\", \"categories\": [\"PERSON\","
      " \"TH_TNIN\", \"PHONE_NUMBER\", \"EMAIL_ADDRESS\", \"LOCATION\"], \"retention_days\": 1825,"
      " \"datasets\": [\"citizen-complaints\"]}" },
    { "training-health-screening",
      "{\"code\": \"training-health-screening\", \"name_th\": \"คัดกรองสุขภาพผู้เข้าอบรมทักษะดิจิทัล"
      "สำหรับผู้สูงอายุ\", \"name_en\": \"Health screening of elderly digital-skills trainees\","
      " \"description_th\": \"ใช้ข้อมูลโรคประจำตัวและการแพ้ยาเพื่อจัดที่นั่ง อาหาร และการปฐมพยาบาล"
      "ระหว่างการอบรม\", \"basis\": \"consent\", \"sensitive\": [\"HEALTH\"], \"categories\":"
      " [\"PERSON\", \"TH_TNIN\", \"PHONE_NUMBER\"], \"retention_days\": 90, \"consent_text_th\":"
      " \"ข้าพเจ้ายินยอมโดยชัดแจ้งให้กระทรวงเก็บรวบรวมและใช้ข้อมูลสุขภาพของข้าพเจ้า (โรคประจำตัวและ"
      "การแพ้ยา) เพื่อการดูแลระหว่างการอบรมเท่านั้น และลบเมื่อครบ 90 วันหลังการอบรม\","
      " \"consent_text_en\": \"I explicitly consent to the Ministry collecting and using my health"
      " data (chronic conditions and drug allergies) only to look after me during the training,"
      " erased 90 days after it.\"}" },
};

/* The @p i-th synthetic national ID of the demo (not a real person): "11020" and seven digits
 * from @p i, then the check digit that khm_th_tnin_check() accepts. The first two are the
 * subjects of the demo's data-subject requests (discovery links their consents). */
static void demo_tnin(size_t i, char out[14])
{
    if (i == 0) {
        memcpy(out, "1101000000009", 14); /* the planted subject of the demo resources */
        return;
    }
    if (i == 1) {
        memcpy(out, "1103702071811", 14); /* the subject of the demo access request */
        return;
    }
    snprintf(out, 14, "11020%07u0", (unsigned)(1000 + (i * 7919) % 9000000));
    for (char d = '0'; d <= '9'; d++) {
        out[12] = d;
        if (khm_th_tnin_check(out))
            return;
    }
}

#define DEMO_SUBJECTS 20

/* Consents of DEMO_SUBJECTS synthetic people to the demo purposes the demo made (@p made[k]
 * for demo_purposes[k]), each with its signed receipt when the agency record allows one: every
 * subject on the newsletter, some on the SMS alerts (one expired), six explicit consents to the
 * health screening; one withdrawal (s.19 para 5) and a nine-year-old through a parent (s.20). */
static int demo_consents(khm_tx *tx, const khm_keys *keys, const khm_agency *ag,
                         const khm_user *dpo, const int made[], int64_t now, khm_arena *a)
{
    const int64_t day = 86400000;
    khm_pseudonymizer pz;
    unsigned char key[KHM_KEY_LEN];
    char ids[DEMO_SUBJECTS][14];
    int rc = 0;
    khm_keys_agency_pseudonym(keys, ag->id, key);
    khm_pseudonymizer_init(&pz, key);
    sodium_memzero(key, sizeof(key));
    for (size_t i = 0; i < DEMO_SUBJECTS; i++)
        demo_tnin(i, ids[i]);
    static const struct {
        int purpose; /* index in demo_purposes */
        int subject, days_ago, withdraw;
        int expires_days; /* after given; 0 none */
        int age;          /* -1 adult */
        const char *method;
    } rows[] = {
        /* the newsletter: every subject but the minor */
        { 0, 0, 60, 0, 0, -1, "electronic" },
        { 0, 1, 58, 0, 0, -1, "electronic" },
        { 0, 2, 55, 0, 0, -1, "written" },
        { 0, 3, 50, 0, 0, -1, "electronic" },
        { 0, 4, 47, 0, 0, -1, "electronic" },
        { 0, 5, 44, 0, 0, -1, "verbal-recorded" },
        { 0, 6, 40, 0, 0, -1, "electronic" },
        { 0, 7, 37, 0, 0, -1, "electronic" },
        { 0, 8, 33, 0, 0, -1, "written" },
        { 0, 9, 30, 0, 0, -1, "electronic" },
        { 0, 10, 27, 0, 0, -1, "electronic" },
        { 0, 11, 24, 0, 0, -1, "electronic" },
        { 0, 12, 21, 0, 0, -1, "written" },
        { 0, 13, 18, 0, 0, -1, "electronic" },
        { 0, 14, 15, 0, 0, -1, "electronic" },
        { 0, 15, 12, 0, 0, -1, "electronic" },
        { 0, 16, 9, 0, 0, -1, "electronic" },
        { 0, 17, 6, 0, 0, -1, "electronic" },
        { 0, 18, 3, 0, 0, -1, "electronic" },
        /* subject 2 withdraws from the newsletter (s.19 para 5): the check then denies */
        { 0, 2, 10, 1, 0, -1, "electronic" },
        /* a child of nine through the parent (subject 18) only (s.20) */
        { 0, 19, 2, 0, 0, 9, "written" },
        /* SMS alerts for a year; subject 7's given 400 days ago has expired */
        { 1, 1, 20, 0, 365, -1, "electronic" },
        { 1, 3, 19, 0, 365, -1, "electronic" },
        { 1, 5, 17, 0, 365, -1, "electronic" },
        { 1, 7, 400, 0, 365, -1, "electronic" },
        { 1, 9, 8, 0, 365, -1, "electronic" },
        /* explicit consent to health data (s.26 para 1) */
        { 3, 0, 14, 0, 0, -1, "written" },
        { 3, 4, 14, 0, 0, -1, "written" },
        { 3, 8, 13, 0, 0, -1, "written" },
        { 3, 12, 13, 0, 0, -1, "written" },
        { 3, 16, 12, 0, 0, -1, "written" },
        { 3, 17, 12, 0, 0, -1, "written" },
    };
    for (size_t k = 0; rc == 0 && k < sizeof(rows) / sizeof(rows[0]); k++) {
        if (!made[rows[k].purpose])
            continue;
        khm_consent_input in;
        khm_consent_event ev;
        khm_purpose_rec p;
        char given[KHM_TIME_RFC3339_LEN], expires[KHM_TIME_RFC3339_LEN];
        int64_t at = now - (int64_t)rows[k].days_ago * day;
        memset(&in, 0, sizeof(in));
        in.subject = ids[rows[k].subject];
        in.subject_type = "tnin";
        in.purpose = demo_purposes[rows[k].purpose].code;
        in.method = rows[k].method;
        khm_time_format(given, at);
        in.given_at = given;
        in.explicit_consent = rows[k].purpose == 3 ? 1 : -1;
        in.text_version = -1;
        in.age = rows[k].age;
        if (rows[k].expires_days) {
            khm_time_format(expires, at + (int64_t)rows[k].expires_days * day);
            in.expires_at = expires;
        }
        if (rows[k].age >= 0 && rows[k].age < KHM_AGE_MAJORITY) {
            in.given_by = "guardian";
            in.guardian_subject = ids[18];
            in.guardian_subject_type = "tnin";
            in.guardian_relation = "มารดา";
        }
        rc = khm_consent_record(tx, &pz, keys, ag->id, rows[k].withdraw, &in, dpo->id, now, &ev, &p,
                                a);
    }
    sodium_memzero(&pz, sizeof(pz));
    return rc;
}

/* Create the demo purposes of @p ag that it does not have yet (an operator's purpose of the
 * same code is kept and gets no demo consents): made[k] = 1 for each one made. */
static int demo_purposes_make(khm_tx *tx, const khm_agency *ag, const khm_user *dpo, int made[],
                              int64_t now, khm_arena *a)
{
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < sizeof(demo_purposes) / sizeof(demo_purposes[0]); k++) {
        khm_purpose_rec p;
        khm_purpose_input in;
        made[k] = 0;
        rc = khm_store_purpose_get(tx, &p, ag->id, demo_purposes[k].code, a);
        if (rc != KHM_ENOTFOUND)
            continue; /* there already, or an error (ends the loop) */
        khm_err_clear();
        json_t *body = json_loads(demo_purposes[k].body, 0, NULL);
        if (!body)
            return khm_err_set(KHM_ERROR, "demo purpose %zu is not JSON", k);
        if ((rc = khm_purpose_input_from_json(&in, body)) == 0) {
            rc = khm_purpose_create(tx, &p, &in, ag->id, dpo->id, now, a);
            if (rc == KHM_EINVALID && in.datasets) {
                /* an operator's dataset of the same name elsewhere: the purpose goes in unlinked */
                khm_err_clear();
                in.datasets = NULL;
                rc = khm_purpose_create(tx, &p, &in, ag->id, dpo->id, now, a);
            }
        }
        json_decref(body);
        made[k] = rc == 0;
    }
    return rc;
}

/* PDPA demo records of mdes, relative to @p now: an access request due in about 3 days, an
 * overdue one, a fulfilled one; a high-risk breach 20 hours into its 72 and a closed one; the
 * demo purposes and the consents of synthetic subjects with their signed receipts.
 * Synthetic subjects (valid check digits, not real people). The keys derive the tokens. */
static int demo_pdpa(khm_tx *tx, const khm_keys *keys, int64_t now, khm_arena *a)
{
    khm_agency ag;
    khm_user dpo;
    khm_dsr r;
    khm_breach b;
    int rc;
    const int64_t day = 86400000, hour = 3600000;
    if ((rc = khm_store_agency_get(tx, &ag, "mdes", a)) < 0 ||
        (rc = khm_store_user_get(tx, &dpo, "somchai.dpo", a)) < 0)
        return rc;
    static const struct {
        const char *type, *channel, *kind, *subject;
        int days_ago;
        const char *to[3];
    } reqs[] = {
        { "access", "counter", "national_id", "1103702071811", 27, { "verified", NULL, NULL } },
        { "rectification", "email", "email", "somsri.demo@example.com", 35, { NULL, NULL, NULL } },
        { "access", "web", "phone", "0812345678", 12, { "verified", "in_progress", "fulfilled" } },
    };
    for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
        char when[KHM_TIME_RFC3339_LEN];
        khm_time_format(when, now - reqs[i].days_ago * day);
        khm_dsr_input in = { reqs[i].type,  reqs[i].channel,
                             reqs[i].kind,  reqs[i].subject,
                             NULL,          when,
                             "somchai.dpo", "คำขอสาธิต (ข้อมูลสมมติ)" };
        if ((rc = khm_dsr_create(tx, &r, &in, keys, ag.id, dpo.id, now, a)) < 0)
            return rc;
        for (int k = 0; k < 3 && reqs[i].to[k]; k++) {
            khm_dsr_transition_input t = { 0 };
            t.to = reqs[i].to[k];
            t.method = k == 0 ? "ตรวจบัตรประชาชนตัวจริง" : NULL;
            if ((rc = khm_dsr_transition(tx, &r, &t, dpo.id, now, a)) < 0)
                return rc;
        }
    }
    char aware[KHM_TIME_RFC3339_LEN];
    json_t *cia = json_pack("[s]", "confidentiality"), *ds = json_pack("[s]", "staff-directory");
    khm_time_format(aware, now - 20 * hour);
    khm_breach_input in = {
        aware, cia, "อีเมลแนบไฟล์ทำเนียบบุคลากรส่งผิดผู้รับ (ข้อมูลสาธิต)", ds, NULL, "high"
    };
    json_t *count = json_integer(350);
    in.subject_count = count;
    rc = khm_breach_create(tx, &b, &in, ag.id, dpo.id, now, a);
    if (rc == 0) {
        khm_time_format(aware, now - 40 * day);
        in.aware_at = aware;
        in.description = "เซิร์ฟเวอร์ไฟล์ใช้งานไม่ได้ชั่วคราว กู้คืนจากสำรองแล้ว (ข้อมูลสาธิต)";
        in.risk = "risk";
        in.datasets = NULL;
        json_array_set_new(cia, 0, json_string("availability"));
        char notified[KHM_TIME_RFC3339_LEN];
        khm_time_format(notified, now - 40 * day + 30 * hour);
        if ((rc = khm_breach_create(tx, &b, &in, ag.id, dpo.id, now, a)) == 0 &&
            (rc = khm_breach_notify_office(tx, &b, notified, NULL, dpo.id, now)) == 0 &&
            (rc = khm_breach_add_action(tx, &b, "กู้คืนระบบจากข้อมูลสำรองและตรวจสอบความครบถ้วนแล้ว",
                                        dpo.id, now)) == 0)
            rc = khm_breach_close(tx, &b, NULL, NULL, dpo.id, now);
    }
    json_decref(cia);
    json_decref(ds);
    json_decref(count);
    int made[sizeof(demo_purposes) / sizeof(demo_purposes[0])] = { 0 };
    if (rc == 0 && (rc = demo_purposes_make(tx, &ag, &dpo, made, now, a)) == 0)
        rc = demo_consents(tx, keys, &ag, &dpo, made, now, a);
    return rc;
}

int khm_setup_demo(khm_store *s, int *seeded)
{
    return khm_setup_demo_keys(s, NULL, seeded);
}

int khm_setup_demo_keys(khm_store *s, const khm_keys *keys, int *seeded)
{
    khm_tx *tx;
    char *flag;
    int rc;
    khm_arena *a = khm_arena_new(0);
    *seeded = 0;
    if (!a)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if ((rc = khm_tx_begin(&tx, s, 1)) < 0)
        goto done;
    rc = khm_store_meta_get(tx, "demo_seeded", &flag, a);
    if (rc == 0) {
        khm_tx_rollback(tx);
        goto done;
    }
    if (rc != KHM_ENOTFOUND) {
        khm_tx_rollback(tx);
        goto done;
    }
    int64_t now = khm_time_now_ms();
    int made[sizeof(demo_agencies) / sizeof(demo_agencies[0])] = { 0 };
    for (size_t i = 0; i < sizeof(demo_agencies) / sizeof(demo_agencies[0]); i++) {
        khm_agency ag;
        /* an operator may have made it already: keep theirs. Look first rather than insert and
         * catch the conflict, which would abort the whole transaction on PostgreSQL. */
        rc = khm_store_agency_get(tx, &ag, demo_agencies[i].slug, a);
        if (rc == KHM_ENOTFOUND) {
            khm_err_clear();
            rc = khm_agency_create(tx, &ag, &demo_agencies[i], now);
            made[i] = rc == 0;
        }
        if (rc < 0)
            break;
    }
    for (size_t i = 0; rc == 0 && i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
        khm_user u;
        rc = khm_store_user_get(tx, &u, demo_users[i].name, a);
        if (rc == KHM_ENOTFOUND)
            rc = khm_user_create(tx, &u, &demo_users[i], now, a);
    }
    for (size_t i = 0; rc == 0 && i < sizeof(demo_agencies) / sizeof(demo_agencies[0]); i++)
        if (made[i])
            rc = demo_agency_details(tx, demo_agencies[i].slug, now, a);
    if (rc == 0)
        rc = khm_setup__demo_datasets(tx, now, a);
    /* the record of processing once: an operator's record is never added to */
    khm_ropa_row *existing;
    size_t nexisting = 0;
    int more;
    khm_page one = { NULL, 1 };
    if (rc == 0)
        rc = khm_store_ropa_list(tx, &existing, &nexisting, &more, NULL, &one, a);
    for (size_t i = 0; rc == 0 && !nexisting && i < sizeof(demo_ropa) / sizeof(demo_ropa[0]); i++)
        rc = demo_activity(tx, i, now, a);
    if (rc == 0 && keys)
        rc = demo_pdpa(tx, keys, now, a);
    if (rc == 0)
        rc = khm_store_meta_set(tx, "demo_seeded", "1");
    if (rc == 0) {
        khm_audit_event ev = { 0 };
        ev.actor_user = "system";
        ev.action = "system.demo_seed";
        ev.outcome = "success";
        ev.reasons = "demo agencies, users, datasets, records of processing, requests, breaches, "
                     "purposes and consents added";
        ev.client = "cli";
        rc = khm_audit_append(tx, &ev, NULL);
    }
    if (rc == 0) {
        rc = khm_tx_commit(tx);
        *seeded = rc == 0;
    } else {
        khm_tx_rollback(tx);
    }
done:
    khm_arena_free(a);
    return rc;
}
