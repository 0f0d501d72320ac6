/* Tests for src/lib/catalog/gdc_schema.c: the GD-Catalog field tables against thai-rules.md §3
 * (the 46 fields in v2.2.4 order, the 13 required, multi-select, shown-for per data type, every
 * allowed-value list), the category→level rules of §2.3, the C/I/A impacts of §2.6, validation
 * messages (field names, both labels, the allowed values), the CSV form (header, round trip,
 * import of a row), the JSON schema and docs/catalog/gdc-fields.md. Run from the repository root.
 */
#include "unit.h"

#include <khomun/gdc.h>
#include <khomun/policy.h>

/* ---- helpers ----------------------------------------------------------------------------- */

static json_t *load(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
    if (!j)
        fail_msg("bad test JSON: %s (line %d)", e.text, e.line);
    return j;
}

static size_t nerr(void)
{
    size_t n = 0;
    khm_err_fields(&n);
    return n;
}

static const khm_field_error *err_on(const char *field)
{
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].field, field) == 0)
            return &f[i];
    return NULL;
}

static void dump_errors(void)
{
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    for (size_t i = 0; i < n; i++)
        print_message("  %s: %s | %s\n", f[i].field, f[i].message, f[i].message_th);
}

static void expect_valid(const json_t *md)
{
    if (khm_gdc_validate(md, "metadata.") != 0) {
        dump_errors();
        fail_msg("metadata refused");
    }
}

/* Exactly one error, on metadata.<field>, whose messages carry both labels and @p needle
 * (English message) when not NULL. */
static void expect_one(const json_t *md, const char *field, const char *needle)
{
    char name[128];
    snprintf(name, sizeof(name), "metadata.%s", field);
    int rc = khm_gdc_validate(md, "metadata.");
    if (rc != KHM_EINVALID || nerr() != 1 || !err_on(name)) {
        dump_errors();
        fail_msg("expected one error on %s (rc %d, %zu errors)", name, rc, nerr());
    }
    const khm_field_error *e = err_on(name);
    const khm_gdc_field *f = khm_gdc_field_find(field);
    if (f) {
        if (!strstr(e->message, f->label_en) || !strstr(e->message, f->label_th))
            fail_msg("%s: English message lacks a label: %s", field, e->message);
        if (!strstr(e->message_th, f->label_th) || !strstr(e->message_th, f->label_en))
            fail_msg("%s: Thai message lacks a label: %s", field, e->message_th);
    }
    if (needle && !strstr(e->message, needle))
        fail_msg("%s: message '%s' lacks '%s'", field, e->message, needle);
}

/* A realistic statistical dataset of the Budget Bureau. */
static const char *budget_json =
    "{\"data_type\": \"ข้อมูลสถิติ\","
    " \"title\": \"สถิติงบประมาณรายจ่ายประจำปีจำแนกตามกระทรวง\","
    " \"name\": \"budget-expenditure-by-ministry\","
    " \"owner_org\": \"สำนักงบประมาณ\","
    " \"allow_harvest\": \"True\","
    " \"maintainer\": \"กองวิเคราะห์งบประมาณ ฝ่ายสารสนเทศ\","
    " \"maintainer_email\": \"budget-data@bb.go.th\","
    " \"tag_string\": [\"งบประมาณ\", \"รายจ่าย\", \"budget\", \"กระทรวง\"],"
    " \"notes\": \"ข้อมูลงบประมาณรายจ่ายประจำปี จำแนกตามกระทรวงและหน่วยรับงบประมาณ\\n"
    "ปรับปรุงทุกปีงบประมาณ \\\"ตาม พ.ร.บ.\\\", หน่วย: ล้านบาท\","
    " \"objective\": [\"พันธกิจหน่วยงาน\", \"เพื่อการให้บริการประชาชน\"],"
    " \"update_frequency_unit\": \"ปี\","
    " \"update_frequency_interval\": 1,"
    " \"geo_coverage\": \"ประเทศ\","
    " \"data_source\": \"พระราชบัญญัติงบประมาณรายจ่ายประจำปี, สำนักงบประมาณ\","
    " \"data_format\": [\"CSV\", \"XLS\"],"
    " \"data_category\": \"ข้อมูลสาธารณะ\","
    " \"data_classification\": \"เปิดเผย\","
    " \"license_id\": \"Open Data Common\","
    " \"accessible_condition\": \"ไม่มีการจำกัดการเข้าถึงข้อมูล\","
    " \"url\": \"https://www.bb.go.th/topic.php?gid=860\","
    " \"data_language\": [\"ไทย\", \"อังกฤษ\"],"
    " \"last_updated_date\": \"2024-10-01\","
    " \"data_release_calendar\": \"2025-10-01\","
    " \"first_year_of_data\": 2560,"
    " \"last_year_of_data\": 2568,"
    " \"disaggregate\": [\"ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่\", \"อื่นๆ\"],"
    " \"disaggregate_other\": \"กระทรวง\","
    " \"unit_of_measure\": \"บาท\","
    " \"unit_of_multiplier\": \"ล้าน\","
    " \"calculation_method\": \"ผลรวมวงเงินงบประมาณตามพระราชบัญญัติงบประมาณรายจ่าย\","
    " \"standard\": \"การจำแนกประเภทงบประมาณของสำนักงบประมาณ\","
    " \"official_statistics\": \"True\"}";

/* A provincial health register: personal data, record type. */
static const char *health_json = "{\"data_type\": \"ข้อมูลระเบียน\","
                                 " \"title\": \"ทะเบียนผู้ป่วยโรคเบาหวาน จังหวัดเชียงใหม่\","
                                 " \"maintainer\": \"กลุ่มงานสารสนเทศทางการแพทย์\","
                                 " \"maintainer_email\": \"info@cmpho.go.th\","
                                 " \"tag_string\": [\"สุขภาพ\", \"เบาหวาน\", \"health\"],"
                                 " \"notes\": \"ทะเบียนผู้ป่วยโรคเบาหวานที่ขึ้นทะเบียนในสถานบริการสาธารณสุข\","
                                 " \"objective\": [\"เพื่อการให้บริการประชาชน\", \"กฎหมายที่เกี่ยวข้อง\"],"
                                 " \"update_frequency_unit\": \"เดือน\","
                                 " \"update_frequency_interval\": 1,"
                                 " \"geo_coverage\": \"จังหวัด\","
                                 " \"data_source\": \"ระบบ HDC กระทรวงสาธารณสุข\","
                                 " \"data_format\": [\"Database\"],"
                                 " \"data_category\": \"ข้อมูลส่วนบุคคล\","
                                 " \"data_classification\": \"ลับ\","
                                 " \"license_id\": \"อื่นๆ\","
                                 " \"license_id_other\": \"ใช้ภายในหน่วยงานตามข้อตกลงการใช้ข้อมูล\","
                                 " \"data_support\": \"หน่วยงานของรัฐ\","
                                 " \"data_collect\": \"บุคคล\","
                                 " \"data_language\": [\"ไทย\"],"
                                 " \"created_date\": \"2019-01-15\","
                                 " \"last_updated_date\": \"2024-09-30\","
                                 " \"high_value_dataset\": \"False\","
                                 " \"reference_data\": \"False\"}";

/* Administrative boundaries: geospatial. */
static const char *geo_json =
    "{\"data_type\": \"ข้อมูลภูมิสารสนเทศเชิงพื้นที่\","
    " \"title\": \"ขอบเขตการปกครองระดับตำบล\","
    " \"maintainer\": \"กองแผนที่\", \"maintainer_email\": \"gis@dopa.go.th\","
    " \"tag_string\": [\"แผนที่\", \"ขอบเขตการปกครอง\", \"GIS\"],"
    " \"notes\": \"ชั้นข้อมูลขอบเขตตำบลทั่วประเทศ\","
    " \"objective\": [\"พันธกิจหน่วยงาน\"], \"update_frequency_unit\": \"ปี\","
    " \"geo_coverage\": \"ตำบล\", \"data_source\": \"กรมการปกครอง\","
    " \"data_format\": [\"Shapefile\", \"อื่นๆ\"], \"data_format_other\": \"GeoPackage\","
    " \"data_category\": \"ข้อมูลสาธารณะ\", \"license_id\": \"Creative Commons Attributions\","
    " \"data_release_calendar\": \"2024-06-30\","
    " \"geographic_data_set\": \"ชั้นข้อมูลขอบเขตการปกครอง\","
    " \"equivalent_scale\": \"1:50,000\","
    " \"west_bound_longitude\": 97.34, \"east_bound_longitude\": 105.64,"
    " \"north_bound_longitude\": 20.46, \"south_bound_longitude\": 5.61,"
    " \"positional_accuracy\": \"±5 เมตร\", \"reference_period\": \"พ.ศ. 2566\","
    " \"data_release_date\": \"2024-03-01\"}";

/* ---- the table (§3.2) ------------------------------------------------------------------- */

/* thai-rules.md §3.2: the 46 dataset fields in v2.2.4 order */
static const char *const fields_46[] = {
    "data_type",
    "title",
    "name",
    "owner_org",
    "allow_harvest",
    "reference_url_catalog",
    "maintainer",
    "maintainer_email",
    "tag_string",
    "notes",
    "objective",
    "update_frequency_unit",
    "update_frequency_interval",
    "geo_coverage",
    "data_source",
    "data_format",
    "data_category",
    "data_classification",
    "license_id",
    "accessible_condition",
    "data_support",
    "data_collect",
    "url",
    "data_language",
    "created_date",
    "last_updated_date",
    "data_release_calendar",
    "first_year_of_data",
    "last_year_of_data",
    "disaggregate",
    "unit_of_measure",
    "unit_of_multiplier",
    "calculation_method",
    "standard",
    "geographic_data_set",
    "equivalent_scale",
    "west_bound_longitude",
    "east_bound_longitude",
    "north_bound_longitude",
    "south_bound_longitude",
    "positional_accuracy",
    "reference_period",
    "data_release_date",
    "high_value_dataset",
    "reference_data",
    "official_statistics",
};

/* §3.2: the `*_other` companions, each shown when "อื่นๆ" is chosen */
static const char *const others_12[] = {
    "data_type_other",    "objective_other",          "update_frequency_unit_other",
    "geo_coverage_other", "data_format_other",        "license_id_other",
    "data_support_other", "data_collect_other",       "data_language_other",
    "disaggregate_other", "unit_of_multiplier_other", "equivalent_scale_other",
};

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* §3.2: 46 fields in v2.2.4 order; companions right after their choice field; names unique;
 * every row complete; accessors agree. */
static void test_catalog_gdc_schema__46_fields_in_v224_order(void **state)
{
    (void)state;
    size_t n = khm_gdc_field_count(), k = 0;
    assert_int_equal(n, N_ELEM(fields_46) + N_ELEM(others_12));
    for (size_t i = 0; i < n; i++) {
        const khm_gdc_field *f = khm_gdc_field_at(i);
        assert_non_null(f);
        assert_true(f->label_th && *f->label_th && f->label_en && *f->label_en);
        assert_ptr_equal(khm_gdc_field_find(f->name), f);
        assert_non_null(khm_gdc_value_type_name(f->type));
        assert_true((f->choices != NULL) == (f->type == KHM_GDC_V_CHOICE));
        assert_true((f->choices != NULL) == (f->n_choices > 0));
        assert_true(f->shown_for != 0 && (f->shown_for & ~KHM_GDC_SHOWN_ALL) == 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(f->name, khm_gdc_field_at(j)->name);
        if (f->flags & KHM_GDC_F_OTHER) {
            /* a companion follows its choice field, names it and shares its shown-for */
            assert_true(in_list(f->name, others_12, N_ELEM(others_12)));
            const khm_gdc_field *parent = khm_gdc_field_at(i - 1);
            assert_string_equal(f->other_of, parent->name);
            if (strcmp(f->name, "data_type_other") != 0) /* only for ข้อมูลประเภทอื่นๆ */
                assert_int_equal(f->shown_for, parent->shown_for);
            int has_other = 0;
            for (size_t c = 0; c < parent->n_choices; c++)
                has_other += parent->choices[c].other;
            assert_int_equal(has_other, 1);
            continue;
        }
        assert_null(f->other_of);
        if (k >= N_ELEM(fields_46))
            fail_msg("extra field %s", f->name);
        if (strcmp(f->name, fields_46[k]) != 0)
            fail_msg("field %zu is %s, §3.2 says %s", k + 1, f->name, fields_46[k]);
        k++;
    }
    assert_int_equal(k, 46);
    for (size_t i = 0; i < N_ELEM(others_12); i++)
        assert_non_null(khm_gdc_field_find(others_12[i]));
    assert_null(khm_gdc_field_at(n));
    assert_null(khm_gdc_field_find("nosuch"));
    assert_null(khm_gdc_field_find(NULL));
}

/* §3.2 notes: `required: true` = these 13 fields, nothing else; name and owner_org are CKAN
 * core presets (flag CORE, not required in the metadata). */
static void test_catalog_gdc_schema__13_required_fields(void **state)
{
    (void)state;
    static const char *const req[] = {
        "data_type",    "title",       "maintainer",  "maintainer_email",
        "tag_string",   "notes",       "objective",   "update_frequency_unit",
        "geo_coverage", "data_source", "data_format", "data_category",
        "license_id"
    };
    assert_int_equal(N_ELEM(req), 13);
    size_t count = 0;
    for (size_t i = 0; i < khm_gdc_field_count(); i++) {
        const khm_gdc_field *f = khm_gdc_field_at(i);
        int want = in_list(f->name, req, N_ELEM(req));
        if (!!(f->flags & KHM_GDC_F_REQUIRED) != want)
            fail_msg("%s: required should be %d", f->name, want);
        count += want;
        int core = strcmp(f->name, "name") == 0 || strcmp(f->name, "owner_org") == 0;
        assert_int_equal(!!(f->flags & KHM_GDC_F_CORE), core);
    }
    assert_int_equal(count, 13);
    /* §3.2: data_classification is not required in v2.2.4 */
    assert_false(khm_gdc_field_find("data_classification")->flags & KHM_GDC_F_REQUIRED);
}

/* §3.2 notes: objective, data_format, data_language and disaggregate are multi-select */
static void test_catalog_gdc_schema__multi_select_fields(void **state)
{
    (void)state;
    static const char *const multi[] = { "objective", "data_format", "data_language",
                                         "disaggregate" };
    for (size_t i = 0; i < khm_gdc_field_count(); i++) {
        const khm_gdc_field *f = khm_gdc_field_at(i);
        int want = in_list(f->name, multi, N_ELEM(multi));
        if (!!(f->flags & KHM_GDC_F_MULTI) != want)
            fail_msg("%s: multi-select should be %d", f->name, want);
    }
    /* §3.4: the resource's disaggregate is multi-select too */
    for (size_t i = 0; i < khm_gdc_resource_field_count(); i++) {
        const khm_gdc_field *f = khm_gdc_resource_field_at(i);
        assert_int_equal(!!(f->flags & KHM_GDC_F_MULTI),
                         strcmp(f->name, "resource_disaggregate") == 0);
    }
    /* a multi-select value is an array; a string is the wrong JSON type */
    json_t *md = load(budget_json);
    json_object_set_new(md, "data_format", json_string("CSV"));
    expect_one(md, "data_format", "array");
    json_object_set_new(md, "data_format", json_pack("[s,s]", "CSV", "CSV"));
    expect_one(md, "data_format", "more than once");
    json_object_set_new(md, "data_format", json_pack("[s,s]", "CSV", "Excel"));
    expect_one(md, "data_format", "'Excel' is not an allowed value");
    json_object_set_new(md, "data_format", json_pack("[s,i]", "CSV", 3));
    expect_one(md, "data_format", "array of strings");
    /* and a single choice is a string, not an array */
    json_decref(md);
    md = load(budget_json);
    json_object_set_new(md, "geo_coverage", json_pack("[s]", "ประเทศ"));
    expect_one(md, "geo_coverage", "must be a string");
    json_decref(md);
}

#define REC   KHM_GDC_SHOWN(KHM_GDC_TYPE_RECORD)
#define STAT  KHM_GDC_SHOWN(KHM_GDC_TYPE_STAT)
#define GEO   KHM_GDC_SHOWN(KHM_GDC_TYPE_GEO)
#define MULTI KHM_GDC_SHOWN(KHM_GDC_TYPE_MULTI)
#define OTHER KHM_GDC_SHOWN(KHM_GDC_TYPE_OTHER)
#define ALL   KHM_GDC_SHOWN_ALL
#define RMO   (REC | MULTI | OTHER)

/* §3.2 column "shown for data_type" */
static void test_catalog_gdc_schema__shown_for_per_data_type(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        unsigned shown;
    } want[] = {
        { "data_support", RMO },
        { "data_collect", RMO },
        { "created_date", RMO },
        { "data_release_calendar", STAT | GEO },
        { "first_year_of_data", STAT },
        { "last_year_of_data", STAT },
        { "disaggregate", STAT },
        { "unit_of_measure", STAT },
        { "unit_of_multiplier", STAT },
        { "calculation_method", STAT },
        { "standard", STAT },
        { "geographic_data_set", GEO },
        { "equivalent_scale", GEO },
        { "west_bound_longitude", GEO },
        { "east_bound_longitude", GEO },
        { "north_bound_longitude", GEO },
        { "south_bound_longitude", GEO },
        { "positional_accuracy", GEO },
        { "reference_period", GEO },
        { "data_release_date", GEO },
        { "high_value_dataset", RMO },
        { "reference_data", RMO },
        { "official_statistics", STAT },
        /* companions follow their field; data_type_other only for ข้อมูลประเภทอื่นๆ */
        { "data_type_other", OTHER },
    };
    for (size_t i = 0; i < khm_gdc_field_count(); i++) {
        const khm_gdc_field *f = khm_gdc_field_at(i);
        if (f->flags & KHM_GDC_F_OTHER)
            continue;
        unsigned expect = ALL; /* "all" in §3.2 for every field not listed above */
        for (size_t k = 0; k < N_ELEM(want); k++)
            if (strcmp(want[k].name, f->name) == 0)
                expect = want[k].shown;
        if (f->shown_for != expect)
            fail_msg("%s: shown_for 0x%x, §3.2 says 0x%x", f->name, f->shown_for, expect);
        for (int t = 0; t < KHM_GDC_TYPE__COUNT; t++)
            assert_int_equal(khm_gdc_field_shown(f, t), !!(expect & (1u << t)));
        assert_true(khm_gdc_field_shown(f, -1)); /* unknown type: all shown */
    }
    assert_int_equal(khm_gdc_field_find("data_type_other")->shown_for, OTHER);
    assert_int_equal(khm_gdc_field_find("disaggregate_other")->shown_for, STAT);
    assert_int_equal(khm_gdc_field_find("equivalent_scale_other")->shown_for, GEO);
    assert_int_equal(khm_gdc_field_find("data_collect_other")->shown_for, RMO);
}

/* A valid value for any field (used to put each field into each data type). */
static json_t *sample(const khm_gdc_field *f)
{
    switch (f->type) {
    case KHM_GDC_V_CHOICE:
        return (f->flags & KHM_GDC_F_MULTI) ? json_pack("[s]", f->choices[0].value)
                                            : json_string(f->choices[0].value);
    case KHM_GDC_V_DATE:
        return json_string("2024-01-15");
    case KHM_GDC_V_YEAR:
        return json_integer(2566);
    case KHM_GDC_V_INTEGER:
        return json_integer(2);
    case KHM_GDC_V_NUMBER:
        return json_real(10.5);
    case KHM_GDC_V_URL:
        return json_string("https://data.go.th/dataset/x");
    case KHM_GDC_V_EMAIL:
        return json_string("department@org.go.th");
    case KHM_GDC_V_TAGS:
        return json_pack("[s]", "ทดสอบ");
    case KHM_GDC_V_SLUG:
        return json_string("test-dataset");
    default:
        return json_string("ข้อความทดสอบ");
    }
}

/* The 13 required fields, valid, for data type @p t. */
static json_t *base_of(int t)
{
    json_t *md = json_object();
    for (size_t i = 0; i < khm_gdc_field_count(); i++) {
        const khm_gdc_field *f = khm_gdc_field_at(i);
        if (f->flags & KHM_GDC_F_REQUIRED)
            json_object_set_new(md, f->name, sample(f));
    }
    json_object_set_new(md, "data_type", json_string(khm_gdc_data_type_value(t)));
    return md;
}

/* §3.2: a field holds a value only for the data types it is shown for */
static void test_catalog_gdc_schema__field_not_shown_for_type_is_refused(void **state)
{
    (void)state;
    for (int t = 0; t < KHM_GDC_TYPE__COUNT; t++) {
        json_t *base = base_of(t);
        expect_valid(base);
        for (size_t i = 0; i < khm_gdc_field_count(); i++) {
            const khm_gdc_field *f = khm_gdc_field_at(i);
            if (f->flags & (KHM_GDC_F_REQUIRED | KHM_GDC_F_OTHER))
                continue;
            json_t *md = json_deep_copy(base);
            json_object_set_new(md, f->name, sample(f));
            if (khm_gdc_field_shown(f, t)) {
                if (khm_gdc_validate(md, "metadata.") != 0) {
                    dump_errors();
                    fail_msg("%s refused for %s", f->name, khm_gdc_data_type_value(t));
                }
            } else {
                expect_one(md, f->name, "is not used for the data type");
                char name[128];
                snprintf(name, sizeof(name), "metadata.%s", f->name);
                assert_non_null(strstr(err_on(name)->message_th, khm_gdc_data_type_value(t)));
            }
            /* an empty value of a field not shown is no value at all */
            json_object_set_new(md, f->name, json_string(""));
            expect_valid(md);
            json_decref(md);
        }
        json_decref(base);
    }
}

/* §3.3: each allowed-value list, stored strings exactly, in order */
struct want_choices {
    const char *field;
    const char *const *values;
    size_t n;
};
#define W(field, ...)                                                           \
    {                                                                           \
        field, (const char *const[]){ __VA_ARGS__ },                            \
            sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *) \
    }

static const struct want_choices choices_33[] = {
    W("data_type", "ข้อมูลระเบียน", "ข้อมูลสถิติ", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "ข้อมูลหลากหลายประเภท",
      "ข้อมูลประเภทอื่นๆ"),
    W("allow_harvest", "False", "True"),
    W("objective", "ยุทธศาสตร์ชาติ", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", "แผนความมั่นคงแห่งชาติ",
      "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", "แผนปฏิรูปประเทศ", "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)",
      "นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี", "มติคณะรัฐมนตรี", "เพื่อการให้บริการประชาชน", "กฎหมายที่เกี่ยวข้อง",
      "พันธกิจหน่วยงาน", "ดัชนี/ตัวชี้วัดระดับนานาชาติ", "ไม่ทราบ", "อื่นๆ"),
    W("update_frequency_unit", "ไม่ทราบ", "ปี", "ครึ่งปี", "ไตรมาส", "เดือน", "สัปดาห์", "วัน", "วันทำการ",
      "ชั่วโมง", "นาที", "ตามเวลาจริง", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "อื่นๆ"),
    W("geo_coverage", "ไม่มี", "โลก", "ทวีป/กลุ่มประเทศในทวีป", "กลุ่มประเทศทางเศรษฐกิจ", "ประเทศ", "ภาค",
      "จังหวัด", "อำเภอ", "ตำบล", "หมู่บ้าน", "เทศบาล/อบต.", "พิกัด", "ไม่ทราบ", "อื่นๆ"),
    W("data_format", "Database", "CSV", "XML", "Image", "Video", "Audio", "Text", "JSON", "HTML",
      "DOC/DOCX", "XLS", "PDF", "RDF", "NoSQL", "Arc/Info Coverage", "Shapefile", "GeoTiff", "GML",
      "ไม่ทราบ", "อื่นๆ"),
    W("data_category", "ข้อมูลสาธารณะ", "ข้อมูลใช้ภายใน", "ข้อมูลส่วนบุคคล", "ข้อมูลความมั่นคง",
      "ข้อมูลความลับทางราชการ"),
    W("data_classification", "เปิดเผย", "ชั้นเผยแพร่ภายในองค์กร", "ลับ", "ลับมาก", "ลับที่สุด"),
    W("license_id", "Open Data Common", "Creative Commons Attributions",
      "Creative Commons Attribution Non-Commercial", "Creative Commons Attribution Share-Alike",
      "Creative Commons Attribution Non-Commercial Share-Alike",
      "Creative Commons Attribution Non-Commercial No-Derivs",
      "Creative Commons Attribution No-Derivs", "อื่นๆ"),
    W("data_support", "ไม่มี", "หน่วยงานของรัฐ", "หน่วยงานเอกชน", "หน่วยงาน/องค์กรระหว่างประเทศ",
      "มูลนิธิ/สมาคม", "สถาบันการศึกษา", "อื่นๆ"),
    W("data_collect", "ไม่มี", "บุคคล", "ครัวเรือน/ครอบครัว", "บ้าน/ที่อยู่อาศัย", "บริษัท/ห้างร้าน/สถานประกอบการ",
      "อาคาร/สิ่งปลูกสร้าง", "พื้นที่การเกษตร ประมง ป่าไม้", "สัตว์และพันธุ์พืช", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
      "แหล่งน้ำ เช่น แม่น้ำ อ่างเก็บน้ำ", "เส้นทางการเดินทาง เช่น ถนน ทางรถไฟ", "ไม่ทราบ", "อื่นๆ"),
    W("data_language", "ไทย", "อังกฤษ", "จีน", "มลายู", "พม่า", "ลาว", "เขมร", "ญี่ปุ่น", "เกาหลี", "ฝรั่งเศส",
      "เยอรมัน", "อารบิก", "ไม่ทราบ", "อื่นๆ"),
    W("disaggregate", "ไม่มี", "เพศ", "อายุ/กลุ่มอายุ", "สถานภาพสมรส", "ศาสนา", "ระดับการศึกษา", "อาชีพ",
      "สถานภาพการทำงาน", "อุตสาหกรรม/ประเภทกิจการ", "รายได้", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "ผลิตภัณฑ์",
      "ไม่ทราบ", "อื่นๆ"),
    W("unit_of_multiplier", "หน่วย", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน", "ล้าน", "สิบล้าน", "ร้อยล้าน",
      "พันล้าน", "หมื่นล้าน", "แสนล้าน", "ล้านล้าน", "ไม่ทราบ", "อื่นๆ"),
    W("geographic_data_set", "ชั้นข้อมูลแปลงที่ดิน", "ชั้นข้อมูลขอบเขตการปกครอง", "ชั้นข้อมูลเส้นทางคมนาคม",
      "ชั้นข้อมูลชุมนุม/อาคาร", "ชั้นข้อมูลป่าไม้", "ชั้นข้อมูลการใช้ประโยชน์ที่ดิน", "ชั้นข้อมูลแหล่งน้ำ", "ชั้นข้อมูลอุทกศาสตร์",
      "ชั้นข้อมูลหมุดหลักฐานแผนที่", "ชั้นข้อมูลความสูงภูมิประเทศเชิงตัวเลข", "ชั้นข้อมูลภาพแผนที่ภูมิประเทศ",
      "ชั้นข้อมูลแผนที่ภาพถ่ายทางอากาศ", "ชั้นข้อมูลภาพวาดดาวเทียมดัดแก้"),
    W("equivalent_scale", "1:4,000", "1:10,000", "1:25,000", "1:50,000", "1:250,000", "อื่นๆ"),
    W("high_value_dataset", "False", "True"),
    W("reference_data", "False", "True"),
    W("official_statistics", "False", "True"),
};

static void test_catalog_gdc_schema__allowed_values_exact(void **state)
{
    (void)state;
    size_t choice_fields = 0;
    for (size_t i = 0; i < khm_gdc_field_count(); i++)
        choice_fields += khm_gdc_field_at(i)->type == KHM_GDC_V_CHOICE;
    assert_int_equal(choice_fields, N_ELEM(choices_33));
    for (size_t k = 0; k < N_ELEM(choices_33); k++) {
        const struct want_choices *w = &choices_33[k];
        const khm_gdc_field *f = khm_gdc_field_find(w->field);
        assert_non_null(f);
        if (f->n_choices != w->n)
            fail_msg("%s: %zu choices, §3.3 lists %zu", w->field, f->n_choices, w->n);
        for (size_t c = 0; c < w->n; c++) {
            assert_string_equal(f->choices[c].value, w->values[c]);
            assert_ptr_equal(khm_gdc_choice_find(f, w->values[c]), &f->choices[c]);
            assert_non_null(f->choices[c].label_th);
        }
        assert_null(khm_gdc_choice_find(f, "nosuch"));
        assert_null(khm_gdc_choice_find(f, NULL));
    }
    /* §3.3 glosses: the stored value differs from the label for these */
    assert_string_equal(khm_gdc_choice_find(khm_gdc_field_find("allow_harvest"), "True")->label_th,
                        "ยินยอม");
    assert_string_equal(
        khm_gdc_choice_find(khm_gdc_field_find("high_value_dataset"), "False")->label_th, "ไม่ใช่");
    assert_string_equal(khm_gdc_choice_find(khm_gdc_field_find("data_format"), "XLS")->label_th,
                        "XLS/XLSX");
}

/* §3.3: a value outside each list is refused, and the message lists every allowed value */
static void test_catalog_gdc_schema__value_outside_list_lists_allowed(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_ELEM(choices_33); k++) {
        const khm_gdc_field *f = khm_gdc_field_find(choices_33[k].field);
        int t = KHM_GDC_TYPE_RECORD;
        while (!khm_gdc_field_shown(f, t))
            t++;
        json_t *md = base_of(t);
        json_t *bad = json_string("ค่าที่ไม่มีในรายการ");
        json_object_set_new(md, f->name,
                            (f->flags & KHM_GDC_F_MULTI) ? json_pack("[o]", bad) : bad);
        if (strcmp(f->name, "data_type") == 0) {
            /* the data type is unknown: shown-for checks are skipped, the value is refused */
            assert_int_equal(khm_gdc_validate(md, "metadata."), KHM_EINVALID);
        } else {
            expect_one(md, f->name, "is not an allowed value");
        }
        char name[128];
        snprintf(name, sizeof(name), "metadata.%s", f->name);
        const khm_field_error *e = err_on(name);
        assert_non_null(e);
        assert_non_null(strstr(e->message, "ค่าที่ไม่มีในรายการ"));
        assert_non_null(strstr(e->message_th, "ไม่อยู่ในรายการที่กำหนด"));
        for (size_t c = 0; c < f->n_choices; c++) {
            if (!strstr(e->message, f->choices[c].value))
                fail_msg("%s: message lacks allowed value %s: %s", f->name, f->choices[c].value,
                         e->message);
            if (!strstr(e->message_th, f->choices[c].value))
                fail_msg("%s: Thai message lacks %s", f->name, f->choices[c].value);
        }
        json_decref(md);
    }
    /* display labels are not stored values */
    json_t *md = load(budget_json);
    json_object_set_new(md, "allow_harvest", json_string("ยินยอม"));
    expect_one(md, "allow_harvest", "True (ยินยอม / Yes)");
    json_object_set_new(md, "allow_harvest", json_true());
    expect_one(md, "allow_harvest", "must be a string");
    json_decref(md);
}

/* §3.2/§3.3: the data-type enum and its stored strings */
static void test_catalog_gdc_schema__data_types(void **state)
{
    (void)state;
    static const char *const names[] = { "record", "statistical", "geospatial", "multiple",
                                         "other" };
    const khm_gdc_field *f = khm_gdc_field_find("data_type");
    assert_int_equal(KHM_GDC_TYPE__COUNT, 5);
    for (int t = 0; t < KHM_GDC_TYPE__COUNT; t++) {
        int out = -1;
        assert_string_equal(khm_gdc_data_type_value(t), f->choices[t].value);
        assert_string_equal(khm_gdc_data_type_name(t), names[t]);
        assert_non_null(khm_gdc_data_type_label_en(t));
        assert_int_equal(khm_gdc_data_type_parse(khm_gdc_data_type_value(t), &out), 0);
        assert_int_equal(out, t);
        out = -1;
        assert_int_equal(khm_gdc_data_type_parse(names[t], &out), 0);
        assert_int_equal(out, t);
    }
    assert_string_equal(khm_gdc_data_type_value(KHM_GDC_TYPE_STAT), "ข้อมูลสถิติ");
    assert_null(khm_gdc_data_type_value(5));
    assert_null(khm_gdc_data_type_name(-1));
    int out;
    khm_err_clear();
    assert_int_equal(khm_gdc_data_type_parse("ข้อมูลดิบ", &out), KHM_EINVALID);
    assert_non_null(err_on("data_type"));
    assert_int_equal(khm_gdc_data_type_parse(NULL, &out), KHM_EINVALID);
    json_t *md = load(geo_json);
    assert_int_equal(khm_gdc_data_type_of(md), KHM_GDC_TYPE_GEO);
    json_object_set_new(md, "data_type", json_string("x"));
    assert_int_equal(khm_gdc_data_type_of(md), -1);
    json_object_del(md, "data_type");
    assert_int_equal(khm_gdc_data_type_of(md), -1);
    assert_int_equal(khm_gdc_data_type_of(NULL), -1);
    json_decref(md);
}

/* ---- realistic metadata ------------------------------------------------------------------ */

static void test_catalog_gdc_schema__realistic_thai_datasets_validate(void **state)
{
    (void)state;
    const char *all[] = { budget_json, health_json, geo_json };
    for (size_t i = 0; i < N_ELEM(all); i++) {
        json_t *md = load(all[i]);
        khm_err_set(KHM_ERROR, "stale"); /* validation clears earlier errors */
        expect_valid(md);
        assert_int_equal(khm_err_last()->code, KHM_OK);
        json_decref(md);
    }
    /* the metadata object may leave name and owner_org to the dataset record */
    json_t *md = load(budget_json);
    json_object_del(md, "name");
    json_object_del(md, "owner_org");
    expect_valid(md);
    json_object_set_new(md, "name", json_string("Budget 2567"));
    expect_one(md, "name", "a-z");
    json_decref(md);
}

/* §3.2: each of the 13 required fields, missing (absent, null, "", spaces, []), is reported on
 * its own, with both labels */
static void test_catalog_gdc_schema__missing_required_field(void **state)
{
    (void)state;
    for (size_t i = 0; i < khm_gdc_field_count(); i++) {
        const khm_gdc_field *f = khm_gdc_field_at(i);
        if (!(f->flags & KHM_GDC_F_REQUIRED))
            continue;
        json_t *md = load(health_json);
        json_object_del(md, f->name);
        if (strcmp(f->name, "data_type") == 0) {
            /* without a data type the record-only fields cannot be checked: only "required" */
            json_object_del(md, "data_support");
            json_object_del(md, "data_collect");
        }
        if (strcmp(f->name, "license_id") == 0)
            json_object_del(md, "license_id_other");
        expect_one(md, f->name, "is required");
        char name[128];
        snprintf(name, sizeof(name), "metadata.%s", f->name);
        assert_non_null(strstr(err_on(name)->message_th, "ต้องระบุ"));
        json_t *empties[] = { json_null(), json_string(""), json_string("  "), json_array() };
        for (size_t k = 0; k < N_ELEM(empties); k++) {
            json_object_set_new(md, f->name, empties[k]);
            expect_one(md, f->name, "is required");
        }
        json_decref(md);
    }
    /* all 13 at once: 13 errors, collected */
    json_t *md = json_object();
    assert_int_equal(khm_gdc_validate(md, NULL), KHM_EINVALID);
    assert_int_equal(nerr(), 13);
    assert_non_null(err_on("title")); /* NULL prefix: bare names */
    json_decref(md);
}

static void test_catalog_gdc_schema__unknown_field(void **state)
{
    (void)state;
    json_t *md = load(budget_json);
    json_object_set_new(md, "maintainer_emial", json_string("x@y.th"));
    expect_one(md, "maintainer_emial", "did you mean 'maintainer_email'?");
    assert_non_null(strstr(err_on("metadata.maintainer_emial")->message_th, "maintainer_email"));
    json_object_del(md, "maintainer_emial");
    json_object_set_new(md, "ชื่อเล่น", json_string("x"));
    expect_one(md, "ชื่อเล่น", "unknown GD-Catalog field");
    json_decref(md);
    /* not an object */
    json_t *s = json_string("x");
    assert_int_equal(khm_gdc_validate(s, "metadata."), KHM_EINVALID);
    assert_non_null(err_on("metadata"));
    assert_int_equal(khm_gdc_validate(s, NULL), KHM_EINVALID);
    assert_non_null(err_on("body"));
    json_decref(s);
}

static void test_catalog_gdc_schema__wrong_json_types(void **state)
{
    (void)state;
    static const struct {
        const char *field, *json, *needle;
    } cases[] = {
        { "title", "5", "must be a string" },
        { "tag_string", "\"งบประมาณ,budget\"", "array of tags" },
        { "tag_string", "[1]", "array of strings" },
        { "update_frequency_interval", "\"1\"", "JSON integer" },
        { "update_frequency_interval", "1.5", "JSON integer" },
        { "first_year_of_data", "\"2566\"", "year as a JSON integer" },
        { "last_updated_date", "20241001", "must be a string" },
        { "objective", "{}", "array" },
    };
    for (size_t i = 0; i < N_ELEM(cases); i++) {
        json_t *md = load(budget_json);
        json_object_set_new(md, cases[i].field, load(cases[i].json));
        expect_one(md, cases[i].field, cases[i].needle);
        json_decref(md);
    }
    json_t *md = load(geo_json);
    json_object_set_new(md, "west_bound_longitude", json_string("97.34"));
    expect_one(md, "west_bound_longitude", "JSON number");
    json_object_set_new(md, "west_bound_longitude", json_integer(97)); /* an integer is a number */
    expect_valid(md);
    json_decref(md);
}

static char *repeat(const char *s, size_t n)
{
    size_t l = strlen(s);
    char *out = malloc(l * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * l, s, l);
    out[l * n] = '\0';
    return out;
}

static void test_catalog_gdc_schema__too_long_and_control_characters(void **state)
{
    (void)state;
    json_t *md = load(budget_json);
    char *t500 = repeat("ก", 500), *t501 = repeat("ก", 501);
    json_object_set_new(md, "title", json_string(t500)); /* code points, not bytes */
    expect_valid(md);
    json_object_set_new(md, "title", json_string(t501));
    expect_one(md, "title", "at most 500 characters (got 501)");
    assert_non_null(strstr(err_on("metadata.title")->message_th, "ยาวเกิน 500"));
    json_object_set_new(md, "title", json_string("ชื่อ\nสองบรรทัด"));
    expect_one(md, "title", "one line");
    json_object_set_new(md, "title", json_string("ok"));
    /* long text keeps line breaks and tabs, not other control characters */
    json_object_set_new(md, "notes", json_string("บรรทัด 1\r\nบรรทัด 2\tแท็บ"));
    expect_valid(md);
    json_object_set_new(md, "notes", json_string("bell\x07"));
    expect_one(md, "notes", "control characters");
    json_object_set_new(md, "notes", json_string("ok"));
    /* tags: 2..100 characters, no comma */
    char *tag101 = repeat("ข", 101);
    json_object_set_new(md, "tag_string", json_pack("[s]", tag101));
    expect_one(md, "tag_string", "at most 100");
    json_object_set_new(md, "tag_string", json_pack("[s]", "ก"));
    expect_one(md, "tag_string", "at least 2 characters");
    json_object_set_new(md, "tag_string", json_pack("[s]", "a,b"));
    expect_one(md, "tag_string", "without a comma");
    json_object_set_new(md, "tag_string", json_pack("[s,s]", "งบ", "งบ"));
    expect_one(md, "tag_string", "more than once");
    free(t500);
    free(t501);
    free(tag101);
    json_decref(md);
}

static void test_catalog_gdc_schema__dates(void **state)
{
    (void)state;
    const char *ok[] = { "2024-02-29", "2000-02-29", "1999-12-31", "2024-10-22" };
    const char *bad[] = { "2023-02-29",   "1900-02-29",         "2024-13-01", "2024-00-10",
                          "2024-04-31",   "2024-1-5",           "24-01-01",   "2024/01/05",
                          "15 ม.ค. 2567", "2024-01-05T00:00:00" };
    json_t *md = load(budget_json);
    for (size_t i = 0; i < N_ELEM(ok); i++) {
        json_object_set_new(md, "last_updated_date", json_string(ok[i]));
        expect_valid(md);
    }
    for (size_t i = 0; i < N_ELEM(bad); i++) {
        json_object_set_new(md, "last_updated_date", json_string(bad[i]));
        expect_one(md, "last_updated_date", "not a valid date");
    }
    /* a Buddhist-era year in a date is named as such, with the Christian-era year */
    json_object_set_new(md, "last_updated_date", json_string("2567-10-01"));
    expect_one(md, "last_updated_date", "Buddhist-era year: use the Christian-era year (2024)");
    assert_non_null(strstr(err_on("metadata.last_updated_date")->message_th, "พุทธศักราช"));
    json_decref(md);
}

static void test_catalog_gdc_schema__urls_and_emails(void **state)
{
    (void)state;
    const char *ok_url[] = { "https://data.go.th/dataset/งบประมาณ", "http://localhost:8080/x",
                             "https://www.bb.go.th/topic.php?gid=860#top", "https://a.b" };
    const char *bad_url[] = { "ftp://data.go.th/x",
                              "data.go.th",
                              "https://",
                              "https:///x",
                              "https://data.go.th/a b",
                              "https://data.go.th:port/",
                              "javascript:alert(1)",
                              "https://da_ta.go.th/" };
    const char *ok_mail[] = { "department@org.go.th", "first.last+tag@moph.go.th", "a@localhost" };
    const char *bad_mail[] = { "a@",
                               "@b.th",
                               "a b@c.th",
                               "a@b..th",
                               "a@-b.th",
                               "a@b.th.",
                               "สมชาย@moph.go.th",
                               "a@b@c.th",
                               "department.org.go.th" };
    json_t *md = load(budget_json);
    for (size_t i = 0; i < N_ELEM(ok_url); i++) {
        json_object_set_new(md, "url", json_string(ok_url[i]));
        expect_valid(md);
    }
    for (size_t i = 0; i < N_ELEM(bad_url); i++) {
        json_object_set_new(md, "url", json_string(bad_url[i]));
        expect_one(md, "url", "not a valid URL");
    }
    json_object_set_new(md, "url", json_string("https://data.go.th"));
    json_object_set_new(md, "reference_url_catalog", json_string("gdcatalog.go.th"));
    expect_one(md, "reference_url_catalog", "http://");
    json_object_del(md, "reference_url_catalog");
    for (size_t i = 0; i < N_ELEM(ok_mail); i++) {
        json_object_set_new(md, "maintainer_email", json_string(ok_mail[i]));
        expect_valid(md);
    }
    for (size_t i = 0; i < N_ELEM(bad_mail); i++) {
        json_object_set_new(md, "maintainer_email", json_string(bad_mail[i]));
        expect_one(md, "maintainer_email", "not a valid e-mail address");
        assert_non_null(strstr(err_on("metadata.maintainer_email")->message_th, "อีเมล"));
    }
    json_decref(md);
}

/* §3.2: the `*_other` text goes with the "อื่นๆ" choice */
static void test_catalog_gdc_schema__other_companions(void **state)
{
    (void)state;
    json_t *md = load(budget_json);
    json_object_set_new(md, "objective_other", json_string("แผนยุทธศาสตร์กระทรวง"));
    expect_one(md, "objective_other", "is only used when Objective (objective) is 'อื่นๆ'");
    json_array_append_new(json_object_get(md, "objective"), json_string("อื่นๆ"));
    expect_valid(md);
    /* the statistical disaggregate_other is fine with อื่นๆ, refused without */
    json_object_set_new(md, "disaggregate", json_pack("[s]", "เพศ"));
    expect_one(md, "disaggregate_other", "'อื่นๆ'");
    json_decref(md);
    md = load(health_json);
    json_object_set_new(md, "license_id", json_string("Open Data Common"));
    expect_one(md, "license_id_other", "is only used when");
    json_decref(md);
    /* data_type_other goes with ข้อมูลประเภทอื่นๆ */
    md = base_of(KHM_GDC_TYPE_OTHER);
    json_object_set_new(md, "data_type_other", json_string("ข้อมูลเสียง"));
    expect_valid(md);
    json_object_set_new(md, "data_type", json_string("ข้อมูลหลากหลายประเภท"));
    expect_one(md, "data_type_other", "is not used for the data type");
    json_decref(md);
}

static void test_catalog_gdc_schema__numbers_years_and_bounds(void **state)
{
    (void)state;
    json_t *md = load(budget_json);
    json_object_set_new(md, "update_frequency_interval", json_integer(0));
    expect_one(md, "update_frequency_interval", "between 1 and 1000000");
    json_object_set_new(md, "update_frequency_interval", json_integer(4));
    /* years of data: CE or BE, compared in one era */
    json_object_set_new(md, "first_year_of_data", json_integer(2017));
    json_object_set_new(md, "last_year_of_data", json_integer(2568));
    expect_valid(md);
    json_object_set_new(md, "last_year_of_data", json_integer(2559)); /* = CE 2016 < 2017 */
    expect_one(md, "last_year_of_data", "must not be before");
    json_object_set_new(md, "last_year_of_data", json_integer(999));
    expect_one(md, "last_year_of_data", "between 1000 and 2700");
    json_decref(md);
    md = load(geo_json);
    json_object_set_new(md, "west_bound_longitude", json_real(-180.5));
    expect_one(md, "west_bound_longitude", "between -180 and 180");
    json_object_set_new(md, "west_bound_longitude", json_real(97.34));
    json_object_set_new(md, "north_bound_longitude", json_real(91));
    expect_one(md, "north_bound_longitude", "between -90 and 90");
    json_object_set_new(md, "north_bound_longitude", json_real(5.0));
    expect_one(md, "south_bound_longitude", "north of the north bound");
    json_decref(md);
}

/* ---- classification (§2.3) ---------------------------------------------------------------- */

/* §2.3 table: allowed[category][level] */
static const int allowed_23[KHM_CAT__COUNT][KHM_LEVEL__COUNT] = {
    /*                         เปิดเผย ชั้นเผยแพร่ฯ ลับ ลับมาก ลับที่สุด */
    [KHM_CAT_PUBLIC] = { 1, 0, 0, 0, 0 }, /* ข้อมูลสาธารณะ → เปิดเผย only */
    [KHM_CAT_INTERNAL] = { 0, 1, 0, 0, 0 }, /* ข้อมูลใช้ภายใน → ชั้นเผยแพร่ภายในองค์กร only */
    [KHM_CAT_PERSONAL] = { 0, 1, 1, 1, 0 }, /* ข้อมูลส่วนบุคคล → ภายในองค์กร, ลับ, ลับมาก */
    [KHM_CAT_SECURITY] = { 0, 0, 1, 1, 1 }, /* ข้อมูลความมั่นคง → ลับ, ลับมาก, ลับที่สุด */
    [KHM_CAT_OFFICIAL_SECRET] = { 0, 0, 1, 1, 1 }, /* ข้อมูลความลับทางราชการ → likewise */
};

/* §2.3 / §3.3: the stored strings of data_category and data_classification are the Thai labels
 * of khm_category and khm_level, in enum order */
static void test_catalog_gdc_schema__category_and_level_map_to_enums(void **state)
{
    (void)state;
    const khm_gdc_field *cf = khm_gdc_field_find("data_category");
    const khm_gdc_field *lf = khm_gdc_field_find("data_classification");
    assert_int_equal(cf->n_choices, KHM_CAT__COUNT);
    assert_int_equal(lf->n_choices, KHM_LEVEL__COUNT);
    for (int c = 0; c < KHM_CAT__COUNT; c++)
        assert_string_equal(cf->choices[c].value, khm_category_label_th(c));
    for (int l = 0; l < KHM_LEVEL__COUNT; l++)
        assert_string_equal(lf->choices[l].value, khm_level_label_th(l));
    json_t *md = load(health_json);
    int cat, lev;
    khm_gdc_classification_get(md, &cat, &lev);
    assert_int_equal(cat, KHM_CAT_PERSONAL);
    assert_int_equal(lev, KHM_LEVEL_CONFIDENTIAL);
    json_object_del(md, "data_classification");
    json_object_set_new(md, "data_category", json_string("personal")); /* not a stored value */
    khm_gdc_classification_get(md, &cat, &lev);
    assert_int_equal(cat, -1);
    assert_int_equal(lev, -1);
    khm_gdc_classification_get(NULL, &cat, &lev);
    assert_int_equal(cat, -1);
    json_decref(md);
}

static void test_catalog_gdc_schema__every_category_level_combination(void **state)
{
    (void)state;
    for (int c = 0; c < KHM_CAT__COUNT; c++) {
        unsigned mask = 0;
        for (int l = 0; l < KHM_LEVEL__COUNT; l++) {
            assert_int_equal(khm_gdc_level_allowed(c, l), allowed_23[c][l]);
            mask |= (unsigned)allowed_23[c][l] << l;
            json_t *md = load(health_json);
            json_object_set_new(md, "data_category", json_string(khm_category_label_th(c)));
            json_object_set_new(md, "data_classification", json_string(khm_level_label_th(l)));
            if (allowed_23[c][l]) {
                expect_valid(md);
            } else {
                /* one error on each field, each naming both values */
                int rc = khm_gdc_validate(md, "metadata.");
                assert_int_equal(rc, KHM_EINVALID);
                assert_int_equal(nerr(), 2);
                const khm_field_error *ec = err_on("metadata.data_category");
                const khm_field_error *el = err_on("metadata.data_classification");
                assert_non_null(ec);
                assert_non_null(el);
                const khm_field_error *both[] = { ec, el };
                for (size_t k = 0; k < 2; k++) {
                    assert_non_null(strstr(both[k]->message, khm_category_label_th(c)));
                    assert_non_null(strstr(both[k]->message, khm_level_label_th(l)));
                    assert_non_null(strstr(both[k]->message_th, khm_category_label_th(c)));
                    assert_non_null(strstr(both[k]->message_th, khm_level_label_th(l)));
                }
                /* and the levels that are allowed */
                assert_non_null(strstr(el->message, khm_level_label_th(khm_gdc_level_default(c))));
            }
            json_decref(md);
        }
        assert_int_equal(khm_gdc_levels_allowed(c), mask);
    }
    assert_false(khm_gdc_level_allowed(-1, 0));
    assert_false(khm_gdc_level_allowed(0, 5));
    assert_int_equal(khm_gdc_levels_allowed(KHM_CAT__COUNT), 0);
    /* data_classification is optional: a category alone is fine */
    json_t *md = load(health_json);
    json_object_del(md, "data_classification");
    expect_valid(md);
    json_decref(md);
}

static void test_catalog_gdc_schema__classification_check_and_defaults(void **state)
{
    (void)state;
    khm_err_clear();
    assert_int_equal(khm_gdc_classification_check(KHM_CAT_PERSONAL, KHM_LEVEL_SECRET, NULL, NULL),
                     0);
    assert_int_equal(nerr(), 0);
    assert_int_equal(
        khm_gdc_classification_check(KHM_CAT_PUBLIC, KHM_LEVEL_SECRET, "category", "level"),
        KHM_EINVALID);
    assert_int_equal(nerr(), 2);
    assert_non_null(err_on("category"));
    assert_non_null(strstr(err_on("level")->message, "category")); /* names the other field */
    khm_err_clear();
    assert_int_equal(khm_gdc_classification_check(9, 0, NULL, NULL), KHM_EINVALID);
    assert_non_null(err_on("data_category"));
    khm_err_clear();
    assert_int_equal(khm_gdc_classification_check(0, -1, NULL, NULL), KHM_EINVALID);
    assert_non_null(err_on("data_classification"));
    /* §2.3: the lowest allowed level, as the form preselects */
    assert_int_equal(khm_gdc_level_default(KHM_CAT_PUBLIC), KHM_LEVEL_PUBLIC);
    assert_int_equal(khm_gdc_level_default(KHM_CAT_INTERNAL), KHM_LEVEL_INTERNAL);
    assert_int_equal(khm_gdc_level_default(KHM_CAT_PERSONAL), KHM_LEVEL_INTERNAL);
    assert_int_equal(khm_gdc_level_default(KHM_CAT_SECURITY), KHM_LEVEL_CONFIDENTIAL);
    assert_int_equal(khm_gdc_level_default(KHM_CAT_OFFICIAL_SECRET), KHM_LEVEL_CONFIDENTIAL);
    assert_int_equal(khm_gdc_level_default(-1), -1);
    /* §2.3 side-effects on accessible_condition */
    assert_string_equal(khm_gdc_accessible_condition_default(KHM_CAT_PUBLIC),
                        "ไม่มีการจำกัดการเข้าถึงข้อมูล");
    assert_string_equal(khm_gdc_accessible_condition_default(KHM_CAT_INTERNAL), "");
    assert_null(khm_gdc_accessible_condition_default(KHM_CAT_PERSONAL));
    assert_null(khm_gdc_accessible_condition_default(KHM_CAT_SECURITY));
}

/* ---- C/I/A (§2.6) ------------------------------------------------------------------------ */

static void test_catalog_gdc_schema__cia_impacts(void **state)
{
    (void)state;
    static const char *const names[] = { "low", "medium", "high" };
    static const char *const th[] = { "ต่ำ", "ปานกลาง", "สูง" };
    for (int i = 0; i < KHM_GDC_IMPACT__COUNT; i++) {
        int out = -1;
        assert_string_equal(khm_gdc_impact_name(i), names[i]);
        assert_string_equal(khm_gdc_impact_label_th(i), th[i]);
        assert_int_equal(khm_gdc_impact_parse(names[i], &out, NULL), 0);
        assert_int_equal(out, i);
        assert_int_equal(khm_gdc_impact_parse(th[i], &out, NULL), 0);
        assert_int_equal(out, i);
    }
    assert_null(khm_gdc_impact_name(3));
    assert_null(khm_gdc_impact_label_th(-1));
    int out;
    khm_err_clear();
    assert_int_equal(khm_gdc_impact_parse("critical", &out, "cia.integrity"), KHM_EINVALID);
    assert_non_null(strstr(err_on("cia.integrity")->message, "low, medium, high"));
    /* §2.6: the category is the highest of the three */
    khm_gdc_cia cia = { KHM_GDC_IMPACT_LOW, KHM_GDC_IMPACT_HIGH, KHM_GDC_IMPACT_MEDIUM };
    assert_int_equal(khm_gdc_cia_category(&cia), KHM_GDC_IMPACT_HIGH);
    cia.integrity = KHM_GDC_IMPACT_LOW;
    assert_int_equal(khm_gdc_cia_category(&cia), KHM_GDC_IMPACT_MEDIUM);
    cia.availability = 7;
    assert_int_equal(khm_gdc_cia_category(&cia), -1);

    json_t *j = load("{\"confidentiality\": \"สูง\", \"integrity\": \"medium\","
                     " \"availability\": \"low\"}");
    khm_err_clear();
    assert_int_equal(khm_gdc_cia_from_json(&cia, j, "cia."), 0);
    assert_int_equal(cia.confidentiality, KHM_GDC_IMPACT_HIGH);
    assert_int_equal(cia.integrity, KHM_GDC_IMPACT_MEDIUM);
    assert_int_equal(cia.availability, KHM_GDC_IMPACT_LOW);
    khm_buf b = KHM_BUF_INIT(4096);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_gdc_cia_write_json(&w, &cia);
    assert_int_equal(khm_jw_finish(&w), 0);
    assert_string_equal(b.ptr, "{\"confidentiality\":\"high\",\"integrity\":\"medium\","
                               "\"availability\":\"low\",\"category\":\"high\"}");
    khm_buf_dispose(&b);
    json_decref(j);
    j = load("{\"confidentiality\": \"huge\", \"integrity\": 2, \"extra\": 1}");
    khm_err_clear();
    assert_int_equal(khm_gdc_cia_from_json(&cia, j, "cia."), KHM_EINVALID);
    assert_int_equal(nerr(), 4);
    assert_non_null(err_on("cia.confidentiality"));
    assert_non_null(err_on("cia.integrity"));
    assert_non_null(err_on("cia.availability"));
    assert_non_null(err_on("cia.extra"));
    json_decref(j);
    khm_err_clear();
    assert_int_equal(khm_gdc_cia_from_json(&cia, NULL, "cia."), KHM_EINVALID);
    assert_non_null(err_on("cia"));
}

/* ---- resources (§3.4) -------------------------------------------------------------------- */

static void test_catalog_gdc_schema__resource_fields(void **state)
{
    (void)state;
    /* §3.4: these 20 fields; url, name and format required (v2.2.4) */
    static const char *const res[] = {
        "url",
        "name",
        "description",
        "resource_accessible_condition",
        "resource_data_collect",
        "resource_cdp",
        "resource_first_year_of_data",
        "resource_last_year_of_data",
        "resource_disaggregate",
        "resource_unit_of_measure",
        "resource_unit_of_multiplier",
        "resource_geographic_data_set",
        "resource_equivalent_scale",
        "resource_positional_accuracy",
        "resource_created_date",
        "resource_last_updated_date",
        "resource_data_release_calendar",
        "resource_official_statistics",
        "resource_data_release_date",
        "format",
    };
    size_t main_rows = 0;
    for (size_t i = 0; i < khm_gdc_resource_field_count(); i++) {
        const khm_gdc_field *f = khm_gdc_resource_field_at(i);
        assert_ptr_equal(khm_gdc_resource_field_find(f->name), f);
        assert_true(f->label_th && *f->label_th && f->label_en && *f->label_en);
        if (f->flags & KHM_GDC_F_OTHER) {
            assert_string_equal(f->other_of, khm_gdc_resource_field_at(i - 1)->name);
            continue;
        }
        assert_true(in_list(f->name, res, N_ELEM(res)));
        main_rows++;
        int req = strcmp(f->name, "url") == 0 || strcmp(f->name, "name") == 0 ||
                  strcmp(f->name, "format") == 0;
        assert_int_equal(!!(f->flags & KHM_GDC_F_REQUIRED), req);
    }
    assert_int_equal(main_rows, N_ELEM(res));
    assert_null(khm_gdc_resource_field_at(khm_gdc_resource_field_count()));
    /* resource_created_date: every type but statistical (schema form_data_type) */
    assert_int_equal(khm_gdc_resource_field_find("resource_created_date")->shown_for,
                     KHM_GDC_SHOWN_ALL & ~STAT);
    assert_int_equal(khm_gdc_resource_field_find("resource_cdp")->n_choices, 2);

    json_t *r = load("{\"url\": \"https://www.bb.go.th/download/budget-2568.csv\","
                     " \"name\": \"งบประมาณรายจ่ายประจำปี 2568\", \"format\": \"CSV\","
                     " \"description\": \"ตารางงบประมาณ\\nจำแนกตามกระทรวง\","
                     " \"resource_first_year_of_data\": 2568,"
                     " \"resource_last_year_of_data\": 2568,"
                     " \"resource_disaggregate\": [\"เพศ\", \"อายุ/กลุ่มอายุ\"],"
                     " \"resource_unit_of_multiplier\": \"ล้าน\","
                     " \"resource_official_statistics\": \"True\","
                     " \"resource_last_updated_date\": \"2024-10-01\"}");
    khm_err_set(KHM_ERROR, "stale");
    assert_int_equal(khm_gdc_resource_validate(r, KHM_GDC_TYPE_STAT, 0, "resources[0]."), 0);
    assert_int_equal(khm_gdc_resource_validate(r, -1, 0, "resources[0]."), 0);
    /* a statistical-only field in a record dataset's resource */
    assert_int_equal(khm_gdc_resource_validate(r, KHM_GDC_TYPE_RECORD, 0, "resources[0]."),
                     KHM_EINVALID);
    assert_non_null(err_on("resources[0].resource_first_year_of_data"));
    assert_non_null(err_on("resources[0].resource_disaggregate"));
    /* url required unless uploaded */
    json_object_del(r, "url");
    assert_int_equal(khm_gdc_resource_validate(r, KHM_GDC_TYPE_STAT, 0, "resources[0]."),
                     KHM_EINVALID);
    assert_int_equal(nerr(), 1);
    assert_non_null(err_on("resources[0].url"));
    assert_int_equal(
        khm_gdc_resource_validate(r, KHM_GDC_TYPE_STAT, KHM_GDC_RES_UPLOAD, "resources[0]."), 0);
    json_object_del(r, "name");
    json_object_del(r, "format");
    json_object_set_new(r, "resource_cdp", json_string("yes"));
    json_object_set_new(r, "sha256", json_string("x"));
    json_object_set_new(r, "resource_last_year_of_data", json_integer(2567));
    assert_int_equal(
        khm_gdc_resource_validate(r, KHM_GDC_TYPE_STAT, KHM_GDC_RES_UPLOAD, "resources[0]."),
        KHM_EINVALID);
    assert_int_equal(nerr(), 5);
    assert_non_null(err_on("resources[0].name"));
    assert_non_null(err_on("resources[0].format"));
    assert_non_null(strstr(err_on("resources[0].resource_cdp")->message, "ใช่"));
    assert_non_null(err_on("resources[0].sha256"));
    assert_non_null(err_on("resources[0].resource_last_year_of_data"));
    json_decref(r);
    assert_int_equal(khm_gdc_resource_validate(NULL, 0, 0, "res."), KHM_EINVALID);
    assert_non_null(err_on("res"));
}

/* ---- CSV ------------------------------------------------------------------------------------ */

static void test_catalog_gdc_schema__csv_header(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(1 << 20);
    assert_int_equal(khm_gdc_csv_header(&b), 0);
    const char *start = "data_type,data_type_other,title,name,owner_org,allow_harvest,";
    assert_true(strncmp(b.ptr, start, strlen(start)) == 0);
    size_t len = b.len;
    assert_string_equal(b.ptr + len - 2, "\r\n");
    /* exactly the table's names in order */
    khm_buf want = KHM_BUF_INIT(1 << 20);
    for (size_t i = 0; i < khm_gdc_field_count(); i++)
        khm_buf_printf(&want, "%s%s", i ? "," : "", khm_gdc_field_at(i)->name);
    khm_buf_puts(&want, "\r\n");
    assert_string_equal(b.ptr, want.ptr);
    khm_buf_dispose(&want);
    /* a capped buffer reports ELIMIT */
    khm_buf small = KHM_BUF_INIT(16);
    assert_int_equal(khm_gdc_csv_header(&small), KHM_ELIMIT);
    khm_buf_dispose(&small);
    khm_buf_dispose(&b);
}

/* Split one CSV record (the first of @p text) into cells, undoing the "" escape. */
static size_t parse_record(const char *text, size_t len, khm_span *cells, char **owned, size_t max)
{
    khm_csv r;
    khm_csv_cell c;
    size_t n = 0;
    khm_csv_init(&r, text, len, ',');
    while (n < max && khm_csv_next(&r, &c)) {
        size_t clen = c.end - c.start;
        char *s = malloc(clen + 1);
        size_t k = 0;
        for (size_t i = c.start; i < c.end; i++) {
            s[k++] = text[i];
            if (c.quoted && text[i] == '"' && i + 1 < c.end && text[i + 1] == '"')
                i++;
        }
        s[k] = '\0';
        owned[n] = s;
        cells[n] = (khm_span){ s, k };
        n++;
        if (c.last)
            break;
    }
    return n;
}

/* export → import gives back the same metadata, for all three datasets */
static void test_catalog_gdc_schema__csv_round_trip(void **state)
{
    (void)state;
    const char *all[] = { budget_json, health_json, geo_json };
    khm_buf hb = KHM_BUF_INIT(1 << 20);
    assert_int_equal(khm_gdc_csv_header(&hb), 0);
    khm_span header[128];
    char *hown[128];
    size_t nh = parse_record(hb.ptr, hb.len, header, hown, 128);
    assert_int_equal(nh, khm_gdc_field_count());
    assert_int_equal(khm_gdc_csv_header_check(header, nh, NULL), 0);
    for (size_t d = 0; d < N_ELEM(all); d++) {
        json_t *md = load(all[d]);
        khm_buf row = KHM_BUF_INIT(1 << 20);
        assert_int_equal(khm_gdc_csv_row(&row, md), 0);
        assert_string_equal(row.ptr + row.len - 2, "\r\n");
        khm_span cells[128];
        char *own[128];
        size_t nc = parse_record(row.ptr, row.len, cells, own, 128);
        assert_int_equal(nc, nh);
        json_t *back = NULL;
        if (khm_gdc_from_csv_row(&back, header, nh, cells, nc, "row 2: ") != 0) {
            dump_errors();
            fail_msg("import refused");
        }
        if (!json_equal(back, md)) {
            char *a = json_dumps(md, JSON_SORT_KEYS), *b = json_dumps(back, JSON_SORT_KEYS);
            fail_msg("round trip differs:\n%s\n%s", a, b);
        }
        expect_valid(back);
        json_decref(back);
        for (size_t i = 0; i < nc; i++)
            free(own[i]);
        khm_buf_dispose(&row);
        json_decref(md);
    }
    for (size_t i = 0; i < nh; i++)
        free(hown[i]);
    khm_buf_dispose(&hb);
    /* GD-Catalog's form: multi-select joined with "," and no space; quoting where needed */
    json_t *md = load(budget_json);
    khm_buf row = KHM_BUF_INIT(1 << 20);
    assert_int_equal(khm_gdc_csv_row(&row, md), 0);
    assert_non_null(strstr(row.ptr, ",\"CSV,XLS\","));
    assert_non_null(strstr(row.ptr, ",\"งบประมาณ,รายจ่าย,budget,กระทรวง\","));
    assert_non_null(strstr(row.ptr, "\"\"ตาม พ.ร.บ.\"\""));
    assert_non_null(strstr(row.ptr, ",2560,2568,"));
    khm_buf_dispose(&row);
    json_decref(md);
}

static void test_catalog_gdc_schema__csv_row_import(void **state)
{
    (void)state;
    khm_span header[] = { KHM_SPAN_LIT("\xEF\xBB\xBF"
                                       "data_type"),
                          KHM_SPAN_LIT("data_format"),
                          KHM_SPAN_LIT(" tag_string "),
                          KHM_SPAN_LIT("update_frequency_interval"),
                          KHM_SPAN_LIT("west_bound_longitude"),
                          KHM_SPAN_LIT("title") };
    khm_span cells[] = {
        KHM_SPAN_LIT("ข้อมูลสถิติ"), KHM_SPAN_LIT("CSV, JSON,"), KHM_SPAN_LIT("งบประมาณ , budget"),
        KHM_SPAN_LIT("12"),      KHM_SPAN_LIT("100.5"),      KHM_SPAN_LIT("")
    };
    json_t *out = NULL;
    assert_int_equal(khm_gdc_from_csv_row(&out, header, 6, cells, 6, NULL), 0);
    json_t *want = load("{\"data_type\": \"ข้อมูลสถิติ\", \"data_format\": [\"CSV\", \"JSON\"],"
                        " \"tag_string\": [\"งบประมาณ\", \"budget\"],"
                        " \"update_frequency_interval\": 12, \"west_bound_longitude\": 100.5}");
    assert_true(json_equal(out, want));
    json_decref(want);
    json_decref(out);
    /* a short row: the missing cells are empty */
    assert_int_equal(khm_gdc_from_csv_row(&out, header, 6, cells, 1, NULL), 0);
    assert_int_equal(json_object_size(out), 1);
    json_decref(out);
    /* bad cells, all reported, nothing returned */
    khm_span badh[] = { KHM_SPAN_LIT("update_frequency_interval"), KHM_SPAN_LIT("nosuch"),
                        KHM_SPAN_LIT("north_bound_longitude"), KHM_SPAN_LIT("last_year_of_data") };
    khm_span badc[] = { KHM_SPAN_LIT("ทุกปี"), KHM_SPAN_LIT("x"), KHM_SPAN_LIT("nan"),
                        KHM_SPAN_LIT("2566.5"), KHM_SPAN_LIT("extra") };
    assert_int_equal(khm_gdc_from_csv_row(&out, badh, 4, badc, 5, "line 7: "), KHM_EINVALID);
    assert_null(out);
    assert_int_equal(nerr(), 5);
    assert_non_null(strstr(err_on("line 7: update_frequency_interval")->message, "whole number"));
    assert_non_null(err_on("line 7: column 2"));
    assert_non_null(err_on("line 7: north_bound_longitude"));
    assert_non_null(err_on("line 7: last_year_of_data"));
    assert_non_null(err_on("line 7: column 5"));
    /* an unknown column that is empty in this row does not matter here */
    assert_int_equal(
        khm_gdc_from_csv_row(&out, badh, 4, (khm_span[]){ KHM_SPAN_LIT("3") }, 1, NULL), 0);
    json_decref(out);
    /* not UTF-8 (a TIS-620 file) */
    khm_span tis[] = { KHM_SPAN_LIT("\xA1\xD2\xC3") };
    assert_int_equal(khm_gdc_from_csv_row(&out, header + 5, 1, tis, 1, NULL), KHM_EINVALID);
    assert_non_null(strstr(err_on("title")->message, "UTF-8"));
    /* one cell at a time */
    json_t *v;
    khm_err_clear();
    assert_int_equal(
        khm_gdc_field_from_csv(&v, khm_gdc_field_find("objective"), KHM_SPAN_LIT(" , "), NULL), 0);
    assert_null(v);
    assert_int_equal(khm_gdc_field_from_csv(&v, khm_gdc_field_find("notes"),
                                            KHM_SPAN_LIT("บรรทัด 1\nบรรทัด 2"), NULL),
                     0);
    assert_string_equal(json_string_value(v), "บรรทัด 1\nบรรทัด 2");
    json_decref(v);
    assert_int_equal(khm_gdc_field_from_csv(&v, khm_gdc_field_find("equivalent_scale"),
                                            KHM_SPAN_LIT("1:50,000"), NULL),
                     0); /* a single choice keeps its comma */
    assert_string_equal(json_string_value(v), "1:50,000");
    json_decref(v);
}

static void test_catalog_gdc_schema__csv_header_check(void **state)
{
    (void)state;
    khm_span h[64];
    size_t n = 0;
    for (size_t i = 0; i < khm_gdc_field_count(); i++)
        if (khm_gdc_field_at(i)->flags & KHM_GDC_F_REQUIRED)
            h[n++] = khm_span_cstr(khm_gdc_field_at(i)->name);
    assert_int_equal(khm_gdc_csv_header_check(h, n, NULL), 0);
    /* wrong headers: a Thai label instead of a name, a repeat, a missing required column */
    h[0] = KHM_SPAN_LIT("ประเภทชุดข้อมูล");
    h[n] = KHM_SPAN_LIT("title");
    assert_int_equal(khm_gdc_csv_header_check(h, n + 1, "header: "), KHM_EINVALID);
    assert_int_equal(nerr(), 3);
    assert_non_null(err_on("header: column 1"));
    assert_non_null(strstr(err_on("header: column 14")->message, "twice"));
    assert_non_null(strstr(err_on("header: data_type")->message, "required column"));
}

/* ---- schema JSON ---------------------------------------------------------------------------- */

static void test_catalog_gdc_schema__schema_json(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(1 << 22);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_gdc_schema_write_json(&w);
    assert_int_equal(khm_jw_finish(&w), 0);
    json_t *j = load(b.ptr);
    assert_string_equal(json_string_value(json_object_get(j, "version")), "2.2.4");
    assert_int_equal(json_array_size(json_object_get(j, "data_types")), 5);
    json_t *ds = json_object_get(j, "dataset_fields");
    assert_int_equal(json_array_size(ds), khm_gdc_field_count());
    assert_int_equal(json_array_size(json_object_get(j, "resource_fields")),
                     khm_gdc_resource_field_count());
    json_t *obj = json_array_get(ds, 11); /* objective */
    assert_string_equal(json_string_value(json_object_get(obj, "name")), "objective");
    assert_true(json_is_true(json_object_get(obj, "required")));
    assert_true(json_is_true(json_object_get(obj, "multiple")));
    assert_int_equal(json_array_size(json_object_get(obj, "choices")), 14);
    assert_int_equal(json_array_size(json_object_get(obj, "shown_for")), 5);
    json_t *west = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(ds, i, it) if (strcmp(json_string_value(json_object_get(it, "name")),
                                             "west_bound_longitude") == 0) west = it;
    assert_non_null(west);
    assert_true(json_number_value(json_object_get(west, "min")) == -180);
    assert_string_equal(json_string_value(json_array_get(json_object_get(west, "shown_for"), 0)),
                        "ข้อมูลภูมิสารสนเทศเชิงพื้นที่");
    assert_true(json_is_null(json_object_get(west, "choices")));
    json_decref(j);
    khm_buf_dispose(&b);
}

/* ---- docs/catalog/gdc-fields.md (style.md §2.10) ------------------------------------------ */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run from the repository root)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* The row "| `name` | …" of @p section (text after the section heading), or NULL. */
static const char *doc_row(const char *section, const char *end, const char *name)
{
    char key[128];
    snprintf(key, sizeof(key), "\n| `%s` |", name);
    const char *r = strstr(section, key);
    return r && r < end ? r + 1 : NULL;
}

static void check_doc_table(const char *doc, const char *heading, size_t n,
                            const khm_gdc_field *(*at)(size_t),
                            const khm_gdc_field *(*find)(const char *))
{
    const char *sec = strstr(doc, heading);
    if (!sec) {
        fail_msg("docs/catalog/gdc-fields.md: no '%s'", heading);
        return;
    }
    const char *end = strstr(sec + 1, "\n## ");
    if (!end)
        end = sec + strlen(sec);
    for (size_t i = 0; i < n; i++) {
        const khm_gdc_field *f = at(i);
        const char *r = doc_row(sec, end, f->name);
        if (!r)
            fail_msg("docs/catalog/gdc-fields.md (%s) misses the field %s", heading, f->name);
        size_t len = (size_t)(strchr(r, '\n') - r);
        char *row = strndup(r, len);
        char cell[1024];
        snprintf(cell, sizeof(cell), "| %s | %s | %s |", f->label_th, f->label_en,
                 (f->flags & KHM_GDC_F_REQUIRED) ? "yes" : "");
        if (!strstr(row, cell))
            fail_msg("docs row of %s does not read '%s': %s", f->name, cell, row);
        for (size_t c = 0; c < f->n_choices; c++) {
            snprintf(cell, sizeof(cell), "`%s`", f->choices[c].value);
            if (!strstr(row, cell))
                fail_msg("docs row of %s lacks the allowed value %s", f->name, cell);
        }
        if (f->shown_for == KHM_GDC_SHOWN_ALL) {
            if (!strstr(row, " | all | "))
                fail_msg("docs row of %s: shown for all", f->name);
        } else {
            for (int t = 0; t < KHM_GDC_TYPE__COUNT; t++)
                if (!!strstr(row, khm_gdc_data_type_value(t)) != khm_gdc_field_shown(f, t) &&
                    t != KHM_GDC_TYPE_OTHER) /* "ข้อมูลประเภทอื่นๆ" also appears as a value */
                    fail_msg("docs row of %s: shown-for differs for %s", f->name,
                             khm_gdc_data_type_value(t));
        }
        free(row);
    }
    /* every row of the page is a field of the table */
    for (const char *p = strstr(sec, "\n| `"); p && p < end; p = strstr(p + 1, "\n| `")) {
        const char *q = strchr(p + 4, '`');
        char *name = strndup(p + 4, (size_t)(q - (p + 4)));
        if (!find(name))
            fail_msg("docs/catalog/gdc-fields.md (%s) lists %s, which the table lacks", heading,
                     name);
        free(name);
    }
}

static void test_catalog_gdc_schema__docs_page_matches_table(void **state)
{
    (void)state;
    char *doc = slurp("docs/catalog/gdc-fields.md");
    check_doc_table(doc, "\n## Dataset fields", khm_gdc_field_count(), khm_gdc_field_at,
                    khm_gdc_field_find);
    check_doc_table(doc, "\n## Resource fields", khm_gdc_resource_field_count(),
                    khm_gdc_resource_field_at, khm_gdc_resource_field_find);
    free(doc);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_catalog_gdc_schema__46_fields_in_v224_order),
              cmocka_unit_test(test_catalog_gdc_schema__13_required_fields),
              cmocka_unit_test(test_catalog_gdc_schema__multi_select_fields),
              cmocka_unit_test(test_catalog_gdc_schema__shown_for_per_data_type),
              cmocka_unit_test(test_catalog_gdc_schema__field_not_shown_for_type_is_refused),
              cmocka_unit_test(test_catalog_gdc_schema__allowed_values_exact),
              cmocka_unit_test(test_catalog_gdc_schema__value_outside_list_lists_allowed),
              cmocka_unit_test(test_catalog_gdc_schema__data_types),
              cmocka_unit_test(test_catalog_gdc_schema__realistic_thai_datasets_validate),
              cmocka_unit_test(test_catalog_gdc_schema__missing_required_field),
              cmocka_unit_test(test_catalog_gdc_schema__unknown_field),
              cmocka_unit_test(test_catalog_gdc_schema__wrong_json_types),
              cmocka_unit_test(test_catalog_gdc_schema__too_long_and_control_characters),
              cmocka_unit_test(test_catalog_gdc_schema__dates),
              cmocka_unit_test(test_catalog_gdc_schema__urls_and_emails),
              cmocka_unit_test(test_catalog_gdc_schema__other_companions),
              cmocka_unit_test(test_catalog_gdc_schema__numbers_years_and_bounds),
              cmocka_unit_test(test_catalog_gdc_schema__category_and_level_map_to_enums),
              cmocka_unit_test(test_catalog_gdc_schema__every_category_level_combination),
              cmocka_unit_test(test_catalog_gdc_schema__classification_check_and_defaults),
              cmocka_unit_test(test_catalog_gdc_schema__cia_impacts),
              cmocka_unit_test(test_catalog_gdc_schema__resource_fields),
              cmocka_unit_test(test_catalog_gdc_schema__csv_header),
              cmocka_unit_test(test_catalog_gdc_schema__csv_round_trip),
              cmocka_unit_test(test_catalog_gdc_schema__csv_row_import),
              cmocka_unit_test(test_catalog_gdc_schema__csv_header_check),
              cmocka_unit_test(test_catalog_gdc_schema__schema_json),
              cmocka_unit_test(test_catalog_gdc_schema__docs_page_matches_table))
