/* The GD-Catalog metadata standard (thai-rules.md §3): ONE table of dataset fields and ONE of
 * resource fields, copied from ckanext-thai_gdc v2.2.4 `ckan_dataset.json` [S21] (field names,
 * labels, `required`, `form_data_type`, choices as stored), and everything driven by them:
 * validation, the CSV form, the JSON schema. Plus the category→level rules (§2.3) and the C/I/A
 * impact levels (§2.6). Adding a field is one row here and one row in docs/catalog/gdc-fields.md
 * (tests/unit/catalog/gdc_schema.c fails until both agree). */
#include <khomun/gdc.h>

#include <khomun/access.h>
#include <khomun/err.h>
#include <khomun/policy.h>
#include <khomun/utf8.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Data types ------------------------------------------------------------------------ */

/* clang-format off */
static const struct {
    const char *value; /* stored, thai-rules.md §3.3 */
    const char *name;
    const char *label_en;
} data_types[KHM_GDC_TYPE__COUNT] = {
    [KHM_GDC_TYPE_RECORD] = { "ข้อมูลระเบียน",                "record",      "Record data" },
    [KHM_GDC_TYPE_STAT]   = { "ข้อมูลสถิติ",                  "statistical", "Statistical data" },
    [KHM_GDC_TYPE_GEO]    = { "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",       "geospatial",  "Geospatial data" },
    [KHM_GDC_TYPE_MULTI]  = { "ข้อมูลหลากหลายประเภท",           "multiple",    "Multiple types of data" },
    [KHM_GDC_TYPE_OTHER]  = { "ข้อมูลประเภทอื่นๆ",              "other",       "Other data" },
};
/* clang-format on */

const char *khm_gdc_data_type_value(int type)
{
    return type >= 0 && type < KHM_GDC_TYPE__COUNT ? data_types[type].value : NULL;
}

const char *khm_gdc_data_type_name(int type)
{
    return type >= 0 && type < KHM_GDC_TYPE__COUNT ? data_types[type].name : NULL;
}

const char *khm_gdc_data_type_label_en(int type)
{
    return type >= 0 && type < KHM_GDC_TYPE__COUNT ? data_types[type].label_en : NULL;
}

static int data_type_lookup(const char *s)
{
    for (int i = 0; s && i < KHM_GDC_TYPE__COUNT; i++)
        if (strcmp(s, data_types[i].value) == 0 || strcmp(s, data_types[i].name) == 0)
            return i;
    return -1;
}

int khm_gdc_data_type_parse(const char *s, int *out)
{
    int t = data_type_lookup(s);
    if (t >= 0) {
        *out = t;
        return 0;
    }
    return khm_err_field("data_type",
                         "ประเภทชุดข้อมูลไม่ถูกต้อง (ข้อมูลระเบียน, ข้อมูลสถิติ, "
                         "ข้อมูลภูมิสารสนเทศเชิงพื้นที่, ข้อมูลหลากหลายประเภท, ข้อมูลประเภทอื่นๆ)",
                         "unknown data type '%s' (allowed: record, statistical, geospatial, "
                         "multiple, other, or the Thai value)",
                         s ? s : "");
}

static const char *const value_types[] = {
    [KHM_GDC_V_TEXT] = "text",   [KHM_GDC_V_LONG_TEXT] = "long_text", [KHM_GDC_V_CHOICE] = "choice",
    [KHM_GDC_V_DATE] = "date",   [KHM_GDC_V_YEAR] = "year",           [KHM_GDC_V_URL] = "url",
    [KHM_GDC_V_EMAIL] = "email", [KHM_GDC_V_INTEGER] = "integer",     [KHM_GDC_V_NUMBER] = "number",
    [KHM_GDC_V_TAGS] = "tags",   [KHM_GDC_V_SLUG] = "slug",
};

const char *khm_gdc_value_type_name(int vt)
{
    return vt >= KHM_GDC_V_TEXT && vt <= KHM_GDC_V__LAST ? value_types[vt] : NULL;
}

/* ---- Allowed values (thai-rules.md §3.3, stored strings exactly) ----------------------- */

/* C: value = Thai label, no English label in the schema. E: with an English label (from the
 * schema, or §3.3's gloss). O: the "other, please specify" choice. */
/* clang-format off */
#define C(v)       { v, v, NULL, 0 }
#define E(v, en)   { v, v, en, 0 }
#define O(v)       { v, v, "Other", 1 }
#define CHOICES(a) a, COUNT(a)

static const khm_gdc_choice ch_data_type[] = {
    E("ข้อมูลระเบียน", "Record data"), E("ข้อมูลสถิติ", "Statistical data"),
    E("ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "Geospatial data"),
    E("ข้อมูลหลากหลายประเภท", "Multiple types of data"),
    { "ข้อมูลประเภทอื่นๆ", "ข้อมูลประเภทอื่นๆ", "Other data", 1 },
};
static const khm_gdc_choice ch_allow_harvest[] = {
    { "False", "ไม่ยินยอม", "No", 0 }, { "True", "ยินยอม", "Yes", 0 },
};
static const khm_gdc_choice ch_yes_no[] = {
    { "False", "ไม่ใช่", "No", 0 }, { "True", "ใช่", "Yes", 0 },
};
static const khm_gdc_choice ch_objective[] = {
    C("ยุทธศาสตร์ชาติ"), C("แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ"), C("แผนความมั่นคงแห่งชาติ"),
    C("แผนแม่บทภายใต้ยุทธศาสตร์ชาติ"), C("แผนปฏิรูปประเทศ"), C("แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)"),
    C("นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี"), C("มติคณะรัฐมนตรี"), C("เพื่อการให้บริการประชาชน"),
    C("กฎหมายที่เกี่ยวข้อง"), C("พันธกิจหน่วยงาน"), C("ดัชนี/ตัวชี้วัดระดับนานาชาติ"), C("ไม่ทราบ"),
    O("อื่นๆ"),
};
static const khm_gdc_choice ch_update_unit[] = {
    E("ไม่ทราบ", "Unknown"), E("ปี", "Year"), E("ครึ่งปี", "Half-year"), E("ไตรมาส", "Quarter"),
    E("เดือน", "Month"), E("สัปดาห์", "Week"), E("วัน", "Day"), E("วันทำการ", "Business day"),
    E("ชั่วโมง", "Hour"), E("นาที", "Minute"), E("ตามเวลาจริง", "Real-time"),
    E("ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "Never updated after collection"), O("อื่นๆ"),
};
static const khm_gdc_choice ch_geo_coverage[] = {
    C("ไม่มี"), C("โลก"), C("ทวีป/กลุ่มประเทศในทวีป"), C("กลุ่มประเทศทางเศรษฐกิจ"), C("ประเทศ"),
    C("ภาค"), C("จังหวัด"), C("อำเภอ"), C("ตำบล"), C("หมู่บ้าน"), C("เทศบาล/อบต."), C("พิกัด"),
    C("ไม่ทราบ"), O("อื่นๆ"),
};
static const khm_gdc_choice ch_data_format[] = {
    C("Database"), C("CSV"), C("XML"), C("Image"), C("Video"), C("Audio"), C("Text"), C("JSON"),
    C("HTML"), C("DOC/DOCX"), { "XLS", "XLS/XLSX", "XLS/XLSX", 0 }, C("PDF"), C("RDF"),
    C("NoSQL"), C("Arc/Info Coverage"), C("Shapefile"), C("GeoTiff"), C("GML"), C("ไม่ทราบ"),
    O("อื่นๆ"),
};
/* Index = khm_category and khm_level: the i-th choice is khm_category_label_th(i) and
 * khm_level_label_th(i) (checked by the unit test). */
static const khm_gdc_choice ch_data_category[] = {
    E("ข้อมูลสาธารณะ", "Public data"), E("ข้อมูลใช้ภายใน", "Internal-use data"),
    E("ข้อมูลส่วนบุคคล", "Personal data"), E("ข้อมูลความมั่นคง", "Security data"),
    E("ข้อมูลความลับทางราชการ", "Official-secret data"),
};
static const khm_gdc_choice ch_data_classification[] = {
    E("เปิดเผย", "Public"), E("ชั้นเผยแพร่ภายในองค์กร", "Internal"), E("ลับ", "Confidential"),
    E("ลับมาก", "Secret"), E("ลับที่สุด", "Top secret"),
};
static const khm_gdc_choice ch_license[] = {
    C("Open Data Common"), C("Creative Commons Attributions"),
    C("Creative Commons Attribution Non-Commercial"), C("Creative Commons Attribution Share-Alike"),
    C("Creative Commons Attribution Non-Commercial Share-Alike"),
    C("Creative Commons Attribution Non-Commercial No-Derivs"),
    C("Creative Commons Attribution No-Derivs"), O("อื่นๆ"),
};
static const khm_gdc_choice ch_data_support[] = {
    C("ไม่มี"), C("หน่วยงานของรัฐ"), C("หน่วยงานเอกชน"), C("หน่วยงาน/องค์กรระหว่างประเทศ"),
    C("มูลนิธิ/สมาคม"), C("สถาบันการศึกษา"), O("อื่นๆ"),
};
static const khm_gdc_choice ch_data_collect[] = {
    C("ไม่มี"), C("บุคคล"), C("ครัวเรือน/ครอบครัว"), C("บ้าน/ที่อยู่อาศัย"),
    C("บริษัท/ห้างร้าน/สถานประกอบการ"), C("อาคาร/สิ่งปลูกสร้าง"), C("พื้นที่การเกษตร ประมง ป่าไม้"),
    C("สัตว์และพันธุ์พืช"), C("ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"), C("แหล่งน้ำ เช่น แม่น้ำ อ่างเก็บน้ำ"),
    C("เส้นทางการเดินทาง เช่น ถนน ทางรถไฟ"), C("ไม่ทราบ"), O("อื่นๆ"),
};
static const khm_gdc_choice ch_language[] = {
    C("ไทย"), C("อังกฤษ"), C("จีน"), C("มลายู"), C("พม่า"), C("ลาว"), C("เขมร"), C("ญี่ปุ่น"),
    C("เกาหลี"), C("ฝรั่งเศส"), C("เยอรมัน"), C("อารบิก"), C("ไม่ทราบ"), O("อื่นๆ"),
};
static const khm_gdc_choice ch_disaggregate[] = {
    C("ไม่มี"), C("เพศ"), C("อายุ/กลุ่มอายุ"), C("สถานภาพสมรส"), C("ศาสนา"), C("ระดับการศึกษา"),
    C("อาชีพ"), C("สถานภาพการทำงาน"), C("อุตสาหกรรม/ประเภทกิจการ"), C("รายได้"),
    C("ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"), C("ผลิตภัณฑ์"), C("ไม่ทราบ"), O("อื่นๆ"),
};
static const khm_gdc_choice ch_multiplier[] = {
    C("หน่วย"), C("สิบ"), C("ร้อย"), C("พัน"), C("หมื่น"), C("แสน"), C("ล้าน"), C("สิบล้าน"),
    C("ร้อยล้าน"), C("พันล้าน"), C("หมื่นล้าน"), C("แสนล้าน"), C("ล้านล้าน"), C("ไม่ทราบ"), O("อื่นๆ"),
};
static const khm_gdc_choice ch_geographic_data_set[] = {
    C("ชั้นข้อมูลแปลงที่ดิน"), C("ชั้นข้อมูลขอบเขตการปกครอง"), C("ชั้นข้อมูลเส้นทางคมนาคม"),
    C("ชั้นข้อมูลชุมนุม/อาคาร"), C("ชั้นข้อมูลป่าไม้"), C("ชั้นข้อมูลการใช้ประโยชน์ที่ดิน"),
    C("ชั้นข้อมูลแหล่งน้ำ"), C("ชั้นข้อมูลอุทกศาสตร์"), C("ชั้นข้อมูลหมุดหลักฐานแผนที่"),
    C("ชั้นข้อมูลความสูงภูมิประเทศเชิงตัวเลข"), C("ชั้นข้อมูลภาพแผนที่ภูมิประเทศ"),
    C("ชั้นข้อมูลแผนที่ภาพถ่ายทางอากาศ"), C("ชั้นข้อมูลภาพวาดดาวเทียมดัดแก้"),
};
static const khm_gdc_choice ch_scale[] = {
    C("1:4,000"), C("1:10,000"), C("1:25,000"), C("1:50,000"), C("1:250,000"), O("อื่นๆ"),
};
/* resource_cdp (fork-specific, §3.4) stores the Thai words themselves */
static const khm_gdc_choice ch_cdp[] = {
    { "ใช่", "ใช่", "Yes", 0 }, { "ไม่ใช่", "ไม่ใช่", "No", 0 },
};
/* clang-format on */

/* ---- The dataset field table (thai-rules.md §3.2, v2.2.4 order) ------------------------ */

#define ALL   KHM_GDC_SHOWN_ALL
#define REC   KHM_GDC_SHOWN(KHM_GDC_TYPE_RECORD)
#define STAT  KHM_GDC_SHOWN(KHM_GDC_TYPE_STAT)
#define GEO   KHM_GDC_SHOWN(KHM_GDC_TYPE_GEO)
#define MULTI KHM_GDC_SHOWN(KHM_GDC_TYPE_MULTI)
#define OTHER KHM_GDC_SHOWN(KHM_GDC_TYPE_OTHER)
#define RMO   (REC | MULTI | OTHER)

#define REQ  KHM_GDC_F_REQUIRED
#define MUL  KHM_GDC_F_MULTI
#define CORE KHM_GDC_F_CORE

/* Row makers: text-like (max code points), choice, number (range), `*_other` companion. */
/* clang-format off */
#define TXT(n, th, en, vt, shown, fl, max) { n, th, en, vt, shown, fl, NULL, 0, max, 0, 0, NULL }
#define CHO(n, th, en, shown, fl, ch)      { n, th, en, KHM_GDC_V_CHOICE, shown, fl, CHOICES(ch), 0, 0, 0, NULL }
#define NUM(n, th, en, vt, shown, lo, hi)  { n, th, en, vt, shown, 0, NULL, 0, 0, lo, hi, NULL }
#define OTH(n, th, en, shown, of)          { n, th, en, KHM_GDC_V_TEXT, shown, KHM_GDC_F_OTHER, NULL, 0, 500, 0, 0, of }
/* clang-format on */

/* Years of statistics: Thai agencies publish them in the Buddhist era (2566) as often as in the
 * Christian era (2023), and the schema leaves the field free text, so both are accepted. */
#define YEAR_MIN 1000
#define YEAR_MAX 2700
/* A date's year at or past this is a Buddhist-era year typed into a Christian-era date picker
 * (BE 2400 = CE 1857; no catalog date is that far in the future). */
#define BE_DATE_FROM 2400
#define BE_OFFSET    543

/* Thai labels marked "ours" are not in the schema (it gives only an English label for name,
 * owner_org, notes and license_id): they are the words data.go.th shows. */
/* clang-format off */
static const khm_gdc_field dataset_fields[] = {
    CHO("data_type", "ประเภทชุดข้อมูล", "Data Type", ALL, REQ, ch_data_type),
    OTH("data_type_other", "ประเภทชุดข้อมูล (อื่นๆ โปรดระบุ)", "Data Type (other, specify)", OTHER, "data_type"),
    TXT("title", "ชื่อชุดข้อมูล", "Dataset Name", KHM_GDC_V_TEXT, ALL, REQ, 500),
    TXT("name", "URL ชุดข้อมูล" /* ours */, "URL", KHM_GDC_V_SLUG, ALL, CORE, 100),
    TXT("owner_org", "หน่วยงาน" /* ours */, "Organization", KHM_GDC_V_TEXT, ALL, CORE, 200),
    CHO("allow_harvest", "ยินยอมให้นำชื่อชุดข้อมูลไปใช้ที่ GD-Catalog", "Allow for harvest to GD-Catalog", ALL, 0, ch_allow_harvest),
    TXT("reference_url_catalog", "อ้างอิง URL Catalog", "Reference URL Catalog", KHM_GDC_V_URL, ALL, 0, 2000),
    TXT("maintainer", "ชื่อฝ่ายงานสำหรับติดต่อ", "Contact Person", KHM_GDC_V_TEXT, ALL, REQ, 200),
    TXT("maintainer_email", "อีเมลสำหรับติดต่อ", "Contact Email", KHM_GDC_V_EMAIL, ALL, REQ, 254),
    TXT("tag_string", "คำสำคัญ", "Tags", KHM_GDC_V_TAGS, ALL, REQ, 100),
    TXT("notes", "คำอธิบายชุดข้อมูล" /* ours */, "Description", KHM_GDC_V_LONG_TEXT, ALL, REQ, 20000),
    CHO("objective", "วัตถุประสงค์", "Objective", ALL, REQ | MUL, ch_objective),
    OTH("objective_other", "วัตถุประสงค์ (อื่นๆ โปรดระบุ)", "Objective (other, specify)", ALL, "objective"),
    CHO("update_frequency_unit", "หน่วยความถี่ของการปรับปรุงข้อมูล", "Update Frequency Unit", ALL, REQ, ch_update_unit),
    OTH("update_frequency_unit_other", "หน่วยความถี่ของการปรับปรุงข้อมูล (อื่นๆ โปรดระบุ)", "Update Frequency Unit (other, specify)", ALL, "update_frequency_unit"),
    NUM("update_frequency_interval", "ค่าความถี่ของการปรับปรุงข้อมูล (ความถี่น้อยที่สุด)", "Update Frequency Interval", KHM_GDC_V_INTEGER, ALL, 1, 1000000),
    CHO("geo_coverage", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "Geo Coverage", ALL, REQ, ch_geo_coverage),
    OTH("geo_coverage_other", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่ (อื่นๆ โปรดระบุ)", "Geo Coverage (other, specify)", ALL, "geo_coverage"),
    TXT("data_source", "แหล่งที่มา", "Data Source", KHM_GDC_V_TEXT, ALL, REQ, 1000),
    CHO("data_format", "รูปแบบการเก็บข้อมูล", "Data Format", ALL, REQ | MUL, ch_data_format),
    OTH("data_format_other", "รูปแบบการเก็บข้อมูล (อื่นๆ โปรดระบุ)", "Data Format (other, specify)", ALL, "data_format"),
    CHO("data_category", "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "Data Category", ALL, REQ, ch_data_category),
    CHO("data_classification", "ระดับชั้นข้อมูล", "Data Classification", ALL, 0, ch_data_classification),
    CHO("license_id", "สัญญาอนุญาต" /* ours */, "License", ALL, REQ, ch_license),
    OTH("license_id_other", "สัญญาอนุญาต (อื่นๆ โปรดระบุ)", "License (other, specify)", ALL, "license_id"),
    TXT("accessible_condition", "เงื่อนไขในการเข้าถึงข้อมูล", "Accessible Condition", KHM_GDC_V_LONG_TEXT, ALL, 0, 5000),
    CHO("data_support", "ผู้สนับสนุนหรือผู้ร่วมดำเนินการ", "Data Support", RMO, 0, ch_data_support),
    OTH("data_support_other", "ผู้สนับสนุนหรือผู้ร่วมดำเนินการ (อื่นๆ โปรดระบุ)", "Data Support (other, specify)", RMO, "data_support"),
    CHO("data_collect", "หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล", "Data Collect", RMO, 0, ch_data_collect),
    OTH("data_collect_other", "หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล (อื่นๆ โปรดระบุ)", "Data Collect (other, specify)", RMO, "data_collect"),
    TXT("url", "URL", "URL", KHM_GDC_V_URL, ALL, 0, 2000),
    CHO("data_language", "ภาษาที่ใช้", "Data Language", ALL, MUL, ch_language),
    OTH("data_language_other", "ภาษาที่ใช้ (อื่นๆ โปรดระบุ)", "Data Language (other, specify)", ALL, "data_language"),
    TXT("created_date", "วันที่เริ่มต้นสร้าง", "Created date", KHM_GDC_V_DATE, RMO, 0, 0),
    TXT("last_updated_date", "วันที่ปรับปรุงข้อมูลล่าสุด", "Last updated date", KHM_GDC_V_DATE, ALL, 0, 0),
    TXT("data_release_calendar", "วันที่กำหนดเผยแพร่ข้อมูล", "Data release calendar", KHM_GDC_V_DATE, STAT | GEO, 0, 0),
    NUM("first_year_of_data", "ปีข้อมูลที่เริ่มต้นจัดทำ (สำหรับชุดข้อมูลสถิติ)", "First year of data (Statistical data)", KHM_GDC_V_YEAR, STAT, YEAR_MIN, YEAR_MAX),
    NUM("last_year_of_data", "ปีข้อมูลล่าสุดที่เผยแพร่ (สำหรับชุดข้อมูลสถิติ)", "Last year of data (Statistical data)", KHM_GDC_V_YEAR, STAT, YEAR_MIN, YEAR_MAX),
    CHO("disaggregate", "การจัดจำแนก (สำหรับชุดข้อมูลสถิติ)", "Disaggregate (Statistical data)", STAT, MUL, ch_disaggregate),
    OTH("disaggregate_other", "การจัดจำแนก (อื่นๆ โปรดระบุ)", "Disaggregate (other, specify)", STAT, "disaggregate"),
    TXT("unit_of_measure", "หน่วยวัด (สำหรับชุดข้อมูลสถิติ)", "Unit of measure (Statistical data)", KHM_GDC_V_TEXT, STAT, 0, 200),
    CHO("unit_of_multiplier", "หน่วยตัวคูณ (สำหรับชุดข้อมูลสถิติ)", "Unit of multiplier (Statistical data)", STAT, 0, ch_multiplier),
    OTH("unit_of_multiplier_other", "หน่วยตัวคูณ (อื่นๆ โปรดระบุ)", "Unit of multiplier (other, specify)", STAT, "unit_of_multiplier"),
    TXT("calculation_method", "วิธีการคำนวณ (สำหรับชุดข้อมูลสถิติ)", "Calculation method (Statistical data)", KHM_GDC_V_LONG_TEXT, STAT, 0, 10000),
    TXT("standard", "มาตรฐานการจัดทำข้อมูล (สำหรับชุดข้อมูลสถิติ)", "Standard (Statistical data)", KHM_GDC_V_TEXT, STAT, 0, 1000),
    CHO("geographic_data_set", "ชุดข้อมูลภูมิศาสตร์ (สำหรับชุดข้อมูลภูมิศาสตร์สารสนเทศ)", "Geographic dataset (Geoinformatics data)", GEO, 0, ch_geographic_data_set),
    CHO("equivalent_scale", "มาตราส่วน (สำหรับชุดข้อมูลภูมิศาสตร์สารสนเทศ)", "Equivalent scale (Geoinformatics data)", GEO, 0, ch_scale),
    OTH("equivalent_scale_other", "มาตราส่วน (อื่นๆ โปรดระบุ)", "Equivalent scale (other, specify)", GEO, "equivalent_scale"),
    /* "north/south_bound_longitude" are latitudes; the names are GD-Catalog's and are kept */
    NUM("west_bound_longitude", "ค่าพิกัดกรอบพื้นที่ด้านทิศตะวันตก (สำหรับชุดข้อมูลภูมิศาสตร์สารสนเทศ)", "West bound longitude (Geoinformatics data)", KHM_GDC_V_NUMBER, GEO, -180, 180),
    NUM("east_bound_longitude", "ค่าพิกัดกรอบพื้นที่ด้านทิศตะวันออก (สำหรับชุดข้อมูลภูมิศาสตร์สารสนเทศ)", "East bound longitude (Geoinformatics data)", KHM_GDC_V_NUMBER, GEO, -180, 180),
    NUM("north_bound_longitude", "ค่าพิกัดกรอบพื้นที่ด้านทิศเหนือ (สำหรับชุดข้อมูลภูมิศาสตร์สารสนเทศ)", "North bound longitude (Geoinformatics data)", KHM_GDC_V_NUMBER, GEO, -90, 90),
    NUM("south_bound_longitude", "ค่าพิกัดกรอบพื้นที่ด้านทิศใต้ (สำหรับชุดข้อมูลภูมิศาสตร์สารสนเทศ)", "South bound longitude (Geoinformatics data)", KHM_GDC_V_NUMBER, GEO, -90, 90),
    TXT("positional_accuracy", "ความถูกต้องของตำแหน่ง (สำหรับชุดข้อมูลภูมิศาสตร์สารสนเทศ)", "Positional accuracy (Geoinformatics data)", KHM_GDC_V_TEXT, GEO, 0, 200),
    TXT("reference_period", "เวลาอ้างอิง (สำหรับชุดข้อมูลภูมิศาสตร์สารสนเทศ)", "Reference period (Geoinformatics data)", KHM_GDC_V_TEXT, GEO, 0, 200),
    TXT("data_release_date", "วันที่เผยแพร่ข้อมูล (สำหรับชุดข้อมูลภูมิศาสตร์สารสนเทศ)", "Data release date (Geoinformatics data)", KHM_GDC_V_DATE, GEO, 0, 0),
    CHO("high_value_dataset", "ชุดข้อมูลที่มีคุณค่าสูง", "High Value Dataset", RMO, 0, ch_yes_no),
    CHO("reference_data", "ข้อมูลอ้างอิง", "Reference Data", RMO, 0, ch_yes_no),
    CHO("official_statistics", "สถิติทางการ", "Official Statistics", STAT, 0, ch_yes_no),
};

/* §3.4. Thai labels of url, name, description and format are ours (the schema has English only). */
static const khm_gdc_field resource_fields[] = {
    TXT("url", "URL", "URL", KHM_GDC_V_URL, ALL, REQ, 2000),
    TXT("name", "ชื่อทรัพยากร" /* ours */, "Name", KHM_GDC_V_TEXT, ALL, REQ, 500),
    TXT("description", "คำอธิบาย" /* ours */, "Description", KHM_GDC_V_LONG_TEXT, ALL, 0, 20000),
    TXT("resource_accessible_condition", "เงื่อนไขในการเข้าถึงข้อมูล", "Accessible Condition", KHM_GDC_V_LONG_TEXT, ALL, 0, 5000),
    CHO("resource_data_collect", "หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล", "Data Collect", RMO, 0, ch_data_collect),
    OTH("resource_data_collect_other", "หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล (อื่นๆ โปรดระบุ)", "Data Collect (other, specify)", RMO, "resource_data_collect"),
    CHO("resource_cdp", "หน่วยต้องการส่งข้อมูลมาที่ CDP หรือไม่", "CDP", ALL, 0, ch_cdp),
    NUM("resource_first_year_of_data", "ปีข้อมูลที่เริ่มต้นจัดทำ", "First year of data", KHM_GDC_V_YEAR, STAT, YEAR_MIN, YEAR_MAX),
    NUM("resource_last_year_of_data", "ปีข้อมูลล่าสุดที่เผยแพร่", "Last year of data", KHM_GDC_V_YEAR, STAT, YEAR_MIN, YEAR_MAX),
    CHO("resource_disaggregate", "การจัดจำแนก", "Disaggregate", STAT, MUL, ch_disaggregate),
    OTH("resource_disaggregate_other", "การจัดจำแนก (อื่นๆ โปรดระบุ)", "Disaggregate (other, specify)", STAT, "resource_disaggregate"),
    TXT("resource_unit_of_measure", "หน่วยวัด", "Unit of measure", KHM_GDC_V_TEXT, STAT, 0, 200),
    CHO("resource_unit_of_multiplier", "หน่วยตัวคูณ", "Unit of multiplier", STAT, 0, ch_multiplier),
    OTH("resource_unit_of_multiplier_other", "หน่วยตัวคูณ (อื่นๆ โปรดระบุ)", "Unit of multiplier (other, specify)", STAT, "resource_unit_of_multiplier"),
    CHO("resource_geographic_data_set", "ชุดข้อมูลภูมิศาสตร์", "Geographic dataset", GEO, 0, ch_geographic_data_set),
    CHO("resource_equivalent_scale", "มาตราส่วน", "Equivalent scale", GEO, 0, ch_scale),
    OTH("resource_equivalent_scale_other", "มาตราส่วน (อื่นๆ โปรดระบุ)", "Equivalent scale (other, specify)", GEO, "resource_equivalent_scale"),
    TXT("resource_positional_accuracy", "ความถูกต้องของตำแหน่ง", "Positional accuracy", KHM_GDC_V_TEXT, GEO, 0, 200),
    TXT("resource_created_date", "วันที่เริ่มต้นสร้าง", "Created date", KHM_GDC_V_DATE, REC | GEO | MULTI | OTHER, 0, 0),
    TXT("resource_last_updated_date", "วันที่ปรับปรุงข้อมูลล่าสุด", "Last updated date", KHM_GDC_V_DATE, ALL, 0, 0),
    TXT("resource_data_release_calendar", "วันที่กำหนดเผยแพร่ข้อมูล", "Data release calendar", KHM_GDC_V_DATE, STAT, 0, 0),
    CHO("resource_official_statistics", "สถิติทางการ", "Official Statistics", STAT, 0, ch_yes_no),
    TXT("resource_data_release_date", "วันที่เผยแพร่ข้อมูล", "Data release date", KHM_GDC_V_DATE, GEO, 0, 0),
    TXT("format", "รูปแบบไฟล์" /* ours */, "Format", KHM_GDC_V_TEXT, ALL, REQ, 100),
};
/* clang-format on */

size_t khm_gdc_field_count(void)
{
    return COUNT(dataset_fields);
}

const khm_gdc_field *khm_gdc_field_at(size_t i)
{
    return i < COUNT(dataset_fields) ? &dataset_fields[i] : NULL;
}

static const khm_gdc_field *find_in(const khm_gdc_field *t, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return &t[i];
    return NULL;
}

const khm_gdc_field *khm_gdc_field_find(const char *name)
{
    return find_in(dataset_fields, COUNT(dataset_fields), name);
}

size_t khm_gdc_resource_field_count(void)
{
    return COUNT(resource_fields);
}

const khm_gdc_field *khm_gdc_resource_field_at(size_t i)
{
    return i < COUNT(resource_fields) ? &resource_fields[i] : NULL;
}

const khm_gdc_field *khm_gdc_resource_field_find(const char *name)
{
    return find_in(resource_fields, COUNT(resource_fields), name);
}

int khm_gdc_field_shown(const khm_gdc_field *f, int data_type)
{
    if (data_type < 0 || data_type >= KHM_GDC_TYPE__COUNT)
        return 1;
    return (f->shown_for & KHM_GDC_SHOWN(data_type)) != 0;
}

const khm_gdc_choice *khm_gdc_choice_find(const khm_gdc_field *f, const char *value)
{
    for (size_t i = 0; value && i < f->n_choices; i++)
        if (strcmp(f->choices[i].value, value) == 0)
            return &f->choices[i];
    return NULL;
}

/* ---- JSON schema ----------------------------------------------------------------------- */

static void jw_number(khm_jw *w, double d)
{
    char num[40];
    int n = snprintf(num, sizeof(num), "%.15g", d);
    if (strtod(num, NULL) != d)
        n = snprintf(num, sizeof(num), "%.17g", d);
    khm_jw_raw(w, num, (size_t)n);
}

void khm_gdc_field_write_json(khm_jw *w, const khm_gdc_field *f)
{
    khm_jw_obj(w);
    khm_jw_key(w, "name");
    khm_jw_str(w, f->name);
    khm_jw_key(w, "label_th");
    khm_jw_str(w, f->label_th);
    khm_jw_key(w, "label_en");
    khm_jw_str(w, f->label_en);
    khm_jw_key(w, "type");
    khm_jw_str(w, khm_gdc_value_type_name(f->type));
    khm_jw_key(w, "required");
    khm_jw_bool(w, (f->flags & KHM_GDC_F_REQUIRED) != 0);
    khm_jw_key(w, "multiple");
    khm_jw_bool(w, (f->flags & KHM_GDC_F_MULTI) != 0 || f->type == KHM_GDC_V_TAGS);
    khm_jw_key(w, "shown_for");
    khm_jw_arr(w);
    for (int t = 0; t < KHM_GDC_TYPE__COUNT; t++)
        if (khm_gdc_field_shown(f, t))
            khm_jw_str(w, data_types[t].value);
    khm_jw_arr_end(w);
    khm_jw_key(w, "choices");
    if (f->choices) {
        khm_jw_arr(w);
        for (size_t i = 0; i < f->n_choices; i++) {
            khm_jw_obj(w);
            khm_jw_key(w, "value");
            khm_jw_str(w, f->choices[i].value);
            khm_jw_key(w, "label_th");
            khm_jw_str(w, f->choices[i].label_th);
            khm_jw_key(w, "label_en");
            khm_jw_str(w, f->choices[i].label_en);
            khm_jw_key(w, "other");
            khm_jw_bool(w, f->choices[i].other);
            khm_jw_obj_end(w);
        }
        khm_jw_arr_end(w);
    } else {
        khm_jw_null(w);
    }
    khm_jw_key(w, "max_length");
    if (f->max_len)
        khm_jw_int(w, (int64_t)f->max_len);
    else
        khm_jw_null(w);
    if (f->type == KHM_GDC_V_YEAR || f->type == KHM_GDC_V_INTEGER || f->type == KHM_GDC_V_NUMBER) {
        khm_jw_key(w, "min");
        jw_number(w, f->min);
        khm_jw_key(w, "max");
        jw_number(w, f->max);
    }
    khm_jw_key(w, "other_of");
    khm_jw_str(w, f->other_of);
    khm_jw_obj_end(w);
}

void khm_gdc_schema_write_json(khm_jw *w)
{
    khm_jw_obj(w);
    khm_jw_key(w, "version");
    khm_jw_str(w, KHM_GDC_SCHEMA_VERSION);
    khm_jw_key(w, "data_types");
    khm_jw_arr(w);
    for (int t = 0; t < KHM_GDC_TYPE__COUNT; t++) {
        khm_jw_obj(w);
        khm_jw_key(w, "value");
        khm_jw_str(w, data_types[t].value);
        khm_jw_key(w, "name");
        khm_jw_str(w, data_types[t].name);
        khm_jw_key(w, "label_en");
        khm_jw_str(w, data_types[t].label_en);
        khm_jw_obj_end(w);
    }
    khm_jw_arr_end(w);
    khm_jw_key(w, "dataset_fields");
    khm_jw_arr(w);
    for (size_t i = 0; i < COUNT(dataset_fields); i++)
        khm_gdc_field_write_json(w, &dataset_fields[i]);
    khm_jw_arr_end(w);
    khm_jw_key(w, "resource_fields");
    khm_jw_arr(w);
    for (size_t i = 0; i < COUNT(resource_fields); i++)
        khm_gdc_field_write_json(w, &resource_fields[i]);
    khm_jw_arr_end(w);
    khm_jw_obj_end(w);
}

/* ---- Classification (thai-rules.md §2.3) ----------------------------------------------- */

#define LV(l) (1u << (l))
/* The combinations the GD-Catalog form allows (data_category.html, data_classification.html). */
static const unsigned allowed_levels[KHM_CAT__COUNT] = {
    [KHM_CAT_PUBLIC] = LV(KHM_LEVEL_PUBLIC),
    [KHM_CAT_INTERNAL] = LV(KHM_LEVEL_INTERNAL),
    [KHM_CAT_PERSONAL] = LV(KHM_LEVEL_INTERNAL) | LV(KHM_LEVEL_CONFIDENTIAL) | LV(KHM_LEVEL_SECRET),
    [KHM_CAT_SECURITY] =
        LV(KHM_LEVEL_CONFIDENTIAL) | LV(KHM_LEVEL_SECRET) | LV(KHM_LEVEL_TOP_SECRET),
    [KHM_CAT_OFFICIAL_SECRET] =
        LV(KHM_LEVEL_CONFIDENTIAL) | LV(KHM_LEVEL_SECRET) | LV(KHM_LEVEL_TOP_SECRET),
};

unsigned khm_gdc_levels_allowed(int category)
{
    return category >= 0 && category < KHM_CAT__COUNT ? allowed_levels[category] : 0;
}

int khm_gdc_level_allowed(int category, int level)
{
    return level >= 0 && level < KHM_LEVEL__COUNT && (khm_gdc_levels_allowed(category) & LV(level));
}

int khm_gdc_level_default(int category)
{
    unsigned m = khm_gdc_levels_allowed(category);
    for (int l = 0; l < KHM_LEVEL__COUNT; l++)
        if (m & LV(l))
            return l;
    return -1;
}

const char *khm_gdc_accessible_condition_default(int category)
{
    if (category == KHM_CAT_PUBLIC)
        return "ไม่มีการจำกัดการเข้าถึงข้อมูล";
    if (category == KHM_CAT_INTERNAL)
        return "";
    return NULL;
}

/* "ลับ, ลับมาก, ลับที่สุด" */
static void level_list(char *out, size_t cap, unsigned mask)
{
    size_t len = 0;
    out[0] = '\0';
    for (int l = 0; l < KHM_LEVEL__COUNT; l++)
        if (mask & LV(l)) {
            int n = snprintf(out + len, cap - len, "%s%s", len ? ", " : "", khm_level_label_th(l));
            if (n < 0 || (size_t)n >= cap - len)
                return;
            len += (size_t)n;
        }
}

int khm_gdc_classification_check(int category, int level, const char *category_field,
                                 const char *level_field)
{
    const char *cf = category_field ? category_field : "data_category";
    const char *lf = level_field ? level_field : "data_classification";
    if (category < 0 || category >= KHM_CAT__COUNT)
        return khm_err_field(cf, "หมวดหมู่ข้อมูลไม่ถูกต้อง", "unknown data category");
    if (level < 0 || level >= KHM_LEVEL__COUNT)
        return khm_err_field(lf, "ระดับชั้นข้อมูลไม่ถูกต้อง", "unknown classification level");
    if (khm_gdc_level_allowed(category, level))
        return 0;
    const char *cat = khm_category_label_th(category), *lev = khm_level_label_th(level);
    char list[256], th[1024];
    level_list(list, sizeof(list), allowed_levels[category]);
    snprintf(th, sizeof(th),
             "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ (Data Category) '%s' ใช้กับระดับชั้นข้อมูล '%s' "
             "ไม่ได้ (ระดับชั้นที่ใช้ได้: %s)",
             cat, lev, list);
    khm_err_field(cf, th,
                  "Data Category (หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ): '%s' (%s) does not allow "
                  "the classification level '%s' (%s) given in %s (allowed levels: %s)",
                  cat, khm_category_name(category), lev, khm_level_name(level), lf, list);
    snprintf(th, sizeof(th),
             "ระดับชั้นข้อมูล (Data Classification) '%s' ใช้กับหมวดหมู่ข้อมูล '%s' ไม่ได้ "
             "(ระดับชั้นที่ใช้ได้กับหมวดหมู่นี้: %s)",
             lev, cat, list);
    return khm_err_field(lf, th,
                         "Data Classification (ระดับชั้นข้อมูล): '%s' (%s) is not allowed for the "
                         "data category '%s' (%s) given in %s (allowed levels: %s)",
                         lev, khm_level_name(level), cat, khm_category_name(category), cf, list);
}

static int choice_index(const khm_gdc_field *f, const json_t *v)
{
    const khm_gdc_choice *c =
        json_is_string(v) ? khm_gdc_choice_find(f, json_string_value(v)) : NULL;
    return c ? (int)(c - f->choices) : -1;
}

void khm_gdc_classification_get(const json_t *metadata, int *category, int *level)
{
    *category = *level = -1;
    if (!json_is_object(metadata))
        return;
    *category = choice_index(khm_gdc_field_find("data_category"),
                             json_object_get(metadata, "data_category"));
    *level = choice_index(khm_gdc_field_find("data_classification"),
                          json_object_get(metadata, "data_classification"));
}

int khm_gdc_data_type_of(const json_t *metadata)
{
    const json_t *v = json_is_object(metadata) ? json_object_get(metadata, "data_type") : NULL;
    return json_is_string(v) ? data_type_lookup(json_string_value(v)) : -1;
}

/* ---- C/I/A (thai-rules.md §2.6) -------------------------------------------------------- */

static const struct {
    const char *name, *label_th;
} impacts[KHM_GDC_IMPACT__COUNT] = {
    [KHM_GDC_IMPACT_LOW] = { "low", "ต่ำ" },
    [KHM_GDC_IMPACT_MEDIUM] = { "medium", "ปานกลาง" },
    [KHM_GDC_IMPACT_HIGH] = { "high", "สูง" },
};

const char *khm_gdc_impact_name(int impact)
{
    return impact >= 0 && impact < KHM_GDC_IMPACT__COUNT ? impacts[impact].name : NULL;
}

const char *khm_gdc_impact_label_th(int impact)
{
    return impact >= 0 && impact < KHM_GDC_IMPACT__COUNT ? impacts[impact].label_th : NULL;
}

int khm_gdc_impact_parse(const char *s, int *out, const char *field)
{
    for (int i = 0; s && i < KHM_GDC_IMPACT__COUNT; i++)
        if (strcmp(s, impacts[i].name) == 0 || strcmp(s, impacts[i].label_th) == 0) {
            *out = i;
            return 0;
        }
    return khm_err_field(field ? field : "impact",
                         "ระดับผลกระทบไม่ถูกต้อง (ต่ำ, ปานกลาง, สูง หรือ low, medium, high)",
                         "unknown impact level '%s' (allowed: low, medium, high)", s ? s : "");
}

int khm_gdc_cia_category(const khm_gdc_cia *cia)
{
    int v[3] = { cia->confidentiality, cia->integrity, cia->availability }, max = -1;
    for (int i = 0; i < 3; i++) {
        if (v[i] < 0 || v[i] >= KHM_GDC_IMPACT__COUNT)
            return -1;
        if (v[i] > max)
            max = v[i];
    }
    return max;
}

static const struct {
    const char *key, *label_th;
} cia_keys[3] = {
    { "confidentiality", "การรักษาความลับ (Confidentiality)" },
    { "integrity", "ความถูกต้องครบถ้วน (Integrity)" },
    { "availability", "สภาพพร้อมใช้งาน (Availability)" },
};

int khm_gdc_cia_from_json(khm_gdc_cia *out, const json_t *obj, const char *prefix)
{
    const char *p = prefix ? prefix : "";
    char field[128], th[512];
    int bad = 0;
    int *dst[3] = { &out->confidentiality, &out->integrity, &out->availability };
    out->confidentiality = out->integrity = out->availability = -1;
    if (!json_is_object(obj)) {
        snprintf(field, sizeof(field), "%.*s",
                 (int)(strlen(p) && p[strlen(p) - 1] == '.' ? strlen(p) - 1 : strlen(p)), p);
        return khm_err_field(*field ? field : "cia", "ผลกระทบด้านความมั่นคงปลอดภัยต้องเป็นออบเจกต์ JSON",
                             "must be an object {confidentiality, integrity, availability}");
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)obj, key, v)
    {
        int known = 0;
        for (int i = 0; i < 3; i++)
            known |= strcmp(key, cia_keys[i].key) == 0;
        if (!known) {
            snprintf(field, sizeof(field), "%s%s", p, key);
            bad =
                khm_err_field(field, "ไม่รู้จักฟิลด์นี้ (ใช้ได้: confidentiality, integrity, availability)",
                              "unknown field (allowed: confidentiality, integrity, availability)");
        }
    }
    for (int i = 0; i < 3; i++) {
        snprintf(field, sizeof(field), "%s%s", p, cia_keys[i].key);
        v = json_object_get(obj, cia_keys[i].key);
        if (!v || json_is_null(v)) {
            snprintf(th, sizeof(th), "ต้องระบุระดับผลกระทบด้าน%s", cia_keys[i].label_th);
            bad = khm_err_field(field, th, "is required (low, medium or high)");
        } else if (!json_is_string(v)) {
            snprintf(th, sizeof(th), "%s ต้องเป็นข้อความ ต่ำ, ปานกลาง หรือ สูง", cia_keys[i].label_th);
            bad = khm_err_field(field, th, "must be a string: low, medium or high");
        } else if (khm_gdc_impact_parse(json_string_value(v), dst[i], field) < 0) {
            bad = KHM_EINVALID;
        }
    }
    return bad ? KHM_EINVALID : 0;
}

void khm_gdc_cia_write_json(khm_jw *w, const khm_gdc_cia *cia)
{
    khm_jw_obj(w);
    khm_jw_key(w, "confidentiality");
    khm_jw_str(w, khm_gdc_impact_name(cia->confidentiality));
    khm_jw_key(w, "integrity");
    khm_jw_str(w, khm_gdc_impact_name(cia->integrity));
    khm_jw_key(w, "availability");
    khm_jw_str(w, khm_gdc_impact_name(cia->availability));
    khm_jw_key(w, "category");
    khm_jw_str(w, khm_gdc_impact_name(khm_gdc_cia_category(cia)));
    khm_jw_obj_end(w);
}

/* ---- Validation -------------------------------------------------------------------------- */

/* Messages may list every allowed value (up to ~1.3 KB of Thai); err.c keeps 2 KB per message. */
#define LIST_MAX 1536

typedef struct {
    const char *prefix; /* never NULL */
    int bad;            /* problems found */
} vctx;

/* One field error on @p f: "<label_en> (<label_th>): <en>" and "<label_th> (<label_en>): <th>". */
static void report(vctx *c, const khm_gdc_field *f, const char *th, const char *en)
{
    char field[128], thm[2048];
    snprintf(field, sizeof(field), "%s%s", c->prefix, f->name);
    snprintf(thm, sizeof(thm), "%s (%s): %s", f->label_th, f->label_en, th);
    khm_err_field(field, thm, "%s (%s): %s", f->label_en, f->label_th, en);
    c->bad++;
}

/* @p s[0..n) cut to 60 code points for quoting in a message (never inside a character). */
static const char *clip_n(const char *s, size_t n, char *out, size_t cap)
{
    size_t i = 0, cps = 0;
    while (i < n && cps < 60) {
        uint32_t cp;
        size_t k = khm_utf8_decode(s + i, n - i, &cp);
        i += k ? k : 1;
        cps++;
    }
    snprintf(out, cap, "%.*s%s", (int)i, s, i < n ? "…" : "");
    return out;
}

/* @p s cut to 60 code points for quoting in a message. */
static const char *clip(const char *s, char *out, size_t cap)
{
    return clip_n(s, strlen(s), out, cap);
}

/* "a, b, False (ไม่ยินยอม / No), …" */
static void choice_list(const khm_gdc_field *f, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < f->n_choices; i++) {
        const khm_gdc_choice *ch = &f->choices[i];
        int n;
        if (strcmp(ch->value, ch->label_th) != 0)
            n = snprintf(out + len, cap - len, "%s%s (%s / %s)", i ? ", " : "", ch->value,
                         ch->label_th, ch->label_en ? ch->label_en : "");
        else
            n = snprintf(out + len, cap - len, "%s%s", i ? ", " : "", ch->value);
        if (n < 0 || (size_t)n >= cap - len)
            return;
        len += (size_t)n;
    }
}

static void shown_list(const khm_gdc_field *f, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int t = 0; t < KHM_GDC_TYPE__COUNT; t++)
        if (khm_gdc_field_shown(f, t)) {
            int n = snprintf(out + len, cap - len, "%s%s", len ? ", " : "", data_types[t].value);
            if (n < 0 || (size_t)n >= cap - len)
                return;
            len += (size_t)n;
        }
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

/* null, "", "   " and [] count as absent */
static int empty(const json_t *v)
{
    return !v || json_is_null(v) || (json_is_string(v) && blank(json_string_value(v))) ||
           (json_is_array(v) && json_array_size(v) == 0);
}

/* Valid UTF-8 (jansson guarantees it for strings it parsed; checked anyway for built values),
 * no control characters except, in long text, tab and line breaks; *@p cps: its characters.
 * OPTIMIZATION: the characters are counted in the pass that looks for control characters (the
 * bytes that do not continue a sequence, which in valid UTF-8 is khm_utf8_length) — a catalog
 * import checks every string of every dataset, and a separate count was a third pass. */
static int text_chars_ok(const char *s, size_t n, int long_text, size_t *cps)
{
    if (!khm_utf8_valid(s, n, NULL))
        return 0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == 0x7f || (ch < 0x20 && !(long_text && (ch == '\n' || ch == '\r' || ch == '\t'))))
            return 0;
        count += (ch & 0xC0) != 0x80;
    }
    *cps = count;
    return 1;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* 0 ok, 1 malformed, 2 Buddhist-era year (*year receives it) */
static int date_check(const char *s, int *year)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
        !digits(s + 8, 2))
        return 1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    *year = y;
    if (m < 1 || m > 12 || d < 1)
        return 1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return 1;
    if (y >= BE_DATE_FROM)
        return 2;
    return y < YEAR_MIN;
}

/* http(s)://host[:port][/...]: a host of letters, digits, '-', '.', or non-ASCII (IDN), and
 * no spaces or control characters anywhere. Thai in the path is kept as typed. */
static int url_ok(const char *s)
{
    const char *p;
    if (strncmp(s, "https://", 8) == 0)
        p = s + 8;
    else if (strncmp(s, "http://", 7) == 0)
        p = s + 7;
    else
        return 0;
    for (const char *q = s; *q; q++)
        if ((unsigned char)*q <= 0x20 || *q == 0x7f)
            return 0;
    size_t host = 0;
    while (*p && *p != '/' && *p != ':' && *p != '?' && *p != '#') {
        unsigned char ch = (unsigned char)*p;
        if (!(ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
            return 0;
        p++;
        host++;
    }
    if (host == 0)
        return 0;
    if (*p == ':') {
        size_t nd = 0;
        for (p++; *p >= '0' && *p <= '9'; p++)
            nd++;
        if (nd == 0 || nd > 5 || (*p && *p != '/' && *p != '?' && *p != '#'))
            return 0;
    }
    return 1;
}

/* CKAN's email_validator pattern: [a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@ then dot-separated labels
 * of letters, digits and inner hyphens, each ≤ 63. */
static int email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || at - s > 64 || strchr(at + 1, '@'))
        return 0;
    for (const char *p = s; p < at; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr(".!#$%&'*+/=?^_`{|}~-", *p)))
            return 0;
    const char *d = at + 1;
    if (!*d)
        return 0;
    while (*d) {
        const char *e = d;
        while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') ||
               *e == '-')
            e++;
        size_t n = (size_t)(e - d);
        if (n == 0 || n > 63 || d[0] == '-' || e[-1] == '-')
            return 0;
        if (*e == '.')
            e++;
        else if (*e)
            return 0;
        else
            break;
        if (!*e)
            return 0; /* trailing dot */
        d = e;
    }
    return 1;
}

static int slug_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 100)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
              s[i] == '_'))
            return 0;
    return 1;
}

/* Check one string of a text-like field (or one item of a multi-select or tag list). */
static int check_string(vctx *c, const khm_gdc_field *f, const char *s, size_t n)
{
    char th[LIST_MAX + 512], en[LIST_MAX + 512], q[256];
    size_t cps = 0;
    int long_text = f->type == KHM_GDC_V_LONG_TEXT;
    if (!text_chars_ok(s, n, long_text, &cps)) {
        report(c, f,
               long_text ? "ต้องเป็นข้อความที่ไม่มีอักขระควบคุม" : "ต้องเป็นข้อความบรรทัดเดียว ไม่มีอักขระควบคุม",
               long_text ? "must be text without control characters"
                         : "must be one line of text without control characters");
        return 0;
    }
    if (f->max_len && cps > f->max_len && f->type != KHM_GDC_V_CHOICE) {
        snprintf(th, sizeof(th), "ยาวเกิน %zu ตัวอักษร (มี %zu ตัว)", f->max_len, cps);
        snprintf(en, sizeof(en), "must be at most %zu characters (got %zu)", f->max_len, cps);
        report(c, f, th, en);
        return 0;
    }
    int year = 0;
    switch (f->type) {
    case KHM_GDC_V_CHOICE:
        if (!khm_gdc_choice_find(f, s)) {
            char list[LIST_MAX];
            choice_list(f, list, sizeof(list));
            clip(s, q, sizeof(q));
            snprintf(th, sizeof(th), "ค่า '%s' ไม่อยู่ในรายการที่กำหนด (ค่าที่ใช้ได้: %s)", q, list);
            snprintf(en, sizeof(en), "'%s' is not an allowed value (allowed: %s)", q, list);
            report(c, f, th, en);
            return 0;
        }
        return 1;
    case KHM_GDC_V_DATE:
        switch (date_check(s, &year)) {
        case 0:
            return 1;
        case 2:
            snprintf(th, sizeof(th), "ปี %d เป็นปีพุทธศักราช ให้ใช้ปีคริสต์ศักราช (%d) ในรูปแบบ ปปปป-ดด-วว",
                     year, year - BE_OFFSET);
            snprintf(en, sizeof(en),
                     "year %d is a Buddhist-era year: use the Christian-era year (%d), "
                     "YYYY-MM-DD",
                     year, year - BE_OFFSET);
            report(c, f, th, en);
            return 0;
        default:
            clip(s, q, sizeof(q));
            snprintf(th, sizeof(th),
                     "'%s' ไม่ใช่วันที่ที่ถูกต้อง ต้องเป็นรูปแบบ ปปปป-ดด-วว แบบคริสต์ศักราช เช่น 2024-10-22", q);
            snprintf(en, sizeof(en),
                     "'%s' is not a valid date: use YYYY-MM-DD, Christian era, e.g. 2024-10-22", q);
            report(c, f, th, en);
            return 0;
        }
    case KHM_GDC_V_URL:
        if (!url_ok(s)) {
            clip(s, q, sizeof(q));
            snprintf(th, sizeof(th),
                     "'%s' ไม่ใช่ URL ที่ถูกต้อง ต้องขึ้นต้นด้วย http:// หรือ https:// และไม่มีช่องว่าง", q);
            snprintf(en, sizeof(en),
                     "'%s' is not a valid URL: it must start with http:// or https:// and hold "
                     "no spaces",
                     q);
            report(c, f, th, en);
            return 0;
        }
        return 1;
    case KHM_GDC_V_EMAIL:
        if (!email_ok(s)) {
            clip(s, q, sizeof(q));
            snprintf(th, sizeof(th), "'%s' ไม่ใช่อีเมลที่ถูกต้อง เช่น department@org.go.th", q);
            snprintf(en, sizeof(en),
                     "'%s' is not a valid e-mail address, e.g. department@org.go.th", q);
            report(c, f, th, en);
            return 0;
        }
        return 1;
    case KHM_GDC_V_SLUG:
        if (!slug_ok(s)) {
            report(c, f, "ต้องเป็นตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข - หรือ _ ยาว 2–100 ตัว",
                   "must be 2-100 characters of a-z, 0-9, - and _");
            return 0;
        }
        return 1;
    case KHM_GDC_V_TAGS:
        if (cps < 2 || strchr(s, ',')) {
            clip(s, q, sizeof(q));
            snprintf(th, sizeof(th), "คำสำคัญ '%s' ต้องยาวอย่างน้อย 2 ตัวอักษรและไม่มีเครื่องหมายจุลภาค (,)",
                     q);
            snprintf(en, sizeof(en), "tag '%s' must be at least 2 characters, without a comma", q);
            report(c, f, th, en);
            return 0;
        }
        return 1;
    default:
        return 1;
    }
}

/* An array of strings, each checked, none twice. */
static int check_list(vctx *c, const khm_gdc_field *f, const json_t *v)
{
    size_t i, j;
    json_t *it;
    int ok = 1;
    char th[512], en[512], q[256];
    json_array_foreach(v, i, it)
    {
        if (!json_is_string(it)) {
            report(c, f, "ต้องเป็นรายการ (array) ของข้อความ", "must be an array of strings");
            return 0;
        }
    }
    json_array_foreach(v, i, it)
    {
        const char *s = json_string_value(it);
        if (!check_string(c, f, s, json_string_length(it))) {
            ok = 0;
            continue;
        }
        for (j = 0; j < i; j++)
            if (strcmp(s, json_string_value(json_array_get(v, j))) == 0) {
                clip(s, q, sizeof(q));
                snprintf(th, sizeof(th), "มีค่า '%s' ซ้ำ", q);
                snprintf(en, sizeof(en), "lists '%s' more than once", q);
                report(c, f, th, en);
                ok = 0;
                break;
            }
    }
    return ok;
}

static int check_number(vctx *c, const khm_gdc_field *f, const json_t *v)
{
    char th[512], en[512];
    int integral = f->type != KHM_GDC_V_NUMBER;
    if (integral ? !json_is_integer(v) : !json_is_number(v)) {
        if (integral)
            report(c, f,
                   f->type == KHM_GDC_V_YEAR ? "ต้องเป็นปีแบบตัวเลขจำนวนเต็ม เช่น 2566 หรือ 2023"
                                             : "ต้องเป็นตัวเลขจำนวนเต็ม",
                   f->type == KHM_GDC_V_YEAR ? "must be a year as a JSON integer, e.g. 2023"
                                             : "must be a JSON integer");
        else
            report(c, f, "ต้องเป็นตัวเลข (องศาทศนิยม)", "must be a JSON number (decimal degrees)");
        return 0;
    }
    double d = json_number_value(v);
    if (!(d >= f->min && d <= f->max)) {
        snprintf(th, sizeof(th), "ต้องอยู่ระหว่าง %.15g ถึง %.15g", f->min, f->max);
        snprintf(en, sizeof(en), "must be between %.15g and %.15g", f->min, f->max);
        report(c, f, th, en);
        return 0;
    }
    return 1;
}

/* Check the JSON type and value of a non-empty member. 1 when valid. */
static int check_value(vctx *c, const khm_gdc_field *f, const json_t *v)
{
    switch (f->type) {
    case KHM_GDC_V_YEAR:
    case KHM_GDC_V_INTEGER:
    case KHM_GDC_V_NUMBER:
        return check_number(c, f, v);
    case KHM_GDC_V_TAGS:
        if (!json_is_array(v)) {
            report(c, f, "ต้องเป็นรายการ (array) ของคำสำคัญ เช่น [\"งบประมาณ\", \"budget\"]",
                   "must be an array of tags, e.g. [\"งบประมาณ\", \"budget\"]");
            return 0;
        }
        return check_list(c, f, v);
    case KHM_GDC_V_CHOICE:
        if (f->flags & KHM_GDC_F_MULTI) {
            if (!json_is_array(v)) {
                report(c, f, "เลือกได้หลายค่า ต้องเป็นรายการ (array) ของค่าที่กำหนด",
                       "is multi-select: must be an array of allowed values");
                return 0;
            }
            return check_list(c, f, v);
        }
        /* fallthrough */
    default:
        if (!json_is_string(v)) {
            report(c, f, "ต้องเป็นข้อความ (string)", "must be a string");
            return 0;
        }
        return check_string(c, f, json_string_value(v), json_string_length(v));
    }
}

/* 1 when the choice field @p parent's value in @p obj holds its "other" choice. */
static int holds_other(const khm_gdc_field *parent, const json_t *obj)
{
    const json_t *v = json_object_get(obj, parent->name);
    size_t i;
    json_t *it;
    if (json_is_string(v)) {
        const khm_gdc_choice *ch = khm_gdc_choice_find(parent, json_string_value(v));
        return ch && ch->other;
    }
    if (json_is_array(v))
        json_array_foreach(v, i, it)
        {
            const khm_gdc_choice *ch =
                json_is_string(it) ? khm_gdc_choice_find(parent, json_string_value(it)) : NULL;
            if (ch && ch->other)
                return 1;
        }
    return 0;
}

/* Levenshtein distance of two short ASCII names, capped at 3. */
static int distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 3;
    int row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] < 3 ? row[lb] : 3;
}

static void unknown_field(vctx *c, const khm_gdc_field *t, size_t n, const char *key)
{
    char field[128], q[256], th[1024];
    const char *near = NULL;
    int best = 3;
    for (size_t i = 0; i < n; i++) {
        int d = distance(key, t[i].name);
        if (d < best) {
            best = d;
            near = t[i].name;
        }
    }
    clip(key, q, sizeof(q));
    snprintf(field, sizeof(field), "%s%s", c->prefix, key);
    if (near) {
        snprintf(th, sizeof(th), "ไม่รู้จักฟิลด์ '%s' ในมาตรฐาน GD-Catalog (หมายถึง '%s' หรือไม่)", q, near);
        khm_err_field(field, th, "unknown GD-Catalog field '%s' (did you mean '%s'?)", q, near);
    } else {
        snprintf(th, sizeof(th),
                 "ไม่รู้จักฟิลด์ '%s' ในมาตรฐาน GD-Catalog (ดู docs/catalog/gdc-fields.md)", q);
        khm_err_field(field, th, "unknown GD-Catalog field '%s' (see docs/catalog/gdc-fields.md)",
                      q);
    }
    c->bad++;
}

/* The checks every field of a table gets; @p ok[i] receives 1 when row i holds a valid value. */
static void check_fields(vctx *c, const khm_gdc_field *t, size_t n, const json_t *obj, int dt,
                         unsigned flags, unsigned char *ok)
{
    char th[LIST_MAX + 512], en[LIST_MAX + 512], list[LIST_MAX];
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)obj, key, v)
    {
        if (!find_in(t, n, key))
            unknown_field(c, t, n, key);
    }
    for (size_t i = 0; i < n; i++) {
        const khm_gdc_field *f = &t[i];
        ok[i] = 0;
        v = json_object_get(obj, f->name);
        if (empty(v)) {
            int required = (f->flags & KHM_GDC_F_REQUIRED) && khm_gdc_field_shown(f, dt) &&
                           !((flags & KHM_GDC_RES_UPLOAD) && t == resource_fields &&
                             strcmp(f->name, "url") == 0);
            if (required)
                report(c, f, "ต้องระบุ (เป็นข้อมูลบังคับ)", "is required");
            continue;
        }
        if (!khm_gdc_field_shown(f, dt)) {
            shown_list(f, list, sizeof(list));
            snprintf(th, sizeof(th), "ไม่ใช้กับชุดข้อมูลประเภท '%s' (ใช้กับ: %s)", data_types[dt].value,
                     list);
            snprintf(en, sizeof(en), "is not used for the data type '%s' (%s); only for: %s",
                     data_types[dt].value, data_types[dt].name, list);
            report(c, f, th, en);
            continue;
        }
        if (f->flags & KHM_GDC_F_OTHER) {
            const khm_gdc_field *parent = find_in(t, n, f->other_of);
            if (parent && !holds_other(parent, obj)) {
                const char *other = "อื่นๆ";
                for (size_t k = 0; k < parent->n_choices; k++)
                    if (parent->choices[k].other)
                        other = parent->choices[k].value;
                snprintf(th, sizeof(th), "ใช้เฉพาะเมื่อ%s เป็น '%s'", parent->label_th, other);
                snprintf(en, sizeof(en), "is only used when %s (%s) is '%s'", parent->label_en,
                         parent->name, other);
                report(c, f, th, en);
                continue;
            }
        }
        ok[i] = (unsigned char)check_value(c, f, v);
    }
}

static int field_index(const khm_gdc_field *t, size_t n, const char *name)
{
    const khm_gdc_field *f = find_in(t, n, name);
    return f ? (int)(f - t) : -1;
}

/* Years of data: CE or BE (see YEAR_MIN); compared in the Christian era. */
static json_int_t year_ce(const json_t *v)
{
    json_int_t y = json_integer_value(v);
    return y >= BE_DATE_FROM ? y - BE_OFFSET : y;
}

static void check_years(vctx *c, const khm_gdc_field *t, size_t n, const json_t *obj,
                        const unsigned char *ok, const char *first, const char *last)
{
    int fi = field_index(t, n, first), li = field_index(t, n, last);
    if (fi < 0 || li < 0 || !ok[fi] || !ok[li])
        return;
    const json_t *a = json_object_get(obj, first), *b = json_object_get(obj, last);
    if (year_ce(b) < year_ce(a)) {
        char th[512], en[512];
        snprintf(th, sizeof(th), "ต้องไม่ก่อน%s (%lld)", t[fi].label_th,
                 (long long)json_integer_value(a));
        snprintf(en, sizeof(en), "must not be before the %s (%lld)", t[fi].label_en,
                 (long long)json_integer_value(a));
        report(c, &t[li], th, en);
    }
}

static const char *objname(const char *prefix, char *out, size_t cap)
{
    size_t n = strlen(prefix);
    if (n && prefix[n - 1] == '.')
        n--;
    snprintf(out, cap, "%.*s", (int)n, prefix);
    return *out ? out : "body";
}

int khm_gdc_validate(const json_t *metadata, const char *prefix)
{
    vctx c = { prefix ? prefix : "", 0 };
    unsigned char ok[COUNT(dataset_fields)];
    char name[128];
    khm_err_clear();
    if (!json_is_object(metadata))
        return khm_err_field(objname(c.prefix, name, sizeof(name)),
                             "คำอธิบายชุดข้อมูล (metadata) ต้องเป็นออบเจกต์ JSON",
                             "the GD-Catalog metadata must be a JSON object");
    int dt = khm_gdc_data_type_of(metadata);
    check_fields(&c, dataset_fields, COUNT(dataset_fields), metadata, dt, 0, ok);

    /* §2.3: the category→level combinations */
    int ci = field_index(dataset_fields, COUNT(dataset_fields), "data_category");
    int li = field_index(dataset_fields, COUNT(dataset_fields), "data_classification");
    if (ok[ci] && ok[li]) {
        int cat, lev;
        khm_gdc_classification_get(metadata, &cat, &lev);
        char cf[128], lf[128];
        snprintf(cf, sizeof(cf), "%sdata_category", c.prefix);
        snprintf(lf, sizeof(lf), "%sdata_classification", c.prefix);
        if (khm_gdc_classification_check(cat, lev, cf, lf) < 0)
            c.bad++;
    }
    check_years(&c, dataset_fields, COUNT(dataset_fields), metadata, ok, "first_year_of_data",
                "last_year_of_data");
    int si = field_index(dataset_fields, COUNT(dataset_fields), "south_bound_longitude");
    int ni = field_index(dataset_fields, COUNT(dataset_fields), "north_bound_longitude");
    if (ok[si] && ok[ni] &&
        json_number_value(json_object_get(metadata, "south_bound_longitude")) >
            json_number_value(json_object_get(metadata, "north_bound_longitude")))
        report(&c, &dataset_fields[si], "ต้องไม่อยู่เหนือค่าพิกัดกรอบพื้นที่ด้านทิศเหนือ",
               "must not be north of the north bound");
    return c.bad ? KHM_EINVALID : 0;
}

int khm_gdc_resource_validate(const json_t *resource, int data_type, unsigned flags,
                              const char *prefix)
{
    vctx c = { prefix ? prefix : "", 0 };
    unsigned char ok[COUNT(resource_fields)];
    char name[128];
    khm_err_clear();
    if (!json_is_object(resource))
        return khm_err_field(objname(c.prefix, name, sizeof(name)), "ข้อมูลทรัพยากรต้องเป็นออบเจกต์ JSON",
                             "the resource's GD-Catalog fields must be a JSON object");
    if (data_type >= KHM_GDC_TYPE__COUNT)
        data_type = -1;
    check_fields(&c, resource_fields, COUNT(resource_fields), resource, data_type, flags, ok);
    check_years(&c, resource_fields, COUNT(resource_fields), resource, ok,
                "resource_first_year_of_data", "resource_last_year_of_data");
    return c.bad ? KHM_EINVALID : 0;
}

/* ---- CSV --------------------------------------------------------------------------------- */

#define CRLF "\r\n"

int khm_gdc_csv_header(khm_buf *out)
{
    int rc = 0;
    for (size_t i = 0; i < COUNT(dataset_fields) && rc == 0; i++) {
        if (i)
            rc = khm_buf_putc(out, ',');
        if (rc == 0)
            rc = khm_buf_puts(out, dataset_fields[i].name);
    }
    return rc ? rc : khm_buf_puts(out, CRLF);
}

/* The text of one cell (before CSV quoting) into @p tmp. */
static int cell_text(khm_buf *tmp, const json_t *v)
{
    size_t i;
    json_t *it;
    char num[40];
    if (empty(v))
        return 0;
    if (json_is_string(v))
        return khm_buf_put(tmp, json_string_value(v), json_string_length(v));
    if (json_is_integer(v)) {
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        return khm_buf_puts(tmp, num);
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        snprintf(num, sizeof(num), "%.15g", d);
        if (strtod(num, NULL) != d)
            snprintf(num, sizeof(num), "%.17g", d);
        return khm_buf_puts(tmp, num);
    }
    if (json_is_array(v)) {
        int all_strings = 1;
        json_array_foreach(v, i, it) all_strings &= json_is_string(it);
        if (all_strings) {
            int rc = 0;
            json_array_foreach(v, i, it)
            {
                if (i && rc == 0)
                    rc = khm_buf_putc(tmp, ',');
                if (rc == 0)
                    rc = khm_buf_put(tmp, json_string_value(it), json_string_length(it));
            }
            return rc;
        }
    }
    /* not what the field wants: keep the JSON text, so nothing is lost silently */
    size_t n;
    char *s = khm_json_dump(v, &n);
    if (!s)
        return KHM_ENOMEM;
    int rc = khm_buf_put(tmp, s, n);
    free(s);
    return rc;
}

int khm_gdc_csv_row(khm_buf *out, const json_t *metadata)
{
    khm_buf tmp;
    int rc = 0;
    khm_buf_init(&tmp, out->max ? out->max : SIZE_MAX);
    for (size_t i = 0; i < COUNT(dataset_fields) && rc == 0; i++) {
        if (i)
            rc = khm_buf_putc(out, ',');
        khm_buf_reset(&tmp);
        const json_t *v =
            json_is_object(metadata) ? json_object_get(metadata, dataset_fields[i].name) : NULL;
        if (rc == 0)
            rc = cell_text(&tmp, v);
        if (rc == 0 && tmp.len)
            rc = khm_buf_csv_cell(out, tmp.ptr, tmp.len);
    }
    khm_buf_dispose(&tmp);
    return rc ? rc : khm_buf_puts(out, CRLF);
}

static khm_span trim(khm_span s)
{
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t'))
        s.ptr++, s.len--;
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t' ||
                     s.ptr[s.len - 1] == '\r' || s.ptr[s.len - 1] == '\n'))
        s.len--;
    return s;
}

static khm_span strip_bom(khm_span s)
{
    if (s.len >= 3 && memcmp(s.ptr, "\xEF\xBB\xBF", 3) == 0)
        s.ptr += 3, s.len -= 3;
    return s;
}

int khm_gdc_csv_header_check(const khm_span *header, size_t n_header, const char *prefix)
{
    const char *p = prefix ? prefix : "";
    char field[128], th[512], q[256];
    int bad = 0;
    unsigned char seen[COUNT(dataset_fields)] = { 0 };
    khm_err_clear();
    for (size_t i = 0; i < n_header; i++) {
        khm_span h = trim(i == 0 ? strip_bom(header[i]) : header[i]);
        snprintf(field, sizeof(field), "%scolumn %zu", p, i + 1);
        const khm_gdc_field *f = NULL;
        for (size_t k = 0; k < COUNT(dataset_fields) && !f; k++)
            if (khm_span_eq_cstr(h, dataset_fields[k].name))
                f = &dataset_fields[k];
        clip_n(h.ptr ? h.ptr : "", h.ptr ? h.len : 0, q, sizeof(q));
        if (!f) {
            snprintf(th, sizeof(th), "คอลัมน์ '%s' ไม่ใช่ชื่อฟิลด์ของ GD-Catalog", q);
            bad = khm_err_field(field, th, "column '%s' is not a GD-Catalog field name", q);
        } else if (seen[f - dataset_fields]++) {
            snprintf(th, sizeof(th), "คอลัมน์ '%s' ซ้ำ", q);
            bad = khm_err_field(field, th, "column '%s' appears twice", q);
        }
    }
    for (size_t k = 0; k < COUNT(dataset_fields); k++) {
        const khm_gdc_field *f = &dataset_fields[k];
        if ((f->flags & KHM_GDC_F_REQUIRED) && !seen[k]) {
            snprintf(field, sizeof(field), "%s%s", p, f->name);
            snprintf(th, sizeof(th), "%s (%s): ไม่มีคอลัมน์ของข้อมูลบังคับนี้", f->label_th, f->label_en);
            bad = khm_err_field(field, th, "%s (%s): the required column is missing", f->label_en,
                                f->label_th);
        }
    }
    return bad ? KHM_EINVALID : 0;
}

static int cell_error(const khm_gdc_field *f, const char *prefix, const char *th, const char *en)
{
    char field[128], thm[1024];
    snprintf(field, sizeof(field), "%s%s", prefix ? prefix : "", f->name);
    snprintf(thm, sizeof(thm), "%s (%s): %s", f->label_th, f->label_en, th);
    return khm_err_field(field, thm, "%s (%s): %s", f->label_en, f->label_th, en);
}

/* "12", "-3": a whole decimal number (no exponent, no fraction). */
static int parse_int(khm_span s, long long *out)
{
    char buf[32];
    if (s.len == 0 || s.len >= sizeof(buf))
        return 0;
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    size_t sign = buf[0] == '-' || buf[0] == '+';
    if (s.len == sign || !digits(buf + sign, s.len - sign))
        return 0;
    long long v = strtoll(buf, NULL, 10); /* saturates; the range check refuses it later */
    *out = v;
    return 1;
}

static int parse_real(khm_span s, double *out)
{
    char buf[64];
    if (s.len == 0 || s.len >= sizeof(buf))
        return 0;
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    for (size_t i = 0; i < s.len; i++)
        if (!strchr("0123456789+-.eE", buf[i]))
            return 0; /* no "nan", "inf", hex floats */
    char *end;
    double d = strtod(buf, &end);
    if (*end || !isfinite(d))
        return 0;
    *out = d;
    return 1;
}

int khm_gdc_field_from_csv(json_t **out, const khm_gdc_field *f, khm_span cell, const char *prefix)
{
    *out = NULL;
    khm_span s = trim(cell);
    if (s.len == 0)
        return 0;
    if (!khm_utf8_valid(s.ptr, s.len, NULL))
        return cell_error(f, prefix, "ไม่ใช่ข้อความ UTF-8 ที่ถูกต้อง (ไฟล์ต้องเข้ารหัสเป็น UTF-8)",
                          "is not valid UTF-8 text (the file must be UTF-8)");
    switch (f->type) {
    case KHM_GDC_V_YEAR:
    case KHM_GDC_V_INTEGER: {
        long long v;
        if (!parse_int(s, &v))
            return cell_error(f, prefix, "ต้องเป็นตัวเลขจำนวนเต็ม", "must be a whole number");
        *out = json_integer((json_int_t)v);
        break;
    }
    case KHM_GDC_V_NUMBER: {
        double d;
        if (!parse_real(s, &d))
            return cell_error(f, prefix, "ต้องเป็นตัวเลข (องศาทศนิยม เช่น 100.5)",
                              "must be a decimal number, e.g. 100.5");
        *out = json_real(d);
        break;
    }
    case KHM_GDC_V_TAGS:
    case KHM_GDC_V_CHOICE:
        if (f->type == KHM_GDC_V_TAGS || (f->flags & KHM_GDC_F_MULTI)) {
            json_t *arr = json_array();
            if (!arr)
                return khm_err_set(KHM_ENOMEM, "out of memory");
            size_t start = 0;
            for (size_t i = 0; i <= s.len; i++) {
                if (i < s.len && s.ptr[i] != ',')
                    continue;
                khm_span item = trim((khm_span){ s.ptr + start, i - start });
                start = i + 1;
                if (item.len && json_array_append_new(arr, json_stringn(item.ptr, item.len)) < 0) {
                    json_decref(arr);
                    return khm_err_set(KHM_ENOMEM, "out of memory");
                }
            }
            if (json_array_size(arr) == 0) {
                json_decref(arr);
                return 0;
            }
            *out = arr;
            return 0;
        }
        /* fallthrough */
    default:
        /* keep the cell as written (only a text cell's outer line ends are dropped) */
        *out = json_stringn(s.ptr, s.len);
        break;
    }
    return *out ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

int khm_gdc_from_csv_row(json_t **out, const khm_span *header, size_t n_header,
                         const khm_span *cells, size_t n_cells, const char *prefix)
{
    const char *p = prefix ? prefix : "";
    char field[128], th[512], q[256];
    int bad = 0;
    khm_err_clear();
    *out = NULL;
    json_t *obj = json_object();
    if (!obj)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n_cells; i++) {
        if (trim(cells[i]).len == 0)
            continue;
        if (i >= n_header) {
            snprintf(field, sizeof(field), "%scolumn %zu", p, i + 1);
            bad = khm_err_field(field, "แถวนี้มีข้อมูลเกินจำนวนคอลัมน์ของหัวตาราง",
                                "the row has a value past the last header column");
            continue;
        }
        khm_span h = trim(i == 0 ? strip_bom(header[i]) : header[i]);
        const khm_gdc_field *f = NULL;
        for (size_t k = 0; k < COUNT(dataset_fields) && !f; k++)
            if (khm_span_eq_cstr(h, dataset_fields[k].name))
                f = &dataset_fields[k];
        if (!f) {
            clip_n(h.ptr ? h.ptr : "", h.ptr ? h.len : 0, q, sizeof(q));
            snprintf(field, sizeof(field), "%scolumn %zu", p, i + 1);
            snprintf(th, sizeof(th), "คอลัมน์ '%s' ไม่ใช่ชื่อฟิลด์ของ GD-Catalog", q);
            bad = khm_err_field(field, th, "column '%s' is not a GD-Catalog field name", q);
            continue;
        }
        json_t *v;
        int rc = khm_gdc_field_from_csv(&v, f, cells[i], p);
        if (rc == KHM_ENOMEM) {
            json_decref(obj);
            return rc;
        }
        if (rc < 0) {
            bad = rc;
            continue;
        }
        if (!v)
            continue;
        /* a repeated column: the first value wins; khm_gdc_csv_header_check() reports it */
        if (json_object_get(obj, f->name)) {
            json_decref(v);
        } else if (json_object_set_new(obj, f->name, v) < 0) {
            json_decref(obj);
            return khm_err_set(KHM_ENOMEM, "out of memory");
        }
    }
    if (bad) {
        json_decref(obj);
        return KHM_EINVALID;
    }
    *out = obj;
    return 0;
}
