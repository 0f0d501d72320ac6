/* Tests for src/lib/scan/json.c: paths of nested values, every scalar kind, whitespace anywhere,
 * the same values (at the same absolute offsets) however the input is split into blocks, long
 * strings in pieces, JSON Lines with bad lines, errors, and unescaping Thai "\u0e19…" strings. */
#include "helpers.h"

typedef struct {
    char path[KHM_JSONR_MAX_PATH + 1];
    char text[1200];
    uint64_t start, end; /* absolute */
    int kind, escaped, partial;
    int64_t record;
} val;

typedef struct {
    val v[512];
    size_t n;
    const char *buf; /* the buffer of the current call */
    uint64_t base;   /* its absolute offset */
    size_t stop_at;  /* stop after this many values (0: never) */
} vals;

static int collect(const khm_json_value *jv, void *payload)
{
    vals *vs = payload;
    assert_true(vs->n < sizeof(vs->v) / sizeof(vs->v[0]));
    assert_true(jv->start <= jv->end);
    assert_int_equal(strlen(jv->path), jv->path_len);
    val *v = &vs->v[vs->n++];
    memset(v, 0, sizeof(*v));
    snprintf(v->path, sizeof(v->path), "%s", jv->path);
    snprintf(v->text, sizeof(v->text), "%.*s", (int)(jv->end - jv->start), vs->buf + jv->start);
    v->start = vs->base + jv->start;
    v->end = vs->base + jv->end;
    v->kind = (int)jv->kind;
    v->escaped = jv->escaped;
    v->partial = jv->partial;
    v->record = jv->record;
    return vs->stop_at && vs->n == vs->stop_at;
}

/* Feed in[0..n) as a caller with a cap-byte buffer would, appending chunks whose sizes come from
 * chunk(k) (0: as much as fits). Returns 0, or -1 after a reader error. */
static int feed(khm_jsonr *r, const char *in, size_t n, size_t cap, size_t (*chunk)(size_t),
                vals *vs)
{
    char *buf = malloc(cap ? cap : 1);
    size_t kept = 0, pos = 0;
    uint64_t base = 0;
    assert_non_null(buf);
    for (size_t k = 0;; k++) {
        assert_true(k < 100000);
        size_t c = chunk ? chunk(k) : cap;
        if (c > cap - kept)
            c = cap - kept;
        if (c > n - pos)
            c = n - pos;
        memcpy(buf + kept, in + pos, c);
        pos += c;
        kept += c;
        int final = pos == n;
        vs->buf = buf;
        vs->base = base;
        int64_t used = khm_jsonr_feed(r, buf, kept, cap, final, collect, vs);
        if (used < 0) {
            free(buf);
            return -1;
        }
        assert_true((size_t)used <= kept);
        memmove(buf, buf + used, kept - (size_t)used);
        kept -= (size_t)used;
        base += (uint64_t)used;
        int stopped = vs->stop_at && vs->n == vs->stop_at;
        if (stopped)
            vs->stop_at = 0; /* resume after the stop */
        else if (final && kept == 0)
            break;
    }
    assert_int_equal(base, n);
    free(buf);
    return 0;
}

static int parse(int lines, const char *in, vals *vs)
{
    khm_jsonr *r;
    assert_int_equal(khm_jsonr_new(&r, lines), 0);
    memset(vs, 0, sizeof(*vs));
    int rc = feed(r, in, strlen(in), 1 << 16, NULL, vs);
    khm_jsonr_free(r);
    return rc;
}

static void expect(const vals *vs, size_t k, const char *path, const char *text, int kind)
{
    assert_true(k < vs->n);
    assert_string_equal(vs->v[k].path, path);
    assert_string_equal(vs->v[k].text, text);
    assert_int_equal(vs->v[k].kind, kind);
}

static void same_values(const vals *a, const vals *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t k = 0; k < a->n; k++) {
        assert_string_equal(a->v[k].path, b->v[k].path);
        assert_string_equal(a->v[k].text, b->v[k].text);
        assert_int_equal(a->v[k].start, b->v[k].start);
        assert_int_equal(a->v[k].end, b->v[k].end);
        assert_int_equal(a->v[k].kind, b->v[k].kind);
        assert_int_equal(a->v[k].escaped, b->v[k].escaped);
        assert_int_equal(a->v[k].record, b->v[k].record);
        assert_int_equal(a->v[k].partial, b->v[k].partial);
    }
}

static const char doc[] =
    "{\"person\":{\"name\":\"สมชาย ใจดี\",\"phone\":\"081-234-5678\",\"tags\":[\"a\",\"b\"],"
    "\"age\":42,\"ok\":true,\"x\":null,\"f\":false,\"e\":{},\"z\":[]},"
    "\"items\":[{\"phone\":\"02-123-4567\"},{\"phone\":\"1\",\"n\":[[1,-1.5e10]]}],"
    "\"th\":\"\\u0e19\\u0e32\\u0e22\",\"ชื่อ\":\"x\",\"k\\u0e01\":0}";

static void check_doc(const vals *vs)
{
    expect(vs, 0, "$.person.name", "สมชาย ใจดี", KHM_JV_STRING);
    expect(vs, 1, "$.person.phone", "081-234-5678", KHM_JV_STRING);
    expect(vs, 2, "$.person.tags[]", "a", KHM_JV_STRING);
    expect(vs, 3, "$.person.tags[]", "b", KHM_JV_STRING);
    expect(vs, 4, "$.person.age", "42", KHM_JV_NUMBER);
    expect(vs, 5, "$.person.ok", "true", KHM_JV_LITERAL);
    expect(vs, 6, "$.person.x", "null", KHM_JV_LITERAL);
    expect(vs, 7, "$.person.f", "false", KHM_JV_LITERAL);
    expect(vs, 8, "$.items[].phone", "02-123-4567", KHM_JV_STRING);
    expect(vs, 9, "$.items[].phone", "1", KHM_JV_STRING);
    expect(vs, 10, "$.items[].n[][]", "1", KHM_JV_NUMBER);
    expect(vs, 11, "$.items[].n[][]", "-1.5e10", KHM_JV_NUMBER);
    expect(vs, 12, "$.th", "\\u0e19\\u0e32\\u0e22", KHM_JV_STRING);
    assert_true(vs->v[12].escaped);
    assert_false(vs->v[0].escaped);
    expect(vs, 13, "$.ชื่อ", "x", KHM_JV_STRING);
    expect(vs, 14, "$.kก", "0", KHM_JV_NUMBER); /* keys are unescaped into the path */
    assert_int_equal(vs->n, 15);
    for (size_t k = 0; k < vs->n; k++)
        assert_int_equal(vs->v[k].record, 0);
}

static void test_scan_json__paths_and_kinds(void **state)
{
    (void)state;
    static vals vs;
    assert_int_equal(parse(0, doc, &vs), 0);
    check_doc(&vs);
    /* offsets: the content of a string, inside its quotes */
    const char *at = strstr(doc, "081-");
    assert_int_equal(vs.v[1].start, (uint64_t)(at - doc));
    assert_int_equal(vs.v[1].end, vs.v[1].start + 12);
    assert_int_equal(doc[vs.v[1].start - 1], '"');
    assert_int_equal(doc[vs.v[1].end], '"');

    /* whitespace and newlines anywhere */
    static const char pretty[] =
        " \r\n{ \"person\" :\n\t{\"name\"\n:\"สมชาย ใจดี\" , \"phone\": \"081-234-5678\",\n"
        "\"tags\" : [ \"a\" ,\n\"b\" ] , \"age\" : 42 , \"ok\":true ,\"x\" :null,\"f\":false\n,"
        "\"e\" : { } , \"z\" : [ ] } ,\r\n \"items\" : [ { \"phone\" : \"02-123-4567\" } ,"
        " { \"phone\":\"1\" , \"n\" : [ [ 1 , -1.5e10 ] ] } ] , \"th\" : "
        "\"\\u0e19\\u0e32\\u0e22\" , \"ชื่อ\":\"x\",\"k\\u0e01\" : 0 } \n\n";
    static vals vp;
    assert_int_equal(parse(0, pretty, &vp), 0);
    check_doc(&vp);
}

static void test_scan_json__top_level(void **state)
{
    (void)state;
    static vals vs;
    assert_int_equal(parse(0, "\"เลขบัตร\"", &vs), 0);
    assert_int_equal(vs.n, 1);
    expect(&vs, 0, "$", "เลขบัตร", KHM_JV_STRING);
    assert_int_equal(vs.v[0].start, 1);
    assert_int_equal(parse(0, "42", &vs), 0); /* a number that ends the input */
    expect(&vs, 0, "$", "42", KHM_JV_NUMBER);
    assert_int_equal(parse(0, " null ", &vs), 0);
    expect(&vs, 0, "$", "null", KHM_JV_LITERAL);
    /* concatenated top-level values are records */
    assert_int_equal(parse(0, "1 \"a\"\n[true]{\"k\":[false]}", &vs), 0);
    assert_int_equal(vs.n, 4);
    expect(&vs, 2, "$[]", "true", KHM_JV_LITERAL);
    expect(&vs, 3, "$.k[]", "false", KHM_JV_LITERAL);
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(vs.v[k].record, (int64_t)k);
    /* a control character escaped in a key (found by the fuzzer) */
    assert_int_equal(parse(0, "{\"a\\u0000b\\nc\":1}", &vs), 0);
    expect(&vs, 0, "$.a?b?c", "1", KHM_JV_NUMBER);
    /* empty input, whitespace only, empty containers */
    assert_int_equal(parse(0, "", &vs), 0);
    assert_int_equal(vs.n, 0);
    assert_int_equal(parse(0, " \n\t\r\n", &vs), 0);
    assert_int_equal(vs.n, 0);
    assert_int_equal(parse(0, "{}[]{\"a\":{}}", &vs), 0);
    assert_int_equal(vs.n, 0);
}

static void test_scan_json__numbers(void **state)
{
    (void)state;
    static vals vs;
    assert_int_equal(parse(0, "[-1.5e10,0,-0,1E+2,0.5,12.25e-3,100]", &vs), 0);
    assert_int_equal(vs.n, 7);
    expect(&vs, 0, "$[]", "-1.5e10", KHM_JV_NUMBER);
    expect(&vs, 3, "$[]", "1E+2", KHM_JV_NUMBER);
    expect(&vs, 5, "$[]", "12.25e-3", KHM_JV_NUMBER);
    static const char *const bad[] = { "[01]",    "[1.]",  "[-]",     "[1e]",  "[.5]",   "[+1]",
                                       "[1.5.2]", "[tru]", "[truex]", "[nul]", "[True]", "[1x]" };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        khm_err_clear();
        assert_int_equal(parse(0, bad[k], &vs), -1);
        assert_int_equal(khm_err_last()->code, KHM_EINVALID);
    }
    khm_err_clear();
}

static void test_scan_json__errors(void **state)
{
    (void)state;
    static vals vs;
    static const char *const bad[] = {
        "{\"a\":1",   "{\"a\":\"b",     "[1,2",        "{\"a\"", "{\"a\" 1}",
        "{\"a\":1,}", "[1,]",           "[,1]",        "{1:2}",  "}",
        "\"a\nb\"",   "\"\\x\"",        "\"\\u12G4\"", "[1 2]",  "{\"a\":1 \"b\":2}",
        "\"abc",      "\xEF\xBB\xBF{}", /* a BOM is the caller's to skip */
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        khm_err_clear();
        assert_int_equal(parse(0, bad[k], &vs), -1);
        assert_int_equal(khm_err_last()->code, KHM_EINVALID);
    }
    /* the message names the path, the line and the offset */
    khm_err_clear();
    assert_int_equal(parse(0, "{\"person\": {\n  \"phone\": 08x\n}}", &vs), -1);
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    assert_int_equal(nf, 1);
    assert_string_equal(fe[0].field, "$.person.phone");
    assert_non_null(strstr(fe[0].message, "line 2"));
    assert_non_null(strstr(fe[0].message, "byte offset 24"));
    assert_true(strlen(fe[0].message_th) > 0);
    assert_non_null(strstr(khm_err_last()->message, "line 2"));
    /* truncated input at the end */
    khm_err_clear();
    assert_int_equal(parse(0, "{\"a\":[1,\n", &vs), -1);
    assert_non_null(strstr(khm_err_last()->message, "input ends"));
    assert_non_null(strstr(khm_err_last()->message, "line 2"));
    /* a dead reader stays dead */
    khm_jsonr *r;
    assert_int_equal(khm_jsonr_new(&r, 0), 0);
    assert_int_equal(khm_jsonr_feed(r, "]", 1, 64, 0, collect, &vs), -1);
    assert_int_equal(khm_jsonr_feed(r, "1", 1, 64, 1, collect, &vs), -1);
    khm_jsonr_free(r);
    khm_jsonr_free(NULL);
    khm_err_clear();
}

static void test_scan_json__depth(void **state)
{
    (void)state;
    static vals vs;
    char deep[256];
    size_t k = 0;
    for (int d = 0; d < KHM_JSONR_MAX_DEPTH; d++)
        deep[k++] = '[';
    deep[k++] = '7';
    for (int d = 0; d < KHM_JSONR_MAX_DEPTH; d++)
        deep[k++] = ']';
    deep[k] = 0;
    assert_int_equal(parse(0, deep, &vs), 0);
    assert_int_equal(vs.n, 1);
    assert_int_equal(strlen(vs.v[0].path), 1 + 2 * KHM_JSONR_MAX_DEPTH);
    memmove(deep + 1, deep, k + 1);
    deep[0] = '[';
    khm_err_clear();
    assert_int_equal(parse(0, deep, &vs), -1);
    assert_non_null(strstr(khm_err_last()->message, "deeper"));
    khm_err_clear();
    /* in JSON Lines the deep line is bad, the next one is read */
    char lines[300];
    snprintf(lines, sizeof(lines), "%s\n{\"a\":1}\n", deep);
    khm_jsonr *r;
    assert_int_equal(khm_jsonr_new(&r, 1), 0);
    memset(&vs, 0, sizeof(vs));
    assert_int_equal(feed(r, lines, strlen(lines), 1024, NULL, &vs), 0);
    assert_int_equal(khm_jsonr_bad_lines(r), 1);
    assert_int_equal(khm_jsonr_first_bad_line(r), 1);
    assert_int_equal(vs.n, 1);
    expect(&vs, 0, "$.a", "1", KHM_JV_NUMBER);
    assert_int_equal(vs.v[0].record, 1);
    khm_jsonr_free(r);
}

static void test_scan_json__lines(void **state)
{
    (void)state;
    static const char in[] = "{\"name\":\"สมชาย\",\"id\":\"1-2345-67890-12-1\"}\n"
                             "{\"name\":\"bad\",\n"      /* line 2: ends inside the object */
                             "{\"name\":\"ok3\"}\r\n"    /* line 3 */
                             "\n"                        /* line 4: blank */
                             "[1,2,}\n"                  /* line 5: bad */
                             "\"top\" 5\n"               /* line 6: two values */
                             "  {\"a\":[\"x\",\"y\"]}  " /* line 7, no newline at the end */
        ;
    khm_jsonr *r;
    static vals vs;
    assert_int_equal(khm_jsonr_new(&r, 1), 0);
    memset(&vs, 0, sizeof(vs));
    assert_int_equal(feed(r, in, strlen(in), 4096, NULL, &vs), 0);
    assert_int_equal(khm_jsonr_bad_lines(r), 3);
    assert_int_equal(khm_jsonr_first_bad_line(r), 2);
    /* values of bad lines before the error stand */
    expect(&vs, 0, "$.name", "สมชาย", KHM_JV_STRING);
    expect(&vs, 1, "$.id", "1-2345-67890-12-1", KHM_JV_STRING);
    expect(&vs, 2, "$.name", "bad", KHM_JV_STRING);
    expect(&vs, 3, "$.name", "ok3", KHM_JV_STRING);
    expect(&vs, 4, "$[]", "1", KHM_JV_NUMBER);
    expect(&vs, 5, "$[]", "2", KHM_JV_NUMBER);
    expect(&vs, 6, "$", "top", KHM_JV_STRING);
    expect(&vs, 7, "$.a[]", "x", KHM_JV_STRING);
    expect(&vs, 8, "$.a[]", "y", KHM_JV_STRING);
    assert_int_equal(vs.n, 9);
    static const int64_t rec[] = { 0, 0, 1, 2, 4, 4, 5, 6, 6 };
    for (size_t k = 0; k < vs.n; k++)
        assert_int_equal(vs.v[k].record, rec[k]);
    khm_jsonr_free(r);

    /* a last line cut off by the end of input is bad */
    assert_int_equal(khm_jsonr_new(&r, 1), 0);
    memset(&vs, 0, sizeof(vs));
    assert_int_equal(feed(r, "{\"a\":1}\n{\"a\":", 13, 64, NULL, &vs), 0);
    assert_int_equal(khm_jsonr_bad_lines(r), 1);
    assert_int_equal(khm_jsonr_first_bad_line(r), 2);
    khm_jsonr_free(r);
}

static size_t one(size_t k)
{
    (void)k;
    return 1;
}

static uint32_t rnd_state;
static size_t rnd(size_t k)
{
    (void)k;
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) % 40;
}

static void test_scan_json__splits(void **state)
{
    (void)state;
    static vals whole, part;
    static const char jl[] = "{\"n\":\"\\u0e19\\u0e32\\u0e22 \\ud83d\\ude00\",\"v\":[1.5e3,true]}\n"
                             "{\"bad\" 1}\n"
                             "{\"n\":\"x\\\"y\\\\\",\"o\":{\"p\":null}}\n";
    for (int lines = 0; lines <= 1; lines++) {
        const char *in = lines ? jl : doc;
        size_t n = strlen(in);
        khm_jsonr *r;
        assert_int_equal(parse(lines, in, &whole), 0);
        assert_true(whole.n >= 5);
        /* every split point, as two blocks */
        for (size_t s = 0; s <= n; s++) {
            assert_int_equal(khm_jsonr_new(&r, lines), 0);
            memset(&part, 0, sizeof(part));
            char *buf = malloc(n + 1);
            memcpy(buf, in, s);
            part.buf = buf;
            int64_t used = khm_jsonr_feed(r, buf, s, 4096, 0, collect, &part);
            assert_true(used >= 0 && (size_t)used <= s);
            memmove(buf, buf + used, s - (size_t)used);
            memcpy(buf + s - (size_t)used, in + s, n - s);
            part.base = (uint64_t)used;
            assert_int_equal(khm_jsonr_feed(r, buf, n - (size_t)used, 4096, 1, collect, &part),
                             (int64_t)(n - (size_t)used));
            same_values(&whole, &part);
            free(buf);
            khm_jsonr_free(r);
        }
        /* one byte at a time, and random chunks */
        assert_int_equal(khm_jsonr_new(&r, lines), 0);
        memset(&part, 0, sizeof(part));
        assert_int_equal(feed(r, in, n, 4096, one, &part), 0);
        same_values(&whole, &part);
        khm_jsonr_free(r);
        for (rnd_state = 1; rnd_state < 50; rnd_state++) {
            assert_int_equal(khm_jsonr_new(&r, lines), 0);
            memset(&part, 0, sizeof(part));
            assert_int_equal(feed(r, in, n, 4096, rnd, &part), 0);
            same_values(&whole, &part);
            khm_jsonr_free(r);
        }
        /* a callback that stops after each value: resumed, the same values */
        for (size_t stop = 1; stop <= whole.n; stop++) {
            assert_int_equal(khm_jsonr_new(&r, lines), 0);
            memset(&part, 0, sizeof(part));
            part.stop_at = stop;
            assert_int_equal(feed(r, in, n, 4096, NULL, &part), 0);
            same_values(&whole, &part);
            khm_jsonr_free(r);
        }
    }
}

static void test_scan_json__long_strings(void **state)
{
    (void)state;
    static vals vs;
    static char in[10000], s[4096];
    size_t n = 0;
    /* a Thai address with escapes, 1.5 KB, in a buffer of 64 bytes */
    while (n < 1500) {
        const char *w = n % 7 == 3 ? "\\u0e19\\u0e32\\u0e22\\n" : "บ้านเลขที่ 99/1 ";
        memcpy(s + n, w, strlen(w));
        n += strlen(w);
    }
    s[n] = 0;
    snprintf(in, sizeof(in), "{\"addr\":\"%s\",\"next\":[\"ok\",\"%s\"]}", s, s);
    for (size_t cap = 64; cap <= 256; cap += 37) {
        for (int chunked = 0; chunked <= 1; chunked++) {
            khm_jsonr *r;
            assert_int_equal(khm_jsonr_new(&r, 0), 0);
            memset(&vs, 0, sizeof(vs));
            rnd_state = (uint32_t)cap;
            assert_int_equal(feed(r, in, strlen(in), cap, chunked ? rnd : NULL, &vs), 0);
            khm_jsonr_free(r);
            /* pieces: 1, 1, …, 2, then "ok", then pieces again; together the whole string */
            static char joined[4096];
            size_t k = 0;
            for (int which = 0; which < 2; which++) {
                size_t jn = 0;
                uint64_t next = vs.v[k].start;
                assert_string_equal(vs.v[k].path, which ? "$.next[]" : "$.addr");
                for (;;) {
                    assert_true(k < vs.n);
                    const val *v = &vs.v[k++];
                    assert_int_equal(v->start, next); /* contiguous */
                    assert_true(v->end - v->start <= cap);
                    assert_true(khm_utf8_valid(v->text, strlen(v->text), NULL));
                    memcpy(joined + jn, v->text, strlen(v->text));
                    jn += strlen(v->text);
                    next = v->end;
                    if (v->partial != 1) {
                        assert_int_equal(v->partial, 2);
                        break;
                    }
                }
                assert_int_equal(jn, n);
                assert_memory_equal(joined, s, n);
                if (!which) {
                    expect(&vs, k, "$.next[]", "ok", KHM_JV_STRING);
                    assert_int_equal(vs.v[k].partial, 0);
                    k++;
                }
            }
            assert_int_equal(k, vs.n);
        }
    }
    /* a key longer than the buffer: cut into the path, at most KHM_JSONR_MAX_PATH bytes */
    n = 0;
    while (n < 900)
        n += (size_t)snprintf(in + n, sizeof(in) - n, "%s", n ? "ชื่อ" : "{\"");
    snprintf(in + n, sizeof(in) - n, "\":{\"phone\":\"0812345678\"},\"b\":1}");
    khm_jsonr *r;
    assert_int_equal(khm_jsonr_new(&r, 0), 0);
    memset(&vs, 0, sizeof(vs));
    assert_int_equal(feed(r, in, strlen(in), 100, NULL, &vs), 0);
    khm_jsonr_free(r);
    assert_int_equal(vs.n, 2);
    assert_true(strlen(vs.v[0].path) <= KHM_JSONR_MAX_PATH);
    assert_true(strlen(vs.v[0].path) > KHM_JSONR_MAX_PATH - 4);
    assert_true(khm_utf8_valid(vs.v[0].path, strlen(vs.v[0].path), NULL));
    assert_memory_equal(vs.v[0].path, "$.ชื่อชื่อ", strlen("$.ชื่อชื่อ"));
    assert_string_equal(vs.v[0].text, "0812345678");
    expect(&vs, 1, "$.b", "1", KHM_JV_NUMBER);
    /* a number longer than the buffer is an error */
    memset(in, '1', 200);
    in[200] = 0;
    assert_int_equal(khm_jsonr_new(&r, 0), 0);
    memset(&vs, 0, sizeof(vs));
    khm_err_clear();
    assert_int_equal(feed(r, in, 200, 64, NULL, &vs), -1);
    khm_jsonr_free(r);
    khm_err_clear();
}

static void test_scan_json__unescape(void **state)
{
    (void)state;
    char out[64];
    uint32_t map[64];
    const char *s = "\\u0e19\\u0e32\\u0e22 A";
    size_t n = khm_json_unescape(s, strlen(s), out, map);
    assert_int_equal(n, 11);
    assert_memory_equal(out, "นาย A", 11);
    assert_int_equal(map[0], 0);
    assert_int_equal(map[2], 0);
    assert_int_equal(map[3], 6);
    assert_int_equal(map[6], 12);
    assert_int_equal(map[9], 18);
    assert_int_equal(map[10], 19);
    s = "a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t";
    n = khm_json_unescape(s, strlen(s), out, NULL);
    assert_int_equal(n, 12);
    assert_memory_equal(out, "a\"b\\c/d\b\f\n\r\t", 12);
    s = "\\ud83d\\ude00!"; /* a surrogate pair */
    n = khm_json_unescape(s, strlen(s), out, map);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "😀!", 5);
    assert_int_equal(map[3], 0);
    assert_int_equal(map[4], 12);
    s = "\\ud83dx\\ude00\\ud83d"; /* lone surrogates */
    n = khm_json_unescape(s, strlen(s), out, NULL);
    assert_int_equal(n, 10);
    assert_memory_equal(out, "\xEF\xBF\xBDx\xEF\xBF\xBD\xEF\xBF\xBD", 10);
    s = "\\x\\u12\\"; /* malformed escapes are copied as written */
    n = khm_json_unescape(s, strlen(s), out, NULL);
    assert_int_equal(n, strlen(s));
    assert_memory_equal(out, s, n);
    assert_int_equal(khm_json_unescape("", 0, out, NULL), 0);
    /* never longer than the input */
    s = "\\u0041\\u00e9\\u0e01\\ud800\\udc00";
    n = khm_json_unescape(s, strlen(s), out, NULL);
    assert_int_equal(n, 1 + 2 + 3 + 4);
    assert_memory_equal(out, "Aéก\xF0\x90\x80\x80", n);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_json__paths_and_kinds),
              cmocka_unit_test(test_scan_json__top_level),
              cmocka_unit_test(test_scan_json__numbers), cmocka_unit_test(test_scan_json__errors),
              cmocka_unit_test(test_scan_json__depth), cmocka_unit_test(test_scan_json__lines),
              cmocka_unit_test(test_scan_json__splits),
              cmocka_unit_test(test_scan_json__long_strings),
              cmocka_unit_test(test_scan_json__unescape))
