/* khomun scan: find personal data in files, directories (recursively) and stdin, and report
 * findings, column profiles and per-file totals as a table, one JSON document or JSON Lines
 * (docs/scan-output.md). Values are masked unless --show-values. */
#include "cli.h"

#include <khomun/alloc.h>
#include <khomun/buf.h>
#include <khomun/err.h>
#include <khomun/scan.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SCAN_STDIN_MAX ((size_t)4 << 30) /* stdin is read whole for now */
#define SCAN_FLUSH     (64 * 1024)

typedef enum { OUT_TABLE, OUT_JSON, OUT_JSONL } out_kind;
typedef enum { IN_AUTO, IN_CSV, IN_TSV, IN_TEXT } in_kind;

typedef struct {
    khm_scanner *sc;
    khm_scan_state *st;
    out_kind out;
    in_kind in;
    int show_values;
    khm_buf findings, columns, files; /* jsonl: findings holds pending lines */
    const char *file;                 /* current file name in records */
    int64_t types[64];
    khm_pdpa pdpa;      /* of the current file */
    unsigned sensitive; /* of the current file */
    int64_t nfiles, nfindings, errors;
    uint64_t bytes;
    int wfail;
    khm_arena *a;
} scan_run;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void flush_lines(scan_run *r, int force)
{
    if (r->out != OUT_JSONL || (!force && r->findings.len < SCAN_FLUSH))
        return;
    if (r->findings.len && fwrite(r->findings.ptr, 1, r->findings.len, stdout) != r->findings.len)
        r->wfail = 1;
    khm_buf_reset(&r->findings);
}

/* Append one record: a line (jsonl) or an array element (json). */
static int record_sep(scan_run *r, khm_buf *b)
{
    if (r->out == OUT_JSON && b->len)
        return khm_buf_putc(b, ',');
    return 0;
}

static int record_end(scan_run *r, khm_buf *b)
{
    return r->out == OUT_JSONL ? khm_buf_putc(b, '\n') : 0;
}

static int on_finding(const khm_finding *f, void *payload)
{
    scan_run *r = payload;
    if (f->det >= 0 && f->det < 64)
        r->types[f->det]++;
    if (f->pdpa > r->pdpa)
        r->pdpa = f->pdpa;
    if (f->sens)
        r->sensitive |= 1u << f->sens;
    if (r->out == OUT_TABLE)
        return 0;
    if (record_sep(r, &r->findings) ||
        khm_scan_write_finding(&r->findings, r->file, f, r->show_values) ||
        record_end(r, &r->findings))
        return r->wfail = 1;
    flush_lines(r, 0);
    return 0;
}

static void table_file(scan_run *r, const khm_scan_file_totals *t, const khm_profile *p)
{
    khm_pdpa top = t->pdpa;
    printf("%s: %s, %llu bytes", t->file, t->format, (unsigned long long)t->bytes);
    if (t->rows >= 0)
        printf(", %lld rows", (long long)t->rows);
    printf(", %lld findings, %s -> %s / %s\n", (long long)t->findings, khm_pdpa_name(top),
           khm_scan_suggested_category(top), khm_scan_suggested_classification(top));
    khm_table tb;
    char *cells[5];
    if (p && p->ncols) {
        khm_table_init(&tb, 5, r->a);
        const char *h[] = { "  FIELD", "TYPE", "MATCHED", "SHARE", "SCORE" };
        khm_table_row(&tb, h);
        for (size_t c = 0; c < p->ncols; c++) {
            int d = khm_profile_dominant(p, c);
            if (d < 0)
                continue;
            const khm_column *col = &p->cols[c];
            cells[0] = khm_arena_printf(r->a, "  %s", col->field);
            cells[1] = (char *)khm_arena_strdup(r->a, khm_scan_detector_name((size_t)d));
            cells[2] = khm_arena_printf(r->a, "%lld/%lld", (long long)col->matched[d],
                                        (long long)col->rows);
            cells[3] = khm_arena_printf(
                r->a, "%.2f", col->rows ? (double)col->matched[d] / (double)col->rows : 0.0);
            cells[4] = khm_arena_printf(r->a, "%.2f", col->score_sum[d] / (double)col->matched[d]);
            khm_table_row(&tb, (const char *const *)cells);
        }
        if (tb.nrows > 1)
            khm_table_print(&tb);
    } else if (t->findings) {
        khm_table_init(&tb, 2, r->a);
        const char *h[] = { "  TYPE", "FINDINGS" };
        khm_table_row(&tb, h);
        for (size_t d = 0; d < khm_scan_detector_count() && d < 64; d++) {
            if (!t->types[d])
                continue;
            cells[0] = khm_arena_printf(r->a, "  %s", khm_scan_detector_name(d));
            cells[1] = khm_arena_printf(r->a, "%lld", (long long)t->types[d]);
            khm_table_row(&tb, (const char *const *)cells);
        }
        khm_table_print(&tb);
    }
}

static const char *ext_of(const char *path)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

static void scan_data(scan_run *r, const char *name, const char *data, size_t len, int is_stdin)
{
    double t0 = now_s();
    size_t probe = len < 8192 ? len : 8192;
    if (probe && memchr(data, '\0', probe)) {
        fprintf(stderr, "khomun: notice: %s: binary file skipped\n", name);
        return;
    }
    char delim = 0;
    in_kind in = r->in;
    if (in == IN_AUTO) {
        const char *e = ext_of(name);
        if (strcasecmp(e, "csv") == 0)
            in = IN_CSV;
        else if (strcasecmp(e, "tsv") == 0)
            in = IN_TSV;
        else if (is_stdin && (delim = khm_csv_sniff(data, len)) && memchr(data, '\n', len))
            in = delim == '\t' ? IN_TSV : IN_CSV;
        else
            in = IN_TEXT;
    }
    if (in == IN_TSV)
        delim = '\t';
    memset(r->types, 0, sizeof(r->types));
    r->pdpa = KHM_PDPA_NONE;
    r->sensitive = 0;
    r->file = name;
    khm_profile prof = { 0 };
    int64_t n;
    if (in == IN_TEXT)
        n = khm_scan_buf(r->sc, r->st, data, len, on_finding, r);
    else
        n = khm_scan_csv(r->sc, r->st, data, len, delim, &prof, on_finding, r);
    if (n < 0 && !r->wfail) {
        khm_cli_fail((int)n);
        r->errors++;
        khm_profile_dispose(&prof);
        return;
    }
    khm_scan_file_totals t = { name,
                               in == IN_TEXT  ? "text"
                               : in == IN_TSV ? "tsv"
                                              : "csv",
                               "utf-8",
                               len,
                               in == IN_TEXT ? -1 : prof.rows,
                               n < 0 ? 0 : n,
                               r->types,
                               0,
                               r->pdpa,
                               r->sensitive };
    t.seconds = now_s() - t0;
    r->nfiles++;
    r->bytes += len;
    r->nfindings += t.findings;
    if (r->out == OUT_TABLE) {
        table_file(r, &t, in == IN_TEXT ? NULL : &prof);
    } else {
        khm_buf *cb = r->out == OUT_JSON ? &r->columns : &r->findings;
        for (size_t c = 0; c < prof.ncols; c++)
            if (khm_profile_dominant(&prof, c) >= 0 &&
                (record_sep(r, cb) || khm_scan_write_column(cb, name, &prof, c) ||
                 record_end(r, cb)))
                r->wfail = 1;
        khm_buf *fb = r->out == OUT_JSON ? &r->files : &r->findings;
        if (record_sep(r, fb) || khm_scan_write_file(fb, &t) || record_end(r, fb))
            r->wfail = 1;
        flush_lines(r, 1);
    }
    khm_profile_dispose(&prof);
}

static void read_error(scan_run *r, const char *path)
{
    fprintf(stderr, "khomun: error: cannot read %s: %s\n", path, strerror(errno));
    r->errors++;
}

static void scan_file(scan_run *r, const char *path, const struct stat *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        read_error(r, path);
        return;
    }
    size_t len = (size_t)st->st_size;
    void *m = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
    if (len && m == MAP_FAILED) {
        read_error(r, path);
        close(fd);
        return;
    }
    if (m)
        madvise(m, len, MADV_SEQUENTIAL);
    scan_data(r, path, m ? m : "", len, 0);
    if (m)
        munmap(m, len);
    close(fd);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan_path(scan_run *r, const char *path, int depth);

/* A directory's entries in name order; symbolic links to directories are not followed. */
static void scan_dir(scan_run *r, const char *path, int depth)
{
    DIR *d = opendir(path);
    if (!d) {
        read_error(r, path);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof(*nn));
            if (!nn)
                break;
            names = nn;
        }
        size_t pl = strlen(path);
        char *full = malloc(pl + strlen(e->d_name) + 2);
        if (!full)
            break;
        sprintf(full, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", e->d_name);
        names[n++] = full;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), name_cmp);
    for (size_t k = 0; k < n; k++) {
        struct stat ls;
        if (lstat(names[k], &ls) == 0 && S_ISLNK(ls.st_mode)) {
            struct stat ts;
            if (stat(names[k], &ts) == 0 && S_ISDIR(ts.st_mode)) {
                fprintf(stderr, "khomun: notice: %s: symbolic link to a directory skipped\n",
                        names[k]);
                free(names[k]);
                continue;
            }
        }
        scan_path(r, names[k], depth + 1);
        free(names[k]);
    }
    free(names);
}

static void scan_path(scan_run *r, const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        read_error(r, path);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (depth > 64) {
            fprintf(stderr, "khomun: error: %s: directories nested too deep\n", path);
            r->errors++;
            return;
        }
        scan_dir(r, path, depth);
    } else if (S_ISREG(st.st_mode)) {
        scan_file(r, path, &st);
    } else {
        fprintf(stderr, "khomun: notice: %s: not a regular file, skipped\n", path);
    }
}

static void scan_stdin(scan_run *r)
{
    khm_buf b = KHM_BUF_INIT(SCAN_STDIN_MAX);
    char tmp[65536];
    size_t got;
    int rc = 0;
    while (rc == 0 && (got = fread(tmp, 1, sizeof(tmp), stdin)) > 0)
        rc = khm_buf_put(&b, tmp, got);
    if (rc < 0 || ferror(stdin)) {
        fprintf(stderr, "khomun: error: cannot read stdin%s\n",
                rc == KHM_ELIMIT ? ": over 4 GiB" : "");
        r->errors++;
    } else {
        scan_data(r, "-", b.ptr ? b.ptr : "", b.len, 1);
    }
    khm_buf_dispose(&b);
}

int khm_cmd_scan(int argc, char **argv)
{
    const khm_cmd *cmd = khm_cli_find("scan");
    khm_common c;
    const char *format = NULL, *input = NULL;
    int show = 0;
    char **args;
    int nargs;
    const khm_cli_opt opts[] = {
        { "format", &format, NULL },
        { "input-format", &input, NULL },
        { "show-values", NULL, &show },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 1 << 30, &args, &nargs);
    if (rc >= 0)
        return rc;
    scan_run r;
    memset(&r, 0, sizeof(r));
    r.show_values = show;
    if (!format || strcmp(format, "table") == 0)
        r.out = OUT_TABLE;
    else if (strcmp(format, "json") == 0)
        r.out = OUT_JSON;
    else if (strcmp(format, "jsonl") == 0)
        r.out = OUT_JSONL;
    else
        return khm_cli_usage(cmd, "--format must be table, json or jsonl, not '%s'", format);
    if (!input || strcmp(input, "auto") == 0)
        r.in = IN_AUTO;
    else if (strcmp(input, "csv") == 0)
        r.in = IN_CSV;
    else if (strcmp(input, "tsv") == 0)
        r.in = IN_TSV;
    else if (strcmp(input, "text") == 0)
        r.in = IN_TEXT;
    else
        return khm_cli_usage(cmd, "--input-format must be auto, csv, tsv or text, not '%s'", input);
    if (nargs == 0)
        return khm_cli_usage(cmd, "say what to scan: files, directories, or - for stdin");
    khm_buf_init(&r.findings, (size_t)1 << 40);
    khm_buf_init(&r.columns, (size_t)1 << 40);
    khm_buf_init(&r.files, (size_t)1 << 40);
    if ((rc = khm_scanner_new(&r.sc, NULL)) < 0)
        return khm_cli_fail(rc);
    r.st = khm_scan_state_new(r.sc);
    r.a = khm_arena_new(0);
    if (!r.st || !r.a) {
        khm_scan_state_free(r.st);
        khm_scanner_free(r.sc);
        khm_arena_free(r.a);
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    }
    double t0 = now_s();
    for (int k = 0; k < nargs; k++) {
        if (strcmp(args[k], "-") == 0)
            scan_stdin(&r);
        else
            scan_path(&r, args[k], 0);
    }
    double secs = now_s() - t0;
    khm_buf sum = KHM_BUF_INIT((size_t)1 << 20);
    if (khm_scan_write_summary(&sum, r.nfiles, r.bytes, r.nfindings, r.errors, secs))
        r.wfail = 1;
    if (r.out == OUT_JSONL) {
        flush_lines(&r, 1);
        printf("%s\n", sum.ptr ? sum.ptr : "{}");
    } else if (r.out == OUT_JSON) {
        printf("{\"findings\":[%s],\"columns\":[%s],\"files\":[%s],\"summary\":%s}\n",
               r.findings.ptr ? r.findings.ptr : "", r.columns.ptr ? r.columns.ptr : "",
               r.files.ptr ? r.files.ptr : "", sum.ptr ? sum.ptr : "{}");
    } else {
        printf("scanned %lld file%s, %llu bytes, %lld findings in %.3f s", (long long)r.nfiles,
               r.nfiles == 1 ? "" : "s", (unsigned long long)r.bytes, (long long)r.nfindings, secs);
        if (r.errors)
            printf(", %lld unreadable", (long long)r.errors);
        putchar('\n');
    }
    khm_buf_dispose(&sum);
    khm_buf_dispose(&r.findings);
    khm_buf_dispose(&r.columns);
    khm_buf_dispose(&r.files);
    khm_scan_state_free(r.st);
    khm_scanner_free(r.sc);
    khm_arena_free(r.a);
    if (fflush(stdout) != 0 || r.wfail)
        return khm_cli_fail(khm_err_set(KHM_EIO, "cannot write the results"));
    return r.errors ? khm_err_info_get(KHM_EIO)->exit_code : 0;
}
