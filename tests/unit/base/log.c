/* Tests for src/lib/base/log.c: one valid JSON object per line (checked with jansson), level
 * filtering, escaping, and lines that are too long. Output goes to a temporary file. */
#include "unit.h"

#include <unistd.h>

static int log_fd = -1;

static int open_log(void **state)
{
    (void)state;
    char path[] = "/tmp/khm-unit-log-XXXXXX";
    log_fd = mkstemp(path);
    if (log_fd < 0)
        return -1;
    unlink(path);
    khm_log_set_fd(log_fd);
    khm_log_set_level(KHM_LOG_INFO);
    return 0;
}

static int close_log(void **state)
{
    (void)state;
    khm_log_set_fd(2);
    khm_log_set_level(KHM_LOG_INFO);
    close(log_fd);
    log_fd = -1;
    return 0;
}

/* Everything written so far, parsed line by line: a JSON array of the line objects. Each line
 * must end in '\n' and be one valid JSON object. */
static json_t *read_lines(void)
{
    off_t end = lseek(log_fd, 0, SEEK_END);
    assert_true(end >= 0);
    char *all = malloc((size_t)end + 1);
    assert_non_null(all);
    assert_int_equal(pread(log_fd, all, (size_t)end, 0), end);
    all[end] = '\0';
    json_t *arr = json_array();
    size_t start = 0;
    for (size_t i = 0; i < (size_t)end; i++) {
        if (all[i] != '\n')
            continue;
        json_error_t e;
        json_t *line = json_loadb(all + start, i - start, 0, &e);
        if (!line)
            fail_msg("line is not JSON (%s): %.*s", e.text, (int)(i - start), all + start);
        assert_true(json_is_object(line));
        json_array_append_new(arr, line);
        start = i + 1;
    }
    assert_int_equal(start, (size_t)end); /* no partial last line */
    free(all);
    return arr;
}

static void assert_line(json_t *line, const char *level, const char *msg)
{
    assert_string_equal(json_string_value(json_object_get(line, "level")), level);
    assert_string_equal(json_string_value(json_object_get(line, "msg")), msg);
    const char *ts = json_string_value(json_object_get(line, "ts"));
    assert_non_null(ts);
    int64_t t = 0;
    assert_int_equal(khm_time_parse(&t, ts, strlen(ts)), 0);
    int64_t now = khm_time_now_ms();
    assert_true(t <= now && t > now - 60000);
    assert_int_equal(strlen(ts), KHM_TIME_RFC3339_LEN - 1);
}

static void test_base_log__lines_are_json_with_fields(void **state)
{
    (void)state;
    khm_log_json(KHM_LOG_INFO, "server started", "\"listen\":\"127.0.0.1:8080\",\"threads\":4");
    khm_log_json(KHM_LOG_WARN, "หน่วยงาน \"กรมการปกครอง\" ถูกปิด", "\"agency\":\"กรมการปกครอง\"");
    khm_log_json(KHM_LOG_ERROR, "no fields", NULL);
    khm_log_json(KHM_LOG_ERROR, "empty fields", "");
    json_t *lines = read_lines();
    assert_int_equal(json_array_size(lines), 4);
    json_t *l0 = json_array_get(lines, 0);
    assert_line(l0, "info", "server started");
    assert_string_equal(json_string_value(json_object_get(l0, "listen")), "127.0.0.1:8080");
    assert_int_equal(json_integer_value(json_object_get(l0, "threads")), 4);
    assert_int_equal(json_object_size(l0), 5);
    json_t *l1 = json_array_get(lines, 1);
    assert_line(l1, "warn", "หน่วยงาน \"กรมการปกครอง\" ถูกปิด");
    assert_string_equal(json_string_value(json_object_get(l1, "agency")), "กรมการปกครอง");
    assert_line(json_array_get(lines, 2), "error", "no fields");
    assert_int_equal(json_object_size(json_array_get(lines, 2)), 3);
    assert_line(json_array_get(lines, 3), "error", "empty fields");
    assert_int_equal(json_object_size(json_array_get(lines, 3)), 3);
    json_decref(lines);
}

static void test_base_log__message_is_escaped(void **state)
{
    (void)state;
    const char *tricky = "quote \" backslash \\ newline\nreturn\r tab\t bell\x07 del\x7f "
                         "ไทย \"อัญประกาศ\"\n}{";
    khm_log_json(KHM_LOG_INFO, tricky, NULL);
    khm_log(KHM_LOG_INFO, "%s", tricky);
    json_t *lines = read_lines();
    assert_int_equal(json_array_size(lines), 2); /* the newline did not split the line */
    assert_line(json_array_get(lines, 0), "info", tricky);
    assert_line(json_array_get(lines, 1), "info", tricky);
    json_decref(lines);
}

static void test_base_log__printf_style(void **state)
{
    (void)state;
    khm_log(KHM_LOG_ERROR, "user %s failed %d times (%.1f%%)", "สมชาย", 3, 37.5);
    json_t *lines = read_lines();
    assert_int_equal(json_array_size(lines), 1);
    assert_line(json_array_get(lines, 0), "error", "user สมชาย failed 3 times (37.5%)");
    json_decref(lines);
}

static void test_base_log__level_filtering(void **state)
{
    (void)state;
    assert_int_equal(khm_log_get_level(), KHM_LOG_INFO);
    khm_log(KHM_LOG_DEBUG, "dropped at the default level");
    khm_log_set_level(KHM_LOG_WARN);
    assert_int_equal(khm_log_get_level(), KHM_LOG_WARN);
    khm_log(KHM_LOG_DEBUG, "d");
    khm_log(KHM_LOG_INFO, "i");
    khm_log_json(KHM_LOG_INFO, "i2", "\"a\":1");
    khm_log(KHM_LOG_WARN, "w");
    khm_log_json(KHM_LOG_ERROR, "e", NULL);
    khm_log_set_level(KHM_LOG_DEBUG);
    khm_log(KHM_LOG_DEBUG, "d2");
    khm_log_set_level(KHM_LOG_ERROR);
    khm_log(KHM_LOG_WARN, "w2");
    khm_log(KHM_LOG_ERROR, "e2");
    json_t *lines = read_lines();
    assert_int_equal(json_array_size(lines), 4);
    assert_line(json_array_get(lines, 0), "warn", "w");
    assert_line(json_array_get(lines, 1), "error", "e");
    assert_line(json_array_get(lines, 2), "debug", "d2");
    assert_line(json_array_get(lines, 3), "error", "e2");
    json_decref(lines);
}

static void test_base_log__parse_level(void **state)
{
    (void)state;
    static const char *const names[] = { "debug", "info", "warn", "error" };
    for (int i = 0; i < 4; i++) {
        khm_log_level l = (khm_log_level)99;
        assert_int_equal(khm_log_parse_level(names[i], &l), 0);
        assert_int_equal(l, i);
    }
    const char *bad[] = { "INFO", "warning", "", "info ", "ข้อมูล", "err" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_log_level l = KHM_LOG_WARN;
        khm_err_clear();
        assert_int_equal(khm_log_parse_level(bad[i], &l), KHM_EINVALID);
        assert_int_equal(l, KHM_LOG_WARN); /* untouched */
        assert_int_equal(khm_err_last()->code, KHM_EINVALID);
        assert_non_null(strstr(khm_err_last()->message, bad[i]));
    }
    khm_log_level l = KHM_LOG_INFO;
    assert_int_equal(khm_log_parse_level(NULL, &l), KHM_EINVALID);
}

static void test_base_log__long_fields_truncate_to_a_valid_line(void **state)
{
    (void)state;
    size_t n = 20000;
    char *fields = malloc(n + 32);
    assert_non_null(fields);
    strcpy(fields, "\"big\":\"");
    memset(fields + 7, 'x', n);
    strcpy(fields + 7 + n, "\"");
    khm_log_json(KHM_LOG_INFO, "big fields", fields);
    free(fields);
    json_t *lines = read_lines();
    assert_int_equal(json_array_size(lines), 1);
    json_t *l = json_array_get(lines, 0);
    assert_line(l, "info", "big fields");
    assert_true(json_is_true(json_object_get(l, "truncated")));
    assert_null(json_object_get(l, "big"));
    json_decref(lines);
}

static void test_base_log__long_message_truncates_to_a_valid_line(void **state)
{
    (void)state;
    /* 'a' then 3-byte letters: any byte limit falls inside a character somewhere */
    size_t n = 1 + 3 * 8000;
    char *msg = malloc(n + 1);
    assert_non_null(msg);
    msg[0] = 'a';
    for (size_t i = 1; i < n; i += 3)
        memcpy(msg + i, "ก", 3);
    msg[n] = '\0';
    khm_log_json(KHM_LOG_WARN, msg, "\"k\":1");
    khm_log(KHM_LOG_WARN, "%s", msg); /* cut by khm_log's own message buffer */
    /* control characters grow six-fold when escaped */
    memset(msg, '\x01', n);
    khm_log_json(KHM_LOG_WARN, msg, NULL);
    free(msg);
    json_t *lines = read_lines(); /* every line valid JSON, hence valid UTF-8 */
    assert_int_equal(json_array_size(lines), 3);
    for (size_t i = 0; i < 3; i++) {
        json_t *l = json_array_get(lines, i);
        const char *m = json_string_value(json_object_get(l, "msg"));
        assert_non_null(m);
        assert_true(strlen(m) > 1000); /* kept as much as fits, not dropped */
        if (i != 1)
            assert_true(json_is_true(json_object_get(l, "truncated")));
    }
    const char *m0 = json_string_value(json_object_get(json_array_get(lines, 0), "msg"));
    assert_int_equal(m0[0], 'a');
    assert_memory_equal(m0 + 1, "กกก", 9);
    json_decref(lines);
}

KHM_UNIT_MAIN(cmocka_unit_test_setup_teardown(test_base_log__lines_are_json_with_fields, open_log,
                                              close_log),
              cmocka_unit_test_setup_teardown(test_base_log__message_is_escaped, open_log,
                                              close_log),
              cmocka_unit_test_setup_teardown(test_base_log__printf_style, open_log, close_log),
              cmocka_unit_test_setup_teardown(test_base_log__level_filtering, open_log, close_log),
              cmocka_unit_test_setup_teardown(test_base_log__parse_level, open_log, close_log),
              cmocka_unit_test_setup_teardown(test_base_log__long_fields_truncate_to_a_valid_line,
                                              open_log, close_log),
              cmocka_unit_test_setup_teardown(test_base_log__long_message_truncates_to_a_valid_line,
                                              open_log, close_log))
