/* khomun serve: run the HTTP API and web UI. With --demo, initialise a missing data directory
 * (printing the admin token once) and seed the demo data once. */
#include "cli.h"

#include <khomun/err.h>
#include <khomun/log.h>
#include <khomun/server.h>
#include <khomun/setup.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "1048576", "64k", "2m" → bytes; 1 KiB to 1 GiB. */
static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || s[0] == '-')
        return -1;
    if (*end == 'k' || *end == 'K')
        v *= 1024, end++;
    else if (*end == 'm' || *end == 'M')
        v *= 1024 * 1024, end++;
    if (*end || v < 1024 || v > (1ULL << 30))
        return -1;
    *out = (size_t)v;
    return 0;
}

int khm_cmd_serve(int argc, char **argv)
{
    enum { O_LISTEN = 1, O_THREADS, O_MAX_BODY, O_LOG_LEVEL, O_DEMO, O_POLICY };
    static const struct option opts[] = {
        KHM_COMMON_OPTS,
        { "listen", required_argument, NULL, O_LISTEN },
        { "threads", required_argument, NULL, O_THREADS },
        { "max-body", required_argument, NULL, O_MAX_BODY },
        { "log-level", required_argument, NULL, O_LOG_LEVEL },
        { "demo", no_argument, NULL, O_DEMO },
        { "policy", required_argument, NULL, O_POLICY },
        { NULL, 0, NULL, 0 },
    };
    const khm_cmd *cmd = khm_cli_find("serve");
    khm_common c;
    khm_server_opts so = KHM_SERVER_OPTS_INIT;
    khm_log_level lvl = KHM_LOG_INFO;
    int opt, h, demo = 0, rc;
    khm_cli_common_init(&c);
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if ((h = khm_cli_common_opt(opt, cmd, &c, argv)) < 0)
            return -1 - h;
        if (h)
            continue;
        switch (opt) {
        case O_LISTEN:
            so.listen = optarg;
            break;
        case O_THREADS: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n < 1 || n > 256)
                return khm_cli_fail(khm_err_field("threads", "จำนวนเธรดต้องอยู่ระหว่าง 1–256",
                                                  "--threads must be 1-256, not '%s'", optarg));
            so.threads = (int)n;
            break;
        }
        case O_MAX_BODY:
            if (parse_size(optarg, &so.max_body) < 0)
                return khm_cli_fail(khm_err_field("max-body", "ขนาดต้องอยู่ระหว่าง 1 KiB ถึง 1 GiB",
                                                  "--max-body must be 1024 bytes to 1g, not '%s'",
                                                  optarg));
            break;
        case O_LOG_LEVEL:
            if (khm_log_parse_level(optarg, &lvl) < 0)
                return khm_cli_fail(khm_err_field("log-level", "ระดับบันทึกไม่ถูกต้อง",
                                                  "--log-level must be debug, info, warn or "
                                                  "error, not '%s'",
                                                  optarg));
            break;
        case O_DEMO:
            demo = 1;
            break;
        case O_POLICY:
            so.policy = optarg;
            break;
        default:
            return khm_cli_usage(cmd, "unexpected option");
        }
    }
    if (optind < argc)
        return khm_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    khm_log_set_level(lvl);
    so.data_dir = c.data_dir;
    so.db_uri = c.db;
    if ((rc = khm_server_check(&so)) < 0) /* before --demo creates anything */
        return khm_cli_fail(rc);

    if (demo) {
        khm_arena *a = khm_arena_new(0);
        if (!a)
            return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
        rc = 0;
        if (khm_datadir_check(c.data_dir) < 0) {
            khm_init_opts io = { c.data_dir, c.db, NULL, NULL, NULL, NULL };
            khm_init_result res;
            if ((rc = khm_setup_init(&res, &io, a)) == 0) {
                khm_cli_print_init(&res, c.data_dir, c.format);
                memset(res.secret, 0, sizeof(res.secret));
                fflush(stdout);
            }
        }
        khm_store *s = NULL;
        int seeded = 0;
        if (rc == 0 && (rc = khm_cli_open_store(&s, &c, a)) == 0) {
            rc = khm_setup_demo(s, &seeded);
            khm_store_close(s);
        }
        khm_arena_free(a);
        if (rc < 0)
            return khm_cli_fail(rc);
        if (seeded)
            khm_log(KHM_LOG_INFO, "demo agencies and users seeded");
    } else if ((rc = khm_datadir_check(c.data_dir)) < 0) {
        return khm_cli_fail(rc);
    }
    rc = khm_server_run(&so);
    return rc < 0 ? khm_cli_fail(rc) : 0;
}
