/* Tests for src/lib/catalog/segment.c: Thai word segmentation with libthai on real phrases (the
 * seed document's names and titles), mixed Thai/English/digits, offsets on character
 * boundaries, long runs, invalid UTF-8, folding, the joined form and concurrent use. */
#include "unit.h"

#include <pthread.h>

typedef struct {
    const char *text;
    size_t n;
    khm_buf out; /* tokens joined by '|' */
    size_t count;
    size_t last_end;
    int valid; /* the input is valid UTF-8 (a stray continuation byte may follow a token) */
} seg_acc;

/* Check the contract on every token: inside the input, increasing, not overlapping, starting
 * and ending on UTF-8 character boundaries, valid UTF-8, no longer than the cap. */
static int acc_token(size_t s, size_t e, void *payload)
{
    seg_acc *a = payload;
    assert_true(s < e);
    assert_true(e <= a->n);
    assert_true(s >= a->last_end);
    assert_true(e - s <= KHM_SEG_TOKEN_MAX);
    assert_int_not_equal((unsigned char)a->text[s] & 0xC0, 0x80);
    if (e < a->n && a->valid)
        assert_int_not_equal((unsigned char)a->text[e] & 0xC0, 0x80);
    assert_true(khm_utf8_valid(a->text + s, e - s, NULL));
    a->last_end = e;
    if (a->count++)
        assert_int_equal(khm_buf_putc(&a->out, '|'), 0);
    assert_int_equal(khm_buf_put(&a->out, a->text + s, e - s), 0);
    return 0;
}

/* The tokens of text[0..n) joined by '|' (malloc'd; free it). */
static char *seg_n(const char *text, size_t n, size_t *count)
{
    seg_acc a = { text, n, KHM_BUF_INIT(1 << 24), 0, 0, !n || khm_utf8_valid(text, n, NULL) };
    assert_int_equal(khm_segment(text, n, acc_token, &a), 0);
    assert_int_equal(khm_buf_put(&a.out, "", 0), 0);
    if (count)
        *count = a.count;
    char *s = strdup(a.out.ptr);
    khm_buf_dispose(&a.out);
    return s;
}

static char *seg(const char *text)
{
    return seg_n(text, strlen(text), NULL);
}

#define assert_seg(text, want)             \
    do {                                   \
        char *got_ = seg(text);            \
        assert_string_equal(got_, (want)); \
        free(got_);                        \
    } while (0)

static void test_catalog_segment__compound_word_inside_a_title(void **state)
{
    (void)state;
    /* the example of the issue: งบประมาณ is found inside แผนงบประมาณบูรณาการ */
    assert_seg("แผนงบประมาณบูรณาการ", "แผน|งบประมาณ|บูรณาการ");
    assert_seg("งบประมาณ", "งบประมาณ");
    /* libthai keeps งบประมาณ whole: ประมาณ alone is another word ("about") */
    assert_seg("ประมาณ", "ประมาณ");
}

static void test_catalog_segment__seed_names_and_titles(void **state)
{
    (void)state;
    /* /work/shared/seed/000_a0471fc5ae4c70df.txt: the surname stays one token */
    assert_seg("นางสาวอัจฉรินทร์ พัฒนพันธ์ชัย ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
               "นางสาว|อัจฉรินทร์|พัฒนพันธ์ชัย|ปลัด|กระทรวง|ดิจิทัล|เพื่อ|เศรษฐกิจ|และ|สังคม");
    assert_seg("พัฒนพันธ์ชัย", "พัฒนพันธ์ชัย");
    assert_seg("ประชุมหารือเพื่อเตรียมการจัดทำงบประมาณแผนงานบูรณาการรัฐบาลดิจิทัล",
               "ประชุม|หารือ|เพื่อ|เตรียม|การ|จัด|ทำ|งบประมาณ|แผนงาน|บูรณาการ|รัฐบาล|ดิจิทัล");
    /* ฯ (paiyannoi) ends an abbreviation: not part of the word */
    assert_seg("ปลัดกระทรวงดิจิทัลฯ ประชุม", "ปลัด|กระทรวง|ดิจิทัล|ประชุม");
    /* The limit: names not in libthai's dictionary come out in pieces. The pieces are the same
     * in a title and in a query, so searches still find them (tests/unit/store/fts_thai.c). */
    assert_seg("นายภุชพงค์ โนดไธสง", "นาย|ภุช|พงค์|โน|ดไธสง");
    assert_seg("นายภูเวียง ประคำมินทร์", "นาย|ภู|เวียง|ประคำ|มิ|นทร์");
}

static void test_catalog_segment__mixed_thai_english_digits(void **state)
{
    (void)state;
    assert_seg("budget 2567 งบประมาณ", "budget|2567|งบประมาณ");
    assert_seg("งบประมาณbudget2567", "งบประมาณ|budget2567");
    assert_seg("ISO 27001, NIST-CSF (v1.1)", "ISO|27001|NIST|CSF|v1|1");
    assert_seg("พ.ร.บ.การรักษาความมั่นคงปลอดภัยไซเบอร์ พ.ศ. ๒๕๖๒",
               "พ|ร|บ|การ|รักษา|ความ|มั่นคง|ปลอดภัย|ไซเบอร์|พ|ศ|๒๕๖๒");
    assert_seg("Société Générale × 3", "Société|Générale|3");
    /* ๆ repeats the word before it: a separator here */
    assert_seg("เด็กๆ", "เด็ก");
    /* other scripts, emoji and symbols are ignored */
    assert_seg("日本 😀 ฿100 ✓ข้อมูล", "100|ข้อมูล");
}

static void test_catalog_segment__empty_and_separator_only(void **state)
{
    (void)state;
    size_t count = 99;
    char *s = seg_n(NULL, 0, &count);
    assert_int_equal(count, 0);
    free(s);
    s = seg_n("", 0, &count);
    assert_int_equal(count, 0);
    free(s);
    s = seg_n(" ,.;\"'()*^-:ฯๆ ", strlen(" ,.;\"'()*^-:ฯๆ "), &count);
    assert_int_equal(count, 0);
    free(s);
}

static void test_catalog_segment__invalid_utf8_separates(void **state)
{
    (void)state;
    /* a stray byte, a truncated Thai character, an overlong, a surrogate, a cut at the end */
    static const char bad[] = "งบ\xff"
                              "ประมาณ\xe0\xb8"
                              "abc\xc0\xaf"
                              "def\xed\xa0\x80"
                              "ghi\xe0\xb8";
    char *s = seg_n(bad, sizeof(bad) - 1, NULL);
    assert_string_equal(s, "งบ|ประมาณ|abc|def|ghi");
    free(s);
    /* every byte value at every position of a short buffer: the checks in acc_token hold */
    unsigned char buf[7];
    for (unsigned v = 0; v < 256; v++) {
        static const unsigned char base[7] = { 0xE0, 0xB8, 0x81, 'a', 0xE0, 0xB8, 0x9A };
        for (size_t at = 0; at < sizeof(buf); at++) {
            memcpy(buf, base, sizeof(buf));
            buf[at] = (unsigned char)v;
            for (size_t n = 0; n <= sizeof(buf); n++)
                free(seg_n((const char *)buf, n, NULL));
        }
    }
}

static void test_catalog_segment__not_nul_terminated(void **state)
{
    (void)state;
    /* only n bytes are read: the cut falls inside งบประมาณ and inside "budget" */
    const char *t = "งบประมาณ budget";
    char *s = seg_n(t, 6, NULL);
    assert_string_equal(s, "งบ");
    free(s);
    s = seg_n(t, strlen("งบประมาณ bud"), NULL);
    assert_string_equal(s, "งบประมาณ|bud");
    free(s);
}

static void test_catalog_segment__long_runs(void **state)
{
    (void)state;
    /* 3000 Thai characters without a space: cut in chunks at word breaks, nothing lost */
    khm_buf b = KHM_BUF_INIT(1 << 20);
    for (int i = 0; i < 375; i++)
        assert_int_equal(khm_buf_puts(&b, "งบประมาณ"), 0);
    size_t count = 0;
    char *s = seg_n(b.ptr, b.len, &count);
    assert_int_equal(count, 375);
    assert_non_null(strstr(s, "งบประมาณ|งบประมาณ"));
    assert_null(strstr(s, "งบ|"));
    free(s);
    /* a word over KHM_SEG_TOKEN_MAX bytes is skipped, its neighbours are not */
    khm_buf_reset(&b);
    assert_int_equal(khm_buf_puts(&b, "ก่อน "), 0);
    for (int i = 0; i < KHM_SEG_TOKEN_MAX + 1; i++)
        assert_int_equal(khm_buf_putc(&b, 'x'), 0);
    assert_int_equal(khm_buf_puts(&b, " หลัง"), 0);
    s = seg_n(b.ptr, b.len, NULL);
    assert_string_equal(s, "ก่อน|หลัง");
    free(s);
    /* exactly KHM_SEG_TOKEN_MAX bytes is kept */
    khm_buf_reset(&b);
    for (int i = 0; i < KHM_SEG_TOKEN_MAX; i++)
        assert_int_equal(khm_buf_putc(&b, '7'), 0);
    s = seg_n(b.ptr, b.len, &count);
    assert_int_equal(count, 1);
    free(s);
    khm_buf_dispose(&b);
}

static int stop_at_second(size_t s, size_t e, void *payload)
{
    (void)s;
    (void)e;
    int *calls = payload;
    return ++*calls == 2 ? 42 : 0;
}

static void test_catalog_segment__callback_stops(void **state)
{
    (void)state;
    int calls = 0;
    const char *t = "แผนงบประมาณบูรณาการ budget";
    assert_int_equal(khm_segment(t, strlen(t), stop_at_second, &calls), 42);
    assert_int_equal(calls, 2);
    calls = 0;
    t = "a b c";
    assert_int_equal(khm_segment(t, strlen(t), stop_at_second, &calls), 42);
    assert_int_equal(calls, 2);
}

static void test_catalog_segment__fold(void **state)
{
    (void)state;
    char out[64];
    const char *in[] = { "BuDgeT", "๒๕๖๗", "ÀÉÞ×ß", "งบประมาณ", "ISO27001", "ăĂ" };
    const char *want[] = { "budget", "2567", "àéþ×ß", "งบประมาณ", "iso27001", "ăĂ" };
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        size_t n = khm_segment_fold(in[i], strlen(in[i]), out);
        assert_true(n <= strlen(in[i]));
        out[n] = '\0';
        assert_string_equal(out, want[i]);
    }
}

static void test_catalog_segment__join(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(4096);
    const char *t = "แผนงบประมาณบูรณาการ Budget ๒๕๖๗, ISO-27001";
    assert_int_equal(khm_segment_join(t, strlen(t), &b), 0);
    assert_string_equal(b.ptr, "แผน งบประมาณ บูรณาการ budget 2567 iso 27001");
    khm_buf_dispose(&b);

    /* nothing to index: an empty, NUL-terminated result */
    assert_int_equal(khm_segment_join("...", 3, &b), 0);
    assert_non_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.ptr, "");
    khm_buf_dispose(&b);

    /* the buffer's cap is respected */
    khm_buf small = KHM_BUF_INIT(10);
    assert_int_equal(khm_segment_join(t, strlen(t), &small), KHM_ELIMIT);
    assert_true(small.len <= 10);
    khm_buf_dispose(&small);
}

#define THREADS 4
#define ROUNDS  200

static const char *const mt_text =
    "วันที่ 24 ธันวาคม 2562 นางสาวอัจฉรินทร์ พัฒนพันธ์ชัย ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม "
    "เป็นประธานการประชุมหารือเพื่อเตรียมการจัดทำงบประมาณแผนงานบูรณาการรัฐบาลดิจิทัล ประจำปีงบประมาณ "
    "พ.ศ. 2564 ณ ห้องประชุม MDES ชั้น 9";

/* No cmocka asserts off the main thread: a worker reports a mismatch by its return value. */
static void *mt_worker(void *arg)
{
    const char *want = arg;
    void *bad = NULL;
    khm_buf b = KHM_BUF_INIT(4096);
    for (int i = 0; i < ROUNDS && !bad; i++) {
        khm_buf_reset(&b);
        if (khm_segment_join(mt_text, strlen(mt_text), &b) != 0 || strcmp(b.ptr, want) != 0)
            bad = (void *)1;
    }
    khm_buf_dispose(&b);
    return bad;
}

static void test_catalog_segment__threads_share_the_engine(void **state)
{
    (void)state;
    khm_buf want = KHM_BUF_INIT(4096);
    assert_int_equal(khm_segment_join(mt_text, strlen(mt_text), &want), 0);
    assert_non_null(strstr(want.ptr, " พัฒนพันธ์ชัย "));
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, mt_worker, want.ptr), 0);
    for (int i = 0; i < THREADS; i++) {
        void *r;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_null(r);
    }
    khm_buf_dispose(&want);
}

/* The per-thread cache of short runs (segment.c): 5,000 different runs of real words, so that
 * many share a slot of its 4,096. A fresh thread, whose cache is empty, cuts each once — by
 * libthai, since no run repeats; this thread cuts each twice, the second time mostly from its
 * cache: every cut is the fresh thread's. */
#define CACHE_RUNS (5 * 10 * 4 * 5 * 5)

static void cache_run(size_t k, char *out, size_t cap)
{
    static const char *const a[] = { "สถิติ", "ทะเบียน", "รายงาน", "แผนงาน", "ดัชนี" };
    static const char *const b[] = { "งบประมาณ", "ประชากร", "ผู้ป่วย", "โรงพยาบาล", "นักเรียน",
                                     "เกษตรกร",  "แรงงาน",  "ภาษี",  "ถนน",       "ข้าว" };
    static const char *const c[] = { "ประจำปี", "รายเดือน", "จำแนกตามจังหวัด", "ระดับอำเภอ" };
    static const char *const d[] = { "เชียงใหม่", "ขอนแก่น", "ภูเก็ต", "สงขลา", "น่าน" };
    snprintf(out, cap, "%s%s%s%s%s", a[k % 5], b[k / 5 % 10], c[k / 50 % 4], d[k / 200 % 5],
             a[k / 1000 % 5]);
}

static void *cache_fresh(void *arg)
{
    char **cuts = arg;
    khm_buf b = KHM_BUF_INIT(4096);
    for (size_t k = 0; k < CACHE_RUNS; k++) {
        char run[512];
        cache_run(k, run, sizeof(run));
        khm_buf_reset(&b);
        if (khm_segment_join(run, strlen(run), &b) == 0)
            cuts[k] = strdup(b.ptr);
    }
    khm_buf_dispose(&b);
    return NULL;
}

static void test_catalog_segment__cache_gives_libthai_cuts(void **state)
{
    (void)state;
    char **fresh = calloc(CACHE_RUNS, sizeof(char *));
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, cache_fresh, fresh), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    khm_buf b = KHM_BUF_INIT(4096);
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < CACHE_RUNS; k++) {
            char run[512];
            cache_run(k, run, sizeof(run));
            khm_buf_reset(&b);
            assert_int_equal(khm_segment_join(run, strlen(run), &b), 0);
            assert_non_null(fresh[k]);
            assert_string_equal(b.ptr, fresh[k]);
        }
    /* a cached run inside other text is cut the same */
    char run[512], text[600];
    cache_run(7, run, sizeof(run));
    snprintf(text, sizeof(text), "รหัส 2564 %s.", run);
    khm_buf_reset(&b);
    assert_int_equal(khm_segment_join(text, strlen(text), &b), 0);
    char want[1200];
    snprintf(want, sizeof(want), "รหัส 2564 %s", fresh[7]);
    assert_string_equal(b.ptr, want);
    khm_buf_dispose(&b);
    for (size_t k = 0; k < CACHE_RUNS; k++)
        free(fresh[k]);
    free(fresh);
    assert_seg("พัฒนพันธ์ชัย", "พัฒนพันธ์ชัย");
    assert_seg("พัฒนพันธ์ชัย", "พัฒนพันธ์ชัย"); /* (the second from the cache) */
}

KHM_UNIT_MAIN(cmocka_unit_test(test_catalog_segment__compound_word_inside_a_title),
              cmocka_unit_test(test_catalog_segment__seed_names_and_titles),
              cmocka_unit_test(test_catalog_segment__mixed_thai_english_digits),
              cmocka_unit_test(test_catalog_segment__empty_and_separator_only),
              cmocka_unit_test(test_catalog_segment__invalid_utf8_separates),
              cmocka_unit_test(test_catalog_segment__not_nul_terminated),
              cmocka_unit_test(test_catalog_segment__long_runs),
              cmocka_unit_test(test_catalog_segment__callback_stops),
              cmocka_unit_test(test_catalog_segment__fold),
              cmocka_unit_test(test_catalog_segment__join),
              cmocka_unit_test(test_catalog_segment__threads_share_the_engine),
              cmocka_unit_test(test_catalog_segment__cache_gives_libthai_cuts))
