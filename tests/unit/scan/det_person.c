/* Tests for src/lib/scan/det_person.c: names after Thai and English titles (thai-rules.md §4.5),
 * the words that begin with a title but are not names, and name columns. */
#include "helpers.h"

/* Scan a one-column CSV with header @p header and cell @p cell with PERSON only. */
static size_t scan_cell(const char *header, const char *cell, hits *hs)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s\n%s\n", header, cell);
    khm_scanner *sc = scanner_for("PERSON");
    khm_scan_state *st = khm_scan_state_new(sc);
    memset(hs, 0, sizeof(*hs));
    assert_true(khm_scan_csv(sc, st, buf, strlen(buf), ',', NULL, hits_collect, hs) >= 0);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    return hs->n;
}

static void test_scan_det_person__thai_titles(void **state)
{
    (void)state;
    /* §4.5: นาย, นาง, นางสาว (น.ส.), เด็กชาย (ด.ช.), เด็กหญิง (ด.ญ.); with or without a space */
    assert_true(finds_one("PERSON", "ผู้ติดต่อ นายสมชาย ใจดี โทร", "นายสมชาย ใจดี"));
    assert_true(finds_one("PERSON", "นาย สมชาย ใจดี", "นาย สมชาย ใจดี"));
    assert_true(finds_one("PERSON", "น.ส.สมหญิง รักไทย", "น.ส.สมหญิง รักไทย"));
    assert_true(finds_one("PERSON", "นางสาวอัจฉรินทร์ พัฒนพันธ์ชัย ปลัดกระทรวง", "นางสาวอัจฉรินทร์ พัฒนพันธ์ชัย"));
    assert_true(finds_one("PERSON", "นางมาลี แก้วมณี", "นางมาลี แก้วมณี"));
    assert_true(finds_one("PERSON", "ด.ช.ธนากร ศรีสุข", "ด.ช.ธนากร ศรีสุข"));
    assert_true(finds_one("PERSON", "เด็กหญิงกนกพร มั่นคง", "เด็กหญิงกนกพร มั่นคง"));
    /* glued to the word before: "และนาย…" */
    assert_true(finds_one("PERSON", "และนายภูเวียง ประคำมินทร์ รองปลัด", "นายภูเวียง ประคำมินทร์"));
    /* academic titles and their combinations */
    assert_true(finds_one("PERSON", "ดร.วิภา ทองคำ", "ดร.วิภา ทองคำ"));
    assert_true(finds_one("PERSON", "ผศ.ดร.สมศักดิ์ มีสุข", "ผศ.ดร.สมศักดิ์ มีสุข"));
    assert_true(finds_one("PERSON", "รศ.ดร. อรุณ บุญมา", "รศ.ดร. อรุณ บุญมา"));
    assert_true(finds_one("PERSON", "ศ.กนก วงศ์ดี", "ศ.กนก วงศ์ดี"));
    /* ranks: army, police, navy; ว่าที่ before a rank; หญิง after one */
    assert_true(finds_one("PERSON", "พล.อ.ประยุทธ สุขสันต์", "พล.อ.ประยุทธ สุขสันต์"));
    assert_true(finds_one("PERSON", "พ.ต.ท.สมชาย ใจดี", "พ.ต.ท.สมชาย ใจดี"));
    assert_true(finds_one("PERSON", "ร.ต.อ.หญิงมาลี ใจงาม", "ร.ต.อ.หญิงมาลี ใจงาม"));
    assert_true(finds_one("PERSON", "จ.ส.อ.อรุณ แก้วมณี", "จ.ส.อ.อรุณ แก้วมณี"));
    assert_true(finds_one("PERSON", "ว่าที่ ร.ต.สมปอง ดีใจ", "ว่าที่ ร.ต.สมปอง ดีใจ"));
    assert_true(finds_one("PERSON", "พลตำรวจเอกธนากร บุญมา", "พลตำรวจเอกธนากร บุญมา"));
    assert_true(finds_one("PERSON", "น.อ.วิภา ศรีสุข", "น.อ.วิภา ศรีสุข"));
    /* royal-line surnames start with ณ and a space */
    assert_true(finds_one("PERSON", "นายสมชาย ณ อยุธยา", "นายสมชาย ณ อยุธยา"));
    /* a Thai title before a name in Latin letters */
    assert_true(finds_one("PERSON", "นางสาวAnna Brown", "นางสาวAnna Brown"));
    /* นายก followed by a name's letters is a name: นายกมล, นายกิตติ */
    assert_true(finds_one("PERSON", "นายกมล ศรีสุข", "นายกมล ศรีสุข"));
    assert_true(finds_one("PERSON", "นายกิตติ วงศ์ดี", "นายกิตติ วงศ์ดี"));
}

static void test_scan_det_person__surname_bounds(void **state)
{
    (void)state;
    hits hs;
    /* a word after the given name that is no surname is left out: the name alone, 0.6 */
    assert_true(finds_one("PERSON", "นายสมชาย กล่าวว่า", "นายสมชาย"));
    assert_true(finds_one("PERSON", "นางมาลี และครอบครัว", "นางมาลี"));
    assert_int_equal(scan_text("PERSON", "นายสมชาย กล่าวว่า", &hs), 1);
    assert_true(hs.h[0].score < 0.7);
    assert_int_equal(scan_text("PERSON", "นายสมชาย ใจดี", &hs), 1);
    assert_true(hs.h[0].score >= 0.85);
    /* two people, one after the other */
    assert_int_equal(scan_text("PERSON", "นายสมชาย ใจดี นางสาววิภา รักไทย", &hs), 2);
    assert_string_equal(hs.h[0].value, "นายสมชาย ใจดี");
    assert_string_equal(hs.h[1].value, "นางสาววิภา รักไทย");
}

static void test_scan_det_person__not_names(void **state)
{
    (void)state;
    /* words that begin with a title */
    assert_true(finds_none("PERSON", "นายกรัฐมนตรีกล่าวว่า"));
    assert_true(finds_none("PERSON", "นายกเทศมนตรีนครเชียงใหม่"));
    assert_true(finds_none("PERSON", "นายก อบต. และนายกฯ"));
    assert_true(finds_none("PERSON", "นายอำเภอบางกรวย"));
    assert_true(finds_none("PERSON", "นายทะเบียนจังหวัด"));
    assert_true(finds_none("PERSON", "นายจ้างและลูกจ้าง"));
    assert_true(finds_none("PERSON", "นายหน้าขายที่ดิน นายทุนใหญ่ นายพรานป่า"));
    assert_true(finds_none("PERSON", "นางพยาบาลเวรดึก นางงามจักรวาล นางฟ้า นางแบบ"));
    assert_true(finds_none("PERSON", "การประกวดนางสาวไทย"));
    assert_true(finds_none("PERSON", "เจ้านายของผม ขุนนางเก่า"));
    assert_true(finds_none("PERSON", "เด็กชายคนหนึ่ง เด็กหญิงอายุ 5 ขวบ"));
    assert_true(finds_none("PERSON", "ว่าที่ผู้สมัคร บอกว่าที่นี่"));
    /* a title with no name */
    assert_true(finds_none("PERSON", "ดร. และ"));
    assert_true(finds_none("PERSON", "ดร."));
    /* abbreviations that look like titles */
    assert_true(finds_none("PERSON", "พ.ศ. 2564 และ ร.ศ. 130"));
    assert_true(finds_none("PERSON", "พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล"));
    assert_true(finds_none("PERSON", "โฉนด น.ส.3ก และ น.ส.พ.ไทยรัฐ"));
    /* place names after an address word: อ.นางรอง */
    assert_true(finds_none("PERSON", "อ.นางรอง จ.บุรีรัมย์"));
    /* a province with a title inside it: นครนายก */
    assert_true(finds_none("PERSON", "โรงเรียนนครนายกวิทยาคม จังหวัดนครนายก"));
    /* a glued run too long to be a given name */
    assert_true(finds_none("PERSON", "นายสมชายเดินทางไปประชุมที่กระทรวงดิจิทัล"));
}

static void test_scan_det_person__english(void **state)
{
    (void)state;
    assert_true(finds_one("PERSON", "Mr. John Smith, phone", "Mr. John Smith"));
    assert_true(finds_one("PERSON", "Mrs Anna Brown called", "Mrs Anna Brown"));
    assert_true(finds_one("PERSON", "Dr. Mary J. Watson", "Dr. Mary J. Watson"));
    assert_true(finds_one("PERSON", "Ms O'Neil-Smith", "Ms O'Neil-Smith"));
    assert_true(finds_one("PERSON", "Miss Lee.", "Miss Lee"));
    assert_true(finds_one("PERSON", "Mr. Lee's car", "Mr. Lee")); /* a possessive is not the name */
    assert_true(finds_none("PERSON", "Mr smith"));                /* not capitalised */
    assert_true(finds_none("PERSON", "Drive to MrBean"));         /* no title word */
    assert_true(finds_none("PERSON", "Dr. 5 and Mr. J."));        /* no name */
    assert_true(finds_none("PERSON", "Miss Universe Thailand"));  /* a pageant */
    assert_true(finds_none("PERSON", "Msg Mrs1"));
}

static void test_scan_det_person__name_columns(void **state)
{
    (void)state;
    hits hs;
    assert_int_equal(scan_cell("ชื่อ-นามสกุล", "สมชาย ใจดี", &hs), 1);
    assert_string_equal(hs.h[0].value, "สมชาย ใจดี");
    assert_int_equal(scan_cell("ชื่อ", "นายAnna แก้วมณี", &hs), 1);
    assert_string_equal(hs.h[0].value, "นายAnna แก้วมณี");
    assert_int_equal(scan_cell("นามสกุล", "รักไทย", &hs), 1);
    assert_int_equal(scan_cell("ชื่อผู้ป่วย", "วิภา ทองคำ", &hs), 1);
    assert_int_equal(scan_cell("full_name", "John A. Smith", &hs), 1);
    assert_int_equal(scan_cell("firstName", "Anna", &hs), 1);
    assert_int_equal(scan_cell("Last Name", "Brown", &hs), 1);
    /* not a name column */
    assert_int_equal(scan_cell("ชื่อหน่วยงาน", "สำนักงานสถิติ", &hs), 0);
    assert_int_equal(scan_cell("ชื่อโครงการ", "ถนนสวย", &hs), 0);
    assert_int_equal(scan_cell("ชื่อไฟล์", "รายงาน", &hs), 0);
    assert_int_equal(scan_cell("ชื่อบริษัท", "สยามค้าไม้", &hs), 0);
    assert_int_equal(scan_cell("product name", "Green Tea", &hs), 0);
    assert_int_equal(scan_cell("file_name", "report", &hs), 0);
    assert_int_equal(scan_cell("companyName", "Acme", &hs), 0);
    assert_int_equal(scan_cell("username", "somchai", &hs), 0);
    /* not a name in a name column */
    assert_int_equal(scan_cell("ชื่อ", "ไม่ระบุ", &hs), 0);
    assert_int_equal(scan_cell("name", "user42", &hs), 0);
    assert_int_equal(scan_cell("name", "a@example.com", &hs), 0);
    assert_int_equal(scan_cell("name", "one two three four five", &hs), 0);
    assert_true(khm_person_name_header("ชื่อ-สกุล", strlen("ชื่อ-สกุล")));
    assert_true(khm_person_name_header("ชื่อจริง", strlen("ชื่อจริง")));
    assert_true(khm_person_name_header("given name", strlen("given name")));
    assert_true(khm_person_name_header("surname", strlen("surname")));
    assert_false(khm_person_name_header("ชื่อสินค้า", strlen("ชื่อสินค้า")));
    assert_false(khm_person_name_header("hostname", strlen("hostname")));
    assert_false(khm_person_name_header("หมายเหตุ", strlen("หมายเหตุ")));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_person__thai_titles),
              cmocka_unit_test(test_scan_det_person__surname_bounds),
              cmocka_unit_test(test_scan_det_person__not_names),
              cmocka_unit_test(test_scan_det_person__english),
              cmocka_unit_test(test_scan_det_person__name_columns))
