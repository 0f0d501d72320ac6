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

/* "1073741824", "512m", "4g", "1t" → bytes; 1 KiB to 1 TiB. */
static int parse_upload(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10), mul = 1;
    if (end == s || errno || s[0] == '-')
        return -1;
    switch (*end) {
    case 'k':
    case 'K':
        mul = 1ULL << 10;
        end++;
        break;
    case 'm':
    case 'M':
        mul = 1ULL << 20;
        end++;
        break;
    case 'g':
    case 'G':
        mul = 1ULL << 30;
        end++;
        break;
    case 't':
    case 'T':
        mul = 1ULL << 40;
        end++;
        break;
    default:
        break;
    }
    if (*end || v > (1ULL << 40) / mul || v * mul < 1024)
        return -1;
    *out = v * mul;
    return 0;
}

int khm_cmd_serve(int argc, char **argv)
{
    const khm_cmd *cmd = khm_cli_find("serve");
    khm_common c;
    khm_server_opts so = KHM_SERVER_OPTS_INIT;
    khm_log_level lvl = KHM_LOG_INFO;
    const char *threads = NULL, *max_body = NULL, *max_upload = NULL, *log_level = NULL,
               *window = NULL, *staleness = NULL;
    int demo = 0;
    const khm_cli_opt opts[] = {
        { "listen", &so.listen, NULL },
        { "threads", &threads, NULL },
        { "max-body", &max_body, NULL },
        { "max-upload", &max_upload, NULL },
        { "log-level", &log_level, NULL },
        { "demo", NULL, &demo },
        { "policy", &so.policy, NULL },
        { "audit-window", &window, NULL },
        { "consent-staleness-ms", &staleness, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (threads) {
        char *end;
        long n = strtol(threads, &end, 10);
        if (!*threads || *end || n < 1 || n > 256)
            return khm_cli_fail(khm_err_field("threads", "จำนวนเธรดต้องอยู่ระหว่าง 1–256",
                                              "--threads must be 1-256, not '%s'", threads));
        so.threads = (int)n;
    }
    if (window) {
        char *end;
        long n = strtol(window, &end, 10);
        if (!*window || *end || n < 100 || n > 3600000)
            return khm_cli_fail(
                khm_err_field("audit-window", "ช่วงเวลาต้องอยู่ระหว่าง 100–3600000 มิลลิวินาที",
                              "--audit-window must be 100-3600000 ms, not '%s'", window));
        so.audit_window_ms = (int)n;
    }
    if (staleness) {
        char *end;
        long n = strtol(staleness, &end, 10);
        if (!*staleness || *end || n < 0 || n > 60000)
            return khm_cli_fail(
                khm_err_field("consent-staleness-ms", "ช่วงเวลาต้องอยู่ระหว่าง 0–60000 มิลลิวินาที",
                              "--consent-staleness-ms must be 0-60000 ms, not '%s'", staleness));
        so.consent_staleness_ms = (int)n;
    }
    if (max_body && parse_size(max_body, &so.max_body) < 0)
        return khm_cli_fail(khm_err_field("max-body", "ขนาดต้องอยู่ระหว่าง 1 KiB ถึง 1 GiB",
                                          "--max-body must be 1024 bytes to 1g, not '%s'",
                                          max_body));
    if (max_upload && parse_upload(max_upload, &so.max_upload) < 0)
        return khm_cli_fail(khm_err_field("max-upload", "ขนาดต้องอยู่ระหว่าง 1 KiB ถึง 1 TiB",
                                          "--max-upload must be 1024 bytes to 1t, not '%s'",
                                          max_upload));
    if (log_level && khm_log_parse_level(log_level, &lvl) < 0)
        return khm_cli_fail(
            khm_err_field("log-level", "ระดับบันทึกไม่ถูกต้อง",
                          "--log-level must be debug, info, warn or error, not '%s'", log_level));
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
        khm_keys keys;
        if (rc == 0 && (rc = khm_cli_open_store(&s, &c, a)) == 0) {
            if ((rc = khm_keys_load(&keys, c.data_dir)) == 0)
                rc = khm_setup_demo_keys(s, &keys, &seeded);
            khm_keys_wipe(&keys);
            if (rc == 0) {
                int res_seeded;
                rc = khm_setup_demo_resources(s, c.data_dir, &res_seeded);
            }
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
