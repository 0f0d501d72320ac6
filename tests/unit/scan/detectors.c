/* Tests for src/lib/scan/detectors.c: walk the detector table (style.md §2.7): unique names, a
 * matcher, a trigger, context words, a summary and a page docs/detectors/<NAME>.md each, and a
 * row for every page. Run from the repository root. */
#include "helpers.h"

#include <dirent.h>

static void test_scan_detectors__rows(void **state)
{
    (void)state;
    assert_true(khm_scan_detector_count() > 0);
    assert_int_equal(khm_scan_detector_count(), khm_detector_count);
    for (size_t i = 0; i < khm_detector_count; i++) {
        const khm_detector *d = &khm_detectors[i];
        assert_non_null(d->name);
        assert_non_null(d->fn);
        assert_true(d->trig != 0);
        assert_non_null(d->context);
        assert_non_null(d->context[0]);
        assert_true(d->summary && *d->summary);
        assert_true(d->pdpa == KHM_PDPA_NONE || d->pdpa == KHM_PDPA_PERSONAL ||
                    d->pdpa == KHM_PDPA_SENSITIVE);
        assert_true(d->boost > 0 && d->boost < 0.5);
        assert_int_equal(khm_scan_detector_find(d->name), (int)i);
        assert_string_equal(khm_scan_detector_name(i), d->name);
        assert_int_equal(khm_scan_detector_pdpa(i), d->pdpa);
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->name, khm_detectors[j].name) == 0)
                fail_msg("detector '%s' appears twice", d->name);
        char path[256];
        snprintf(path, sizeof(path), "docs/detectors/%s.md", d->name);
        FILE *f = fopen(path, "rb");
        if (!f)
            fail_msg("detector '%s': page %s is missing", d->name, path);
        fclose(f);
    }
    assert_null(khm_scan_detector_name(khm_detector_count));
    assert_int_equal(khm_scan_detector_pdpa(khm_detector_count), KHM_PDPA_NONE);
    assert_int_equal(khm_scan_detector_find("nosuch"), -1);
    assert_int_equal(khm_scan_detector_find(NULL), -1);
}

static void test_scan_detectors__every_page_has_row(void **state)
{
    (void)state;
    DIR *d = opendir("docs/detectors");
    if (!d)
        fail_msg("cannot open docs/detectors (run from the repository root)");
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 ||
            strcmp(e->d_name, "README.md") == 0)
            continue;
        char name[256];
        snprintf(name, sizeof(name), "%.*s", (int)(len - 3), e->d_name);
        if (khm_scan_detector_find(name) < 0)
            fail_msg("docs/detectors/%s has no row in the detector table", e->d_name);
    }
    closedir(d);
}

static void test_scan_detectors__pdpa_names(void **state)
{
    (void)state;
    assert_string_equal(khm_pdpa_name(KHM_PDPA_PERSONAL), "personal");
    assert_string_equal(khm_pdpa_name(KHM_PDPA_SENSITIVE), "sensitive");
    assert_string_equal(khm_pdpa_name(KHM_PDPA_NONE), "none");
}

/* 1 when detector @p dt's digit gate lets it be tried at p[i] (as the scanner decides). */
static int gate_allows(const khm_detector *dt, const unsigned char *p, size_t len, size_t i)
{
    size_t e = i + 1;
    while (e < len && e - i < 31 && khm_isdigit(p[e]))
        e++;
    unsigned c = p[i] - '0', r = (unsigned)(e - i), z = e < len ? p[e] : 0;
    unsigned x = khm_next_class(z);
    return (!dt->dfirst || ((dt->dfirst >> c) & 1)) &&
           (!dt->druns || ((dt->druns >> r) & 1) ||
            ((dt->dflags & KHM_DGATE_SEP1) && r == 1 && x == KHM_NEXT_SEP) ||
            ((dt->dflags & KHM_DGATE_HIGH) && x == KHM_NEXT_HIGH)) &&
           (!dt->dnext || r == 31 || ((dt->dnext >> x) & 1));
}

/* Every match a digit detector makes at a digit, it makes where its gate (dfirst, druns,
 * dflags) lets the scanner try it: the gates state the detectors' own first rejections, so the
 * scanner may skip a detector on them. Checked at every digit of random text made of numbers
 * in every grouping, separators, Thai and Latin letters, and of the eval corpus's files. */
static void check_gates_in(const unsigned char *p, size_t len, size_t *matches)
{
    khm_det_ctx cx = { NULL, 0, 0 };
    for (size_t i = 0; i < len; i++) {
        if (!khm_isdigit(p[i]))
            continue;
        for (size_t d = 0; d < khm_detector_count; d++) {
            const khm_detector *dt = &khm_detectors[d];
            if (!(dt->trig & KHM_TRIG_DIGIT) || gate_allows(dt, p, len, i))
                continue;
            khm_match m = { 0, 0, 0, NULL, -1 };
            if (dt->fn(p, 0, len, i, &cx, &m))
                fail_msg("%s matched at a digit its gate rules out: \"%.*s\"", dt->name,
                         (int)(len - i < 40 ? len - i : 40), (const char *)p + i);
        }
        for (size_t d = 0; d < khm_detector_count; d++) {
            khm_match m = { 0, 0, 0, NULL, -1 };
            if ((khm_detectors[d].trig & KHM_TRIG_DIGIT) &&
                khm_detectors[d].fn(p, 0, len, i, &cx, &m))
                (*matches)++;
        }
    }
}

static void test_scan_detectors__digit_gates(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "08",
        "02",
        "66",
        "12",
        "2567",
        "1234",
        "-",
        "-",
        " ",
        " ",
        ".",
        "/",
        ":",
        ",",
        "+66 ",
        "(02) ",
        "ก",
        "กข",
        "เลขที่บัญชี ",
        "มกราคม ",
        "ม.ค. ",
        "๒๕๖๗",
        "พ.ศ. ",
        "หมู่ ",
        "ซอย ",
        "ต.",
        "จ.",
        "10110",
        "AB",
        "a",
        "x",
        "\n",
        "โทร ",
        "Jan ",
        "1-2345-67890-12-1",
        "0812345678",
        "4111 1111 1111 1111",
        "192.168.1.",
        "2001:db8::",
        "123-4-56789-0",
        "15/03/2567",
        /* the byte after a run (dnext): dots, colons, hex and other letters */
        "15.03.2567",
        "15-Mar-2024",
        "2024-03-15T10:30",
        "3rd ",
        "1st",
        "10:30",
        "20a1:",
        "fe80::",
        "2001:0db8:85a3::8a2e:0370:7334",
        "::ffff:192.0.2.1",
        "G",
        ")",
        "\"",
    };
    size_t matches = 0;
    uint32_t seed = 2566;
    unsigned char buf[4096];
    for (int round = 0; round < 400; round++) {
        size_t n = 0;
        for (;;) {
            seed = seed * 1103515245u + 12345u;
            const char *pc = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
            size_t l = strlen(pc);
            if (n + l > 400)
                break;
            memcpy(buf + n, pc, l);
            n += l;
        }
        check_gates_in(buf, n, &matches);
    }
    static const char *const files[] = { "tests/eval/notes.txt",      "tests/eval/dates.txt",
                                         "tests/eval/citizens.csv",   "tests/eval/records.csv",
                                         "tests/eval/addresses.txt",  "tests/eval/people.csv",
                                         "tests/eval/contacts.jsonl", "tests/eval/staff.csv" };
    for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
        FILE *f = fopen(files[k], "rb");
        if (!f)
            fail_msg("cannot open %s (run from the repository root)", files[k]);
        size_t n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        check_gates_in(buf, n, &matches);
    }
    assert_true(matches > 1000); /* the text did exercise the detectors */
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_detectors__rows),
              cmocka_unit_test(test_scan_detectors__digit_gates),
              cmocka_unit_test(test_scan_detectors__every_page_has_row),
              cmocka_unit_test(test_scan_detectors__pdpa_names))
