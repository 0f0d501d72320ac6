/* Tests for src/lib/scan/csv.c: quoting, embedded newlines, CRLF, ragged rows, exact offsets,
 * header detection and delimiter sniffing. */
#include "helpers.h"

typedef struct {
    khm_csv_cell c[64];
    size_t n;
} cells;

static void read_all(const char *s, char delim, cells *out)
{
    khm_csv r;
    out->n = 0;
    khm_csv_init(&r, s, strlen(s), delim);
    while (out->n < 64 && khm_csv_next(&r, &out->c[out->n]))
        out->n++;
}

static void expect(const char *s, const khm_csv_cell *c, int64_t row, size_t col, const char *text)
{
    assert_int_equal(c->row, row);
    assert_int_equal(c->col, col);
    assert_int_equal(c->end - c->start, strlen(text));
    assert_memory_equal(s + c->start, text, strlen(text));
}

static void test_scan_csv__plain(void **state)
{
    (void)state;
    const char *s = "a,b,c\n1,2,3\n";
    cells cs;
    read_all(s, ',', &cs);
    assert_int_equal(cs.n, 6);
    expect(s, &cs.c[0], 0, 0, "a");
    expect(s, &cs.c[2], 0, 2, "c");
    assert_true(cs.c[2].last);
    expect(s, &cs.c[3], 1, 0, "1");
    assert_int_equal(cs.c[3].start, 6);
    assert_int_equal(cs.c[5].end, 11);
}

static void test_scan_csv__quotes_and_newlines(void **state)
{
    (void)state;
    const char *s = "name,note\r\n\"Somchai, J\",\"line1\nline2 \"\"q\"\"\"\r\nx,\"\"\n";
    cells cs;
    read_all(s, ',', &cs);
    assert_int_equal(cs.n, 6);
    expect(s, &cs.c[2], 1, 0, "Somchai, J");
    assert_true(cs.c[2].quoted);
    expect(s, &cs.c[3], 1, 1, "line1\nline2 \"\"q\"\"");
    assert_true(cs.c[3].last);
    expect(s, &cs.c[4], 2, 0, "x");
    expect(s, &cs.c[5], 2, 1, "");
    assert_int_equal(cs.c[2].start, strlen("name,note\r\n\""));
}

static void test_scan_csv__ragged_and_edges(void **state)
{
    (void)state;
    cells cs;
    const char *s = "a,b,c\n1\n1,2,3,4\n,\n";
    read_all(s, ',', &cs);
    assert_int_equal(cs.n, 3 + 1 + 4 + 2);
    expect(s, &cs.c[3], 1, 0, "1");
    assert_true(cs.c[3].last);
    expect(s, &cs.c[7], 2, 3, "4");
    expect(s, &cs.c[8], 3, 0, "");
    expect(s, &cs.c[9], 3, 1, "");
    read_all("", ',', &cs);
    assert_int_equal(cs.n, 0);
    const char *u = "\"unclosed,x\ny";
    read_all(u, ',', &cs);
    assert_int_equal(cs.n, 1);
    expect(u, &cs.c[0], 0, 0, "unclosed,x\ny");
    const char *b = "\xEF\xBB\xBFh1\tวันที่\nv\tw"; /* BOM skipped, TSV */
    read_all(b, '\t', &cs);
    assert_int_equal(cs.n, 4);
    expect(b, &cs.c[0], 0, 0, "h1");
    assert_int_equal(cs.c[0].start, 3);
    const char *j = "\"a\"junk,b\n"; /* junk after a closing quote is dropped */
    read_all(j, ',', &cs);
    assert_int_equal(cs.n, 2);
    expect(j, &cs.c[0], 0, 0, "a");
    expect(j, &cs.c[1], 0, 1, "b");
}

static void test_scan_csv__header(void **state)
{
    (void)state;
    const char *h = "ชื่อ,เลขประจำตัวประชาชน,email\nก,1,a@b.co\n";
    assert_true(khm_csv_has_header(h, strlen(h), ','));
    assert_false(khm_csv_has_header("1,2\n3,4\n", 8, ','));
    assert_false(khm_csv_has_header("a,,c\n", 5, ','));
    assert_false(khm_csv_has_header("a@b.co,x\n", 9, ','));
    assert_false(khm_csv_has_header("", 0, ','));
}

static void test_scan_csv__sniff(void **state)
{
    (void)state;
    assert_int_equal(khm_csv_sniff("a,b\n1,2\n", 8), ',');
    assert_int_equal(khm_csv_sniff("a\tb\n1\t2\n", 8), '\t');
    assert_int_equal(khm_csv_sniff("a;b;c\n1;2;3\n", 12), ';');
    const char *q = "\"x,y\",b\n1,2\n";
    assert_int_equal(khm_csv_sniff(q, strlen(q)), ',');
    const char *t = "ประโยค, ที่หนึ่ง\nไม่มีจุลภาค\n";
    assert_int_equal(khm_csv_sniff(t, strlen(t)), 0);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_csv__plain),
              cmocka_unit_test(test_scan_csv__quotes_and_newlines),
              cmocka_unit_test(test_scan_csv__ragged_and_edges),
              cmocka_unit_test(test_scan_csv__header), cmocka_unit_test(test_scan_csv__sniff))
