/* Tests for src/lib/base/json.c: strict parsing (UTF-8, duplicates, trailing data, size and
 * depth caps, NUL escapes) and the declarative member checker with its Thai messages. */
#include "unit.h"

static int clear_err(void **state)
{
    (void)state;
    khm_err_clear();
    return 0;
}

static int parse(json_t **v, const char *s, size_t max_bytes, int max_depth)
{
    khm_err_clear();
    return khm_json_parse(v, s, strlen(s), max_bytes, max_depth);
}

/* The single field error of a failed parse: field "body", with English and Thai text. */
static const khm_field_error *body_error(void)
{
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(khm_err_last()->code, KHM_EINVALID);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].field, "body");
    assert_true(f[0].message[0] != '\0');
    assert_true(f[0].message_th[0] != '\0');
    uint32_t cp = 0;
    khm_utf8_decode(f[0].message_th, strlen(f[0].message_th), &cp);
    assert_true(khm_utf8_is_thai(cp));
    return f;
}

static void test_base_json__parses_valid_object(void **state)
{
    (void)state;
    json_t *v = NULL;
    const char *doc = "{\"slug\":\"dopa\",\"name_th\":\"กรมการปกครอง\",\"n\":[1,2.5,true,null],"
                      "\"esc\":\"\\u0e01\\\"\"}";
    assert_int_equal(parse(&v, doc, 0, 0), 0);
    assert_non_null(v);
    assert_string_equal(khm_json_str(v, "name_th"), "กรมการปกครอง");
    assert_string_equal(khm_json_str(v, "esc"), "ก\"");
    assert_null(khm_json_str(v, "n")); /* not a string */
    assert_null(khm_json_str(v, "missing"));
    assert_int_equal(json_array_size(json_object_get(v, "n")), 4);
    json_decref(v);
    /* trailing whitespace is fine, and scalars are documents too */
    assert_int_equal(parse(&v, "{}\r\n\t ", 0, 0), 0);
    json_decref(v);
    assert_int_equal(parse(&v, "\"ข้อมูล\"", 0, 0), 0);
    assert_string_equal(json_string_value(v), "ข้อมูล");
    json_decref(v);
}

static void test_base_json__reads_only_n_bytes(void **state)
{
    (void)state;
    json_t *v = NULL;
    const char *buf = "{\"a\":1}GARBAGE\xff";
    assert_int_equal(khm_json_parse(&v, buf, 7, 0, 0), 0);
    assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
    json_decref(v);
}

static void test_base_json__rejects_invalid_utf8(void **state)
{
    (void)state;
    json_t *v = (json_t *)1;
    assert_int_equal(parse(&v, "{\"name\":\"ab\xC3\x28\"}", 0, 0), KHM_EINVALID);
    assert_null(v);
    const khm_field_error *f = body_error();
    assert_non_null(strstr(f[0].message, "UTF-8"));
    assert_non_null(strstr(f[0].message, "11")); /* the byte offset of C3 */
    assert_string_equal(f[0].message_th, "ข้อมูลต้องเข้ารหัสเป็น UTF-8");
    /* an overlong encoding and a lone continuation byte */
    assert_int_equal(parse(&v, "\"\xC0\xAF\"", 0, 0), KHM_EINVALID);
    assert_int_equal(parse(&v, "\"\x80\"", 0, 0), KHM_EINVALID);
}

static void test_base_json__rejects_duplicate_keys(void **state)
{
    (void)state;
    json_t *v = NULL;
    assert_int_equal(parse(&v, "{\"slug\":\"a\",\"slug\":\"b\"}", 0, 0), KHM_EINVALID);
    assert_null(v);
    const khm_field_error *f = body_error();
    assert_non_null(strstr(f[0].message, "duplicate"));
    assert_string_equal(f[0].message_th, "มีชื่อฟิลด์ซ้ำกันใน JSON");
    /* in a nested object too, and with Thai keys */
    assert_int_equal(parse(&v, "{\"a\":{\"ชื่อ\":1,\"ชื่อ\":2}}", 0, 0), KHM_EINVALID);
    assert_non_null(strstr(body_error()[0].message, "duplicate"));
    /* same key in sibling objects is not a duplicate */
    assert_int_equal(parse(&v, "[{\"k\":1},{\"k\":2}]", 0, 0), 0);
    json_decref(v);
}

static void test_base_json__rejects_trailing_data_and_empty(void **state)
{
    (void)state;
    json_t *v = NULL;
    const char *bad[] = {
        "{\"a\":1} x", "{\"a\":1}{\"b\":2}", "[1]]", "1 2", "{\"a\":1,}", "{'a':1}", "   ", "{",
        "nul"
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(parse(&v, bad[i], 0, 0), KHM_EINVALID);
        assert_null(v);
        const khm_field_error *f = body_error();
        assert_string_equal(f[0].message_th, "รูปแบบ JSON ไม่ถูกต้อง");
        assert_non_null(strstr(f[0].message, "line"));
    }
    khm_err_clear();
    assert_int_equal(khm_json_parse(&v, "", 0, 0, 0), KHM_EINVALID);
    assert_string_equal(body_error()[0].message_th, "ไม่มีข้อมูลในคำขอ");
}

static void test_base_json__size_cap(void **state)
{
    (void)state;
    json_t *v = NULL;
    assert_int_equal(parse(&v, "[1,2,3,4]", 9, 0), 0); /* exactly at the cap */
    json_decref(v);
    assert_int_equal(parse(&v, "[1,2,3,45]", 9, 0), KHM_ELIMIT);
    assert_null(v);
    assert_int_equal(khm_err_last()->code, KHM_ELIMIT);
    /* default cap 1 MiB: one byte over is refused before parsing */
    size_t n = KHM_JSON_MAX_BYTES + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '1';
    assert_int_equal(khm_json_parse(&v, big, n, 0, 0), KHM_ELIMIT);
    assert_int_equal(khm_json_parse(&v, big, n - 1, 0, 0), 0); /* "1" and spaces */
    json_decref(v);
    free(big);
}

static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 2 + 2);
    assert_non_null(s);
    for (int i = 0; i < depth; i++) {
        s[i] = '[';
        s[depth + 1 + i] = ']';
    }
    s[depth] = '1';
    s[2 * depth + 1] = '\0';
    return s;
}

static void test_base_json__depth_cap(void **state)
{
    (void)state;
    json_t *v = NULL;
    char *ok = nested(KHM_JSON_MAX_DEPTH), *deep = nested(KHM_JSON_MAX_DEPTH + 1);
    assert_int_equal(parse(&v, ok, 0, 0), 0);
    json_decref(v);
    assert_int_equal(parse(&v, deep, 0, 0), KHM_EINVALID);
    const khm_field_error *f = body_error();
    assert_non_null(strstr(f[0].message, "deeper"));
    assert_string_equal(f[0].message_th, "โครงสร้าง JSON ซ้อนกันลึกเกินไป");
    free(ok);
    free(deep);
    /* objects count as well as arrays */
    assert_int_equal(parse(&v, "{\"a\":{\"b\":[1]}}", 0, 3), 0);
    json_decref(v);
    assert_int_equal(parse(&v, "{\"a\":{\"b\":{\"c\":[1]}}}", 0, 3), KHM_EINVALID);
    /* a document far deeper than jansson's own limit is refused cleanly */
    char *huge = nested(100000);
    assert_int_equal(parse(&v, huge, 0, 0), KHM_EINVALID);
    free(huge);
}

static void test_base_json__brackets_inside_strings_do_not_count(void **state)
{
    (void)state;
    json_t *v = NULL;
    assert_int_equal(parse(&v, "[\"[[[[[[[[{{{{{{\"]", 0, 2), 0);
    json_decref(v);
    assert_int_equal(parse(&v, "{\"k[[[[\":\"]]]][[[[\"}", 0, 1), 0);
    json_decref(v);
    /* an escaped quote does not end the string early */
    assert_int_equal(parse(&v, "[\"\\\"[[[[[[\"]", 0, 1), 0);
    json_decref(v);
    /* an escaped backslash does end it: the real nesting after it must still count */
    assert_int_equal(parse(&v, "[\"\\\\\",[[[[1]]]]]", 0, 4), KHM_EINVALID);
    assert_int_equal(parse(&v, "[\"\\\\\",[[[1]]]]", 0, 4), 0);
    json_decref(v);
    /* Thai text next to brackets */
    assert_int_equal(parse(&v, "{\"ชื่อ\":\"[[[ข้อมูล]]]\",\"a\":[[1]]}", 0, 3), 0);
    json_decref(v);
}

static void test_base_json__rejects_nul_escape(void **state)
{
    (void)state;
    json_t *v = NULL;
    assert_int_equal(parse(&v, "{\"name\":\"a\\u0000b\"}", 0, 0), KHM_EINVALID);
    assert_null(v);
    body_error();
    assert_int_equal(parse(&v, "{\"a\\u0000\":1}", 0, 0), KHM_EINVALID);
    /* a raw NUL byte inside the n bytes is not valid JSON either */
    khm_err_clear();
    assert_int_equal(khm_json_parse(&v, "\"a\0b\"", 5, 0, 0), KHM_EINVALID);
    /* but \u0e01 and a surrogate pair are fine */
    assert_int_equal(parse(&v, "\"\\u0e01\\ud83d\\ude00\"", 0, 0), 0);
    assert_string_equal(json_string_value(v), "ก\xF0\x9F\x98\x80");
    json_decref(v);
}

/* ---- khm_json_check ---- */

static const khm_json_field agency_fields[] = {
    { "slug", KHM_JSON_STRING, 1, 32, "รหัสย่อหน่วยงาน", 0 },
    { "name_th", KHM_JSON_STRING, 1, 200, "ชื่อหน่วยงาน (ภาษาไทย)", 0 },
    { "name_en", KHM_JSON_STRING, 0, 200, "ชื่อหน่วยงาน (ภาษาอังกฤษ)", 1 },
    { "budget", KHM_JSON_INTEGER, 0, 0, "งบประมาณ", 0 },
    { "active", KHM_JSON_BOOLEAN, 0, 0, "สถานะการใช้งาน", 0 },
    { "contact", KHM_JSON_OBJECT, 0, 0, "ผู้ติดต่อ", 0 },
    { "tags", KHM_JSON_ARRAY, 0, 0, "ป้ายกำกับ", 0 },
    { "score", KHM_JSON_NUMBER, 0, 0, "คะแนน", 0 },
    { "note", KHM_JSON_STRING, 0, 0, NULL, 0 },
    { NULL },
};

/* Parse @p doc and check it against agency_fields; returns the result of the check. */
static int check(const char *doc)
{
    json_t *v = NULL;
    khm_err_clear();
    assert_int_equal(khm_json_parse(&v, doc, strlen(doc), 0, 0), 0);
    int rc = khm_json_check(v, agency_fields);
    json_decref(v);
    return rc;
}

/* The one field error the last check produced. */
static const khm_field_error *one_field(const char *field)
{
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].field, field);
    return f;
}

static void test_base_json__check_accepts_valid(void **state)
{
    (void)state;
    assert_int_equal(check("{\"slug\":\"dopa\",\"name_th\":\"กรมการปกครอง\"}"), 0);
    assert_int_equal(khm_err_last()->code, KHM_OK);
    assert_int_equal(check("{\"slug\":\"dopa\",\"name_th\":\"กรมการปกครอง\",\"name_en\":"
                           "\"Department of Provincial Administration\",\"budget\":-5,"
                           "\"active\":false,\"contact\":{},\"tags\":[\"ก\"],\"score\":1.5,"
                           "\"note\":\"\"}"),
                     0);
    /* an integer is a number */
    assert_int_equal(check("{\"slug\":\"a\",\"name_th\":\"ก\",\"score\":7}"), 0);
}

static void test_base_json__check_unknown_field(void **state)
{
    (void)state;
    assert_int_equal(check("{\"slug\":\"a\",\"name_th\":\"ก\",\"colour\":\"แดง\"}"), KHM_EINVALID);
    const khm_field_error *f = one_field("colour");
    assert_non_null(strstr(f[0].message, "unknown field"));
    assert_non_null(strstr(f[0].message, "slug, name_th, name_en"));
    assert_string_equal(f[0].message_th, "ไม่รู้จักฟิลด์นี้");
    assert_string_equal(khm_err_last()->message,
                        "colour: unknown field (allowed: slug, name_th, name_en, budget, active, "
                        "contact, tags, score, note)");
}

struct wrong {
    const char *member;  /* "name":value */
    const char *field;   /* field at fault */
    const char *message; /* English */
    const char *th;      /* Thai */
};

static void test_base_json__check_wrong_type_for_each_kind(void **state)
{
    (void)state;
    static const struct wrong cases[] = {
        { "\"name_en\":5", "name_en", "must be a string", "ชื่อหน่วยงาน (ภาษาอังกฤษ) ต้องเป็นข้อความ" },
        { "\"budget\":\"5\"", "budget", "must be an integer", "งบประมาณ ต้องเป็นจำนวนเต็ม" },
        { "\"budget\":1.5", "budget", "must be an integer", "งบประมาณ ต้องเป็นจำนวนเต็ม" },
        { "\"budget\":null", "budget", "must be an integer", "งบประมาณ ต้องเป็นจำนวนเต็ม" },
        { "\"active\":1", "active", "must be true or false", "สถานะการใช้งาน ต้องเป็นค่าจริงหรือเท็จ" },
        { "\"active\":\"true\"", "active", "must be true or false",
          "สถานะการใช้งาน ต้องเป็นค่าจริงหรือเท็จ" },
        { "\"contact\":[]", "contact", "must be an object", "ผู้ติดต่อ ต้องเป็นออบเจกต์" },
        { "\"tags\":{}", "tags", "must be an array", "ป้ายกำกับ ต้องเป็นอาร์เรย์" },
        { "\"tags\":\"ก\"", "tags", "must be an array", "ป้ายกำกับ ต้องเป็นอาร์เรย์" },
        { "\"score\":\"1\"", "score", "must be a number", "คะแนน ต้องเป็นตัวเลข" },
        { "\"score\":true", "score", "must be a number", "คะแนน ต้องเป็นตัวเลข" },
        { "\"note\":[]", "note", "must be a string", "note ต้องเป็นข้อความ" }, /* no Thai label */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char doc[256];
        snprintf(doc, sizeof(doc), "{\"slug\":\"a\",\"name_th\":\"ก\",%s}", cases[i].member);
        assert_int_equal(check(doc), KHM_EINVALID);
        const khm_field_error *f = one_field(cases[i].field);
        assert_string_equal(f[0].message, cases[i].message);
        assert_string_equal(f[0].message_th, cases[i].th);
    }
    /* the required string itself with the wrong type */
    assert_int_equal(check("{\"slug\":[\"a\"],\"name_th\":\"ก\"}"), KHM_EINVALID);
    assert_string_equal(one_field("slug")[0].message_th, "รหัสย่อหน่วยงาน ต้องเป็นข้อความ");
}

static void test_base_json__check_missing_and_empty_required(void **state)
{
    (void)state;
    assert_int_equal(check("{}"), KHM_EINVALID);
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(n, 2);
    assert_string_equal(f[0].field, "slug");
    assert_string_equal(f[0].message, "is required");
    assert_string_equal(f[0].message_th, "ต้องระบุรหัสย่อหน่วยงาน");
    assert_string_equal(f[1].field, "name_th");
    assert_string_equal(f[1].message_th, "ต้องระบุชื่อหน่วยงาน (ภาษาไทย)");
    assert_string_equal(khm_err_last()->message, "2 fields are invalid");

    assert_int_equal(check("{\"slug\":\"\",\"name_th\":\"ก\"}"), KHM_EINVALID);
    f = one_field("slug");
    assert_string_equal(f[0].message, "must not be empty");
    assert_string_equal(f[0].message_th, "ต้องระบุรหัสย่อหน่วยงาน");

    /* null for a required member is one problem, reported once as missing */
    assert_int_equal(check("{\"slug\":null,\"name_th\":\"ก\"}"), KHM_EINVALID);
    f = one_field("slug");
    assert_string_equal(f[0].message, "is required");
    assert_string_equal(f[0].message_th, "ต้องระบุรหัสย่อหน่วยงาน");
}

static void test_base_json__check_max_len_counts_code_points(void **state)
{
    (void)state;
    /* 200 × ก is 600 bytes but 200 characters: allowed; 201 is not */
    char name[1024] = "";
    for (int i = 0; i < 200; i++)
        strcat(name, "ก");
    char doc[1200];
    snprintf(doc, sizeof(doc), "{\"slug\":\"a\",\"name_th\":\"%s\"}", name);
    assert_int_equal(check(doc), 0);
    strcat(name, "ก");
    snprintf(doc, sizeof(doc), "{\"slug\":\"a\",\"name_th\":\"%s\"}", name);
    assert_int_equal(check(doc), KHM_EINVALID);
    const khm_field_error *f = one_field("name_th");
    assert_string_equal(f[0].message, "must be at most 200 characters (got 201)");
    assert_string_equal(f[0].message_th, "ชื่อหน่วยงาน (ภาษาไทย) ยาวเกิน 200 ตัวอักษร");

    /* combining marks are code points too: "นี่" is 3 */
    char slug[200] = "";
    for (int i = 0; i < 11; i++)
        strcat(slug, "นี่");
    snprintf(doc, sizeof(doc), "{\"slug\":\"%s\",\"name_th\":\"ก\"}", slug);
    assert_int_equal(check(doc), KHM_EINVALID); /* 33 > 32 */
    one_field("slug");

    /* max_len 0 means 10000 */
    char *big = malloc(10100);
    assert_non_null(big);
    memset(big, 'x', 10001);
    big[10001] = '\0';
    char *d2 = malloc(10200);
    assert_non_null(d2);
    snprintf(d2, 10200, "{\"slug\":\"a\",\"name_th\":\"ก\",\"note\":\"%s\"}", big + 1);
    assert_int_equal(check(d2), 0);
    snprintf(d2, 10200, "{\"slug\":\"a\",\"name_th\":\"ก\",\"note\":\"%s\"}", big);
    assert_int_equal(check(d2), KHM_EINVALID);
    assert_string_equal(one_field("note")[0].message,
                        "must be at most 10000 characters (got 10001)");
    free(big);
    free(d2);
}

static void test_base_json__check_nullable_optional(void **state)
{
    (void)state;
    assert_int_equal(check("{\"slug\":\"a\",\"name_th\":\"ก\",\"name_en\":null}"), 0);
    /* optional but not nullable: null is the wrong type */
    assert_int_equal(check("{\"slug\":\"a\",\"name_th\":\"ก\",\"contact\":null}"), KHM_EINVALID);
    assert_string_equal(one_field("contact")[0].message, "must be an object");
}

static void test_base_json__check_non_object_body(void **state)
{
    (void)state;
    const char *docs[] = { "[]", "\"ก\"", "null", "1", "true" };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        assert_int_equal(check(docs[i]), KHM_EINVALID);
        const khm_field_error *f = one_field("body");
        assert_string_equal(f[0].message, "the body must be a JSON object");
        assert_string_equal(f[0].message_th, "ข้อมูลต้องเป็นออบเจกต์ JSON");
    }
    khm_err_clear();
    assert_int_equal(khm_json_check(NULL, agency_fields), KHM_EINVALID);
}

static void test_base_json__check_reports_every_problem(void **state)
{
    (void)state;
    assert_int_equal(check("{\"slug\":\"\",\"x\":1,\"budget\":\"many\"}"), KHM_EINVALID);
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(n, 4); /* empty slug, unknown x, budget type, missing name_th */
    int seen_slug = 0, seen_x = 0, seen_budget = 0, seen_name = 0;
    for (size_t i = 0; i < n; i++) {
        seen_slug += strcmp(f[i].field, "slug") == 0;
        seen_x += strcmp(f[i].field, "x") == 0;
        seen_budget += strcmp(f[i].field, "budget") == 0;
        seen_name += strcmp(f[i].field, "name_th") == 0;
    }
    assert_true(seen_slug == 1 && seen_x == 1 && seen_budget == 1 && seen_name == 1);
    assert_string_equal(khm_err_last()->message, "4 fields are invalid");
}

static void test_base_json__helpers(void **state)
{
    (void)state;
    json_t *t = khm_json_time(0);
    assert_true(json_is_null(t));
    json_decref(t);
    t = khm_json_time(1766832197123);
    assert_string_equal(json_string_value(t), "2025-12-27T10:43:17.123Z");
    json_decref(t);
    t = khm_json_time(-1);
    assert_string_equal(json_string_value(t), "1969-12-31T23:59:59.999Z");
    json_decref(t);

    json_t *s = khm_json_str_or_null(NULL);
    assert_true(json_is_null(s));
    json_decref(s);
    s = khm_json_str_or_null("ข้อมูล");
    assert_string_equal(json_string_value(s), "ข้อมูล");
    json_decref(s);

    /* compact, with Thai written as UTF-8 rather than \u escapes */
    json_t *o = json_pack("{s:s, s:i}", "name_th", "กรมการปกครอง", "n", 1);
    size_t len = 0;
    char *d = khm_json_dump(o, &len);
    assert_string_equal(d, "{\"name_th\":\"กรมการปกครอง\",\"n\":1}");
    assert_int_equal(len, strlen(d));
    free(d);
    json_decref(o);
    json_t *scalar = json_string("x");
    d = khm_json_dump(scalar, NULL);
    assert_string_equal(d, "\"x\"");
    free(d);
    json_decref(scalar);
}

/* ---- khm_jw: the streaming writer ---- */

static void test_base_json__jw_writes_compact_json(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(4096);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "name_th");
    khm_jw_str(&w, "กรม \"การ\" ปกครอง\n");
    khm_jw_key(&w, "n");
    khm_jw_int(&w, INT64_MIN);
    khm_jw_key(&w, "ok");
    khm_jw_bool(&w, 1);
    khm_jw_key(&w, "no");
    khm_jw_bool(&w, 0);
    khm_jw_key(&w, "none");
    khm_jw_str(&w, NULL);
    khm_jw_key(&w, "at");
    khm_jw_time(&w, 1766832197123LL);
    khm_jw_key(&w, "never");
    khm_jw_time(&w, 0);
    khm_jw_key(&w, "list");
    khm_jw_arr(&w);
    khm_jw_obj(&w);
    khm_jw_obj_end(&w);
    khm_jw_arr(&w);
    khm_jw_arr_end(&w);
    khm_jw_raw(&w, "{\"r\":[1,2]}", 11);
    khm_jw_null(&w);
    khm_jw_arr_end(&w);
    khm_jw_key(&w, "k\"ey");
    khm_jw_int(&w, 7);
    khm_jw_obj_end(&w);
    assert_int_equal(khm_jw_finish(&w), 0);
    assert_string_equal(b.ptr,
                        "{\"name_th\":\"กรม \\\"การ\\\" ปกครอง\\n\",\"n\":-9223372036854775808,"
                        "\"ok\":true,\"no\":false,\"none\":null,"
                        "\"at\":\"2025-12-27T10:43:17.123Z\",\"never\":null,"
                        "\"list\":[{},[],{\"r\":[1,2]},null],\"k\\\"ey\":7}");
    json_t *v = json_loadb(b.ptr, b.len, 0, NULL);
    assert_non_null(v);
    assert_string_equal(khm_json_str(v, "name_th"), "กรม \"การ\" ปกครอง\n");
    json_decref(v);
    khm_buf_dispose(&b);
}

static void test_base_json__jw_long_arrays_keep_their_commas(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(1 << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_jw_obj(&w);
    for (int i = 0; i < 600; i++) {
        char k[16];
        snprintf(k, sizeof(k), "k%d", i);
        khm_jw_key(&w, k);
        khm_jw_arr(&w);
        for (int j = 0; j < (i == 0 ? 1000 : 1); j++)
            khm_jw_int(&w, j);
        khm_jw_arr_end(&w);
    }
    khm_jw_obj_end(&w);
    assert_int_equal(khm_jw_finish(&w), 0);
    json_error_t e;
    json_t *v = json_loadb(b.ptr, b.len, 0, &e);
    if (!v)
        fail_msg("invalid JSON: %s at %d", e.text, e.position);
    assert_int_equal(json_object_size(v), 600);
    assert_int_equal(json_array_size(json_object_get(v, "k0")), 1000);
    json_decref(v);
    khm_buf_dispose(&b);
}

static void test_base_json__jw_errors_stick(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(16);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_jw_arr(&w);
    khm_jw_str(&w, "ข้อมูลยาวเกินไป");
    khm_jw_int(&w, 1);
    khm_jw_arr_end(&w);
    assert_int_equal(khm_jw_finish(&w), KHM_ELIMIT);
    assert_true(b.len <= 16);
    khm_buf_dispose(&b);

    khm_buf d = KHM_BUF_INIT(4096);
    khm_jw_init(&w, &d);
    for (int i = 0; i < KHM_JW_MAX_DEPTH + 5; i++)
        khm_jw_arr(&w);
    for (int i = 0; i < KHM_JW_MAX_DEPTH + 5; i++)
        khm_jw_arr_end(&w);
    assert_int_equal(khm_jw_finish(&w), KHM_ELIMIT);
    khm_buf_dispose(&d);
}

static void write_agency(khm_jw *w, const void *rec)
{
    khm_jw_obj(w);
    khm_jw_key(w, "slug");
    khm_jw_str(w, rec);
    khm_jw_obj_end(w);
}

static void test_base_json__jw_to_jansson(void **state)
{
    (void)state;
    json_t *v = khm_jw_to_jansson(write_agency, "กรมการปกครอง");
    assert_non_null(v);
    assert_string_equal(khm_json_str(v, "slug"), "กรมการปกครอง");
    json_decref(v);
}

/* khm_json_dump writes the compact form itself: byte for byte what jansson's json_dumps writes,
 * for Thai text, every escape, nesting, member order, integers; reals and deep nesting through
 * jansson (the stored metadata and the export must not change by a byte). */
static void same_as_jansson(const json_t *v)
{
    size_t n = 0;
    char *mine = khm_json_dump(v, &n), *theirs = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(mine);
    assert_non_null(theirs);
    assert_string_equal(mine, theirs);
    assert_int_equal(n, strlen(theirs));
    khm_free(mine);
    free(theirs);
}

static void test_base_json__dump_as_jansson(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "{\"title\": \"แผนงบประมาณบูรณาการรัฐบาลดิจิทัล ประจำปีงบประมาณ พ.ศ. 2564\", \"z\": 1, "
        "\"a\": [\"ข้อมูลสาธารณะ\", \"Open Data Common\", 2567, -9223372036854775807, true, false, "
        "null, {}, []], \"notes\": \"บรรทัด\\nใหม่ \\\"คำพูด\\\" \\\\ / \\t \\r \\b \\f \\u0001 "
        "\\u001f \\u007f é 😀\"}",
        "{\"ลำดับ\": {\"ซ้อน\": {\"ลึก\": [[[\"x\"]]]}}, \"\\\"key\\\"\": \"\"}",
        "[1, \"two\", {\"3\": 3}]",
        "\"only a string: \\u0000 kept?\"",
        "{\"bbox_west_long\": 97.5, \"lat\": 13.736717, \"x\": 1e100, \"y\": 0.1}", /* reals */
        "{}",
        "[]",
        "0",
        "true",
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        json_error_t je;
        json_t *v = json_loads(docs[i], JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
        if (!v)
            fail_msg("doc %zu: %s", i, je.text);
        same_as_jansson(v);
        json_decref(v);
    }
    /* every byte value below 0x80 at every offset of a 19-byte string, so both the eight-byte
     * scan and the byte loop of the escaping meet it (khm_buf_json_escape_jansson) */
    for (unsigned c = 0; c < 0x80; c++) {
        for (size_t at = 0; at < 19; at++) {
            char str[19];
            memset(str, 'a', sizeof(str));
            str[at] = (char)c;
            json_t *sv = json_stringn(str, sizeof(str));
            assert_non_null(sv);
            same_as_jansson(sv);
            json_decref(sv);
        }
    }
    /* members in the order they were set, not sorted; a string with a NUL inside */
    json_t *o = json_object();
    json_object_set_new(o, "zz", json_stringn("a\0b", 3));
    json_object_set_new(o, "aa", json_integer(-1));
    same_as_jansson(o);
    /* deeper than the writer goes itself: jansson's */
    json_t *deep = json_array(), *cur = deep;
    for (int d = 0; d < 100; d++) {
        json_t *next = json_array();
        json_array_append_new(cur, next);
        cur = next;
    }
    same_as_jansson(deep);
    json_decref(o);
    json_decref(deep);
}

/* Members written at once take their comma like keys do: first, after a key's value, between
 * two runs of members, and in a second object of an array. */
static void test_base_json__jw_members_take_their_comma(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(4096);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_jw_arr(&w);
    for (int i = 0; i < 2; i++) {
        khm_jw_obj(&w);
        khm_jw_members(&w, "\"a\":1", 5);
        khm_jw_key(&w, "b");
        khm_jw_str(&w, "ข");
        khm_jw_members(&w, "\"c\":true,\"d\":null", 17);
        khm_jw_members(&w, "\"e\":[]", 6);
        khm_jw_obj_end(&w);
    }
    khm_jw_arr_end(&w);
    assert_int_equal(khm_jw_finish(&w), 0);
    assert_string_equal(b.ptr, "[{\"a\":1,\"b\":\"ข\",\"c\":true,\"d\":null,\"e\":[]},"
                               "{\"a\":1,\"b\":\"ข\",\"c\":true,\"d\":null,\"e\":[]}]");
    khm_buf_dispose(&b);
}

/* khm_json_load_value against json_loadb (JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY): whatever it
 * takes, jansson takes too, as the same value with its members in the same order, ending at the
 * same byte; on catalog-like text, every byte of it changed in turn, and every prefix. */
static void load_same(const char *p, size_t n, int *taken)
{
    size_t used = 0;
    json_t *fast = khm_json_load_value(p, n, &used);
    if (!fast)
        return;
    json_error_t je;
    json_t *slow = json_loadb(p, n, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &je);
    if (!slow)
        fail_msg("taken, but json_loadb says %s: %.*s", je.text, (int)n, p);
    assert_true(json_equal(fast, slow));
    char *a = json_dumps(fast, JSON_COMPACT | JSON_ENCODE_ANY),
         *b = json_dumps(slow, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_string_equal(a, b);
    assert_int_equal(used, (size_t)je.position);
    free(a);
    free(b);
    json_decref(fast);
    json_decref(slow);
    (*taken)++;
}

static void test_base_json__load_value_as_jansson(void **state)
{
    (void)state;
    static const char *const docs[] = {
        " {\"name\": \"ds-0000001\", \"agency\": \"dopa\", \"confirmed\": false, \"n\": -120,\n"
        "  \"metadata\": {\"title\": \"สถิติประชากร\\tรายอำเภอ \\\"ปี\\\" ๒๕๖๗\", \"tag_string\": "
        "[\"ประชากร\", \"census\"], \"x\": null, \"y\": true, \"e\": \"\\u0e01\\u0E02 "
        "\\ud83d\\ude00 "
        "\\/ \\b\\f\\n\\r\"}, \"name\": \"again\", \"\": {}, \"z\": []},",
        "[1, 2.5, -0, 123456789012345678, 1234567890123456789, 1e3, \"a\"] x",
        "\"only a string\" ,",
        "true ]",
        "null,",
        "-7}",
        "{\"a\" : [ [ [ ] ] , { } ] }   ",
    };
    int taken = 0;
    for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
        size_t n = strlen(docs[d]);
        char *buf = malloc(n + 1);
        assert_non_null(buf);
        for (size_t cut = 0; cut <= n; cut++) /* every prefix */
            load_same(docs[d], cut, &taken);
        static const char subst[] = { '"', '\\',   '}',    ']',    ',', ':', ' ', '0',
                                      'x', '\x01', '\xE0', '\x80', 'u', '.', 'e', '-' };
        for (size_t i = 0; i < n; i++) /* every byte changed to each of subst */
            for (size_t k = 0; k < sizeof(subst); k++) {
                memcpy(buf, docs[d], n);
                buf[i] = subst[k];
                load_same(buf, n, &taken);
            }
        free(buf);
    }
    assert_true(taken > 1000); /* (it took most: the comparison is not vacuous) */
    /* not taken: a real number, \u0000, a lone surrogate, bad UTF-8, a control character */
    const char *no[] = { "1.5", "\"a\\u0000b\"", "\"\\udc00\"", "\"\xC3\x28\"", "\"a\x01\"", "01" };
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        assert_null(khm_json_load_value(no[i], strlen(no[i]), NULL));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_base_json__parses_valid_object),
              cmocka_unit_test(test_base_json__load_value_as_jansson),
              cmocka_unit_test(test_base_json__dump_as_jansson),
              cmocka_unit_test(test_base_json__reads_only_n_bytes),
              cmocka_unit_test(test_base_json__rejects_invalid_utf8),
              cmocka_unit_test(test_base_json__rejects_duplicate_keys),
              cmocka_unit_test(test_base_json__rejects_trailing_data_and_empty),
              cmocka_unit_test(test_base_json__size_cap),
              cmocka_unit_test(test_base_json__depth_cap),
              cmocka_unit_test(test_base_json__brackets_inside_strings_do_not_count),
              cmocka_unit_test(test_base_json__rejects_nul_escape),
              cmocka_unit_test(test_base_json__check_accepts_valid),
              cmocka_unit_test(test_base_json__check_unknown_field),
              cmocka_unit_test(test_base_json__check_wrong_type_for_each_kind),
              cmocka_unit_test(test_base_json__check_missing_and_empty_required),
              cmocka_unit_test(test_base_json__check_max_len_counts_code_points),
              cmocka_unit_test(test_base_json__check_nullable_optional),
              cmocka_unit_test(test_base_json__check_non_object_body),
              cmocka_unit_test(test_base_json__check_reports_every_problem),
              cmocka_unit_test_setup(test_base_json__helpers, clear_err),
              cmocka_unit_test(test_base_json__jw_writes_compact_json),
              cmocka_unit_test(test_base_json__jw_long_arrays_keep_their_commas),
              cmocka_unit_test(test_base_json__jw_errors_stick),
              cmocka_unit_test(test_base_json__jw_to_jansson),
              cmocka_unit_test(test_base_json__jw_members_take_their_comma))
