/* khomun export ropa: the record of processing activities (PDPA s.39) as CSV or JSON, straight
 * from the data directory's store; a table of what can be exported, one subcommand each (the
 * catalog and other records join it later). */
#include "cli.h"

#include <khomun/err.h>
#include <khomun/ropa.h>
#include <khomun/time.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Exports are built in memory before anything is written: a failed export leaves no file. */
#define EXPORT_MAX ((size_t)1 << 30)

static int export_ropa(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *format = NULL, *agency = NULL, *output = NULL;
    const khm_cli_opt opts[] = {
        { "format", &format, NULL },
        { "agency", &agency, NULL },
        { "output", &output, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    khm_ropa_format fmt;
    if ((rc = khm_ropa_format_parse(format, &fmt)) < 0)
        return khm_cli_usage(cmd, "--format must be csv or json, not '%s'", format);
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_buf b = KHM_BUF_INIT(EXPORT_MAX);
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        rc = khm_ropa_export(tx, &b, fmt, agency, khm_time_now_ms(), a);
        khm_tx_rollback(tx);
    }
    if (rc == 0)
        rc = khm_cli_write_out(output, &b);
    if (rc < 0)
        rc = khm_cli_fail(rc);
    khm_buf_dispose(&b);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

int khm_cmd_export(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "ropa", export_ropa },
        { NULL, NULL },
    };
    return khm_cli_dispatch("export", subs, argc, argv);
}
