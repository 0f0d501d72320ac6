/* Tests for src/lib/store/fts_thai.c: the FTS5 tokenizer "thai" in a real SQLite database
 * opened through the store (registered on every connection, read-only ones too), searches with
 * Thai and English titles including the seed document's phrases, bm25 ranking, and
 * khm_fts_query() turning hostile input into safe MATCH expressions, and khm_ts_query() into
 * the same words as a PostgreSQL tsquery. */
#include "unit.h"

#include "store_internal.h"

/* The titles searched below; rowid = index + 1. */
static const char *const titles[] = {
    /* 1 */ "แผนงบประมาณบูรณาการรัฐบาลดิจิทัล ประจำปีงบประมาณ พ.ศ. 2564",
    /* 2 */ "Integrated Digital Government Plan: budget preparation FY2021",
    /* 3 */ "นางสาวอัจฉรินทร์ พัฒนพันธ์ชัย ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
    /* 4 */ "ประมาณการรายได้ของกระทรวง",
    /* 5 */ "ทะเบียนผู้ป่วยโรคเบาหวาน (health register)",
    /* 6 */ "Budget table งบประมาณรายจ่าย ๒๕๖๗ budgets",
    /* 7 */ "นายภุชพงค์ โนดไธสง รองปลัดกระทรวงดิจิทัลฯ",
    /* 8 */ "พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 (PDPA) และ Data Protection Officer",
};
#define NTITLES (sizeof(titles) / sizeof(titles[0]))

static khm_conn *conn(khm_tx *tx)
{
    return tx->slot->conn;
}

static void exec(khm_tx *tx, const char *sql)
{
    if (tx->s->drv->exec(conn(tx), sql) != 0)
        fail_msg("%s: %s", sql, khm_err_last()->message);
}

static void fill(khm_test_env *e)
{
    khm_tx *tx;
    khm_stmt *st;
    assert_int_equal(khm_tx_begin(&tx, e->store, 1), 0);
    exec(tx, "CREATE VIRTUAL TABLE docs USING fts5(title, tokenize = 'thai')");
    assert_int_equal(
        tx->s->drv->prepare(conn(tx), "INSERT INTO docs(rowid, title) VALUES (?, ?)", &st), 0);
    for (size_t i = 0; i < NTITLES; i++) {
        tx->s->drv->reset(st);
        assert_int_equal(tx->s->drv->bind_int64(st, 1, (int64_t)i + 1), 0);
        assert_int_equal(tx->s->drv->bind_text(st, 2, titles[i]), 0);
        assert_int_equal(tx->s->drv->step(st), 0);
    }
    tx->s->drv->finalize(st);
    assert_int_equal(khm_tx_commit(tx), 0);
}

/* Run @p sql with the MATCH expression of @p q bound to ?1 and return the first column of
 * each row joined by ',' (in @p a). */
static const char *rows(khm_tx *tx, const char *sql, const char *q, khm_arena *a)
{
    khm_buf m = KHM_BUF_INIT(4096), out = KHM_BUF_INIT(4096);
    khm_stmt *st;
    if (khm_fts_query(q, &m) != 0)
        fail_msg("khm_fts_query(%s): %s", q, khm_err_last()->message);
    assert_int_equal(tx->s->drv->prepare(conn(tx), sql, &st), 0);
    assert_int_equal(tx->s->drv->bind_text(st, 1, m.ptr), 0);
    int rc;
    assert_int_equal(khm_buf_put(&out, "", 0), 0);
    while ((rc = tx->s->drv->step(st)) == 1) {
        if (out.len)
            assert_int_equal(khm_buf_putc(&out, ','), 0);
        assert_int_equal(khm_buf_puts(&out, tx->s->drv->col_text(st, 0)), 0);
    }
    if (rc != 0)
        fail_msg("%s [%s]: %s", q, m.ptr, khm_err_last()->message);
    tx->s->drv->finalize(st);
    const char *r = khm_arena_strdup(a, out.ptr);
    khm_buf_dispose(&m);
    khm_buf_dispose(&out);
    return r;
}

/* The rowids that match what a user typed, in rowid order / best first. */
static const char *hits(khm_tx *tx, const char *q, khm_arena *a)
{
    return rows(tx, "SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY rowid", q, a);
}

static const char *ranked(khm_tx *tx, const char *q, khm_arena *a)
{
    return rows(tx, "SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY rank, rowid", q, a);
}

static void test_store_fts_thai__thai_words_inside_titles(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    fill(&e);
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    /* งบประมาณ finds แผนงบประมาณบูรณาการ… and งบประมาณรายจ่าย */
    assert_string_equal(hits(tx, "งบประมาณ", e.arena), "1,6");
    assert_string_equal(hits(tx, "บูรณาการ", e.arena), "1");
    assert_string_equal(hits(tx, "กระทรวง ", e.arena), "3,4,7");
    /* several words are ANDed, wherever they stand */
    assert_string_equal(hits(tx, "ปลัดกระทรวงดิจิทัล", e.arena), "3,7");
    assert_string_equal(hits(tx, "ดิจิทัล งบประมาณ", e.arena), "1");
    assert_string_equal(hits(tx, "ข้อมูลส่วนบุคคล", e.arena), "8");
    /* sub-words do not count: ประมาณ ("about", "estimate") is found where libthai makes it a
     * word (ประมาณ|การ), not inside งบประมาณ */
    assert_string_equal(hits(tx, "ประมาณ ", e.arena), "4");
    assert_string_equal(hits(tx, "ประมาณ", e.arena), "4");
    assert_string_equal(hits(tx, "รายจ่าย", e.arena), "6");
    /* a prefix of the last word: งบ → งบประมาณ */
    assert_string_equal(hits(tx, "งบ", e.arena), "1,6");
    assert_string_equal(hits(tx, "งบ ", e.arena), "");
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_fts_thai__seed_names(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    fill(&e);
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_string_equal(hits(tx, "พัฒนพันธ์ชัย", e.arena), "3");
    assert_string_equal(hits(tx, "อัจฉรินทร์ พัฒนพันธ์ชัย", e.arena), "3");
    assert_string_equal(hits(tx, "นางสาวอัจฉรินทร์", e.arena), "3");
    /* a name libthai cuts into pieces is cut the same way in the query */
    assert_string_equal(hits(tx, "ภุชพงค์", e.arena), "7");
    assert_string_equal(hits(tx, "โนดไธสง", e.arena), "7");
    /* not a name that is not there */
    assert_string_equal(hits(tx, "พัฒนพันธ์", e.arena), "3"); /* a prefix of the surname */
    assert_string_equal(hits(tx, "พัฒนพันธ์ ", e.arena), "");
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_fts_thai__english_digits_and_case(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    fill(&e);
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_string_equal(hits(tx, "budget", e.arena), "2,6");
    assert_string_equal(hits(tx, "BUDGET ", e.arena), "2,6");
    assert_string_equal(hits(tx, "budgets ", e.arena), "6");
    assert_string_equal(hits(tx, "pdpa", e.arena), "8");
    assert_string_equal(hits(tx, "data protection officer", e.arena), "8");
    /* Thai digits are indexed as ASCII digits: ๒๕๖๗ and 2567 find each other */
    assert_string_equal(hits(tx, "2567", e.arena), "6");
    assert_string_equal(hits(tx, "๒๕๖๔", e.arena), "1");
    /* mixed Thai and English */
    assert_string_equal(hits(tx, "budget งบประมาณ", e.arena), "6");
    assert_string_equal(hits(tx, "health ทะเบียน", e.arena), "5");
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_fts_thai__user_syntax_is_never_fts5_syntax(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    fill(&e);
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    /* each of these would be an FTS5 syntax error or operator if passed through */
    static const char *const hostile[] = {
        "\"budget",
        "budget\"",
        "title:budget",
        "NEAR(budget plan)",
        "budget OR plan",
        "NOT budget",
        "budget AND",
        "-budget",
        "^budget",
        "budget*",
        "(budget",
        "budget)",
        "{title}: budget",
        "budget + plan",
        "\"งบ\" \"ประมาณ\"",
        "' OR 1=1 --",
        "budget; DROP TABLE docs",
        "\xff\xfe budget",
        "งบประมาณ\"*",
    };
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
        (void)hits(tx, hostile[i], e.arena); /* fails the test on any SQLite error */
    /* the operators are plain words: OR/NOT do not widen or narrow anything */
    assert_string_equal(hits(tx, "budget OR pdpa", e.arena), "");
    assert_string_equal(hits(tx, "title:budget", e.arena), "");
    assert_string_equal(hits(tx, "\"งบประมาณ", e.arena), "1,6");
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_fts_thai__bm25_ranking(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_stmt *st;
    static const char *const docs[] = {
        /* 1: mentions งบประมาณ once in a long title */
        "รายงานผลการดำเนินงานของหน่วยงานภาครัฐด้านการพัฒนาระบบเทคโนโลยีสารสนเทศและการสื่อสาร"
        "เพื่อการบริหารจัดการข้อมูลขนาดใหญ่ของประเทศ ซึ่งรวมถึงงบประมาณ บุคลากร และแผนการฝึกอบรม",
        /* 2: a short title that is about งบประมาณ */
        "งบประมาณรายจ่ายประจำปี งบประมาณ 2567",
        /* 3: does not mention it */
        "ทะเบียนผู้ป่วยโรคเบาหวาน",
    };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    exec(tx, "CREATE VIRTUAL TABLE docs USING fts5(title, tokenize = 'thai')");
    assert_int_equal(
        tx->s->drv->prepare(conn(tx), "INSERT INTO docs(rowid, title) VALUES (?, ?)", &st), 0);
    for (int i = 0; i < 3; i++) {
        tx->s->drv->reset(st);
        assert_int_equal(tx->s->drv->bind_int64(st, 1, i + 1), 0);
        assert_int_equal(tx->s->drv->bind_text(st, 2, docs[i]), 0);
        assert_int_equal(tx->s->drv->step(st), 0);
    }
    tx->s->drv->finalize(st);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_string_equal(ranked(tx, "งบประมาณ", e.arena), "2,1");
    /* bm25() is negative and smaller is better: the short, focused title scores lower */
    const char *scores = rows(tx,
                              "SELECT bm25(docs) < 0 FROM docs WHERE docs MATCH ?1 "
                              "ORDER BY bm25(docs)",
                              "งบประมาณ", e.arena);
    assert_string_equal(scores, "1,1");
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_fts_thai__index_holds_folded_words(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    fill(&e);
    khm_tx *tx;
    khm_stmt *st;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    exec(tx, "CREATE VIRTUAL TABLE docs_vocab USING fts5vocab(docs, 'row')");
    assert_int_equal(
        tx->s->drv->prepare(conn(tx), "SELECT term FROM docs_vocab ORDER BY term", &st), 0);
    khm_buf all = KHM_BUF_INIT(1 << 16);
    int rc;
    while ((rc = tx->s->drv->step(st)) == 1) {
        const char *t = tx->s->drv->col_text(st, 0);
        for (const char *p = t; *p; p++)
            assert_false(*p >= 'A' && *p <= 'Z'); /* lower-cased */
        assert_int_equal(khm_buf_printf(&all, "|%s|", t), 0);
    }
    assert_int_equal(rc, 0);
    tx->s->drv->finalize(st);
    static const char *const want[] = { "|พัฒนพันธ์ชัย|", "|งบประมาณ|", "|บูรณาการ|", "|budget|",
                                        "|2567|",     "|fy2021|",   "|ภุช|",      "|พงค์|" };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!strstr(all.ptr, want[i]))
            fail_msg("%s not in the index: %s", want[i], all.ptr);
    assert_null(strstr(all.ptr, "|งบ|")); /* only whole words, no sub-words */
    assert_null(strstr(all.ptr, "ฯ"));
    khm_buf_dispose(&all);
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_fts_thai__every_connection_has_it(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    fill(&e);
    /* two read transactions at once run on two pooled connections */
    khm_tx *a, *b;
    assert_int_equal(khm_tx_begin(&a, e.store, 0), 0);
    assert_int_equal(khm_tx_begin(&b, e.store, 0), 0);
    assert_ptr_not_equal(a->slot, b->slot);
    assert_string_equal(hits(a, "งบประมาณ", e.arena), "1,6");
    assert_string_equal(hits(b, "พัฒนพันธ์ชัย", e.arena), "3");
    khm_tx_rollback(b);
    khm_tx_rollback(a);
    /* a read-only store, opened afresh, reads the same index */
    khm_store *ro;
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.readonly = 1;
    assert_int_equal(khm_store_open(&ro, e.init.db_uri, &o), 0);
    assert_int_equal(khm_tx_begin(&a, ro, 0), 0);
    assert_string_equal(hits(a, "budget", e.arena), "2,6");
    khm_tx_rollback(a);
    khm_store_close(ro);
    /* and a plain sqlite3 connection without the tokenizer cannot (the name is ours) */
    sqlite3 *db;
    char *err = NULL;
    assert_int_equal(sqlite3_open(e.init.db_uri, &db), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "SELECT * FROM docs WHERE docs MATCH 'x'", NULL, NULL, &err), SQLITE_OK);
    assert_non_null(strstr(err, "thai"));
    sqlite3_free(err);
    sqlite3_close(db);
    khm_test_env_close(&e);
}

static void test_store_fts_thai__tokenizer_takes_no_options(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_not_equal(
        tx->s->drv->exec(conn(tx), "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'thai lower')"),
        0);
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

/* khm_fts_query into a fresh buffer; returns the code, the expression in *out (arena). */
static int query(const char *q, const char **out, khm_arena *a)
{
    khm_buf b = KHM_BUF_INIT(4096);
    int rc = khm_fts_query(q, &b);
    *out = rc == 0 ? khm_arena_strdup(a, b.ptr) : NULL;
    khm_buf_dispose(&b);
    return rc;
}

static void test_store_fts_thai__query_expressions(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    const char *m;
    static const char *const cases[][2] = {
        { "งบประมาณ", "\"งบประมาณ\"*" },
        { "งบประมาณ ", "\"งบประมาณ\"" },
        { "แผนงบประมาณบูรณาการ", "\"แผน\" \"งบประมาณ\" \"บูรณาการ\"*" },
        { "งบประมาณ budget", "\"งบประมาณ\" \"budget\"*" },
        { "Budget 2567 งบประมาณ.", "\"budget\" \"2567\" \"งบประมาณ\"" },
        { "\"งบ\" ประมาณ", "\"งบ\" \"ประมาณ\"*" },
        { "title:budget OR NOT x*", "\"title\" \"budget\" \"or\" \"not\" \"x\"" },
        { "NEAR(a b)", "\"near\" \"a\" \"b\"" },
        { "a", "\"a\"" },
        { "ก", "\"ก\"" },
        { "๒๕๖๗", "\"2567\"*" },
        { "  ..budget--  ", "\"budget\"" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(query(cases[i][0], &m, a), 0);
        assert_string_equal(m, cases[i][1]);
    }
    khm_arena_free(a);
}

static void test_store_fts_thai__query_errors(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    const char *m;
    size_t nf;
    static const char *const empty[] = {
        "", "   ", "\"\"", "*", "!!! ***", "ฯ ๆ", "\xff\xfe", NULL
    };
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        assert_int_equal(query(empty[i], &m, a), KHM_EINVALID);
        const khm_field_error *f = khm_err_fields(&nf);
        assert_int_equal(nf, 1);
        assert_string_equal(f[0].field, "q");
        assert_true(strlen(f[0].message_th) > 0);
        assert_true(khm_utf8_valid(f[0].message_th, strlen(f[0].message_th), NULL));
    }
    /* KHM_FTS_QUERY_MAX_WORDS words pass, one more does not */
    khm_buf q = KHM_BUF_INIT(4096);
    for (int i = 0; i < KHM_FTS_QUERY_MAX_WORDS; i++)
        assert_int_equal(khm_buf_printf(&q, "w%d ", i), 0);
    assert_int_equal(query(q.ptr, &m, a), 0);
    assert_int_equal(khm_buf_puts(&q, "งบ"), 0);
    assert_int_equal(query(q.ptr, &m, a), KHM_EINVALID);
    khm_err_fields(&nf);
    assert_int_equal(nf, 1);
    assert_string_equal(khm_err_fields(&nf)[0].field, "q");
    khm_buf_dispose(&q);
    /* the output buffer's cap holds */
    khm_buf small = KHM_BUF_INIT(8);
    assert_int_equal(khm_fts_query("งบประมาณ budget", &small), KHM_ELIMIT);
    khm_buf_dispose(&small);
    khm_arena_free(a);
}

/* khm_ts_query: the same words and prefix rule as khm_fts_query, as a PostgreSQL tsquery */
static void test_store_fts_thai__ts_query_matches_fts_query(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        { "งบประมาณ", "'งบประมาณ':*" },
        { "งบประมาณ ", "'งบประมาณ'" },
        { "แผนงบประมาณบูรณาการ", "'แผน' & 'งบประมาณ' & 'บูรณาการ':*" },
        { "งบประมาณ budget", "'งบประมาณ' & 'budget':*" },
        { "Budget 2567 งบประมาณ.", "'budget' & '2567' & 'งบประมาณ'" },
        { "x' | !y & (z:*)", "'x' & 'y' & 'z'" },
        { "it's \\ 'a'", "'it' & 's' & 'a'" },
        { "ก", "'ก'" },
        { "๒๕๖๗", "'2567':*" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        khm_buf b = KHM_BUF_INIT(4096);
        if (khm_ts_query(cases[i][0], &b) != 0)
            fail_msg("khm_ts_query(%s): %s", cases[i][0], khm_err_last()->message);
        assert_string_equal(b.ptr, cases[i][1]);
        khm_buf_dispose(&b);
    }
    /* the same errors, naming q */
    size_t nf;
    khm_buf b = KHM_BUF_INIT(4096);
    assert_int_equal(khm_ts_query("!!! ***", &b), KHM_EINVALID);
    assert_string_equal(khm_err_fields(&nf)[0].field, "q");
    assert_int_equal(nf, 1);
    khm_buf_dispose(&b);
    khm_buf small = KHM_BUF_INIT(8);
    assert_int_equal(khm_ts_query("งบประมาณ budget", &small), KHM_ELIMIT);
    khm_buf_dispose(&small);
}

/* khm_store__tier_query: each tier's columns (FTS5 column filters, tsquery weights), the tier
 * before it excluded; tier 0 the four parts; the prefix rule as khm_fts_query's */
static void test_store_fts_thai__tier_queries(void **state)
{
    (void)state;
    static const struct {
        int tier, pg;
        const char *q, *want;
    } cases[] = {
        { 1, 0, "งบประมาณ", "(({title} : (\"งบประมาณ\"*)))" },
        { 2, 0, "แผนงบประมาณ ",
          "(({title tags} : (\"แผน\" \"งบประมาณ\")) NOT ({title} : (\"แผน\" \"งบประมาณ\")))" },
        { 3, 0, "budget",
          "(({title tags agency} : (\"budget\"*)) NOT ({title tags} : (\"budget\"*)))" },
        { 4, 0, "ก", "(({title tags agency body} : (\"ก\")) NOT ({title tags agency} : (\"ก\")))" },
        { 0, 0, "งบ ประมาณ", "(({title tags agency body} : (\"งบ\" \"ประมาณ\"*)))" },
        { 1, 1, "งบประมาณ", "(('งบประมาณ':*A))" },
        { 2, 1, "แผนงบประมาณ ", "(('แผน':AB & 'งบประมาณ':AB) & !('แผน':A & 'งบประมาณ':A))" },
        { 4, 1, "budget ๒๕๖๗", "(('budget' & '2567':*) & !('budget':ABC & '2567':*ABC))" },
        { 0, 1, "x' | !yz", "(('x' & 'yz':*))" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        khm_buf b = KHM_BUF_INIT(4096);
        if (khm_store__tier_query(cases[i].q, cases[i].tier, cases[i].pg, &b) != 0)
            fail_msg("tier %d '%s': %s", cases[i].tier, cases[i].q, khm_err_last()->message);
        assert_string_equal(b.ptr, cases[i].want);
        khm_buf_dispose(&b);
    }
    size_t nf;
    khm_buf b = KHM_BUF_INIT(4096);
    assert_int_equal(khm_store__tier_query("!!!", 1, 0, &b), KHM_EINVALID);
    assert_string_equal(khm_err_fields(&nf)[0].field, "q");
    assert_int_equal(khm_store__tier_query("งบ", 5, 0, &b), KHM_EINVALID);
    khm_buf_dispose(&b);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_fts_thai__thai_words_inside_titles),
              cmocka_unit_test(test_store_fts_thai__seed_names),
              cmocka_unit_test(test_store_fts_thai__english_digits_and_case),
              cmocka_unit_test(test_store_fts_thai__user_syntax_is_never_fts5_syntax),
              cmocka_unit_test(test_store_fts_thai__bm25_ranking),
              cmocka_unit_test(test_store_fts_thai__index_holds_folded_words),
              cmocka_unit_test(test_store_fts_thai__every_connection_has_it),
              cmocka_unit_test(test_store_fts_thai__tokenizer_takes_no_options),
              cmocka_unit_test(test_store_fts_thai__query_expressions),
              cmocka_unit_test(test_store_fts_thai__query_errors),
              cmocka_unit_test(test_store_fts_thai__ts_query_matches_fts_query),
              cmocka_unit_test(test_store_fts_thai__tier_queries))
