/* khomun consent verify: check a signed consent receipt (docs/consent-receipts.md) offline — its
 * Kantara v1.1 shape, its JWS header and its Ed25519 signature, with a pinned agency key or the
 * key the receipt carries — and say exactly why it fails. Nothing here needs a data directory. */
#include "cli.h"

#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/receipt.h>
#include <khomun/time.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 64 hex digits (surrounding blanks allowed: a key pasted from a file), or 32 raw bytes when
 * @p raw_ok (a key file). */
static int parse_key(unsigned char pk[32], const char *p, size_t n, int raw_ok)
{
    if (raw_ok && n == 32) {
        memcpy(pk, p, 32);
        return 0;
    }
    while (n && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    if (n == 64 && khm_hex_decode(pk, 32, p, 64) == 0)
        return 0;
    khm_err_clear();
    return -1;
}

static int load_key_file(unsigned char pk[32], const char *file)
{
    char buf[130];
    FILE *f = fopen(file, "rb");
    if (!f)
        return khm_err_set(KHM_EIO, "cannot open key file %s: %s", file, strerror(errno));
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    if (parse_key(pk, buf, n, 1) < 0)
        return khm_err_field("key-file",
                             "ไฟล์กุญแจต้องเป็นกุญแจสาธารณะ Ed25519 (32 ไบต์ หรือเลขฐานสิบหก 64 หลัก)",
                             "%s is not an Ed25519 public key (32 bytes or 64 hex digits)", file);
    return 0;
}

/* The whole file (or stdin for "-"), up to one byte past the verifier's limit so that it can
 * say the receipt is too large. */
static int read_receipt(khm_buf *b, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return khm_err_set(KHM_EIO, "cannot open %s: %s", path, strerror(errno));
    char chunk[8192];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (n > b->max - b->len)
            n = b->max - b->len; /* one byte past the limit: the verifier reports the size */
        if (n == 0)
            break;
        rc = khm_buf_put(b, chunk, n);
    }
    if (rc == 0 && ferror(f))
        rc = khm_err_set(KHM_EIO, "cannot read %s: %s", path, strerror(errno));
    if (f != stdin)
        fclose(f);
    return rc;
}

static void print_table(const khm_receipt_report *r, const char *path)
{
    if (r->valid) {
        char t[KHM_TIME_RFC3339_LEN];
        khm_time_format(t, r->timestamp * 1000);
        printf("receipt: VALID — %s\n", path);
        printf("  receipt   %s\n  consent   %s (%s at %s)\n  agency    %s\n  purpose   %s\n"
               "  key       %s\n",
               r->receipt_id, r->consent_id, r->event, t, r->agency_id, r->purpose, r->public_key);
        printf("note: %s\n", r->note);
        return;
    }
    printf("receipt: INVALID — %s: %zu problem%s\n", path, r->nproblems_total,
           r->nproblems_total == 1 ? "" : "s");
    for (size_t i = 0; i < r->nproblems; i++) {
        const khm_receipt_problem *p = &r->problems[i];
        printf("  %s at %s: %s\n    (%s)\n", khm_receipt_problem_name(p->kind), p->path, p->message,
               p->message_th);
    }
    if (r->nproblems_total > r->nproblems)
        printf("  … and %zu more\n", r->nproblems_total - r->nproblems);
}

static int consent_verify(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *key = NULL, *key_file = NULL;
    char **args;
    int nargs;
    const khm_cli_opt opts[] = {
        { "key", &key, NULL },
        { "key-file", &key_file, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "name the receipt file (or - for stdin)");
    if (key && key_file)
        return khm_cli_usage(cmd, "give --key or --key-file, not both");
    unsigned char pk[32];
    const unsigned char *pinned = NULL;
    if (key) {
        if (parse_key(pk, key, strlen(key), 0) < 0)
            return khm_cli_fail(khm_err_field("key", "กุญแจต้องเป็นเลขฐานสิบหก 64 หลัก",
                                              "--key must be an Ed25519 public key as 64 hex "
                                              "digits"));
        pinned = pk;
    } else if (key_file) {
        if ((rc = load_key_file(pk, key_file)) < 0)
            return khm_cli_fail(rc);
        pinned = pk;
    }
    khm_buf doc;
    khm_buf_init(&doc, KHM_RECEIPT_MAX_BYTES + 1);
    khm_receipt_report rep;
    if ((rc = read_receipt(&doc, args[0])) == 0)
        rc = khm_receipt_verify(&rep, doc.ptr ? doc.ptr : "", doc.len, pinned);
    khm_buf_dispose(&doc);
    if (rc < 0)
        return khm_cli_fail(rc);
    if (c.format == KHM_OUT_JSON) {
        json_t *j = khm_receipt_report_json(&rep);
        if (!j)
            return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
        khm_cli_print_json(j);
    } else {
        print_table(&rep, args[0]);
    }
    return rep.valid ? 0 : khm_err_info_get(KHM_ETAMPER)->exit_code;
}

int khm_cmd_consent_verify(int argc, char **argv)
{
    /* called as the subcommand (argv[0] "verify", from the consent command's table) or, until
     * that table is merged, as the whole "consent" command */
    if (argc > 0 && strcmp(argv[0], "verify") == 0)
        return consent_verify(khm_cli_find("consent"), argc, argv);
    static const khm_subcmd subs[] = {
        { "verify", consent_verify },
        { NULL, NULL },
    };
    return khm_cli_dispatch("consent", subs, argc, argv);
}
