/* Tests for src/lib/access/policy.c: the names of actions, kinds, categories (thai-rules.md
 * §2.2) and lawful bases (§1.3, §1.4); the embedded default policy and its version; the loader's
 * errors for malformed files, each naming the rule index and the field in English and Thai; the
 * per-action index; and clean failure when memory runs out. Run from the repository root. */
#include "unit.h"

#include <khomun/policy.h>

#include "policy_internal.h"

#define DEFAULT_JSON "src/lib/access/policy_default.json"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return p;
}

static int load_str(khm_policy **p, const char *json)
{
    khm_err_clear();
    return khm_policy_load_json(p, json, strlen(json));
}

/* The field error named @p field; fails the test when there is none. */
static const khm_field_error *field_error(const char *field)
{
    size_t n;
    const khm_field_error *f = khm_err_fields(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].field, field) == 0)
            return &f[i];
    char all[1024] = "";
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(all);
        snprintf(all + l, sizeof(all) - l, " [%s: %s]", f[i].field, f[i].message);
    }
    fail_msg("no field error '%s'; got%s (%s)", field, all, khm_err_last()->message);
    return NULL;
}

static void test_access_policy__action_names_labels_parse(void **state)
{
    (void)state;
    /* issue 6: the eight actions */
    static const char *const names[KHM_ACTION__COUNT] = {
        "read-metadata", "read-data", "write",      "classify",
        "publish",       "share",     "administer", "audit-read",
    };
    for (int i = 0; i < KHM_ACTION__COUNT; i++) {
        int a = -1;
        assert_string_equal(khm_action_name(i), names[i]);
        assert_non_null(khm_action_label_th(i));
        assert_true(khm_utf8_valid(khm_action_label_th(i), strlen(khm_action_label_th(i)), NULL));
        assert_int_equal(khm_action_parse(names[i], &a), 0);
        assert_int_equal(a, i);
    }
    assert_null(khm_action_name(-1));
    assert_null(khm_action_name(KHM_ACTION__COUNT));
    assert_string_equal(khm_action_label_th(KHM_ACTION_READ_DATA), "อ่านข้อมูล");
    int a = 7;
    khm_err_clear();
    assert_int_equal(khm_action_parse("read", &a), KHM_EINVALID);
    assert_int_equal(a, 7);
    size_t n;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].field, "action");
    assert_non_null(strstr(f[0].message, "audit-read")); /* lists the allowed names */
    assert_true(f[0].message_th[0] != '\0');
    assert_int_equal(khm_action_parse(NULL, &a), KHM_EINVALID);
}

static void test_access_policy__kind_names_parse(void **state)
{
    (void)state;
    static const char *const names[KHM_RES__COUNT] = { "system",  "agency",  "user",   "token",
                                                       "dataset", "audit",   "policy", "scanner",
                                                       "purpose", "consent", "ropa",   "request",
                                                       "breach" };
    for (int i = 0; i < KHM_RES__COUNT; i++) {
        int k = -1;
        assert_string_equal(khm_resource_kind_name(i), names[i]);
        assert_non_null(khm_resource_kind_label_th(i));
        assert_int_equal(khm_resource_kind_parse(names[i], &k), 0);
        assert_int_equal(k, i);
    }
    assert_string_equal(khm_resource_kind_label_th(KHM_RES_DATASET), "ชุดข้อมูล");
    int k;
    khm_err_clear();
    assert_int_equal(khm_resource_kind_parse("Dataset", &k), KHM_EINVALID);
    assert_null(khm_resource_kind_name(KHM_RES__COUNT));
}

static void test_access_policy__categories_thai_rules_2_2(void **state)
{
    (void)state;
    /* thai-rules.md §2.2: the four framework categories plus ข้อมูลใช้ภายใน (GD-Catalog) */
    static const char *const names[KHM_CAT__COUNT] = { "public", "internal", "personal", "security",
                                                       "official_secret" };
    static const char *const th[KHM_CAT__COUNT] = { "ข้อมูลสาธารณะ", "ข้อมูลใช้ภายใน", "ข้อมูลส่วนบุคคล",
                                                    "ข้อมูลความมั่นคง", "ข้อมูลความลับทางราชการ" };
    for (int i = 0; i < KHM_CAT__COUNT; i++) {
        int c = -1;
        assert_string_equal(khm_category_name(i), names[i]);
        assert_string_equal(khm_category_label_th(i), th[i]);
        assert_int_equal(khm_category_parse(names[i], &c), 0);
        assert_int_equal(c, i);
        c = -1;
        assert_int_equal(khm_category_parse(th[i], &c), 0); /* the exact Thai label too */
        assert_int_equal(c, i);
    }
    int c;
    khm_err_clear();
    assert_int_equal(khm_category_parse("official-secret", &c), KHM_EINVALID);
    size_t n;
    assert_string_equal(khm_err_fields(&n)[0].field, "category");
    assert_null(khm_category_name(-1));
}

static void test_access_policy__bases_s24_and_s26_exceptions(void **state)
{
    (void)state;
    /* thai-rules.md §1.3: consent and s.24(1)-(6), keyed by the statutory item */
    static const char *const names[KHM_BASIS__COUNT] = { "none",   "consent", "s24(1)", "s24(2)",
                                                         "s24(3)", "s24(4)",  "s24(5)", "s24(6)" };
    for (int i = 0; i < KHM_BASIS__COUNT; i++) {
        int b = -1;
        assert_string_equal(khm_basis_name(i), names[i]);
        assert_non_null(khm_basis_label_th(i));
        assert_int_equal(khm_basis_parse(names[i], &b), 0);
        assert_int_equal(b, i);
    }
    static const struct {
        const char *alias;
        int basis;
    } aliases[] = {
        { "research", KHM_BASIS_S24_1 },
        { "vital_interest", KHM_BASIS_S24_2 },
        { "contract", KHM_BASIS_S24_3 },
        { "public_task", KHM_BASIS_S24_4 },
        { "legitimate_interest", KHM_BASIS_S24_5 },
        { "legal_obligation", KHM_BASIS_S24_6 },
    };
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
        int b = -1;
        assert_int_equal(khm_basis_parse(aliases[i].alias, &b), 0);
        assert_int_equal(b, aliases[i].basis);
    }
    assert_string_equal(khm_basis_label_th(KHM_BASIS_S24_4), "ฐานภารกิจของรัฐ / ประโยชน์สาธารณะ");
    int b;
    khm_err_clear();
    assert_int_equal(khm_basis_parse("s24(7)", &b), KHM_EINVALID);
    size_t n;
    assert_string_equal(khm_err_fields(&n)[0].field, "basis");
    /* thai-rules.md §1.4: s.26 exceptions (1)-(5) */
    for (int i = 0; i < KHM_S26__COUNT; i++) {
        int e = -1;
        assert_non_null(khm_s26_name(i));
        assert_int_equal(khm_s26_parse(khm_s26_name(i), &e), 0);
        assert_int_equal(e, i);
    }
    assert_string_equal(khm_s26_name(KHM_S26_5), "s26(5)");
    khm_err_clear();
    assert_int_equal(khm_s26_parse("s26(6)", &b), KHM_EINVALID);
    assert_string_equal(khm_err_fields(&n)[0].field, "s26_exception");
}

static void test_access_policy__default_loads_and_is_indexed(void **state)
{
    (void)state;
    khm_policy *p;
    assert_int_equal(khm_policy_default(&p), 0);
    assert_int_equal(khm_policy_rule_count(p), 23);
    /* "default.1+sha256:" + 16 hex digits, the prefix of the full hash */
    const char *v = khm_policy_version(p);
    const char *h = khm_policy_hash(p);
    assert_int_equal(strlen(h), 64);
    assert_int_equal(strncmp(v, "default.1+sha256:", 17), 0);
    assert_int_equal(strlen(v), 17 + 16);
    assert_memory_equal(v + 17, h, 16);
    /* the index: each action lists its rules deny-first; together they cover every rule */
    size_t total = 0;
    for (int a = 0; a < KHM_ACTION__COUNT; a++) {
        const khm_policy__rule *r = p->by_action[a];
        for (int k = 0; k < p->n_rules[a]; k++) {
            assert_int_equal(r[k].deny, k < p->n_deny[a]);
            assert_non_null(r[k].id);
            assert_non_null(r[k].reason);
            assert_non_null(r[k].reason_th);
            assert_non_null(r[k].source);
            assert_true((p->needs[a] & r[k].mask) == r[k].mask);
            if (k > 0 && r[k].deny == r[k - 1].deny)
                assert_true(r[k].index > r[k - 1].index); /* file order within a group */
        }
        total += p->n_rules[a];
    }
    assert_true(total >= khm_policy_rule_count(p));
    /* read-data: the one deny rule (PDPA) comes before the allow rules */
    assert_int_equal(p->n_deny[KHM_ACTION_READ_DATA], 1);
    assert_string_equal(p->by_action[KHM_ACTION_READ_DATA][0].id, "personal-data-needs-basis");
    assert_int_equal(p->n_rules[KHM_ACTION_AUDIT_READ], 1);
    khm_policy_free(p);
    khm_policy_free(NULL);
}

static void test_access_policy__embedded_default_equals_json_file(void **state)
{
    (void)state;
    size_t n = 0, en;
    char *file = slurp(DEFAULT_JSON, &n);
    if (!file)
        fail_msg("cannot read %s (run from the repository root)", DEFAULT_JSON);
    const char *embedded = khm_policy_default_json(&en);
    if (en != n || memcmp(file, embedded, n) != 0)
        fail_msg("%s differs from the embedded copy: run scripts/policy-default.sh", DEFAULT_JSON);
    assert_int_equal(strlen(embedded), en);
    /* so the file, loaded as an override, has the same version as the default */
    khm_policy *a, *b;
    assert_int_equal(khm_policy_default(&a), 0);
    assert_int_equal(khm_policy_load_file(&b, DEFAULT_JSON), 0);
    assert_string_equal(khm_policy_version(a), khm_policy_version(b));
    assert_string_equal(khm_policy_hash(a), khm_policy_hash(b));
    khm_policy_free(a);
    khm_policy_free(b);
    free(file);
}

static void test_access_policy__every_default_rule_cites_its_source(void **state)
{
    (void)state;
    size_t n;
    const char *text = khm_policy_default_json(&n);
    json_error_t err;
    json_t *doc = json_loadb(text, n, JSON_REJECT_DUPLICATES, &err);
    assert_non_null(doc);
    json_t *rules = json_object_get(doc, "rules");
    size_t i;
    json_t *r;
    json_array_foreach(rules, i, r)
    {
        const char *id = json_string_value(json_object_get(r, "id"));
        const char *src = json_string_value(json_object_get(r, "source"));
        assert_non_null(id);
        if (!src || (!strstr(src, "thai-rules.md §") && !strstr(src, "issue ")))
            fail_msg("rule %s: source '%s' cites neither thai-rules.md nor an issue", id,
                     src ? src : "(none)");
        const char *th = json_string_value(json_object_get(r, "reason_th"));
        assert_non_null(th);
        assert_true(khm_utf8_valid(th, strlen(th), NULL));
    }
    json_decref(doc);
}

static void test_access_policy__version_hash_changes_with_the_file(void **state)
{
    (void)state;
    size_t n;
    const char *text = khm_policy_default_json(&n);
    khm_policy *a, *b, *c, *d;
    assert_int_equal(khm_policy_load_json(&a, text, n), 0);
    /* one more space: same rules, another file, another version */
    char *spaced = malloc(n + 2);
    assert_non_null(spaced);
    memcpy(spaced, text, n);
    spaced[n] = ' ';
    spaced[n + 1] = '\0';
    assert_int_equal(khm_policy_load_json(&b, spaced, n + 1), 0);
    assert_string_not_equal(khm_policy_hash(a), khm_policy_hash(b));
    assert_string_not_equal(khm_policy_version(a), khm_policy_version(b));
    /* a reason reworded */
    char *reworded = strdup(text);
    char *at = strstr(reworded, "anyone may read it");
    assert_non_null(at);
    at[0] = 'A';
    assert_int_equal(khm_policy_load_json(&c, reworded, n), 0);
    assert_string_not_equal(khm_policy_version(a), khm_policy_version(c));
    /* the same bytes: the same version */
    assert_int_equal(khm_policy_load_json(&d, text, n), 0);
    assert_string_equal(khm_policy_version(a), khm_policy_version(d));
    /* the file's own "version" leads */
    khm_policy *e;
    assert_int_equal(load_str(&e, "{\"version\": \"agency-7.3\", \"rules\": [{\"id\": \"r\", "
                                  "\"effect\": \"allow\", \"actions\": [\"read-data\"], "
                                  "\"source\": \"s\", \"reason\": \"r\", \"reason_th\": \"ท\"}]}"),
                     0);
    assert_int_equal(strncmp(khm_policy_version(e), "agency-7.3+sha256:", 18), 0);
    khm_policy_free(a);
    khm_policy_free(b);
    khm_policy_free(c);
    khm_policy_free(d);
    khm_policy_free(e);
    free(spaced);
    free(reworded);
}

/* A valid rule with @p extra members added (or, with a duplicate key, refused as JSON). */
#define RULE(extra)                                                                      \
    "{\"id\": \"r1\", \"effect\": \"allow\", \"actions\": [\"read-data\"], \"source\": " \
    "\"test\", \"reason\": \"test\", \"reason_th\": \"ทดสอบ\"" extra "}"
#define DOC(rules) "{\"version\": \"t1\", \"rules\": [" rules "]}"

static void test_access_policy__loader_errors_name_rule_and_field(void **state)
{
    (void)state;
    static const struct {
        const char *doc;
        const char *field;   /* the field error expected */
        const char *message; /* a substring of its English message */
    } cases[] = {
        /* the document */
        { "[1, 2]", "policy", "JSON object" },
        { "{\"version\": \"t1\", \"rules\": [", "policy", "" },
        { "{\"version\": \"t1\", \"rules\": [], \"colour\": 1}", "colour", "unknown field" },
        { "{\"rules\": [" RULE("") "]}", "version", "is required" },
        { "{\"version\": 3, \"rules\": [" RULE("") "]}", "version", "must be a string" },
        { "{\"version\": \"t 1\", \"rules\": [" RULE("") "]}", "version", "must be a string" },
        { "{\"version\": \"t1\", \"rules\": []}", "rules", "1-4096 rules" },
        { "{\"version\": \"t1\", \"rules\": {}}", "rules", "1-4096 rules" },
        { DOC("1"), "rules[0]", "JSON object" },
        /* unknown field, action, role, kind, category, level */
        { DOC(RULE("") ", {\"id\": \"r2\", \"effect\": \"deny\", \"actions\": [\"write\"], "
                       "\"colour\": \"red\", \"source\": \"s\", \"reason\": \"r\", \"reason_th\": "
                       "\"ท\"}"),
          "rules[1].colour", "unknown field (allowed: id, effect" },
        { DOC("{\"id\": \"r1\", \"effect\": \"allow\", \"actions\": [\"read-data\", \"reed\"], "
              "\"source\": \"s\", \"reason\": \"r\", \"reason_th\": \"ท\"}"),
          "rules[0].actions[1]", "unknown action 'reed' (allowed: read-metadata" },
        { DOC(RULE(", \"roles\": [\"root\"]")), "rules[0].roles[0]", "unknown role 'root'" },
        { DOC(RULE(", \"kinds\": [\"dataset\", \"table\"]")), "rules[0].kinds[1]",
          "unknown resource kind 'table'" },
        { DOC(RULE(", \"category\": \"secret\"")), "rules[0].category",
          "unknown data category 'secret'" },
        { DOC(RULE(", \"category\": [\"personal\", \"pii\"]")), "rules[0].category[1]",
          "unknown data category 'pii'" },
        { DOC(RULE(", \"max_level\": \"ลับสุดยอด\"")), "rules[0].max_level", "unknown level" },
        /* wrong types */
        { DOC("{\"id\": \"r1\", \"effect\": \"allow\", \"actions\": \"read-data\", "
              "\"source\": \"s\", \"reason\": \"r\", \"reason_th\": \"ท\"}"),
          "rules[0].actions", "must be an array of strings" },
        { DOC(RULE(", \"roles\": [1]")), "rules[0].roles[0]", "must be a string" },
        { DOC(RULE(", \"same_agency\": \"yes\"")), "rules[0].same_agency", "must be a boolean" },
        { DOC(RULE(", \"agreement\": 1")), "rules[0].agreement", "must be a boolean" },
        { DOC(RULE(", \"min_level\": 2")), "rules[0].min_level", "must be a string" },
        { DOC(RULE(", \"category\": 2")), "rules[0].category", "array of strings or a string" },
        /* values */
        { DOC(RULE(", \"roles\": []")), "rules[0].roles", "must not be empty" },
        { DOC(RULE(", \"min_level\": \"secret\", \"max_level\": \"internal\"")),
          "rules[0].max_level", "below min_level" },
        { DOC("{\"id\": \"r1\", \"effect\": \"permit\", \"actions\": [\"read-data\"], "
              "\"source\": \"s\", \"reason\": \"r\", \"reason_th\": \"ท\"}"),
          "rules[0].effect", "\"allow\" or \"deny\"" },
        { DOC("{\"id\": \"R 1\", \"effect\": \"allow\", \"actions\": [\"read-data\"], "
              "\"source\": \"s\", \"reason\": \"r\", \"reason_th\": \"ท\"}"),
          "rules[0].id", "is not a rule id" },
        { DOC("{\"id\": \"default-deny\", \"effect\": \"allow\", \"actions\": [\"read-data\"], "
              "\"source\": \"s\", \"reason\": \"r\", \"reason_th\": \"ท\"}"),
          "rules[0].id", "reserved" },
        { DOC(RULE("") ", " RULE("")), "rules[1].id", "duplicate rule id 'r1' (also rules[0].id)" },
        { DOC("{\"id\": \"r1\", \"effect\": \"allow\", \"actions\": [\"read-data\"], "
              "\"source\": \"s\", \"reason\": \"r\"}"),
          "rules[0].reason_th", "is required" },
        { DOC("{\"id\": \"r1\", \"effect\": \"allow\", \"actions\": [\"read-data\"], "
              "\"source\": \"\", \"reason\": \"r\", \"reason_th\": \"ท\"}"),
          "rules[0].source", "1-500 characters" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        khm_policy *p = (khm_policy *)(uintptr_t)1; /* must be reset to NULL */
        int rc = load_str(&p, cases[i].doc);
        if (rc != KHM_EINVALID)
            fail_msg("case %zu (%s): rc %d, want KHM_EINVALID", i, cases[i].field, rc);
        assert_null(p);
        const khm_field_error *f = field_error(cases[i].field);
        if (!strstr(f->message, cases[i].message))
            fail_msg("case %zu: %s: '%s' does not contain '%s'", i, f->field, f->message,
                     cases[i].message);
        if (!f->message_th[0])
            fail_msg("case %zu: %s has no Thai message", i, f->field);
    }
}

static void test_access_policy__loader_reports_every_problem_at_once(void **state)
{
    (void)state;
    khm_policy *p;
    int rc = load_str(
        &p, "{\"version\": \"t1\", \"rules\": [" RULE(
                ", \"roles\": [\"root\"]") ", "
                                           "{\"id\": \"r2\", \"effect\": \"maybe\", \"actions\": "
                                           "[\"fly\"], "
                                           "\"self\": 1, \"source\": \"s\", \"reason\": \"r\"}]}");
    assert_int_equal(rc, KHM_EINVALID);
    size_t n;
    khm_err_fields(&n);
    assert_int_equal(n, 5);
    field_error("rules[0].roles[0]");
    field_error("rules[1].effect");
    field_error("rules[1].actions[0]");
    field_error("rules[1].self");
    field_error("rules[1].reason_th");
    assert_non_null(strstr(khm_err_last()->message, "5 fields are invalid"));
    /* the Thai messages name what is wrong */
    assert_non_null(strstr(field_error("rules[1].actions[0]")->message_th, "การกระทำ"));
    assert_non_null(strstr(field_error("rules[0].roles[0]")->message_th, "บทบาท"));
}

static void test_access_policy__loader_accepts_thai_labels_and_one_category(void **state)
{
    (void)state;
    khm_policy *p;
    assert_int_equal(load_str(&p, DOC(RULE(", \"min_level\": \"ลับ\", \"max_level\": \"ลับมาก\", "
                                           "\"category\": \"ข้อมูลความมั่นคง\", \"roles\": "
                                           "[\"authenticated\", \"anonymous\"]"))),
                     0);
    const khm_policy__rule *r = &p->rules[0];
    assert_int_equal(r->min_level, KHM_LEVEL_CONFIDENTIAL);
    assert_int_equal(r->max_level, KHM_LEVEL_SECRET);
    assert_int_equal(r->levels, (1u << KHM_LEVEL_CONFIDENTIAL) | (1u << KHM_LEVEL_SECRET));
    assert_int_equal(r->cats, 1u << KHM_CAT_SECURITY);
    assert_int_equal(r->roles, KHM_POLICY__ANY_ROLE);
    assert_int_equal(r->kinds, KHM_POLICY__ANY_KIND);
    assert_int_equal(r->agreement, -1);
    khm_policy_free(p);
}

static void test_access_policy__load_file_errors(void **state)
{
    (void)state;
    khm_policy *p;
    khm_err_clear();
    assert_int_equal(khm_policy_load_file(&p, "/nonexistent/policy.json"), KHM_EIO);
    assert_null(p);
    assert_non_null(strstr(khm_err_last()->message, "/nonexistent/policy.json"));

    char *dir = khm_test_tmpdir();
    char *slash = strrchr(dir, '/');
    *slash = '\0';
    char path[512];
    snprintf(path, sizeof(path), "%s/big.json", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i <= KHM_POLICY_MAX_BYTES; i += 8)
        fputs("        ", f);
    fclose(f);
    khm_err_clear();
    assert_int_equal(khm_policy_load_file(&p, path), KHM_ELIMIT);
    /* a bad file names the rule and field, as from memory */
    snprintf(path, sizeof(path), "%s/bad.json", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(DOC(RULE(", \"kinds\": [\"table\"]")), f);
    fclose(f);
    khm_err_clear();
    assert_int_equal(khm_policy_load_file(&p, path), KHM_EINVALID);
    field_error("rules[0].kinds[0]");
    *slash = '/';
    khm_test_rmtree(dir);
    free(dir);
}

static void test_access_policy__out_of_memory_fails_cleanly(void **state)
{
    (void)state;
    /* fail the 1st, 2nd, … allocation until loading succeeds; each failure is KHM_ENOMEM and
     * leaks nothing (ASan checks) */
    int succeeded = 0;
    for (size_t k = 1; k < 200 && !succeeded; k++) {
        khm_policy *p = NULL;
        khm_err_clear();
        khm_alloc_fail_after(k);
        int rc = khm_policy_default(&p);
        khm_alloc_fail_after(0);
        if (rc == 0) {
            succeeded = 1;
            assert_non_null(p);
            khm_policy_free(p);
        } else {
            assert_int_equal(rc, KHM_ENOMEM);
            assert_null(p);
        }
    }
    assert_true(succeeded);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_access_policy__action_names_labels_parse),
              cmocka_unit_test(test_access_policy__kind_names_parse),
              cmocka_unit_test(test_access_policy__categories_thai_rules_2_2),
              cmocka_unit_test(test_access_policy__bases_s24_and_s26_exceptions),
              cmocka_unit_test(test_access_policy__default_loads_and_is_indexed),
              cmocka_unit_test(test_access_policy__embedded_default_equals_json_file),
              cmocka_unit_test(test_access_policy__every_default_rule_cites_its_source),
              cmocka_unit_test(test_access_policy__version_hash_changes_with_the_file),
              cmocka_unit_test(test_access_policy__loader_errors_name_rule_and_field),
              cmocka_unit_test(test_access_policy__loader_reports_every_problem_at_once),
              cmocka_unit_test(test_access_policy__loader_accepts_thai_labels_and_one_category),
              cmocka_unit_test(test_access_policy__load_file_errors),
              cmocka_unit_test(test_access_policy__out_of_memory_fails_cleanly))
