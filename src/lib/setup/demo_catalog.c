/* The demo catalog: about twenty realistic datasets of the demo agencies with their GD-Catalog
 * metadata (thai-rules.md §3.2–3.3: the fields each data type shows, the allowed Thai values),
 * categories and levels in the allowed combinations (§2.2–2.3), owners and stewards among the
 * demo users; two confirmed by their owner at once. Their files are attached, scanned and, for
 * some, confirmed by demo_resources.c. Made once, by khm_setup_demo(). */
#include "demo_int.h"

#include <khomun/alloc.h>
#include <khomun/err.h>

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The contact of each agency's datasets (GD-Catalog maintainer, maintainer_email). */
static const struct {
    const char *agency, *maintainer, *email;
} contacts[] = {
    { "mdes", "กองยุทธศาสตร์และแผนงาน สำนักงานปลัดกระทรวง", "data@mdes.example.go.th" },
    { "dga", "ฝ่ายธรรมาภิบาลข้อมูลภาครัฐ", "data@dga.example.or.th" },
    { "nso", "กองสถิติเศรษฐกิจและสังคม", "data@nso.example.go.th" },
    { "moph", "กองยุทธศาสตร์และแผนงาน สำนักงานปลัดกระทรวงสาธารณสุข", "data@moph.example.go.th" },
};

/* A demo dataset: agency, name, creator (a steward), owner (เจ้าของข้อมูล), the GD-Catalog data
 * type, category and level (NULL: the category's own), titles, description, tags and objectives
 * ("|" between values), update frequency, geographic coverage, source, then the other fields as
 * a JSON object written with ' for " (the fields of the data type: statistics, geodata, …),
 * and a confirmation reason (NULL: not confirmed here). */
/* clang-format off */
static const struct {
    const char *agency, *name, *creator, *owner, *type, *category, *level;
    const char *title, *title_en, *notes, *tags, *objective, *frequency, *geo, *source, *extra;
    const char *confirm;
} demo[] = {
    /* ---- mdes: กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม ---- */
    { "mdes", "digital-budget-2567", "wichai.stew", "malee.owner", "ข้อมูลสถิติ", "ข้อมูลสาธารณะ", NULL,
      "แผนงบประมาณบูรณาการรัฐบาลดิจิทัล ปีงบประมาณ พ.ศ. 2567", "Integrated digital government budget plan FY2024",
      "วงเงินงบประมาณรายจ่ายบูรณาการด้านรัฐบาลดิจิทัล จำแนกตามแผนงานและโครงการ ตามพระราชบัญญัติงบประมาณ"
      "รายจ่ายประจำปีงบประมาณ พ.ศ. 2567",
      "งบประมาณ|รัฐบาลดิจิทัล|budget|แผนงานบูรณาการ", "กฎหมายที่เกี่ยวข้อง|แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)",
      "ปี", "ประเทศ", "สำนักงบประมาณ และกองยุทธศาสตร์และแผนงาน",
      "{'first_year_of_data': 2567, 'last_year_of_data': 2567, 'disaggregate': ['อื่นๆ'],"
      " 'disaggregate_other': 'แผนงานและโครงการ', 'unit_of_measure': 'บาท', 'unit_of_multiplier': 'หน่วย',"
      " 'official_statistics': 'False', 'data_release_calendar': '2023-10-01'}",
      "งบประมาณที่เผยแพร่แล้วตามพระราชบัญญัติงบประมาณ" },
    { "mdes", "it-asset-register", "napa.cust", "malee.owner", "ข้อมูลระเบียน", "ข้อมูลใช้ภายใน", NULL,
      "ทะเบียนครุภัณฑ์คอมพิวเตอร์และอุปกรณ์เครือข่าย", "IT asset register",
      "ครุภัณฑ์คอมพิวเตอร์ อุปกรณ์เครือข่าย และอุปกรณ์ต่อพ่วงของสำนักงานปลัดกระทรวง พร้อมปีที่ได้มา ราคา "
      "ที่ตั้ง และสถานะการใช้งาน ใช้วางแผนจัดหาทดแทนและตรวจนับประจำปี",
      "ครุภัณฑ์|คอมพิวเตอร์|IT asset|inventory", "พันธกิจหน่วยงาน", "ไตรมาส", "ไม่มี",
      "กองบริหารการคลัง และศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
      "{'data_collect': 'อื่นๆ', 'data_collect_other': 'ครุภัณฑ์รายชิ้น', 'created_date': '2017-10-01',"
      " 'high_value_dataset': 'False', 'reference_data': 'False'}", NULL },
    { "mdes", "staff-directory", "wichai.stew", "malee.owner", "ข้อมูลระเบียน", "ข้อมูลส่วนบุคคล", "ชั้นเผยแพร่ภายในองค์กร",
      "ทำเนียบบุคลากรและช่องทางติดต่อ", "Staff directory",
      "ชื่อ ตำแหน่ง สังกัด โทรศัพท์ และอีเมลที่ทำงานของบุคลากรสำนักงานปลัดกระทรวง สำหรับการติดต่อประสานงานภายใน",
      "บุคลากร|ทำเนียบ|staff directory|ติดต่อ", "พันธกิจหน่วยงาน", "เดือน", "ไม่มี", "กองบริหารทรัพยากรบุคคล",
      "{'accessible_condition': 'เฉพาะบุคลากรภายในหน่วยงาน', 'data_collect': 'บุคคล'}",
      "ชื่อ ตำแหน่ง และโทรศัพท์ที่ทำงานของบุคลากร" },
    { "mdes", "citizen-complaints", "wichai.stew", "malee.owner", "ข้อมูลระเบียน", "ข้อมูลส่วนบุคคล", "ลับ",
      "เรื่องร้องเรียนของประชาชนผ่านศูนย์ดำรงธรรม", "Citizen complaints",
      "เรื่องร้องเรียนและข้อเสนอแนะของประชาชนที่รับผ่านสายด่วน 1111 เว็บไซต์ ไลน์ และศูนย์ดำรงธรรม พร้อมชื่อ "
      "เลขประจำตัวประชาชน ที่อยู่ และช่องทางติดต่อของผู้ร้องเรียน หมวดเรื่อง และผลการดำเนินการ",
      "เรื่องร้องเรียน|ศูนย์ดำรงธรรม|complaints|สายด่วน 1111", "เพื่อการให้บริการประชาชน|พันธกิจหน่วยงาน",
      "วัน", "ประเทศ", "ศูนย์รับเรื่องร้องเรียน สำนักงานปลัดกระทรวง",
      "{'data_format': ['JSON'], 'accessible_condition': 'เฉพาะเจ้าหน้าที่ศูนย์รับเรื่องร้องเรียนที่ได้รับมอบหมาย',"
      " 'data_collect': 'บุคคล', 'created_date': '2019-01-01'}", NULL },
    { "mdes", "procurement-contracts-2566", "napa.cust", "malee.owner", "ข้อมูลระเบียน", "ข้อมูลสาธารณะ", NULL,
      "ข้อมูลสัญญาจัดซื้อจัดจ้าง ปีงบประมาณ พ.ศ. 2566", "Procurement contracts FY2023",
      "สัญญาจัดซื้อจัดจ้างของสำนักงานปลัดกระทรวง: เลขที่โครงการในระบบ e-GP วิธีจัดซื้อจัดจ้าง ผู้ชนะการเสนอราคา "
      "วงเงินงบประมาณ ราคาที่ตกลง และวันที่ลงนาม เปิดเผยตามพระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ "
      "พ.ศ. 2560 มาตรา 7",
      "จัดซื้อจัดจ้าง|สัญญา|procurement|e-GP|ความโปร่งใส", "กฎหมายที่เกี่ยวข้อง", "เดือน", "ไม่มี",
      "กองบริหารการคลัง (ระบบการจัดซื้อจัดจ้างภาครัฐ e-GP)",
      "{'data_collect': 'บริษัท/ห้างร้าน/สถานประกอบการ', 'high_value_dataset': 'True',"
      " 'last_updated_date': '2023-09-30'}", NULL },
    { "mdes", "net-pracharat-villages", "wichai.stew", "malee.owner", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "ข้อมูลสาธารณะ", NULL,
      "หมู่บ้านที่มีจุดให้บริการอินเทอร์เน็ตความเร็วสูง (เน็ตประชารัฐ)", "Villages with public broadband access points (Net Pracharat)",
      "ตำแหน่งจุดให้บริการอินเทอร์เน็ตความเร็วสูงสาธารณะในหมู่บ้านห่างไกล จำนวนจุด ความเร็ว และปีที่ติดตั้ง",
      "อินเทอร์เน็ต|เน็ตประชารัฐ|broadband|หมู่บ้าน|พิกัด", "นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี", "ปี", "หมู่บ้าน",
      "สำนักงานบริหารโครงการเน็ตประชารัฐ",
      "{'geographic_data_set': 'ชั้นข้อมูลชุมนุม/อาคาร', 'equivalent_scale': '1:50,000',"
      " 'west_bound_longitude': 97.34, 'east_bound_longitude': 105.64, 'north_bound_longitude': 20.46,"
      " 'south_bound_longitude': 5.61, 'positional_accuracy': '±30 เมตร (GPS)', 'reference_period': 'พ.ศ. 2560-2563',"
      " 'data_release_date': '2024-01-15'}", NULL },

    /* ---- dga: สำนักงานพัฒนารัฐบาลดิจิทัล ---- */
    { "dga", "welfare-applicants", "jiraporn.dga", "thanakorn.dga", "ข้อมูลระเบียน", "ข้อมูลส่วนบุคคล", "ลับ",
      "คำขอรับสวัสดิการแห่งรัฐผ่านแอปพลิเคชันทางรัฐ", "State welfare applications via the Tang Rat app",
      "ผู้ยื่นคำขอลงทะเบียนรับสวัสดิการแห่งรัฐ ซึ่งสำนักงานประมวลผลในฐานะผู้ประมวลผลข้อมูลส่วนบุคคลให้กรมบัญชีกลาง: "
      "เลขประจำตัวประชาชน ชื่อ วันเกิด โทรศัพท์ บัญชีธนาคารสำหรับรับเงิน รายได้ และผลการพิจารณา",
      "สวัสดิการแห่งรัฐ|ทางรัฐ|welfare|บัตรสวัสดิการ", "เพื่อการให้บริการประชาชน|นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี",
      "วัน", "ประเทศ", "แอปพลิเคชันทางรัฐ",
      "{'accessible_condition': 'ผู้ดูแลระบบของผู้ประมวลผลเฉพาะเพื่อแก้ไขปัญหาตามคำสั่งของผู้ควบคุมข้อมูล',"
      " 'data_support': 'หน่วยงานของรัฐ', 'data_collect': 'บุคคล', 'created_date': '2022-09-01'}", NULL },
    { "dga", "gdx-api-usage-2567", "jiraporn.dga", "thanakorn.dga", "ข้อมูลสถิติ", "ข้อมูลสาธารณะ", NULL,
      "สถิติการเรียกใช้บริการเชื่อมโยงข้อมูลภาครัฐ (GDX) รายเดือน ปีงบประมาณ พ.ศ. 2567",
      "Government Data Exchange (GDX) API calls per month FY2024",
      "จำนวนครั้งที่หน่วยงานเรียกใช้บริการข้อมูลผ่านศูนย์แลกเปลี่ยนข้อมูลกลางภาครัฐ เวลาตอบสนองเฉลี่ย "
      "และความพร้อมใช้งาน รายบริการรายเดือน",
      "GDX|API|การเชื่อมโยงข้อมูล|data exchange|สถิติการใช้งาน", "พันธกิจหน่วยงาน", "เดือน", "ประเทศ",
      "ระบบบันทึกการใช้งานศูนย์แลกเปลี่ยนข้อมูลกลาง (GDX)",
      "{'first_year_of_data': 2566, 'last_year_of_data': 2567, 'disaggregate': ['อื่นๆ'],"
      " 'disaggregate_other': 'บริการและเดือน', 'unit_of_measure': 'ครั้ง', 'unit_of_multiplier': 'หน่วย',"
      " 'official_statistics': 'False'}", NULL },
    { "dga", "gdx-connected-agencies", "jiraporn.dga", "thanakorn.dga", "ข้อมูลระเบียน", "ข้อมูลสาธารณะ", NULL,
      "ทะเบียนหน่วยงานที่เชื่อมโยงข้อมูลผ่าน GDX (ส่งออกจากระบบเดิม)", "Agencies connected to GDX (legacy export)",
      "หน่วยงานภาครัฐที่เชื่อมโยงข้อมูลผ่านศูนย์แลกเปลี่ยนข้อมูลกลาง วันที่เริ่มเชื่อมโยง และจำนวนบริการ "
      "ไฟล์ส่งออกจากระบบทะเบียนเดิมซึ่งเข้ารหัสอักขระแบบ TIS-620 (Windows-874)",
      "GDX|หน่วยงานภาครัฐ|legacy|TIS-620", "พันธกิจหน่วยงาน", "ครึ่งปี", "ประเทศ", "ระบบทะเบียนสมาชิก GDX เดิม",
      "{'data_collect': 'อื่นๆ', 'data_collect_other': 'หน่วยงานของรัฐ', 'reference_data': 'True',"
      " 'last_updated_date': '2023-06-30'}", NULL },
    { "dga", "eservice-accounts-migration", "jiraporn.dga", "thanakorn.dga", "ข้อมูลระเบียน", "ข้อมูลส่วนบุคคล", "ชั้นเผยแพร่ภายในองค์กร",
      "บัญชีผู้ใช้บริการ e-Service ที่ย้ายจากระบบเดิม (รอตรวจสอบคุณภาพ)",
      "e-Service user accounts migrated from the old system (awaiting quality review)",
      "บัญชีผู้ใช้บริการอิเล็กทรอนิกส์ที่ส่งออกจากระบบเดิมเพื่อนำเข้าระบบใหม่ ยังมีเซลล์ว่าง เลขประจำตัวประชาชนที่เลขตรวจสอบ"
      "ไม่ถูกต้อง วันที่ที่ไม่มีอยู่จริง และแถวซ้ำ ต้องแก้ไขก่อนนำเข้า",
      "e-Service|บัญชีผู้ใช้|data migration|คุณภาพข้อมูล", "เพื่อการให้บริการประชาชน", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
      "ประเทศ", "ระบบ e-Service เดิม",
      "{'accessible_condition': 'เฉพาะทีมย้ายระบบที่ได้รับมอบหมาย', 'data_collect': 'บุคคล'}", NULL },

    /* ---- nso: สำนักงานสถิติแห่งชาติ ---- */
    { "nso", "population-by-province-2566", "kittipong.an", "siriporn.nso", "ข้อมูลสถิติ", "ข้อมูลสาธารณะ", NULL,
      "จำนวนประชากรจากการทะเบียนจำแนกรายจังหวัด พ.ศ. 2566", "Registered population by province 2023",
      "จำนวนประชากรตามหลักฐานการทะเบียนราษฎร ณ วันที่ 31 ธันวาคม 2566 จำแนกตามเพศ รายจังหวัด",
      "ประชากร|ทะเบียนราษฎร|population|จังหวัด", "พันธกิจหน่วยงาน", "ปี", "จังหวัด", "กรมการปกครอง กระทรวงมหาดไทย",
      "{'first_year_of_data': 2566, 'last_year_of_data': 2566, 'disaggregate': ['เพศ', 'ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่'],"
      " 'unit_of_measure': 'คน', 'unit_of_multiplier': 'หน่วย', 'official_statistics': 'True'}", NULL },
    { "nso", "household-socioeconomic-survey", "kittipong.an", "siriporn.nso", "ข้อมูลสถิติ", "ข้อมูลส่วนบุคคล", "ลับ",
      "การสำรวจภาวะเศรษฐกิจและสังคมของครัวเรือน (ข้อมูลรายครัวเรือน)", "Household socio-economic survey (microdata)",
      "ข้อมูลรายครัวเรือนจากการสำรวจภาวะเศรษฐกิจและสังคมของครัวเรือน พ.ศ. 2566: รายได้ ค่าใช้จ่าย หนี้สิน "
      "จำนวนสมาชิก และค่าถ่วงน้ำหนัก ใช้รหัสครัวเรือนแทนชื่อและที่อยู่ แต่ยังอาจระบุตัวได้เมื่อเชื่อมโยงกับข้อมูลอื่น",
      "สำรวจครัวเรือน|รายได้|household survey|microdata", "พันธกิจหน่วยงาน|แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", "ปี",
      "ภาค", "การสำรวจภาวะเศรษฐกิจและสังคมของครัวเรือน สำนักงานสถิติแห่งชาติ",
      "{'first_year_of_data': 2566, 'last_year_of_data': 2566, 'disaggregate': ['ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่', 'รายได้'],"
      " 'unit_of_measure': 'บาท', 'official_statistics': 'True',"
      " 'accessible_condition': 'ให้บริการผ่านห้องปฏิบัติการข้อมูลตามคำขอและข้อตกลงการใช้ข้อมูล',"
      " 'calculation_method': 'ค่าประมาณระดับประเทศใช้ค่าถ่วงน้ำหนักของแต่ละครัวเรือน'}", NULL },
    { "nso", "labour-force-2567-q1", "kittipong.an", "siriporn.nso", "ข้อมูลสถิติ", "ข้อมูลสาธารณะ", NULL,
      "การสำรวจภาวะการทำงานของประชากร ไตรมาส 1 พ.ศ. 2567", "Labour force survey Q1 2024 by region and sex",
      "กำลังแรงงาน ผู้มีงานทำ ผู้ว่างงาน และอัตราการว่างงาน รายเดือน จำแนกตามภาคและเพศ",
      "แรงงาน|การว่างงาน|labour force|unemployment", "พันธกิจหน่วยงาน", "เดือน", "ภาค",
      "การสำรวจภาวะการทำงานของประชากร สำนักงานสถิติแห่งชาติ",
      "{'first_year_of_data': 2567, 'last_year_of_data': 2567, 'disaggregate': ['เพศ', 'ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่'],"
      " 'unit_of_measure': 'คน', 'unit_of_multiplier': 'พัน', 'official_statistics': 'True',"
      " 'standard': 'นิยามกำลังแรงงานตามองค์การแรงงานระหว่างประเทศ (ILO)'}", NULL },
    { "nso", "tourism-by-province-2566", "kittipong.an", "siriporn.nso", "ข้อมูลสถิติ", "ข้อมูลสาธารณะ", NULL,
      "สถิติผู้เยี่ยมเยือนและรายได้จากการท่องเที่ยว รายจังหวัด พ.ศ. 2566", "Visitors and tourism revenue by province 2023",
      "จำนวนผู้เยี่ยมเยือนชาวไทยและชาวต่างประเทศ และรายได้จากการท่องเที่ยว รายจังหวัด",
      "ท่องเที่ยว|ผู้เยี่ยมเยือน|tourism|รายได้", "ยุทธศาสตร์ชาติ", "ปี", "จังหวัด", "กระทรวงการท่องเที่ยวและกีฬา",
      "{'first_year_of_data': 2566, 'last_year_of_data': 2566, 'disaggregate': ['ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่'],"
      " 'unit_of_measure': 'คน และล้านบาท', 'official_statistics': 'True'}", NULL },
    { "nso", "air-quality-pm25-2567", "kittipong.an", "siriporn.nso", "ข้อมูลสถิติ", "ข้อมูลสาธารณะ", NULL,
      "ค่าฝุ่นละออง PM2.5 เฉลี่ยรายวัน รายจังหวัด มีนาคม 2567", "Daily PM2.5 air quality by province, March 2024",
      "ค่าเฉลี่ย 24 ชั่วโมงของฝุ่นละอองขนาดไม่เกิน 2.5 ไมครอน และดัชนีคุณภาพอากาศ รายจังหวัด ช่วงฤดูหมอกควัน",
      "คุณภาพอากาศ|ฝุ่น PM2.5|air quality|AQI|หมอกควัน", "ยุทธศาสตร์ชาติ|เพื่อการให้บริการประชาชน", "วัน", "จังหวัด",
      "กรมควบคุมมลพิษ (สถานีตรวจวัดคุณภาพอากาศ)",
      "{'first_year_of_data': 2567, 'last_year_of_data': 2567, 'disaggregate': ['ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่'],"
      " 'unit_of_measure': 'ไมโครกรัมต่อลูกบาศก์เมตร', 'official_statistics': 'False',"
      " 'calculation_method': 'ค่าเฉลี่ยเลขคณิต 24 ชั่วโมงของสถานีในจังหวัด'}", NULL },
    { "nso", "school-locations", "kittipong.an", "siriporn.nso", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "ข้อมูลสาธารณะ", NULL,
      "ที่ตั้งสถานศึกษาขั้นพื้นฐาน จำนวนนักเรียนและครู", "Basic education schools: locations, students and teachers",
      "พิกัดที่ตั้งโรงเรียนสังกัดสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน ระดับที่เปิดสอน จำนวนนักเรียน และจำนวนครู",
      "โรงเรียน|สถานศึกษา|school|การศึกษา|พิกัด", "เพื่อการให้บริการประชาชน", "ปี", "ประเทศ",
      "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
      "{'geographic_data_set': 'ชั้นข้อมูลชุมนุม/อาคาร', 'west_bound_longitude': 97.34,"
      " 'east_bound_longitude': 105.64, 'north_bound_longitude': 20.46, 'south_bound_longitude': 5.61,"
      " 'reference_period': 'ภาคเรียนที่ 1/2566'}", NULL },

    /* ---- moph: กระทรวงสาธารณสุข ---- */
    { "moph", "chronic-patient-register", "anan.health", "wanpen.moph", "ข้อมูลระเบียน", "ข้อมูลส่วนบุคคล", "ลับ",
      "ทะเบียนผู้ป่วยโรคเรื้อรัง (เบาหวาน ความดันโลหิตสูง)", "Chronic disease patient register",
      "ผู้ป่วยโรคเบาหวานและความดันโลหิตสูงที่ขึ้นทะเบียนรับการรักษาต่อเนื่อง: เลขประจำตัวประชาชน ชื่อ โทรศัพท์ "
      "โรคประจำตัว และจังหวัด",
      "ผู้ป่วยโรคเรื้อรัง|เบาหวาน|chronic disease|NCD", "เพื่อการให้บริการประชาชน", "เดือน", "จังหวัด",
      "ระบบคลังข้อมูลสุขภาพ (HDC)",
      "{'accessible_condition': 'แพทย์และพยาบาลผู้รักษาตามหลักการให้สิทธิเท่าที่จำเป็น', 'data_collect': 'บุคคล'}",
      NULL },
    { "moph", "hospital-locations", "anan.health", "wanpen.moph", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "ข้อมูลสาธารณะ", NULL,
      "ที่ตั้งโรงพยาบาลและหน่วยบริการสาธารณสุข", "Hospitals and health service units",
      "พิกัดที่ตั้ง ประเภท และจำนวนเตียงของโรงพยาบาลศูนย์ โรงพยาบาลทั่วไป และโรงพยาบาลชุมชน",
      "โรงพยาบาล|หน่วยบริการ|hospital|พิกัด", "เพื่อการให้บริการประชาชน", "ปี", "ประเทศ",
      "ระบบทะเบียนสถานพยาบาล สำนักงานปลัดกระทรวงสาธารณสุข",
      "{'geographic_data_set': 'ชั้นข้อมูลชุมนุม/อาคาร', 'equivalent_scale': '1:50,000',"
      " 'west_bound_longitude': 97.34, 'east_bound_longitude': 105.64, 'north_bound_longitude': 20.46,"
      " 'south_bound_longitude': 5.61, 'positional_accuracy': '±50 เมตร', 'reference_period': 'พ.ศ. 2566'}", NULL },
    { "moph", "village-health-volunteers", "anan.health", "wanpen.moph", "ข้อมูลระเบียน", "ข้อมูลสาธารณะ", NULL,
      "รายชื่ออาสาสมัครสาธารณสุขประจำหมู่บ้าน (อสม.) จังหวัดขอนแก่น", "Village health volunteers, Khon Kaen",
      "รายชื่อ อสม. หมู่บ้าน ตำบล อำเภอ และปีที่เริ่มปฏิบัติงาน เพื่อประชาสัมพันธ์ช่องทางติดต่อ อสม. ในพื้นที่",
      "อสม.|อาสาสมัครสาธารณสุข|village health volunteer|ขอนแก่น", "เพื่อการให้บริการประชาชน", "ปี", "อำเภอ",
      "สำนักงานสาธารณสุขจังหวัดขอนแก่น", "{'data_collect': 'บุคคล'}", NULL },
    { "moph", "dengue-cases-2566", "anan.health", "wanpen.moph", "ข้อมูลสถิติ", "ข้อมูลสาธารณะ", NULL,
      "จำนวนผู้ป่วยโรคไข้เลือดออกรายจังหวัด รายเดือน พ.ศ. 2566", "Dengue fever cases by province and month 2023",
      "จำนวนผู้ป่วย อัตราป่วยต่อประชากรแสนคน และผู้เสียชีวิตจากโรคไข้เลือดออก รายจังหวัด รายเดือน จากระบบเฝ้าระวังโรค",
      "ไข้เลือดออก|ระบาดวิทยา|dengue|เฝ้าระวังโรค", "ยุทธศาสตร์ชาติ|เพื่อการให้บริการประชาชน", "เดือน", "จังหวัด",
      "กองระบาดวิทยา กรมควบคุมโรค (รายงาน 506)",
      "{'first_year_of_data': 2566, 'last_year_of_data': 2566, 'disaggregate': ['ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่'],"
      " 'unit_of_measure': 'ราย', 'official_statistics': 'True',"
      " 'calculation_method': 'อัตราป่วย = จำนวนผู้ป่วย × 100,000 ÷ ประชากรกลางปี'}", NULL },
    { "moph", "drug-price-reference", "anan.health", "wanpen.moph", "ข้อมูลระเบียน", "ข้อมูลสาธารณะ", NULL,
      "ราคากลางยาและเวชภัณฑ์ที่มิใช่ยา ปีงบประมาณ พ.ศ. 2567", "Reference prices of medicines and medical supplies FY2024",
      "ราคากลางสำหรับการจัดซื้อยาและเวชภัณฑ์ที่มิใช่ยาของหน่วยบริการ ให้บริการดาวน์โหลดจากระบบของกระทรวง",
      "ราคากลาง|ยา|drug price|จัดซื้อ", "กฎหมายที่เกี่ยวข้อง", "ปี", "ประเทศ",
      "ศูนย์ข้อมูลข่าวสารด้านเวชภัณฑ์ กระทรวงสาธารณสุข",
      "{'data_format': ['XLS'], 'reference_data': 'True', 'url': 'https://dmsic.example.moph.go.th/'}", NULL },
};
/* clang-format on */

/* "a|b|c" as a JSON array of strings. */
static json_t *split(const char *s)
{
    json_t *arr = json_array();
    while (arr && s && *s) {
        const char *e = strchr(s, '|');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (json_array_append_new(arr, json_stringn(s, n)) < 0) {
            json_decref(arr);
            return NULL;
        }
        s = e ? e + 1 : s + n;
    }
    return arr;
}

/* The GD-Catalog metadata of demo dataset @p i (thai-rules.md §3.2–3.3). */
static json_t *metadata(size_t i)
{
    const char *maintainer = "กองยุทธศาสตร์และแผนงาน", *email = "data@example.go.th";
    int public = strcmp(demo[i].category, "ข้อมูลสาธารณะ") == 0;
    for (size_t k = 0; k < COUNT(contacts); k++)
        if (strcmp(contacts[k].agency, demo[i].agency) == 0) {
            maintainer = contacts[k].maintainer;
            email = contacts[k].email;
        }
    char *extra = khm_strdup(demo[i].extra ? demo[i].extra : "{}");
    for (char *p = extra; p && *p; p++)
        if (*p == '\'')
            *p = '"';
    json_t *more = extra ? json_loads(extra, 0, NULL) : NULL;
    khm_free(extra);
    json_t *m = json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:s, s:[s], s:s, s:s, s:[s], s:s}",
        "data_type", demo[i].type, "title", demo[i].title, "maintainer", maintainer,
        "maintainer_email", email, "tag_string", split(demo[i].tags), "notes", demo[i].notes,
        "objective", split(demo[i].objective), "update_frequency_unit", demo[i].frequency,
        "geo_coverage", demo[i].geo, "data_source", demo[i].source, "data_format", "CSV",
        "data_category", demo[i].category, "allow_harvest", public ? "True" : "False",
        "data_language", "ไทย", "license_id", public ? "Open Data Common" : "อื่นๆ");
    if (!more || !m) {
        json_decref(more);
        json_decref(m);
        return NULL;
    }
    if (demo[i].level)
        json_object_set_new(m, "data_classification", json_string(demo[i].level));
    if (public) /* §2.3: a public dataset has no access restriction */
        json_object_set_new(m, "accessible_condition", json_string("ไม่มีการจำกัดการเข้าถึงข้อมูล"));
    else
        json_object_set_new(m, "license_id_other", json_string("สงวนสิทธิ์ ใช้ตามเงื่อนไขการเข้าถึงข้อมูล"));
    json_object_update(m, more);
    json_decref(more);
    return m;
}

static int make_one(khm_tx *tx, size_t i, int64_t now, khm_arena *a)
{
    khm_dataset d;
    khm_agency ag;
    khm_user creator, owner;
    int rc = khm_store_dataset_get(tx, &d, demo[i].name, a);
    if (rc != KHM_ENOTFOUND)
        return rc; /* there already (an operator's), or an error */
    khm_err_clear();
    if ((rc = khm_store_agency_get(tx, &ag, demo[i].agency, a)) < 0 ||
        (rc = khm_store_user_get(tx, &creator, demo[i].creator, a)) < 0)
        return rc;
    json_t *m = metadata(i);
    if (!m)
        return khm_err_set(KHM_ERROR, "demo dataset %s: metadata is not JSON", demo[i].name);
    khm_dataset_input in = { demo[i].name, NULL, demo[i].owner, demo[i].title_en, m };
    rc = khm_dataset_create(tx, &d, &in, ag.id, creator.id, now, a);
    size_t nf = 0;
    const khm_field_error *fe = rc == KHM_EINVALID ? khm_err_fields(&nf) : NULL;
    if (nf == 1 && strcmp(fe[0].field, "owner") == 0) {
        /* an operator's user of the owner's name in another agency: no owner, then */
        khm_err_clear();
        in.owner = NULL;
        rc = khm_dataset_create(tx, &d, &in, ag.id, creator.id, now, a);
    }
    json_decref(m);
    if (rc < 0 || !demo[i].confirm || !in.owner)
        return rc;
    if ((rc = khm_store_user_get(tx, &owner, in.owner, a)) < 0)
        return rc;
    khm_dataset_confirm_input c = { khm_category_name(d.category), khm_level_name(d.level),
                                    "low,medium,medium", demo[i].confirm };
    return khm_dataset_confirm(tx, &d, &c, d.version, owner.id, now);
}

int khm_setup__demo_datasets(khm_tx *tx, int64_t now, khm_arena *a)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < COUNT(demo); i++)
        rc = make_one(tx, i, now, a);
    return rc;
}

int khm_setup__demo_owns(khm_tx *tx, const khm_dataset *d, khm_arena *a)
{
    khm_user u;
    for (size_t i = 0; i < COUNT(demo); i++) {
        if (strcmp(demo[i].name, d->slug) != 0)
            continue;
        int rc = khm_store_user_get(tx, &u, demo[i].creator, a);
        if (rc == KHM_ENOTFOUND) {
            khm_err_clear();
            return 0;
        }
        return rc < 0 ? rc : strcmp(u.id, d->created_by) == 0;
    }
    return 0;
}
