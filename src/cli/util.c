/* Helpers every command shares: the common options, error reporting with field errors in
 * English and Thai, opening the data directory's store, JSON output and Thai-aware tables. */
#include "cli.h"

#include <khomun/audit.h>
#include <khomun/err.h>
#include <khomun/setup.h>
#include <khomun/utf8.h>

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KHM_OPT_DATA   1000
#define KHM_OPT_DB     1001
#define KHM_OPT_FORMAT 1002
#define KHM_OPT_HELP   'h'

/* Long options every command understands. */
#define KHM_COMMON_OPTS                                        \
    { "data", required_argument, NULL, KHM_OPT_DATA },         \
        { "db", required_argument, NULL, KHM_OPT_DB },         \
        { "format", required_argument, NULL, KHM_OPT_FORMAT }, \
    {                                                          \
        "help", no_argument, NULL, KHM_OPT_HELP                \
    }

static void khm_cli_common_init(khm_common *c)
{
    const char *env = getenv("KHOMUN_DATA");
    c->data_dir = env && *env ? env : "khomun-data";
    c->db = NULL;
    c->format = KHM_OUT_TABLE;
}

int khm_cli_usage(const khm_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("khomun: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'khomun %s --help'.\n", cmd->name);
    return khm_err_info_get(KHM_EUSAGE)->exit_code;
}

/* Handle what every command handles the same way: the common options, --help, unknown options
 * and missing values. 1 when handled, 0 when @p opt is the command's own, or -1 - exit status. */
static int khm_cli_common_opt(int opt, const khm_cmd *cmd, khm_common *c, char **argv)
{
    switch (opt) {
    case KHM_OPT_DATA:
        if (!*optarg)
            return -1 - khm_cli_usage(cmd, "--data needs a directory");
        c->data_dir = optarg;
        return 1;
    case KHM_OPT_DB:
        c->db = optarg;
        return 1;
    case KHM_OPT_FORMAT:
        if (strcmp(optarg, "table") == 0)
            c->format = KHM_OUT_TABLE;
        else if (strcmp(optarg, "json") == 0)
            c->format = KHM_OUT_JSON;
        else
            return -1 - khm_cli_usage(cmd, "--format must be table or json, not '%s'", optarg);
        return 1;
    case KHM_OPT_HELP:
        fputs(cmd->usage, stdout);
        return -1;
    case ':':
        return -1 - khm_cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
    case '?':
        /* optopt is the unknown short option, 0 for an unknown long one, and (glibc) the val
         * of a long option given a value it does not take ("--demo=1"), which is no character */
        if (optopt > ' ' && optopt < 127 && optopt != KHM_OPT_HELP)
            return -1 - khm_cli_usage(cmd, "unknown option '-%c'", optopt);
        if (optopt)
            return -1 - khm_cli_usage(cmd, "option '%.*s' takes no value",
                                      (int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
        return -1 - khm_cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
    default:
        return 0;
    }
}

int khm_cli_parse(const khm_cmd *cmd, khm_common *c, const khm_cli_opt *opts, int argc, char **argv,
                  int max_args, char ***args, int *nargs)
{
    struct option lo[KHM_CLI_MAX_OPTS + 5] = { KHM_COMMON_OPTS };
    size_t n = 4, k = 0;
    /* a command may take over a common option (scan's --format has more values): drop ours */
    for (size_t j = 0; j < n; j++)
        for (size_t o = 0; opts && opts[o].name; o++)
            if (strcmp(lo[j].name, opts[o].name) == 0) {
                memmove(&lo[j], &lo[j + 1], (n - j - 1) * sizeof(lo[0]));
                n--;
                j--;
                break;
            }
    for (; opts && opts[k].name && k < KHM_CLI_MAX_OPTS; k++, n++) {
        lo[n].name = opts[k].name;
        lo[n].has_arg = opts[k].str ? required_argument : no_argument;
        lo[n].flag = NULL;
        lo[n].val = 2000 + (int)k;
    }
    memset(&lo[n], 0, sizeof(lo[n]));
    khm_cli_common_init(c);
    optind = 0;
    opterr = 0;
    int opt, h;
    while ((opt = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        if ((h = khm_cli_common_opt(opt, cmd, c, argv)) < 0)
            return -1 - h;
        if (h)
            continue;
        if (opt < 2000 || opt >= 2000 + (int)k)
            return khm_cli_usage(cmd, "unexpected option");
        const khm_cli_opt *o = &opts[opt - 2000];
        if (o->str)
            *o->str = optarg;
        else
            *o->flag = 1;
    }
    if (argc - optind > max_args)
        return khm_cli_usage(cmd, "unexpected argument '%s'", argv[optind + max_args]);
    if (args)
        *args = argv + optind;
    if (nargs)
        *nargs = argc - optind;
    return -1;
}

int khm_cli_dispatch(const char *command, const khm_subcmd *subs, int argc, char **argv)
{
    const khm_cmd *cmd = khm_cli_find(command);
    char names[128] = "";
    for (const khm_subcmd *sc = subs; sc->name; sc++) {
        size_t l = strlen(names);
        snprintf(names + l, sizeof(names) - l, "%s%s", l ? ", " : "", sc->name);
    }
    if (argc < 2)
        return khm_cli_usage(cmd, "say which: %s", names);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(cmd->usage, stdout);
        return 0;
    }
    for (const khm_subcmd *sc = subs; sc->name; sc++)
        if (strcmp(argv[1], sc->name) == 0)
            return sc->fn(cmd, argc - 1, argv + 1);
    return khm_cli_usage(cmd, "unknown subcommand '%s' (use %s)", argv[1], names);
}

int khm_cli_fail(int code)
{
    const khm_error *e = khm_err_last();
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    if (code == KHM_EINVALID && nf > 0) {
        fprintf(stderr, "khomun: error: invalid input\n");
        for (size_t i = 0; i < nf; i++)
            fprintf(stderr, "  %s: %s%s%s%s\n", fe[i].field, fe[i].message,
                    fe[i].message_th[0] ? " (" : "", fe[i].message_th,
                    fe[i].message_th[0] ? ")" : "");
    } else {
        fprintf(stderr, "khomun: error: %s\n",
                e->message[0] ? e->message : khm_err_info_get(code)->title);
    }
    return khm_err_info_get(code)->exit_code;
}

int khm_cli_open_store(khm_store **out, const khm_common *c, khm_arena *a)
{
    int rc = khm_datadir_check(c->data_dir);
    if (rc < 0)
        return rc;
    const char *db = c->db ? c->db : khm_datadir_db_path(c->data_dir, a);
    return khm_store_open(out, db, NULL);
}

void khm_cli_actor(char *out, size_t cap)
{
    const char *login = getenv("USER");
    struct passwd *pw = login && *login ? NULL : getpwuid(getuid());
    snprintf(out, cap, "cli:%s", login && *login ? login : pw ? pw->pw_name : "?");
}

int khm_cli_audit(khm_tx *tx, const khm_common *c, const char *action, const char *target)
{
    char actor[96];
    khm_cli_actor(actor, sizeof(actor));
    khm_audit_event ev = { 0 };
    ev.actor_user = actor;
    ev.action = action;
    ev.target = target;
    ev.outcome = "success";
    ev.client = "cli";
    khm_keys keys;
    int rc = khm_keys_load(&keys, c->data_dir);
    if (rc == 0 && (rc = khm_audit_append(tx, &ev, NULL)) == 0)
        rc = khm_audit_checkpoint(tx, &keys, NULL);
    khm_keys_wipe(&keys);
    return rc;
}

int khm_cli_print_json(json_t *v)
{
    if (!v)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    /* 15 significant digits: a real the library wrote as 0.261 prints as 0.261, not as the
     * nearest double's 17 digits (0.26100000000000001) */
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    json_decref(v);
    if (!s)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    puts(s);
    free(s);
    return 0;
}

void khm_table_init(khm_table *t, size_t ncols, khm_arena *a)
{
    memset(t, 0, sizeof(*t));
    t->ncols = ncols;
    t->a = a;
}

int khm_table_row(khm_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        const char **nc = khm_arena_alloc(t->a, cap * t->ncols * sizeof(char *));
        if (!nc)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        if (t->nrows)
            memcpy(nc, t->cells, t->nrows * t->ncols * sizeof(char *));
        t->cells = nc;
        t->cap = cap;
    }
    for (size_t i = 0; i < t->ncols; i++)
        t->cells[t->nrows * t->ncols + i] = cells[i] ? cells[i] : "-";
    t->nrows++;
    return 0;
}

int khm_table_format(const khm_table *t, khm_buf *out)
{
    size_t w[16] = { 0 };
    size_t nc = t->ncols < 16 ? t->ncols : 16;
    int rc = 0;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < nc; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t cw = khm_utf8_width(s, strlen(s));
            if (cw > w[c])
                w[c] = cw;
        }
    for (size_t r = 0; rc == 0 && r < t->nrows; r++) {
        for (size_t c = 0; rc == 0 && c < nc; c++) {
            const char *s = t->cells[r * t->ncols + c];
            rc = khm_buf_puts(out, s);
            if (c + 1 < nc)
                for (size_t k = khm_utf8_width(s, strlen(s)); rc == 0 && k < w[c] + 2; k++)
                    rc = khm_buf_putc(out, ' ');
        }
        if (rc == 0)
            rc = khm_buf_putc(out, '\n');
    }
    return rc;
}

void khm_table_print(const khm_table *t)
{
    khm_buf b = KHM_BUF_INIT((size_t)1 << 30);
    if (khm_table_format(t, &b) == 0 && b.len)
        fwrite(b.ptr, 1, b.len, stdout);
    khm_buf_dispose(&b);
}

void khm_cli_left(char *out, size_t cap, int64_t ms)
{
    int64_t a = ms < 0 ? -ms : ms, h = a / 3600000, d = h / 24;
    if (d > 0)
        snprintf(out, cap, "%s%lldd %lldh%s", ms < 0 ? "overdue " : "", (long long)d,
                 (long long)(h % 24), "");
    else
        snprintf(out, cap, "%s%lldh %lldm", ms < 0 ? "overdue " : "", (long long)h,
                 (long long)(a / 60000 % 60));
}

/* Write @p b to @p output (created, never overwritten) or stdout. */
int khm_cli_write_out(const char *output, const khm_buf *b)
{
    FILE *f = stdout;
    if (output && strcmp(output, "-") != 0 && !(f = fopen(output, "wbx"))) {
        if (errno == EEXIST)
            return khm_err_set(KHM_EEXISTS, "%s exists: choose another file", output);
        return khm_err_set(KHM_EIO, "cannot create %s: %s", output, strerror(errno));
    }
    int rc = 0;
    if (b->len && fwrite(b->ptr, 1, b->len, f) != b->len)
        rc = khm_err_set(KHM_EIO, "cannot write %s", output ? output : "stdout");
    if (f != stdout && fclose(f) != 0 && rc == 0)
        rc = khm_err_set(KHM_EIO, "cannot write %s", output);
    if (f == stdout && fflush(stdout) != 0 && rc == 0)
        rc = khm_err_set(KHM_EIO, "cannot write stdout");
    return rc;
}

int khm_cli_close(int rc, khm_store *s, khm_arena *a)
{
    if (rc < 0)
        rc = khm_cli_fail(rc);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

int khm_cli_finish_list(int rc, const khm_common *c, json_t *arr, const khm_table *t, khm_store *s,
                        khm_arena *a)
{
    if (rc == 0) {
        if (c->format == KHM_OUT_JSON) {
            rc = khm_cli_print_json(arr);
            arr = NULL;
        } else {
            khm_table_print(t);
        }
    }
    json_decref(arr);
    return khm_cli_close(rc, s, a);
}
