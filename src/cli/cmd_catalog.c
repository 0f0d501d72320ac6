/* khomun catalog export|import: the whole catalog to a CSV or JSON file and back
 * (src/lib/catalog/exchange.c does the work; docs/cli/catalog.md). */
#include "cli.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest import file read (a catalog of 100,000 datasets is ~ 300 MB of JSON). */
#define IMPORT_MAX ((size_t)1 << 30)

static int to_file(const char *p, size_t n, void *payload)
{
    if (fwrite(p, 1, n, (FILE *)payload) != n)
        return khm_err_set(KHM_EIO, "cannot write the export: %s", strerror(errno));
    return 0;
}

static int catalog_export(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *format = "json", *agency = NULL, *output = NULL;
    const khm_cli_opt opts[] = {
        { "format", &format, NULL },
        { "agency", &agency, NULL },
        { "output", &output, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL), fmt;
    if (rc >= 0)
        return rc;
    if (khm_catalog_format_parse(format, &fmt) < 0 || fmt == KHM_CATALOG_AUTO) {
        khm_err_clear();
        return khm_cli_usage(cmd, "--format must be csv or json, not '%s'", format);
    }
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx = NULL;
    FILE *out = stdout;
    char *tmp = NULL;
    size_t n = 0;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        khm_agency ag;
        const char *agency_id = NULL;
        if (agency && (rc = khm_store_agency_get(tx, &ag, agency, a)) == 0)
            agency_id = ag.id;
        else if (rc == KHM_ENOTFOUND)
            rc = khm_err_field("agency", "ไม่พบหน่วยงานนี้", "no agency '%s'", agency);
        /* a file is written beside its final name and renamed once whole */
        if (rc == 0 && output) {
            tmp = khm_arena_printf(a, "%s.tmp", output);
            if (!(out = fopen(tmp, "wb"))) {
                rc = khm_err_set(KHM_EIO, "cannot create %s: %s", tmp, strerror(errno));
                out = stdout;
            }
        }
        if (rc == 0)
            rc = khm_catalog_export(tx, fmt, agency_id, khm_time_now_ms(), to_file, out, &n);
        khm_tx_rollback(tx);
    }
    if (out != stdout) {
        if (fclose(out) != 0 && rc == 0)
            rc = khm_err_set(KHM_EIO, "cannot write %s: %s", tmp, strerror(errno));
        if (rc == 0 && rename(tmp, output) != 0)
            rc = khm_err_set(KHM_EIO, "cannot rename %s to %s: %s", tmp, output, strerror(errno));
        if (rc < 0)
            remove(tmp);
    } else if (fflush(stdout) != 0 && rc == 0) {
        rc = khm_err_set(KHM_EIO, "cannot write the export: %s", strerror(errno));
    }
    if (rc == 0 && output)
        fprintf(stderr, "exported %zu datasets to %s (%s)\n", n, output,
                khm_catalog_format_name(fmt));
    return khm_cli_close(rc, s, a);
}

/* The whole file (or stdin for "-"), up to IMPORT_MAX. */
static int read_all(const char *path, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    char *b = NULL;
    if (!f)
        return khm_err_set(KHM_EIO, "cannot open %s: %s", path, strerror(errno));
    for (;;) {
        if (n == cap || !b) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                if (f != stdin)
                    fclose(f);
                return khm_err_set(KHM_ENOMEM, "out of memory");
            }
            b = nb;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n > IMPORT_MAX) {
            free(b);
            if (f != stdin)
                fclose(f);
            return khm_err_set(KHM_ELIMIT, "%s is over %zu bytes", path, IMPORT_MAX);
        }
        if (got == 0)
            break;
    }
    int err = ferror(f);
    if (f != stdin)
        fclose(f);
    if (err) {
        free(b);
        return khm_err_set(KHM_EIO, "cannot read %s", path);
    }
    *out = b;
    *len = n;
    return 0;
}

typedef struct {
    const khm_common *c;
    khm_arena *a;
} audit_ctx;

/* The import's audit event, in its transaction. */
static int audit_import(khm_tx *tx, const khm_catalog_import_stats *st, void *payload)
{
    audit_ctx *ac = payload;
    return khm_cli_audit(
        tx, ac->c, "catalog.import",
        khm_arena_printf(ac->a, "catalog/import:%zu+%zu", st->created, st->updated));
}

static int catalog_import(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *format = "auto", *agency = NULL;
    int dry_run = 0, skip = 0;
    const khm_cli_opt opts[] = {
        { "input-format", &format, NULL },
        { "agency", &agency, NULL },
        { "dry-run", NULL, &dry_run },
        { "skip-invalid", NULL, &skip },
        { NULL, NULL, NULL },
    };
    char **args;
    int nargs, fmt;
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "import needs one FILE (or - for standard input)");
    if (khm_catalog_format_parse(format, &fmt) < 0) {
        khm_err_clear();
        return khm_cli_usage(cmd, "--input-format must be auto, csv or json, not '%s'", format);
    }
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    char *buf = NULL;
    size_t len = 0;
    khm_catalog_import_stats st = { 0 };
    char actor[96];
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    khm_cli_actor(actor, sizeof(actor));
    audit_ctx ac = { &c, a };
    khm_catalog_import_opts o = {
        agency, actor, khm_time_now_ms(), dry_run, audit_import, &ac, skip
    };
    if ((rc = read_all(args[0], &buf, &len)) == 0 && (rc = khm_cli_open_store(&s, &c, a)) == 0)
        rc = khm_catalog_import_store(s, buf, len, fmt, &o, &st);
    free(buf);
    if (rc == 0 && st.skipped) { /* the rows left out, as warnings */
        size_t nf;
        const khm_field_error *fe = khm_err_fields(&nf);
        fprintf(stderr, "khomun: warning: %zu invalid rows skipped:\n", st.skipped);
        for (size_t i = 0; i < nf; i++)
            fprintf(stderr, "  %s: %s%s%s%s\n", fe[i].field, fe[i].message,
                    fe[i].message_th[0] ? " (" : "", fe[i].message_th,
                    fe[i].message_th[0] ? ")" : "");
        khm_err_clear();
    }
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON) {
            json_t *out = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I}", "dry_run", dry_run, "created",
                                    (json_int_t)st.created, "updated", (json_int_t)st.updated,
                                    "unchanged", (json_int_t)st.unchanged, "confirmed",
                                    (json_int_t)st.confirmed, "skipped", (json_int_t)st.skipped);
            rc = khm_cli_print_json(out);
        } else {
            printf("%s%zu created, %zu updated, %zu unchanged, %zu classifications confirmed",
                   dry_run ? "dry run (nothing written): " : "", st.created, st.updated,
                   st.unchanged, st.confirmed);
            printf(st.skipped ? ", %zu invalid rows skipped\n" : "\n", st.skipped);
        }
    }
    return khm_cli_close(rc, s, a);
}

int khm_cmd_catalog(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "export", catalog_export },
        { "import", catalog_import },
        { NULL, NULL },
    };
    return khm_cli_dispatch("catalog", subs, argc, argv);
}
