/* The accuracy gate of the scanner (issue 3): scan every corpus file in tests/eval/ and compare
 * with tests/eval/labels.tsv (file, type, value) and columns.tsv (dominant column types). Prints
 * precision, recall and F1 per type; fails when a type drops below its floor (floor_of()),
 * column type accuracy below 0.98, or below 0.95 on the columns of sensitive (s.26) types. Not a
 * mirror of a src/lib file. Run from the repository root. */
#include "helpers.h"

#include <dirent.h>

#define EVAL_DIR   "tests/eval/"
#define MAX_LABELS 4096
#define MAX_FILES  64

/* The floors of issue 3: precision and recall per type. Types not named: 0.95. */
static double floor_of(const char *type)
{
    static const struct {
        const char *type;
        double floor;
    } floors[] = {
        { "TH_TNIN", 0.99 },    { "EMAIL_ADDRESS", 0.99 }, { "CREDIT_CARD", 0.99 },
        { "IP_ADDRESS", 0.99 }, { "PHONE_NUMBER", 0.97 },
    };
    for (size_t k = 0; k < sizeof(floors) / sizeof(floors[0]); k++)
        if (strcmp(floors[k].type, type) == 0)
            return floors[k].floor;
    return 0.95;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* The corpus: every file of tests/eval/ but the README and the label files, in name order. */
static size_t corpus_files(char names[][64])
{
    size_t n = 0;
    DIR *d = opendir(EVAL_DIR);
    if (!d)
        fail_msg("cannot open " EVAL_DIR " (run from the repository root)");
    struct dirent *e;
    while ((e = readdir(d)) && n < MAX_FILES) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0 ||
            strcmp(e->d_name, "labels.tsv") == 0 || strcmp(e->d_name, "columns.tsv") == 0)
            continue;
        snprintf(names[n++], 64, "%.63s", e->d_name);
    }
    closedir(d);
    qsort(names, n, 64, name_cmp);
    return n;
}

typedef struct {
    char file[64], type[32], value[160];
    int used;
} label;

static label labels[MAX_LABELS];
static size_t nlabels;
static int64_t tp[64], fp[64], fn[64];

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run from the repository root)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* Split tab-separated lines (comments skipped) into up to 3 fields each. */
static size_t read_tsv(const char *path, char rows[][3][160], size_t max)
{
    size_t len, n = 0;
    char *p = slurp(path, &len);
    for (char *line = strtok(p, "\n"); line && n < max; line = strtok(NULL, "\n")) {
        if (line[0] == '#' || !line[0])
            continue;
        char *a = line, *b = strchr(a, '\t'), *c = b ? strchr(b + 1, '\t') : NULL;
        assert_non_null(c);
        *b++ = '\0';
        *c++ = '\0';
        snprintf(rows[n][0], 160, "%.159s", a);
        snprintf(rows[n][1], 160, "%.159s", b);
        snprintf(rows[n][2], 160, "%.159s", c);
        n++;
    }
    free(p);
    return n;
}

typedef struct {
    const char *file;
} eval_ctx;

static int on_eval(const khm_finding *f, void *payload)
{
    const eval_ctx *e = payload;
    for (size_t k = 0; k < nlabels; k++) {
        label *l = &labels[k];
        if (!l->used && strcmp(l->file, e->file) == 0 && strcmp(l->type, f->type) == 0 &&
            strlen(l->value) == f->value_len && memcmp(l->value, f->value, f->value_len) == 0) {
            l->used = 1;
            tp[f->det]++;
            return 0;
        }
    }
    fp[f->det]++;
    print_message("false positive: %s %s '%.*s' line %llu\n", e->file, f->type, (int)f->value_len,
                  f->value, (unsigned long long)f->line);
    return 0;
}

static void test_scan_eval__corpus(void **state)
{
    (void)state;
    static char rows[MAX_LABELS][3][160];
    nlabels = read_tsv(EVAL_DIR "labels.tsv", rows, MAX_LABELS);
    assert_true(nlabels > 100);
    for (size_t k = 0; k < nlabels; k++) {
        snprintf(labels[k].file, sizeof(labels[k].file), "%.63s", rows[k][0]);
        snprintf(labels[k].type, sizeof(labels[k].type), "%.31s", rows[k][1]);
        snprintf(labels[k].value, sizeof(labels[k].value), "%.159s", rows[k][2]);
        assert_true(khm_scan_detector_find(labels[k].type) >= 0);
    }
    print_message("  column %-14s %-24s %-18s %-18s %11s\n", "FILE", "FIELD", "EXPECTED", "FOUND",
                  "MATCHED");
    static char cols[512][3][160];
    size_t ncols = read_tsv(EVAL_DIR "columns.tsv", cols, 512);
    static char files[MAX_FILES][64];
    size_t nfiles = corpus_files(files);
    khm_scanner *sc = scanner_for(NULL);
    khm_scan_state *st = khm_scan_state_new(sc);
    size_t col_ok = 0, col_n = 0, sens_ok = 0, sens_n = 0; /* sens: PDPA s.26 columns */
    for (size_t i = 0; i < nfiles; i++) {
        char path[512];
        size_t len;
        snprintf(path, sizeof(path), EVAL_DIR "%.63s", files[i]);
        char *buf = slurp(path, &len);
        eval_ctx e = { files[i] };
        /* the path a user's file takes: khm_scan_mem guesses the format (CSV, TSV, JSON, JSON
         * Lines, text) from the name and the content, and the encoding (UTF-8, UTF-16, TIS-620) */
        khm_scan_input in = { 0 };
        in.name = files[i];
        khm_scan_info info;
        khm_profile p;
        assert_int_equal(khm_scan_mem(sc, st, buf, len, &in, &p, on_eval, &e, &info), 0);
        for (size_t c = 0; c < ncols; c++) {
            if (strcmp(cols[c][0], files[i]) != 0)
                continue;
            col_n++;
            int seen = 0;
            for (size_t k = 0; k < p.ncols; k++) {
                if (strcmp(p.cols[k].field, cols[c][1]) != 0)
                    continue;
                seen = 1;
                int d = khm_profile_dominant(&p, k);
                const char *got = d >= 0 ? khm_scan_detector_name((size_t)d) : "-";
                int want = khm_scan_detector_find(cols[c][2]);
                int sens =
                    (want >= 0 && khm_scan_detector_pdpa((size_t)want) == KHM_PDPA_SENSITIVE) ||
                    (d >= 0 && khm_scan_detector_pdpa((size_t)d) == KHM_PDPA_SENSITIVE);
                sens_n += sens;
                int right = strcmp(got, cols[c][2]) == 0;
                col_ok += right;
                sens_ok += sens && right;
                print_message("  column %-14s %-24s %-18s %-18s %5lld/%-5lld %s\n", files[i],
                              cols[c][1], cols[c][2], got,
                              d >= 0 ? (long long)p.cols[k].matched[d] : 0LL,
                              (long long)p.cols[k].rows, right ? "ok" : "WRONG");
            }
            if (!seen)
                print_message("  column %s %s: not in the file\n", files[i], cols[c][1]);
        }
        khm_profile_dispose(&p);
        free(buf);
    }
    for (size_t k = 0; k < nlabels; k++)
        if (!labels[k].used) {
            fn[khm_scan_detector_find(labels[k].type)]++;
            print_message("missed: %s %s '%s'\n", labels[k].file, labels[k].type, labels[k].value);
        }
    print_message("%-17s %5s %5s %5s %9s %7s %5s\n", "type", "tp", "fp", "fn", "precision",
                  "recall", "f1");
    int ok = 1;
    for (size_t d = 0; d < khm_scan_detector_count(); d++) {
        double p = tp[d] + fp[d] ? (double)tp[d] / (double)(tp[d] + fp[d]) : 1.0;
        double r = tp[d] + fn[d] ? (double)tp[d] / (double)(tp[d] + fn[d]) : 1.0;
        double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
        print_message("%-17s %5lld %5lld %5lld %9.3f %7.3f %5.3f\n", khm_scan_detector_name(d),
                      (long long)tp[d], (long long)fp[d], (long long)fn[d], p, r, f1);
        double fl = floor_of(khm_scan_detector_name(d));
        if (tp[d] == 0 || p < fl || r < fl) {
            print_message("  %s below its floor %.2f (or no true positive in the corpus)\n",
                          khm_scan_detector_name(d), fl);
            ok = 0;
        }
    }
    print_message("columns: %zu/%zu dominant types right\n", col_ok, col_n);
    print_message("sensitive columns (PDPA s.26): %zu/%zu right\n", sens_ok, sens_n);
    assert_int_equal(col_n, ncols);
    assert_true(col_n == 0 || (double)col_ok / (double)col_n >= 0.98);
    assert_true(sens_n > 0 && (double)sens_ok / (double)sens_n >= 0.95);
    assert_true(ok);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_eval__corpus))
