/* khomun scan: find personal data in files, directories (recursively) and stdin, and report
 * findings, column profiles and per-file totals as a table, one JSON document, JSON Lines or
 * SARIF (docs/scan-output.md). Values are masked unless --show-values.
 *
 * The paths are listed first (directories walked in name order), then --jobs threads take files
 * in turn, each with its own scan state, streaming each file in bounded memory. Findings are
 * written as they come (one lock per 64 KiB of records); each file's own records (its table,
 * its column and file records) are written in the order of the list, whatever the thread. */
#include "cli.h"

#include <khomun/alloc.h>
#include <khomun/buf.h>
#include <khomun/err.h>
#include <khomun/scan.h>
#include <khomun/version.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SCAN_FLUSH    (64 * 1024)
#define SCAN_MAX_JOBS 64

typedef enum { OUT_TABLE, OUT_JSON, OUT_JSONL, OUT_SARIF } out_kind;

typedef struct {
    char *path;   /* "-" for stdin */
    char *notice; /* a per-path error found while listing (e.g. unreadable directory) */
} entry;

/* What a file leaves for the ordered output. */
typedef struct {
    khm_buf rec; /* its table block, or its column and file records */
    char *err;   /* "cannot read x: …" */
    int done, ok, skipped;
    int64_t findings;
    uint64_t bytes;
} result;

typedef struct {
    const khm_scanner *sc;
    out_kind out;
    khm_in_format in;
    khm_enc enc;
    int show_values, progress;
    entry *list;
    size_t n, cap;
    result *res;
    atomic_size_t next;
    pthread_mutex_t mu; /* stdout, stderr, the results, emitted, first */
    size_t emitted;     /* results written so far, in list order */
    int first;          /* no finding written yet (json, sarif: comma placement) */
    int wfail;
    int64_t files, findings, errors;
    uint64_t bytes;
    atomic_uint_fast64_t read_bytes; /* for the progress line */
    uint64_t total_bytes;
    double t0, last_progress;
} scan_run;

typedef struct {
    scan_run *r;
    khm_scan_state *st;
    khm_buf lines; /* findings not yet written */
    const char *file;
    khm_scan_name name; /* file with its JSON form, made once per file */
} worker;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- listing ---- */

static int add_entry(scan_run *r, const char *path, const char *notice)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        entry *l = realloc(r->list, cap * sizeof(*l));
        if (!l)
            return -1;
        r->list = l;
        r->cap = cap;
    }
    r->list[r->n].path = strdup(path);
    r->list[r->n].notice = notice ? strdup(notice) : NULL;
    if (!r->list[r->n].path)
        return -1;
    r->n++;
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_path(scan_run *r, const char *path, int depth);

/* A directory's entries in name order; symbolic links to directories are not followed. */
static void list_dir(scan_run *r, const char *path, int depth)
{
    DIR *d = opendir(path);
    if (!d) {
        char msg[512];
        snprintf(msg, sizeof(msg), "cannot read %s: %s", path, strerror(errno));
        add_entry(r, path, msg);
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
        list_path(r, names[k], depth + 1);
        free(names[k]);
    }
    free(names);
}

static void list_path(scan_run *r, const char *path, int depth)
{
    struct stat st;
    char msg[512];
    if (strcmp(path, "-") == 0) {
        add_entry(r, path, NULL);
        return;
    }
    if (stat(path, &st) != 0) {
        snprintf(msg, sizeof(msg), "cannot read %s: %s", path, strerror(errno));
        add_entry(r, path, msg);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (depth > 64) {
            snprintf(msg, sizeof(msg), "%s: directories nested too deep", path);
            add_entry(r, path, msg);
            return;
        }
        list_dir(r, path, depth);
    } else if (S_ISREG(st.st_mode)) {
        r->total_bytes += (uint64_t)st.st_size;
        add_entry(r, path, NULL);
    } else {
        fprintf(stderr, "khomun: notice: %s: not a regular file, skipped\n", path);
    }
}

/* ---- output ---- */

/* Write a worker's pending findings (the lock held). */
static void put_out(scan_run *r, const char *p, size_t n)
{
    if (n && fwrite(p, 1, n, stdout) != n)
        r->wfail = 1;
}

static void flush_findings(worker *w, int force)
{
    scan_run *r = w->r;
    if (!w->lines.len || (!force && w->lines.len < SCAN_FLUSH))
        return;
    pthread_mutex_lock(&r->mu);
    if (r->out == OUT_JSONL) {
        put_out(r, w->lines.ptr, w->lines.len);
    } else { /* json, sarif: elements separated by commas; w->lines starts with one */
        size_t skip = r->first ? 1 : 0;
        put_out(r, w->lines.ptr + skip, w->lines.len - skip);
        r->first = 0;
    }
    pthread_mutex_unlock(&r->mu);
    khm_buf_reset(&w->lines);
}

/* khm_buf_putc(), its common case inline: one finding's record ends with a call less. */
static inline int putc_fast(khm_buf *b, char c)
{
    if (b->ptr && 1 < b->cap - b->len && b->len + 1 <= b->max) {
        b->ptr[b->len++] = c;
        b->ptr[b->len] = '\0';
        return 0;
    }
    return khm_buf_putc(b, c);
}

static int on_finding(const khm_finding *f, void *payload)
{
    worker *w = payload;
    scan_run *r = w->r;
    int rc = 0;
    switch (r->out) {
    case OUT_TABLE:
        return 0;
    case OUT_JSONL:
        rc = khm_scan_write_finding_named(&w->lines, &w->name, f, r->show_values);
        if (rc == 0)
            rc = putc_fast(&w->lines, '\n');
        break;
    case OUT_JSON:
        rc = putc_fast(&w->lines, ',');
        if (rc == 0)
            rc = khm_scan_write_finding_named(&w->lines, &w->name, f, r->show_values);
        break;
    case OUT_SARIF:
        rc = khm_buf_putc(&w->lines, ',');
        if (rc == 0)
            rc = khm_scan_write_sarif_result(&w->lines, w->file, f, r->show_values);
        break;
    }
    if (rc)
        return r->wfail = 1;
    if (w->lines.len >= SCAN_FLUSH) /* flush_findings()'s own test, without the call */
        flush_findings(w, 0);
    return 0;
}

static void progress_cb(uint64_t bytes, void *payload)
{
    worker *w = payload;
    scan_run *r = w->r;
    if (!r->progress)
        return;
    double t = now_s();
    if (t - r->last_progress < 0.25 || t - r->t0 < 1.0)
        return;
    if (pthread_mutex_trylock(&r->mu) != 0)
        return;
    r->last_progress = t;
    uint64_t done = atomic_load(&r->read_bytes) + bytes;
    double mb = (double)done / 1e6, secs = t - r->t0;
    if (r->total_bytes)
        fprintf(stderr, "\rkhomun: scanning %5.1f%%  %.0f MB  %.0f MB/s ",
                100.0 * (double)done / (double)r->total_bytes, mb, mb / secs);
    else
        fprintf(stderr, "\rkhomun: scanning %.0f MB  %.0f MB/s ", mb, mb / secs);
    pthread_mutex_unlock(&r->mu);
}

static void table_file(worker *w, khm_buf *b, const char *name, const khm_scan_info *t,
                       const khm_profile *p)
{
    khm_arena *a = khm_arena_new(0);
    khm_pdpa top = t->pdpa;
    if (!a)
        return;
    khm_buf_printf(b, "%s: %s%s%s%s, %llu bytes", name, khm_in_format_name(t->format),
                   t->gzip ? " (gzip)" : "", t->encoding != KHM_ENC_UTF8 ? ", " : "",
                   t->encoding != KHM_ENC_UTF8 ? khm_enc_name(t->encoding) : "",
                   (unsigned long long)t->bytes);
    if (t->rows >= 0)
        khm_buf_printf(b, ", %lld %s", (long long)t->rows,
                       t->format == KHM_IN_JSON || t->format == KHM_IN_JSONL ? "records" : "rows");
    khm_buf_printf(b, ", %lld findings, %s", (long long)t->findings, khm_pdpa_name(top));
    for (unsigned k = 1; k < KHM_SENS_COUNT; k++)
        if (t->sensitive & (1u << k))
            khm_buf_printf(b, " %s", khm_sensitive_name(k));
    khm_buf_printf(b, " -> %s / %s\n", khm_scan_suggested_category(top),
                   khm_scan_suggested_classification(top));
    khm_table tb;
    char *cells[6];
    if (p && p->ncols) {
        khm_table_init(&tb, 6, a);
        const char *h[] = { "  FIELD", "TYPE", "MATCHED", "SHARE", "SCORE", "PDPA" };
        khm_table_row(&tb, h);
        for (size_t c = 0; c < p->ncols; c++) {
            int d = khm_profile_dominant(p, c);
            if (d < 0)
                continue;
            const khm_column *col = &p->cols[c];
            khm_pdpa pd = khm_scanner_type_pdpa(w->r->sc, (size_t)d);
            cells[0] = khm_arena_printf(a, "  %s", col->field);
            cells[1] = (char *)khm_arena_strdup(a, khm_scanner_type_name(w->r->sc, (size_t)d));
            cells[2] =
                khm_arena_printf(a, "%lld/%lld", (long long)col->matched[d], (long long)col->rows);
            cells[3] = khm_arena_printf(
                a, "%.2f", col->rows ? (double)col->matched[d] / (double)col->rows : 0.0);
            cells[4] = khm_arena_printf(a, "%.2f", col->score_sum[d] / (double)col->matched[d]);
            cells[5] = (char *)khm_arena_strdup(a, khm_pdpa_name(col->pdpa > pd ? col->pdpa : pd));
            khm_table_row(&tb, (const char *const *)cells);
        }
        if (tb.nrows > 1)
            khm_table_format(&tb, b);
    } else if (t->findings) {
        khm_table_init(&tb, 2, a);
        const char *h[] = { "  TYPE", "FINDINGS" };
        khm_table_row(&tb, h);
        for (size_t d = 0; d < khm_scanner_type_count(w->r->sc) && d < KHM_SCAN_MAX_TYPES; d++) {
            if (!t->types[d])
                continue;
            cells[0] = khm_arena_printf(a, "  %s", khm_scanner_type_name(w->r->sc, d));
            cells[1] = khm_arena_printf(a, "%lld", (long long)t->types[d]);
            khm_table_row(&tb, (const char *const *)cells);
        }
        khm_table_format(&tb, b);
    }
    khm_arena_free(a);
}

/* Write the finished results in list order (the lock held). */
static void emit_ready(scan_run *r)
{
    while (r->emitted < r->n && r->res[r->emitted].done) {
        result *x = &r->res[r->emitted];
        if (r->progress && (x->err || x->rec.len))
            fputs("\r\033[K", stderr);
        if (x->err) {
            fprintf(stderr, "khomun: error: %s\n", x->err);
            r->errors++;
        }
        if (x->ok) {
            r->files++;
            r->bytes += x->bytes;
            r->findings += x->findings;
        }
        if (r->out == OUT_TABLE || r->out == OUT_JSONL)
            put_out(r, x->rec.ptr, x->rec.len);
        /* json: the column and file records stay in rec for the end of the document */
        if (r->out != OUT_JSON)
            khm_buf_dispose(&x->rec);
        r->emitted++;
    }
}

/* ---- scanning ---- */

static void notices(const char *name, const khm_scan_info *info)
{
    if (info->invalid)
        fprintf(stderr, "khomun: notice: %s: %llu invalid %s sequences (left as they are)\n", name,
                (unsigned long long)info->invalid, khm_enc_name(info->encoding));
    if (info->split)
        fprintf(stderr,
                "khomun: notice: %s: %lld line%s, record%s or value%s over 1 MiB scanned in "
                "pieces\n",
                name, (long long)info->split, info->split == 1 ? "" : "s",
                info->split == 1 ? "" : "s", info->split == 1 ? "" : "s");
    if (info->bad_lines)
        fprintf(stderr, "khomun: notice: %s: %lld line%s not JSON, skipped (first: line %lld)\n",
                name, (long long)info->bad_lines, info->bad_lines == 1 ? "" : "s",
                (long long)info->first_bad_line);
}

static void scan_one(worker *w, size_t k)
{
    scan_run *r = w->r;
    entry *e = &r->list[k];
    result *x = &r->res[k];
    const char *name = e->path;
    khm_buf_init(&x->rec, (size_t)1 << 30);
    if (e->notice) {
        x->err = strdup(e->notice);
        goto done;
    }
    int fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        char msg[512];
        snprintf(msg, sizeof(msg), "cannot read %s: %s", name, strerror(errno));
        x->err = strdup(msg);
        goto done;
    }
    khm_scan_input in = { 0 };
    in.format = r->in;
    in.encoding = r->enc;
    in.name = name;
    in.progress = progress_cb;
    khm_scan_info info;
    khm_profile prof;
    w->file = name;
    if (khm_scan_name_set(&w->name, name) < 0)
        khm_err_clear(); /* each record escapes the name itself */
    double t0 = now_s();
    uint64_t before = 0;
    int rc = khm_scan_fd(r->sc, w->st, fd, &in, &prof, on_finding, w, &info);
    double secs = now_s() - t0;
    before = info.bytes;
    atomic_fetch_add(&r->read_bytes, before);
    if (fd > 0)
        close(fd);
    flush_findings(w, 1);
    pthread_mutex_lock(&r->mu);
    if (r->progress)
        fputs("\r\033[K", stderr);
    if (info.binary)
        fprintf(stderr, "khomun: notice: %s: binary file skipped\n", name);
    else
        notices(name, &info);
    pthread_mutex_unlock(&r->mu);
    if (rc < 0) {
        char msg[768];
        snprintf(msg, sizeof(msg), "%s: %s", name, khm_err_last()->message);
        x->err = strdup(msg);
    }
    if (rc >= 0 || info.bytes) {
        x->ok = !info.binary;
        x->skipped = info.binary;
        x->findings = info.findings;
        x->bytes = info.bytes;
    }
    if (x->ok && r->out == OUT_TABLE) {
        table_file(w, &x->rec, name, &info, prof.ncols ? &prof : NULL);
    } else if (x->ok && (r->out == OUT_JSON || r->out == OUT_JSONL)) {
        int bad = 0;
        for (size_t c = 0; c < prof.ncols; c++) {
            if (khm_profile_dominant(&prof, c) < 0)
                continue;
            if (r->out == OUT_JSON)
                bad |= khm_buf_putc(&x->rec, ',');
            bad |= khm_scan_write_column(&x->rec, name, &prof, c);
            if (r->out == OUT_JSONL)
                bad |= khm_buf_putc(&x->rec, '\n');
        }
        if (r->out == OUT_JSON)
            bad |= khm_buf_putc(&x->rec, '\t'); /* columns | file record */
        bad |= khm_scan_write_file(&x->rec, name, &info, secs);
        if (r->out == OUT_JSONL)
            bad |= khm_buf_putc(&x->rec, '\n');
        if (bad)
            r->wfail = 1;
    }
    khm_profile_dispose(&prof);
done:
    pthread_mutex_lock(&r->mu);
    x->done = 1;
    emit_ready(r);
    pthread_mutex_unlock(&r->mu);
}

static void *work(void *arg)
{
    worker *w = arg;
    size_t k;
    while ((k = atomic_fetch_add(&w->r->next, 1)) < w->r->n)
        scan_one(w, k);
    return NULL;
}

static int worker_init(worker *w, scan_run *r)
{
    memset(w, 0, sizeof(*w));
    w->r = r;
    khm_buf_init(&w->lines, (size_t)1 << 30);
    khm_buf_init(&w->name.json, (size_t)1 << 20);
    w->st = khm_scan_state_new(r->sc);
    return w->st ? 0 : -1;
}

static void worker_dispose(worker *w)
{
    khm_buf_dispose(&w->lines);
    khm_buf_dispose(&w->name.json);
    khm_scan_state_free(w->st);
}

/* The end of a json document: columns and files of every file, in list order, then the summary. */
static void json_tail(scan_run *r, const char *summary)
{
    int first = 1;
    fputs("],\"columns\":[", stdout);
    for (size_t k = 0; k < r->n; k++) {
        khm_buf *b = &r->res[k].rec;
        const char *tab = b->ptr ? memchr(b->ptr, '\t', b->len) : NULL;
        if (!tab || tab == b->ptr)
            continue;
        put_out(r, b->ptr + (first ? 1 : 0), (size_t)(tab - b->ptr) - (first ? 1 : 0));
        first = 0;
    }
    fputs("],\"files\":[", stdout);
    first = 1;
    for (size_t k = 0; k < r->n; k++) {
        khm_buf *b = &r->res[k].rec;
        const char *tab = b->ptr ? memchr(b->ptr, '\t', b->len) : NULL;
        if (!tab)
            continue;
        if (!first)
            putchar(',');
        put_out(r, tab + 1, b->len - (size_t)(tab + 1 - b->ptr));
        first = 0;
    }
    printf("],\"summary\":%s}\n", summary);
}

static int parse_jobs(const khm_cmd *cmd, const char *s, int *out)
{
    char *end;
    long v;
    if (!s) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        *out = n < 1 ? 1 : n > SCAN_MAX_JOBS ? SCAN_MAX_JOBS : (int)n;
        return 0;
    }
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > SCAN_MAX_JOBS)
        return khm_cli_usage(cmd, "--jobs must be a number from 1 to %d, not '%s'", SCAN_MAX_JOBS,
                             s);
    *out = (int)v;
    return 0;
}

int khm_cmd_scan(int argc, char **argv)
{
    const khm_cmd *cmd = khm_cli_find("scan");
    khm_common c;
    const char *format = NULL, *input = NULL, *encoding = NULL, *jobs_s = NULL, *types_s = NULL,
               *config = NULL;
    int show = 0, no_progress = 0, jobs = 1;
    char **args;
    int nargs;
    const khm_cli_opt opts[] = {
        { "format", &format, NULL },
        { "input-format", &input, NULL },
        { "encoding", &encoding, NULL },
        { "jobs", &jobs_s, NULL },
        { "types", &types_s, NULL },
        { "config", &config, NULL },
        { "show-values", NULL, &show },
        { "no-progress", NULL, &no_progress },
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
    else if (strcmp(format, "sarif") == 0)
        r.out = OUT_SARIF;
    else
        return khm_cli_usage(cmd, "--format must be table, json, jsonl or sarif, not '%s'", format);
    if (input && khm_in_format_parse(input, &r.in) < 0)
        return khm_cli_usage(
            cmd, "--input-format must be auto, csv, tsv, json, jsonl or text, not '%s'", input);
    if (encoding && khm_enc_parse(encoding, &r.enc) < 0)
        return khm_cli_usage(
            cmd, "--encoding must be auto, utf-8, utf-16le, utf-16be or tis-620, not '%s'",
            encoding);
    if ((rc = parse_jobs(cmd, jobs_s, &jobs)) != 0)
        return rc;
    if (nargs == 0)
        return khm_cli_usage(cmd, "say what to scan: files, directories, or - for stdin");
    /* --types TH_TNIN,EMAIL_ADDRESS */
    char *types_buf = types_s ? strdup(types_s) : NULL;
    const char *types[KHM_SCAN_MAX_TYPES + 1];
    size_t ntypes = 0;
    if (types_buf)
        for (char *t = strtok(types_buf, ","); t && ntypes < KHM_SCAN_MAX_TYPES;
             t = strtok(NULL, ","))
            types[ntypes++] = t;
    types[ntypes] = NULL;
    khm_scan_config *cfg = NULL;
    if (config && (rc = khm_scan_config_load_file(&cfg, config)) < 0) {
        free(types_buf);
        return khm_cli_fail(rc); /* names each bad field of the file (exit 5), or 8 unreadable */
    }
    khm_scan_opts so = { 0 };
    so.types = types_buf ? types : NULL;
    so.config = cfg;
    khm_scanner *sc = NULL;
    if ((rc = khm_scanner_new(&sc, &so)) < 0) {
        free(types_buf);
        khm_scan_config_free(cfg);
        return khm_cli_usage(cmd, "--types: unknown detector in '%s' (see docs/detectors/)",
                             types_s);
    }
    free(types_buf);
    r.sc = sc;
    r.first = 1;
    r.progress = !no_progress && isatty(2);
    pthread_mutex_init(&r.mu, NULL);
    r.t0 = now_s();
    for (int k = 0; k < nargs; k++)
        list_path(&r, args[k], 0);
    r.res = calloc(r.n ? r.n : 1, sizeof(*r.res));
    int nw = jobs < (int)r.n ? jobs : (int)(r.n ? r.n : 1);
    worker *ws = calloc((size_t)nw, sizeof(*ws));
    pthread_t *th = calloc((size_t)nw, sizeof(*th));
    int ok = r.res && ws && th;
    for (int k = 0; ok && k < nw; k++)
        ok = worker_init(&ws[k], &r) == 0;
    if (!ok) {
        for (int k = 0; ws && k < nw; k++)
            worker_dispose(&ws[k]);
        free(ws);
        free(th);
        free(r.res);
        khm_scanner_free(sc);
        khm_scan_config_free(cfg);
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    }
    if (r.out == OUT_JSON) {
        fputs("{\"findings\":[", stdout);
    } else if (r.out == OUT_SARIF) {
        khm_buf h = KHM_BUF_INIT((size_t)1 << 24);
        if (khm_scan_write_sarif_head(&h, KHM_VERSION, sc) == 0)
            put_out(&r, h.ptr, h.len);
        else
            r.wfail = 1;
        khm_buf_dispose(&h);
    }
    int started = 0;
    for (int k = 1; k < nw; k++)
        if (pthread_create(&th[k], NULL, work, &ws[k]) == 0)
            started = k;
    work(&ws[0]);
    for (int k = 1; k <= started; k++)
        pthread_join(th[k], NULL);
    double secs = now_s() - r.t0;
    if (r.progress)
        fputs("\r\033[K", stderr);
    khm_buf sum = KHM_BUF_INIT((size_t)1 << 20);
    if (khm_scan_write_summary(&sum, r.files, r.bytes, r.findings, r.errors, secs))
        r.wfail = 1;
    if (r.out == OUT_JSONL) {
        printf("%s\n", sum.ptr ? sum.ptr : "{}");
    } else if (r.out == OUT_JSON) {
        json_tail(&r, sum.ptr ? sum.ptr : "{}");
    } else if (r.out == OUT_SARIF) {
        khm_buf t = KHM_BUF_INIT(4096);
        if (khm_scan_write_sarif_tail(&t, r.errors == 0) == 0)
            put_out(&r, t.ptr, t.len);
        putchar('\n');
        khm_buf_dispose(&t);
    } else {
        printf("scanned %lld file%s, %llu bytes, %lld findings in %.3f s", (long long)r.files,
               r.files == 1 ? "" : "s", (unsigned long long)r.bytes, (long long)r.findings, secs);
        if (r.errors)
            printf(", %lld unreadable", (long long)r.errors);
        putchar('\n');
    }
    khm_buf_dispose(&sum);
    for (size_t k = 0; k < r.n; k++) {
        khm_buf_dispose(&r.res[k].rec);
        free(r.res[k].err);
        free(r.list[k].path);
        free(r.list[k].notice);
    }
    for (int k = 0; k < nw; k++)
        worker_dispose(&ws[k]);
    free(ws);
    free(th);
    free(r.res);
    free(r.list);
    pthread_mutex_destroy(&r.mu);
    khm_scanner_free(sc);
    khm_scan_config_free(cfg);
    if (fflush(stdout) != 0 || r.wfail)
        return khm_cli_fail(khm_err_set(KHM_EIO, "cannot write the results"));
    return r.errors ? khm_err_info_get(KHM_EIO)->exit_code : 0;
}
