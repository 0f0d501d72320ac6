/* Tests for src/lib/catalog/quality.c: the value classifier (dates that do not exist, such as
 * 31/02/2567 and 29/02 of a common year in either era; Thai national IDs with a bad check digit,
 * thai-rules.md §4.1; Thai phones, §4.2), and profiles of files with known defects — exact counts
 * of empty cells, invalid values, repeated rows and repeated identifiers, and the scores and
 * explanations they give — as CSV (UTF-8 and TIS-620, gzip), JSON Lines and a JSON array; then a
 * dataset on a real store: the score stored on upload, timeliness against the declared GD-Catalog
 * update frequency (thai-rules.md §3.3 update_frequency_unit), refreshed when the frequency
 * changes and when the file is deleted. */
#include "unit.h"

#include <khomun/quality.h>
#include <khomun/resource.h>

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

/* 10 data rows (lines 2–11) with known defects:
 * - empty: the phone of line 4, the e-mail of line 5 (2 of 50 cells);
 * - invalid: line 4's national ID has a bad check digit (1234567890120; …121 is right), line 3
 *   says 31/02/2567 and line 5 29/02/2566 (2023 is not a leap year), line 8's e-mail has no
 *   domain (4 of 38 checked values: 10 IDs, 9 phones, 10 dates, 9 e-mails);
 * - line 7 repeats line 6 exactly; line 8 repeats line 3's national ID.
 * 29/02/2567 (2024, a leap year), an ISO date and a Thai month name are fine. */
static const char defects_csv[] =
    "เลขประจำตัวประชาชน,ชื่อ-สกุล,โทรศัพท์,วันเกิด,อีเมล\n"
    "1100600445639,สมชาย ใจดี,081-234-5678,12/05/2530,somchai@example.go.th\n"
    "3100600445635,สมหญิง รักไทย,089-765-4321,31/02/2567,somying@example.go.th\n"
    "1234567890120,วิชัย มั่นคง,,01/01/2520,wichai@example.go.th\n"
    "1234545678781,นภา แสงทอง,062-111-2233,29/02/2566,\n"
    "1101700230708,ประเสริฐ สุขใจ,095-444-5566,29/02/2567,prasert@example.go.th\n"
    "1101700230708,ประเสริฐ สุขใจ,095-444-5566,29/02/2567,prasert@example.go.th\n"
    "3100600445635,มาลี ศรีสุข,086-777-8899,15/08/2535,malee@example\n"
    "1500100234562,กิตติ ศรีสุข,091-222-3344,03/03/2540,kitti@example.go.th\n"
    "3700200345671,สุนีย์ แสงทอง,092-333-4455,2024-01-05,sunee@example.go.th\n"
    "1400300456781,อนันต์ ใจดี,093-444-5566,1 ม.ค. 2567,anan@example.go.th\n";

static const khm_quality_note *find_note(const khm_quality_note *v, size_t n, const char *code,
                                         const char *field)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].code, code) == 0 &&
            (!field || (v[i].field && strcmp(v[i].field, field) == 0)))
            return &v[i];
    return NULL;
}

static const khm_quality_column *col(const khm_quality *q, const char *field)
{
    for (size_t i = 0; i < q->ncols; i++)
        if (strcmp(q->cols[i].field, field) == 0)
            return &q->cols[i];
    fail_msg("no column '%s'", field);
    return NULL;
}

static void test_catalog_quality__dates(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int want;
    } cases[] = {
        { "31/02/2567", 0 }, /* 31 February never exists */
        { "29/02/2567", 1 }, /* 2567 B.E. = 2024 C.E., a leap year */
        { "29/02/2566", 0 }, /* 2023: not */
        { "2024-02-29", 1 },
        { "2023-02-29", 0 },
        { "2024/02/30", 0 },
        { "2024-13-01", 0 },
        { "00/01/2567", 0 },
        { "31/04/2567", 0 },
        { "29 ก.พ. 2567", 1 },
        { "29 ก.พ. 2566", 0 },
        { "1 มกราคม พ.ศ. 2567", 1 },
        { "๓๑/๑๒/๒๕๖๖", 1 }, /* Thai digits */
        { "29/02/67", 1 },   /* 2567 B.E. (2024) */
        { "29/02/66", 0 },   /* 2566 B.E. = 2023 and 2066 C.E.: neither is a leap year */
        { "2024-01-05T10:30:00Z", 1 },
        { "2024-01-05 25:00", 0 },
        { "05/01/2024 10:30", 1 },
        { "12 ธ.ค. 2566 เวลา 10:30 น.", 1 },
        { "31.12.2566", 1 },
        { "1/2", -1 },
        { "2567", -1 },
        { "0812345678", -1 },
        { "ไม่ทราบ", -1 },
        { "12/05/2530 x", -1 },
        { "1900-02-29", 0 },
        { "2000-02-29", 1 },
        { "31/12/9999", 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int got = khm_quality_date_check(cases[i].s, strlen(cases[i].s));
        if (got != cases[i].want)
            fail_msg("'%s': %d, want %d", cases[i].s, got, cases[i].want);
    }
}

static void test_catalog_quality__values(void **state)
{
    (void)state;
#define V(s) khm_quality_value(s, strlen(s))
    assert_int_equal(V(""), KHM_QV_EMPTY);
    assert_int_equal(V("  \t"), KHM_QV_EMPTY);
    assert_int_equal(V(" - "), KHM_QV_EMPTY);
    assert_int_equal(V("N/A"), KHM_QV_EMPTY);
    assert_int_equal(V("NULL"), KHM_QV_EMPTY);
    assert_int_equal(V("ไม่มี"), 0); /* a value ("none"), not an empty cell */
    /* national IDs: thai-rules.md §4.1's test values */
    assert_int_equal(V("3100600445635"), KHM_QV_TNIN | KHM_QV_INTEGER | KHM_QV_DECIMAL);
    assert_int_equal(V("3-1006-00445-63-5"), KHM_QV_TNIN);
    assert_int_equal(V("7100600445635") & (KHM_QV_TNIN | KHM_QV_TNIN_BAD),
                     KHM_QV_TNIN | KHM_QV_TNIN_BAD);
    assert_int_equal(V("1234567890120") & KHM_QV_TNIN_BAD, KHM_QV_TNIN_BAD);
    assert_int_equal(V("1234567890121") & KHM_QV_TNIN_BAD, 0);
    assert_int_equal(V("๑๒๓๔๕๖๗๘๙๐๑๒๑") & (KHM_QV_TNIN | KHM_QV_TNIN_BAD), KHM_QV_TNIN);
    /* phones: §4.2 */
    assert_true(V("081-234-5678") & KHM_QV_PHONE_OK);
    assert_true(V("+66 81 234 5678") & KHM_QV_PHONE_OK);
    assert_true(V("02 123 4567") & KHM_QV_PHONE_OK);
    assert_int_equal(V("0212345678") & (KHM_QV_PHONE | KHM_QV_PHONE_OK), KHM_QV_PHONE);
    assert_int_equal(V("812345678") & KHM_QV_PHONE, 0);
    /* numbers and e-mail */
    assert_int_equal(V("1,234,567"), KHM_QV_INTEGER | KHM_QV_DECIMAL);
    assert_int_equal(V("-12.50"), KHM_QV_DECIMAL);
    assert_int_equal(V("12,34"), 0);
    assert_int_equal(V("1.2.3"), 0);
    assert_int_equal(V("data@agency.go.th"), KHM_QV_EMAIL | KHM_QV_EMAIL_OK);
    assert_int_equal(V("ผู้ติดต่อ@หน่วยงาน.ไทย"), KHM_QV_EMAIL | KHM_QV_EMAIL_OK);
    assert_int_equal(V("malee@example"), KHM_QV_EMAIL);
    assert_int_equal(V("a@@b.co"), KHM_QV_EMAIL);
    assert_int_equal(V("31/02/2567"), KHM_QV_DATE | KHM_QV_DATE_BAD);
    assert_int_equal(V("สมชาย ใจดี"), 0);
#undef V
}

/* The exact counts, scores and explanations of defects_csv (in any encoding). */
static void check_defects(const khm_quality *q, const char *encoding)
{
    assert_string_equal(q->status, "profiled");
    assert_string_equal(q->format, "csv");
    assert_string_equal(q->encoding, encoding);
    assert_int_equal(q->rows, 10);
    assert_int_equal(q->ncols, 5);
    assert_int_equal(q->cells, 50);
    assert_int_equal(q->empty, 2);
    assert_int_equal(q->checked, 38);
    assert_int_equal(q->invalid, 4);
    assert_int_equal(q->duplicate_rows, 1);
    assert_int_equal(q->duplicate_keys, 1);
    assert_int_equal(q->ndup_row_lines, 1);
    assert_int_equal(q->dup_row_lines[0], 7);

    const khm_quality_column *id = col(q, "เลขประจำตัวประชาชน");
    assert_int_equal(id->type, KHM_QT_NATIONAL_ID);
    assert_int_equal(id->bad_check, 1);
    assert_int_equal(id->bad_format, 0);
    assert_int_equal(id->ninvalid_lines, 1);
    assert_int_equal(id->invalid_lines[0], 4);
    assert_true(id->key);
    assert_int_equal(id->duplicates, 1); /* line 8; line 7 is a whole repeat, not counted again */
    assert_int_equal(id->dup_lines[0], 8);
    assert_int_equal(col(q, "ชื่อ-สกุล")->type, KHM_QT_TEXT);
    const khm_quality_column *ph = col(q, "โทรศัพท์");
    assert_int_equal(ph->type, KHM_QT_PHONE);
    assert_int_equal(ph->empty, 1);
    assert_int_equal(ph->invalid, 0);
    const khm_quality_column *dob = col(q, "วันเกิด");
    assert_int_equal(dob->type, KHM_QT_DATE);
    assert_int_equal(dob->bad_date, 2);
    assert_int_equal(dob->bad_format, 0);
    assert_int_equal(dob->ninvalid_lines, 2);
    assert_int_equal(dob->invalid_lines[0], 3);
    assert_int_equal(dob->invalid_lines[1], 5);
    const khm_quality_column *em = col(q, "อีเมล");
    assert_int_equal(em->type, KHM_QT_EMAIL);
    assert_int_equal(em->empty, 1);
    assert_int_equal(em->bad_format, 1);
    assert_int_equal(em->invalid_lines[0], 8);
    assert_false(em->key);

    /* 100 × 48/50; 100 × 34/38 = 89.47; 100 × (10 − 1 − 1)/10 */
    assert_true(q->completeness == 96.0);
    assert_true(q->validity == 89.5);
    assert_true(q->uniqueness == 80.0);
    /* (30 × 96 + 30 × 89.5 + 20 × 80) / 80 = 89.56 */
    assert_int_equal(q->score, 90);

    const khm_quality_note *n = find_note(q->notes, q->nnotes, "empty_cells", "โทรศัพท์");
    assert_non_null(n);
    assert_string_equal(n->message_th, "คอลัมน์ 'โทรศัพท์' ว่าง 10.0% (1 จาก 10 แถว)");
    assert_string_equal(n->message, "column 'โทรศัพท์' is 10.0% empty (1 of 10 rows)");
    n = find_note(q->notes, q->nnotes, "bad_check_digit", "เลขประจำตัวประชาชน");
    assert_non_null(n);
    assert_int_equal(n->count, 1);
    assert_non_null(strstr(n->message_th, "เลขตรวจสอบ (หลักที่ 13) ไม่ถูกต้อง (บรรทัด 4)"));
    n = find_note(q->notes, q->nnotes, "impossible_date", "วันเกิด");
    assert_non_null(n);
    assert_int_equal(n->count, 2);
    assert_non_null(strstr(n->message, "(lines 3, 5)"));
    n = find_note(q->notes, q->nnotes, "wrong_type", "อีเมล");
    assert_non_null(n);
    assert_string_equal(n->message,
                        "column 'อีเมล' (email): 1 value(s) not a valid e-mail address (line 8)");
    n = find_note(q->notes, q->nnotes, "duplicate_rows", NULL);
    assert_non_null(n);
    assert_string_equal(n->message_th, "มี 1 แถวที่ซ้ำกับแถวก่อนหน้าทุกช่อง (บรรทัด 7)");
    assert_non_null(find_note(q->notes, q->nnotes, "duplicate_keys", "เลขประจำตัวประชาชน"));
    /* completeness first, then validity (worst first), then uniqueness */
    assert_string_equal(q->notes[0].dimension, "completeness");
    assert_string_equal(q->notes[2].code, "impossible_date");
    assert_string_equal(q->notes[q->nnotes - 1].dimension, "uniqueness");
}

static void test_catalog_quality__csv_with_known_defects(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    khm_quality q;
    assert_int_equal(
        khm_quality_profile_mem(defects_csv, sizeof(defects_csv) - 1, "คน.csv", "CSV", &q, a), 0);
    check_defects(&q, "utf-8");
    /* the same through a file descriptor, with CRLF line ends and a BOM, format from the name */
    char path[] = "/tmp/khm-quality-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "\xEF\xBB\xBF", 3), 3);
    for (const char *p = defects_csv; *p; p++) {
        if (*p == '\n')
            assert_int_equal(write(fd, "\r\n", 2), 2);
        else
            assert_int_equal(write(fd, p, 1), 1);
    }
    assert_int_equal(khm_quality_profile_fd(fd, "people.csv", NULL, &q, a), 0);
    check_defects(&q, "utf-8");
    close(fd);
    unlink(path);
    khm_arena_free(a);
}

/* UTF-8 Thai (U+0E01–U+0E5B) as TIS-620 (0xA1–0xFB); ASCII as is. */
static size_t to_tis620(const char *s, char *out)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (p[0] == 0xE0 && (p[1] == 0xB8 || p[1] == 0xB9)) {
            unsigned cp = ((unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F)) + 0x0E00;
            out[o++] = (char)(0xA1 + cp - 0x0E01);
            p += 3;
        } else {
            out[o++] = (char)*p++;
        }
    }
    return o;
}

static void test_catalog_quality__tis620_and_gzip(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    khm_quality q;
    char tis[sizeof(defects_csv)];
    size_t n = to_tis620(defects_csv, tis);
    assert_int_equal(khm_quality_profile_mem(tis, n, "legacy.csv", "CSV", &q, a), 0);
    check_defects(&q, "tis-620"); /* Thai headers decoded: the column names match */
    /* gzip: inflated first (format "GZIP", the name tells CSV) */
    unsigned char gz[8192];
    z_stream z;
    memset(&z, 0, sizeof(z));
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    unsigned char plain[sizeof(defects_csv)];
    memcpy(plain, defects_csv, sizeof(plain));
    z.next_in = plain;
    z.avail_in = sizeof(defects_csv) - 1;
    z.next_out = gz;
    z.avail_out = sizeof(gz);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t gzn = sizeof(gz) - z.avail_out;
    deflateEnd(&z);
    assert_int_equal(khm_quality_profile_mem((char *)gz, gzn, "people.csv.gz", "GZIP", &q, a), 0);
    check_defects(&q, "utf-8");
    /* cut off: the reason is kept, nothing is judged */
    assert_int_equal(khm_quality_profile_mem((char *)gz, gzn / 2, "people.csv.gz", "GZIP", &q, a),
                     0);
    assert_string_equal(q.status, "failed");
    assert_non_null(strstr(q.error, "truncated gzip"));
    assert_int_equal(q.score, -1);
    khm_arena_free(a);
}

static void test_catalog_quality__json_lines_and_arrays(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    khm_quality q;
    /* line 1: 30 Feb; line 2: a bad e-mail; line 3 blank; line 4 has no "d" and a null e-mail,
     * and repeats line 1's id; line 5 is not JSON */
    static const char jl[] =
        "{\"person_id\":\"A1\",\"email\":\"a@b.go.th\",\"d\":\"2024-02-30\"}\n"
        "{\"person_id\":\"A2\",\"email\":\"bad@\",\"d\":\"2024-02-29\"}\n"
        "\n"
        "{\"person_id\":\"A1\",\"email\":null}\n"
        "not json\n"
        "{\"person_id\":\"A3\",\"email\":\"c@d.go.th\",\"d\":\"2567-01-01\"}\n"
        "{\"person_id\":\"A4\",\"email\":\"e@f.go.th\",\"d\":\"2567-01-02\"}\n"
        "{\"person_id\":\"A5\",\"email\":\"g@h.go.th\",\"d\":\"2567-01-03\"}\n";
    assert_int_equal(khm_quality_profile_mem(jl, sizeof(jl) - 1, "x.jsonl", "JSONL", &q, a), 0);
    assert_string_equal(q.status, "profiled");
    assert_string_equal(q.format, "jsonl");
    assert_string_equal(q.at_unit, "line");
    assert_int_equal(q.rows, 6);
    assert_int_equal(q.bad_lines, 1);
    assert_int_equal(q.ncols, 3);
    assert_int_equal(q.empty, 2);
    const khm_quality_column *d = col(&q, "$.d");
    assert_int_equal(d->type, KHM_QT_DATE);
    assert_int_equal(d->bad_date, 1);
    assert_int_equal(d->invalid_lines[0], 1);
    const khm_quality_column *e = col(&q, "$.email");
    assert_int_equal(e->bad_format, 1);
    assert_int_equal(e->invalid_lines[0], 2);
    const khm_quality_column *id = col(&q, "$.person_id");
    assert_true(id->key); /* "…_id": an identifier; 1 repeat in 6 rows */
    assert_int_equal(id->duplicates, 1);
    assert_int_equal(id->dup_lines[0], 4);
    assert_int_equal(q.duplicate_keys, 1);
    assert_non_null(find_note(q.notes, q.nnotes, "bad_lines", NULL));

    /* a JSON document: the elements of its top-level array are the rows */
    static const char arr[] = "[{\"name\":\"ก\",\"tel\":\"0812345678\",\"tags\":[\"x\",\"y\"]},"
                              "{\"name\":\"ข\",\"tel\":\"+66 81 234 5679\"},"
                              "{\"name\":\"ก\",\"tel\":\"0812345678\",\"tags\":[\"x\",\"y\"]},"
                              "{\"name\":\"ค\",\"tel\":\"12345\"},"
                              "{\"name\":\"ง\",\"tel\":\"089-876-5432\"}]";
    assert_int_equal(khm_quality_profile_mem(arr, sizeof(arr) - 1, "x.json", "JSON", &q, a), 0);
    assert_string_equal(q.status, "profiled");
    assert_string_equal(q.at_unit, "row");
    assert_int_equal(q.rows, 5);
    assert_int_equal(q.duplicate_rows, 1);
    assert_int_equal(q.dup_row_lines[0], 3);
    const khm_quality_column *tel = col(&q, "$[].tel");
    assert_int_equal(tel->type, KHM_QT_PHONE);
    assert_int_equal(tel->bad_format, 1);
    assert_int_equal(tel->invalid_lines[0], 4);
    assert_int_equal(col(&q, "$[].tags[]")->empty, 3);
    assert_non_null(
        strstr(find_note(q.notes, q.nnotes, "duplicate_rows", NULL)->message, "(row 3)"));

    /* broken JSON: failed with the reader's reason */
    assert_int_equal(khm_quality_profile_mem("[{\"a\":1},", 9, "x.json", "JSON", &q, a), 0);
    assert_string_equal(q.status, "failed");
    assert_non_null(q.error);
    khm_arena_free(a);
}

static void test_catalog_quality__other_files(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    khm_quality q;
    /* not tabular */
    assert_int_equal(khm_quality_profile_mem("%PDF-1.7\n", 9, "r.pdf", "PDF", &q, a), 0);
    assert_string_equal(q.status, "unsupported");
    assert_int_equal(khm_quality_profile_mem("บันทึกข้อความ ไม่ใช่ตาราง\n",
                                             strlen("บันทึกข้อความ ไม่ใช่ตาราง\n"), "note.txt", "TXT",
                                             &q, a),
                     0);
    assert_string_equal(q.status, "unsupported");
    assert_int_equal(khm_quality_profile_mem("a,b\x00\x01", 5, "x.bin", NULL, &q, a), 0);
    assert_string_equal(q.status, "unsupported");
    /* a header and no rows: nothing to judge */
    assert_int_equal(
        khm_quality_profile_mem("ปี,งบประมาณ\n", strlen("ปี,งบประมาณ\n"), "x.csv", "CSV", &q, a), 0);
    assert_string_equal(q.status, "profiled");
    assert_int_equal(q.rows, 0);
    assert_int_equal(q.score, -1);
    assert_non_null(find_note(q.notes, q.nnotes, "no_rows", NULL));
    /* no header: "column N"; a ragged row's missing cells are empty; all-text: no validity */
    static const char raw[] = "ก,ข,ค\nง,จ\nฉ,ช,ซ\n";
    assert_int_equal(khm_quality_profile_mem(raw, sizeof(raw) - 1, "x.csv", "CSV", &q, a), 0);
    assert_int_equal(q.rows, 2); /* the first record looks like a header */
    static const char nohead[] = "1,2,3\n4,5\n6,7,8\n";
    assert_int_equal(khm_quality_profile_mem(nohead, sizeof(nohead) - 1, "x.csv", "CSV", &q, a), 0);
    assert_int_equal(q.rows, 3);
    assert_string_equal(q.cols[2].field, "column 3");
    assert_int_equal(q.cols[2].empty, 1);
    assert_true(q.completeness == 88.9); /* 8 of 9 */
    /* a record longer than the bound fails the profile instead of holding it */
    size_t big = 2 * KHM_QUALITY_MAX_RECORD;
    char *long_rec = malloc(big + 16);
    assert_non_null(long_rec);
    memcpy(long_rec, "a,b\n\"", 5);
    memset(long_rec + 5, 'x', big);
    memcpy(long_rec + 5 + big, "\",1\n", 4);
    assert_int_equal(khm_quality_profile_mem(long_rec, big + 9, "x.csv", "CSV", &q, a), 0);
    assert_string_equal(q.status, "failed");
    assert_non_null(strstr(q.error, "longer than"));
    free(long_rec);
    khm_arena_free(a);
}

static void test_catalog_quality__scores(void **state)
{
    (void)state;
    assert_true(khm_quality_ratio(0, 0) == -1);
    assert_true(khm_quality_ratio(1, 3) == 66.7);
    assert_true(khm_quality_ratio(5, 3) == 0);
    double all[4] = { 100, 50, 80, 0 };
    assert_int_equal(khm_quality_weighted(all), 61); /* (3000 + 1500 + 1600 + 0) / 100 */
    double some[4] = { 90, -1, 80, -1 };
    assert_int_equal(khm_quality_weighted(some), 86); /* (2700 + 1600) / 50 */
    double none[4] = { -1, -1, -1, -1 };
    assert_int_equal(khm_quality_weighted(none), -1);
}

#define DAY ((int64_t)86400000)

static void test_catalog_quality__timeliness(void **state)
{
    (void)state;
    khm_quality_timeliness t;
    const int64_t t0 = 1700000000000; /* 2023-11-14 */
    /* monthly: 31 days, then down to 0 one period later */
    const char *monthly = "{\"update_frequency_unit\":\"เดือน\"}";
    khm_quality_timeliness_eval(monthly, t0, t0 - 100 * DAY, t0 + 30 * DAY, &t);
    assert_string_equal(t.code, "on_time");
    assert_true(t.score == 100);
    assert_true(t.period_days == 31);
    assert_string_equal(t.last_update_source, "resource");
    khm_quality_timeliness_eval(monthly, t0, 0, t0 + 31 * DAY + DAY * 31 / 2, &t);
    assert_string_equal(t.code, "overdue");
    assert_true(t.score == 50);
    assert_true(t.overdue_days == 15.5);
    khm_quality_timeliness_eval(monthly, t0, 0, t0 + 100 * DAY, &t);
    assert_true(t.score == 0);
    /* twice a month (interval = times per unit, thai-rules.md §3.2) */
    khm_quality_timeliness_eval(
        "{\"update_frequency_unit\":\"เดือน\",\"update_frequency_interval\":2}", t0, 0,
        t0 + 16 * DAY, &t);
    assert_true(t.period_days == 15.5);
    assert_string_equal(t.code, "overdue");
    /* the metadata's last_updated_date counts when newer than the upload */
    khm_quality_timeliness_eval(
        "{\"update_frequency_unit\":\"ปี\",\"last_updated_date\":\"2024-06-01\"}", t0, 0,
        t0 + 400 * DAY, &t);
    assert_string_equal(t.last_update_source, "metadata");
    assert_string_equal(t.code, "on_time");
    /* no upload, no date: the registration */
    khm_quality_timeliness_eval("{\"update_frequency_unit\":\"สัปดาห์\"}", 0, t0, t0 + 8 * DAY, &t);
    assert_string_equal(t.last_update_source, "dataset");
    assert_string_equal(t.code, "overdue");
    /* what cannot be measured is left out; "never updated" is current */
    khm_quality_timeliness_eval("{\"update_frequency_unit\":\"ไม่ทราบ\"}", t0, 0, t0, &t);
    assert_string_equal(t.code, "unknown_frequency");
    assert_true(t.score == -1);
    khm_quality_timeliness_eval("{\"update_frequency_unit\":\"ตามเวลาจริง\"}", t0, 0, t0, &t);
    assert_string_equal(t.code, "real_time");
    khm_quality_timeliness_eval("{}", t0, 0, t0, &t);
    assert_string_equal(t.code, "no_frequency");
    khm_quality_timeliness_eval("{\"update_frequency_unit\":\"ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล\"}",
                                t0, 0, t0 + 9999 * DAY, &t);
    assert_string_equal(t.code, "static");
    assert_true(t.score == 100);
}

static json_t *meta(const char *unit)
{
    json_t *m = json_pack(
        "{s:s, s:s, s:s, s:s, s:[s], s:s, s:[s], s:s, s:s, s:s, s:[s], s:s, s:s, s:s}", "data_type",
        "ข้อมูลระเบียน", "title", "ทะเบียนผู้รับสวัสดิการ", "maintainer", "กองยุทธศาสตร์", "maintainer_email",
        "data@agency.go.th", "tag_string", "สวัสดิการ", "notes", "ทดสอบคุณภาพข้อมูล", "objective",
        "พันธกิจหน่วยงาน", "update_frequency_unit", unit, "geo_coverage", "ประเทศ", "data_source",
        "กองยุทธศาสตร์", "data_format", "CSV", "license_id", "Open Data Common", "data_category",
        "ข้อมูลส่วนบุคคล", "data_classification", "ลับ");
    assert_non_null(m);
    return m;
}

static void test_catalog_quality__dataset_score_stored_and_explained(void **state)
{
    (void)state;
    khm_test_env e;
    khm_tx *tx;
    khm_dataset d, s;
    khm_resource_rec r;
    khm_resource_scan scan;
    khm_scanner *sc;
    const int64_t t0 = 1700000000000;
    khm_test_env_open(&e);
    assert_int_equal(khm_scanner_new(&sc, NULL), 0);
    json_t *m = meta("เดือน");
    khm_dataset_input din = { "welfare", NULL, NULL, NULL, m };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_dataset_create(tx, &d, &din, e.init.agency.id, NULL, t0 - DAY, e.arena),
                     0);
    assert_int_equal(khm_tx_commit(tx), 0);

    /* upload: scanned and profiled in one call, stored together */
    khm_blob_writer *w;
    char sha[KHM_SHA256_HEX_LEN];
    uint64_t size;
    assert_int_equal(khm_blob_begin(&w, e.dir, 0), 0);
    assert_int_equal(khm_blob_write(w, defects_csv, sizeof(defects_csv) - 1), 0);
    assert_int_equal(khm_blob_finish(w, NULL, sha, &size), 0);
    int fd = open(khm_blob_temp_path(w), O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(khm_resource_scan_fd(sc, fd, "welfare.csv", "CSV", &scan, e.arena), 0);
    close(fd);
    assert_non_null(scan.quality);
    check_defects(scan.quality, "utf-8");
    json_t *f = json_pack("{s:s}", "name", "welfare.csv");
    khm_resource_input in = { NULL, NULL, NULL, "text/csv", f };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_resource_create(tx, &r, &d, &in, w, &scan, NULL, t0, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_blob_free(w);

    /* stored: the dataset's score as of the upload ((7165 + 20 × 100) / 100 = 91.65) */
    khm_quality_summary qs;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &s, "welfare", e.arena), 0);
    assert_int_equal(s.quality_score, 92);
    assert_true(s.quality_at == t0);
    assert_int_equal(s.version, d.version); /* not a change of the dataset's metadata */
    /* evaluated later: timeliness falls, the pooled counts stay */
    assert_int_equal(khm_quality_dataset_eval(tx, &s, t0 + 10 * DAY, &qs, e.arena), 0);
    assert_int_equal(qs.score, 92);
    assert_int_equal(qs.files, 1);
    assert_int_equal(qs.profiled, 1);
    assert_int_equal(qs.empty, 2);
    assert_int_equal(qs.invalid, 4);
    assert_string_equal(qs.notes[0].code, "score");
    assert_string_equal(qs.notes[0].message_th,
                        "คะแนนคุณภาพ 92 = (30×96.0 + 30×89.5 + 20×80.0 + 20×100.0) / 100");
    assert_int_equal(khm_quality_dataset_eval(tx, &s, t0 + 31 * DAY + DAY * 31 / 2, &qs, e.arena),
                     0);
    assert_true(qs.timeliness.score == 50);
    assert_int_equal(qs.score, 82); /* (7165 + 1000) / 100 */
    const khm_quality_note *n = find_note(qs.notes, qs.nnotes, "overdue", NULL);
    assert_non_null(n);
    assert_non_null(strstr(n->message_th, "เกินกำหนดปรับปรุง 15.5 วัน"));
    assert_non_null(strstr(n->message, "15.5 days overdue"));
    /* the GET report: the resource's part as stored, and the pooled dimensions */
    khm_buf b = KHM_BUF_INIT((size_t)1 << 20);
    khm_jw jw;
    khm_jw_init(&jw, &b);
    assert_int_equal(khm_quality_write_report(tx, &jw, &s, t0 + 10 * DAY, e.arena), 0);
    assert_int_equal(khm_jw_finish(&jw), 0);
    khm_tx_rollback(tx);
    json_t *rep = json_loadb(b.ptr, b.len, 0, NULL);
    assert_non_null(rep);
    assert_int_equal(json_integer_value(json_object_get(rep, "score")), 92);
    json_t *res0 = json_array_get(json_object_get(rep, "resources"), 0);
    assert_string_equal(json_string_value(json_object_get(res0, "resource_id")), r.id);
    assert_int_equal(json_integer_value(json_object_get(res0, "score")), 90);
    assert_true(json_real_value(json_object_get(
                    json_object_get(json_object_get(rep, "dimensions"), "validity"), "score")) ==
                89.5);
    json_decref(rep);
    khm_buf_dispose(&b);

    /* a frequency the data cannot be judged by: timeliness is left out, the score refreshed */
    json_t *m2 = meta("ไม่ทราบ");
    khm_dataset_input upd = { NULL, NULL, NULL, NULL, m2 };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_dataset_get(tx, &s, "welfare", e.arena), 0);
    assert_int_equal(khm_dataset_update(tx, &s, &upd, s.version, NULL, t0 + DAY, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &s, "welfare", e.arena), 0);
    khm_tx_rollback(tx);
    assert_int_equal(s.quality_score, 90); /* 7165 / 80 */
    assert_true(s.quality_at == t0 + DAY);

    /* the file deleted: no data, no score */
    char trash[4200];
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(
        khm_resource_delete(tx, &s, &r, e.dir, NULL, t0 + 2 * DAY, trash, sizeof(trash)), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_resource_trash_finish(trash, e.dir, sha, 1);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_dataset_get(tx, &s, "welfare", e.arena), 0);
    khm_quality_rec *recs;
    size_t nrecs;
    assert_int_equal(khm_store_quality_list(tx, s.id, &recs, &nrecs, e.arena), 0);
    khm_tx_rollback(tx);
    assert_int_equal(nrecs, 0);
    assert_int_equal(s.quality_score, -1);
    assert_true(s.quality_at == t0 + 2 * DAY);

    json_decref(f);
    json_decref(m);
    json_decref(m2);
    khm_scanner_free(sc);
    khm_test_env_close(&e);
}

/* khm_quality_profile_files() / khm_quality_save_files() (POST …/quality, khomun dataset quality
 * --recompute): files not profiled yet are profiled again from the blob store, a link is passed
 * over, a file whose bytes are missing is kept as "failed", and the score is stored. */
static void test_catalog_quality__recompute_files(void **state)
{
    (void)state;
    khm_test_env e;
    khm_tx *tx;
    khm_dataset d;
    khm_resource_rec r, gone, link, *files;
    size_t nfiles;
    const int64_t t0 = 1700000000000;
    khm_test_env_open(&e);
    json_t *m = meta("เดือน");
    khm_dataset_input din = { "welfare", NULL, NULL, NULL, m };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_dataset_create(tx, &d, &din, e.init.agency.id, NULL, t0 - DAY, e.arena),
                     0);
    /* two files stored without a scan (no profile yet) and a link */
    const char *bodies[] = { defects_csv, "ปี,งบประมาณ\n2567,1000\n" };
    khm_resource_rec *outs[] = { &r, &gone };
    for (int i = 0; i < 2; i++) {
        khm_blob_writer *w;
        assert_int_equal(khm_blob_begin(&w, e.dir, 0), 0);
        assert_int_equal(khm_blob_write(w, bodies[i], strlen(bodies[i])), 0);
        json_t *f = json_pack("{s:s}", "name", i ? "งบ.csv" : "welfare.csv");
        khm_resource_input in = { NULL, NULL, NULL, "text/csv", f };
        assert_int_equal(khm_resource_create(tx, outs[i], &d, &in, w, NULL, NULL, t0, e.arena), 0);
        khm_blob_free(w);
        json_decref(f);
    }
    json_t *lf = json_pack("{s:s, s:s}", "name", "พอร์ทัล", "url", "https://data.go.th/x");
    khm_resource_input lin = { NULL, NULL, NULL, NULL, lf };
    assert_int_equal(khm_resource_create(tx, &link, &d, &lin, NULL, NULL, NULL, t0, e.arena), 0);
    assert_int_equal(khm_resource_list_all(tx, &files, &nfiles, d.id, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(nfiles, 3);
    char path[4096];
    assert_int_equal(khm_blob_path(e.dir, gone.sha256, path, sizeof(path)), 0);
    assert_int_equal(unlink(path), 0);

    khm_quality_item *items;
    size_t n;
    assert_int_equal(khm_quality_profile_files(&items, &n, e.dir, files, nfiles, e.arena), 0);
    assert_int_equal(n, 2); /* the link has no bytes */
    assert_string_equal(items[0].resource_id, r.id);
    check_defects(items[0].q, "utf-8");
    assert_string_equal(items[1].resource_id, gone.id);
    assert_string_equal(items[1].q->status, "failed");
    assert_int_equal(items[1].q->score, -1);

    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_quality_save_files(tx, &d, items, n, t0, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(d.quality_score, 92); /* as the upload of the same file stores it */
    assert_true(d.quality_at == t0);
    khm_quality_rec *recs;
    size_t nrecs;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_quality_list(tx, d.id, &recs, &nrecs, e.arena), 0);
    khm_tx_rollback(tx);
    assert_int_equal(nrecs, 2);

    json_decref(lf);
    json_decref(m);
    khm_test_env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_catalog_quality__dates),
              cmocka_unit_test(test_catalog_quality__recompute_files),
              cmocka_unit_test(test_catalog_quality__values),
              cmocka_unit_test(test_catalog_quality__csv_with_known_defects),
              cmocka_unit_test(test_catalog_quality__tis620_and_gzip),
              cmocka_unit_test(test_catalog_quality__json_lines_and_arrays),
              cmocka_unit_test(test_catalog_quality__other_files),
              cmocka_unit_test(test_catalog_quality__scores),
              cmocka_unit_test(test_catalog_quality__timeliness),
              cmocka_unit_test(test_catalog_quality__dataset_score_stored_and_explained))
