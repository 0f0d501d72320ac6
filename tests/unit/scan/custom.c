/* Tests for src/lib/scan/custom.c: custom detectors from a JSON file (docs/scan-config.md) —
 * loading with every problem named by its path in English and Thai, compiling with vectorscan,
 * matching leftmost-longest with the built-in validators, context words, the PDPA category and
 * s.26 category, columns, and the scanner's type names. */
#include "helpers.h"

static const char CONFIG[] =
    "{\"detectors\": ["
    "{\"name\": \"EMPLOYEE_ID\", \"pattern\": \"\\\\bEMP-[0-9]{6}\\\\b\","
    " \"context\": [\"รหัสพนักงาน\", \"employee\"], \"score\": 0.5,"
    " \"description\": \"employee number\"},"
    "{\"name\": \"MEMBER_CARD\", \"pattern\": \"\\\\b[0-9]{4}( [0-9]{4}){3}\\\\b\","
    " \"validator\": \"luhn\", \"score\": 0.6},"
    "{\"name\": \"CITIZEN_REF\", \"pattern\": \"REF[0-9]{13}\", \"validator\": \"th_id\"},"
    "{\"name\": \"CASE_NO\", \"pattern\": \"คดีที่ [0-9]+/25[0-9]{2}\", \"pdpa\": \"sensitive\","
    " \"sensitive\": \"criminal_record\", \"score\": 0.7},"
    "{\"name\": \"TICKET\", \"pattern\": \"tkt-[a-z]+\", \"ignore_case\": true, \"pdpa\": \"none\"}"
    "]}";

static khm_scan_config *load(void)
{
    khm_scan_config *c = NULL;
    assert_int_equal(khm_scan_config_load(&c, CONFIG, strlen(CONFIG)), 0);
    assert_non_null(c);
    return c;
}

static size_t scan_with(const khm_scan_config *c, const char *types0, const char *s, hits *hs)
{
    const char *types[] = { types0, NULL };
    khm_scan_opts o = { 0 };
    o.config = c;
    o.types = types0 ? types : NULL;
    khm_scanner *sc = NULL;
    assert_int_equal(khm_scanner_new(&sc, &o), 0);
    khm_scan_state *st = khm_scan_state_new(sc);
    assert_non_null(st);
    memset(hs, 0, sizeof(*hs));
    assert_true(khm_scan_buf(sc, st, s, strlen(s), hits_collect, hs) >= 0);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    return hs->n;
}

static void test_scan_custom__finds_with_validators_and_context(void **state)
{
    (void)state;
    khm_scan_config *c = load();
    hits hs;
    const char *s = "รหัสพนักงาน EMP-123456 โทร 081-234-5678\n"
                    "EMP-654321 alone, XEMP-111111 glued\n"
                    "card 4111 1111 1111 1111 and 4111 1111 1111 1112\n"
                    "REF3100600445635 REF3100600445636\n"
                    "คดีที่ 123/2566 ศาลอาญา; TKT-Abc\n";
    assert_int_equal(scan_with(c, NULL, s, &hs), 7);
    assert_string_equal(hs.h[0].type, "EMPLOYEE_ID");
    assert_string_equal(hs.h[0].value, "EMP-123456");
    assert_true(hs.h[0].score > 0.69 && hs.h[0].score < 0.71); /* 0.5 + 0.2 context */
    assert_string_equal(hs.h[1].type, "PHONE_NUMBER");         /* built-ins still run */
    assert_string_equal(hs.h[2].value, "EMP-654321");
    assert_true(hs.h[2].score > 0.49 && hs.h[2].score < 0.51); /* no context */
    assert_string_equal(hs.h[3].type, "MEMBER_CARD");          /* the Luhn failure is not */
    assert_string_equal(hs.h[3].value, "4111 1111 1111 1111");
    assert_string_equal(hs.h[4].type, "CITIZEN_REF"); /* mod-11 (thai-rules.md §4.1) */
    assert_string_equal(hs.h[4].value, "REF3100600445635");
    assert_string_equal(hs.h[5].type, "CASE_NO");
    assert_string_equal(hs.h[5].value, "คดีที่ 123/2566");
    assert_string_equal(hs.h[6].type, "TICKET"); /* ignore_case */
    assert_string_equal(hs.h[6].value, "TKT-Abc");
    /* --types selects custom detectors by name too */
    assert_int_equal(scan_with(c, "CASE_NO", s, &hs), 1);
    assert_string_equal(hs.h[0].type, "CASE_NO");
    khm_scan_config_free(c);
}

static int on_one(const khm_finding *f, void *payload)
{
    khm_finding *out = payload;
    *out = *f;
    return 0;
}

static void test_scan_custom__types_categories_columns(void **state)
{
    (void)state;
    khm_scan_config *c = load();
    khm_scan_opts o = { 0 };
    o.config = c;
    khm_scanner *sc = NULL;
    assert_int_equal(khm_scanner_new(&sc, &o), 0);
    size_t base = khm_scan_detector_count();
    assert_int_equal(khm_scanner_type_count(sc), base + 5);
    assert_string_equal(khm_scanner_type_name(sc, base), "EMPLOYEE_ID");
    assert_string_equal(khm_scanner_type_name(sc, 0), khm_scan_detector_name(0));
    assert_null(khm_scanner_type_name(sc, base + 5));
    assert_int_equal(khm_scanner_type_pdpa(sc, base + 3), KHM_PDPA_SENSITIVE);
    assert_int_equal(khm_scanner_type_sens(sc, base + 3), KHM_SENS_CRIMINAL_RECORD);
    assert_int_equal(khm_scanner_type_pdpa(sc, base + 4), KHM_PDPA_NONE);
    assert_string_equal(khm_scanner_type_summary(sc, base), "employee number");
    khm_scan_state *st = khm_scan_state_new(sc);
    khm_finding f;
    const char *s2 = "คดีที่ 9/2567";
    assert_int_equal(khm_scan_buf(sc, st, s2, strlen(s2), on_one, &f), 1);
    assert_int_equal(f.pdpa, KHM_PDPA_SENSITIVE);
    assert_int_equal(f.sens, KHM_SENS_CRIMINAL_RECORD);
    /* a column of employee numbers: the profile names the custom type */
    const char *csv = "รหัสพนักงาน,ชื่อ\nEMP-000001,x\nEMP-000002,y\n";
    khm_profile p;
    assert_int_equal(khm_scan_csv(sc, st, csv, strlen(csv), 0, &p, NULL, NULL), 2);
    assert_int_equal(khm_profile_dominant(&p, 0), (int)base);
    khm_buf b = KHM_BUF_INIT(1 << 20);
    assert_int_equal(khm_scan_write_column(&b, "e.csv", &p, 0), 0);
    assert_non_null(strstr(b.ptr, "\"type\":\"EMPLOYEE_ID\",\"rows\":2,\"matched\":2"));
    khm_buf_reset(&b);
    assert_int_equal(khm_scan_write_sarif_head(&b, "0", sc), 0);
    assert_non_null(strstr(b.ptr, "{\"id\":\"CASE_NO\",\"name\":\"CASE_NO\""));
    khm_buf_dispose(&b);
    khm_profile_dispose(&p);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    khm_scan_config_free(c);
}

/* Every problem is a field error naming its path; nothing is compiled until all are right. */
static void test_scan_custom__bad_files_name_the_field(void **state)
{
    (void)state;
    struct {
        const char *json, *field, *words;
    } cases[] = {
        { "[1]", "detectors", "{\"detectors\"" },
        { "{\"detectors\": []}", "detectors", "at least one" },
        { "{\"detectors\": [], \"x\": 1}", "detectors", "" },
        { "{\"detectors\": [1]}", "detectors[0]", "object" },
        { "{\"detectors\": [{\"name\": \"bad name\", \"pattern\": \"a\"}]}", "detectors[0].name",
          "capital letters" },
        { "{\"detectors\": [{\"name\": \"PHONE_NUMBER\", \"pattern\": \"a\"}]}",
          "detectors[0].name", "built-in" },
        { "{\"detectors\": [{\"name\": \"A\"}]}", "detectors[0].pattern", "required" },
        { "{\"detectors\": [{\"name\": \"A\", \"pattern\": \"([\"}]}", "detectors[0].pattern",
          "character class" },
        { "{\"detectors\": [{\"name\": \"A\", \"pattern\": \"a\", \"validator\": \"md5\"}]}",
          "detectors[0].validator", "luhn" },
        { "{\"detectors\": [{\"name\": \"A\", \"pattern\": \"a\", \"score\": 1.5}]}",
          "detectors[0].score", "0.99" },
        { "{\"detectors\": [{\"name\": \"A\", \"pattern\": \"a\", \"pdpa\": \"secret\"}]}",
          "detectors[0].pdpa", "personal" },
        { "{\"detectors\": [{\"name\": \"A\", \"pattern\": \"a\", \"pdpa\": \"sensitive\"}]}",
          "detectors[0].sensitive", "s.26" },
        { "{\"detectors\": [{\"name\": \"A\", \"pattern\": \"a\", \"sensitive\": \"health\"}]}",
          "detectors[0].sensitive", "only with" },
        { "{\"detectors\": [{\"name\": \"A\", \"pattern\": \"a\", \"context\": [\"\"]}]}",
          "detectors[0].context[0]", "word" },
        { "{\"detectors\": [{\"name\": \"A\", \"pattern\": \"a\", \"colour\": 1}]}",
          "detectors[0].colour", "unknown field" },
        { "{\"detectors\": [{\"name\": \"A\", \"pattern\": \"a\"}, {\"name\": \"A\", "
          "\"pattern\": \"b\"}]}",
          "detectors[1].name", "twice" },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        khm_scan_config *c = (khm_scan_config *)1;
        int rc = khm_scan_config_load(&c, cases[k].json, strlen(cases[k].json));
        if (rc != KHM_EINVALID)
            fail_msg("%s: rc %d", cases[k].json, rc);
        assert_null(c);
        size_t n = 0;
        const khm_field_error *fe = khm_err_fields(&n);
        if (strcmp(cases[k].field, "detectors") == 0 && n == 0)
            continue; /* a JSON-level problem: the message says it */
        assert_true(n >= 1);
        if (strcmp(fe[0].field, cases[k].field) != 0 || !strstr(fe[0].message, cases[k].words))
            fail_msg("%s: field %s '%s', want %s '%s'", cases[k].json, fe[0].field, fe[0].message,
                     cases[k].field, cases[k].words);
        assert_true(fe[0].message_th && *fe[0].message_th);
    }
    khm_scan_config *c = NULL;
    assert_int_equal(khm_scan_config_load_file(&c, "/nonexistent/det.json"), KHM_EIO);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_custom__finds_with_validators_and_context),
              cmocka_unit_test(test_scan_custom__types_categories_columns),
              cmocka_unit_test(test_scan_custom__bad_files_name_the_field))
