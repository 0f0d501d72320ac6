/* khomun audit verify|export|archive: check the tamper-evident audit trail — on the live store or
 * on an export file, offline, with only the public key — export it as JSON Lines, and archive
 * its oldest events to such a file (retention). */
#include "cli.h"

#include <khomun/audit.h>
#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/setup.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --public-key FILE: 32 raw bytes or 64 hex digits; default DIR/keys/signing.pub. */
static int load_pk(unsigned char pk[32], const char *file, const khm_common *c)
{
    char path[4096];
    unsigned char buf[130];
    if (!file) {
        snprintf(path, sizeof(path), "%s/keys/signing.pub", c->data_dir);
        file = path;
    }
    FILE *f = fopen(file, "rb");
    if (!f)
        return khm_err_set(KHM_EIO, "cannot open public key %s: %s", file, strerror(errno));
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    if (n == 32) { /* raw: any byte, a newline or a space too, is part of the key */
        memcpy(pk, buf, 32);
        return 0;
    }
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        n--;
    if (n == 64 && khm_hex_decode(pk, 32, (const char *)buf, 64) == 0)
        return 0;
    return khm_err_set(KHM_EINVALID, "%s is not an Ed25519 public key (32 bytes or 64 hex digits)",
                       file);
}

static int parse_seq(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno || v < 1)
        return -1;
    *out = v;
    return 0;
}

/* An optional event-number option: absent keeps *out; bad is a field error (exit 5). */
static int seq_opt(const char *name, const char *val, int64_t *out)
{
    if (val && parse_seq(val, out) < 0)
        return khm_err_field(name, "ลำดับเหตุการณ์ต้องเป็นจำนวนเต็มบวก",
                             "--%s must be a positive event number", name);
    return 0;
}

static int print_report(const khm_audit_report *r, khm_out format)
{
    if (format == KHM_OUT_JSON)
        khm_cli_print_json(
            json_pack("{s:b, s:I, s:I, s:I, s:s, s:I, s:I, s:I, s:o, s:s}", "ok", r->ok, "events",
                      (json_int_t)r->events, "checkpoints", (json_int_t)r->checkpoints, "head_seq",
                      (json_int_t)r->head_seq, "head_hash", r->head_hash, "last_checkpoint",
                      (json_int_t)r->last_checkpoint, "anchor_seq", (json_int_t)r->anchor_seq,
                      "bad_seq", (json_int_t)r->bad_seq, "kind",
                      r->kind ? json_string(r->kind) : json_null(), "message", r->message));
    else if (r->ok)
        printf("audit: OK — %s\n", r->message);
    else
        printf("audit: TAMPERED — %s: %s\n", r->kind, r->message);
    return r->ok ? 0 : khm_err_info_get(KHM_ETAMPER)->exit_code;
}

static int audit_verify(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *export = NULL, *pkfile = NULL, *from_s = NULL;
    int64_t from = 1;
    const khm_cli_opt opts[] = {
        { "from", &from_s, NULL },
        { "export", &export, NULL },
        { "public-key", &pkfile, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if ((rc = seq_opt("from", from_s, &from)) < 0)
        return khm_cli_fail(rc);
    unsigned char pk[32];
    khm_audit_report rep;
    /* the store and the default key live in the data directory: say so when it is not one */
    if (!export && (rc = khm_datadir_check(c.data_dir)) < 0)
        return khm_cli_fail(rc);
    if ((rc = load_pk(pk, pkfile, &c)) < 0)
        return khm_cli_fail(rc);
    if (export) {
        FILE *f = strcmp(export, "-") == 0 ? stdin : fopen(export, "rb");
        if (!f)
            return khm_cli_fail(
                khm_err_set(KHM_EIO, "cannot open %s: %s", export, strerror(errno)));
        rc = khm_audit_verify_export(f, pk, &rep);
        if (f != stdin)
            fclose(f);
    } else {
        khm_arena *a = khm_arena_new(0);
        khm_store *s = NULL;
        if (!a)
            return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
        if ((rc = khm_cli_open_store(&s, &c, a)) == 0)
            rc = khm_audit_verify_store(s, pk, from, &rep);
        khm_store_close(s);
        khm_arena_free(a);
    }
    if (rc < 0)
        return khm_cli_fail(rc);
    return print_report(&rep, c.format);
}

static int audit_export(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *output = NULL, *from_s = NULL, *to_s = NULL;
    int64_t from = 1, to = 0;
    const khm_cli_opt opts[] = {
        { "from", &from_s, NULL },
        { "to", &to_s, NULL },
        { "output", &output, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if ((rc = seq_opt("from", from_s, &from)) < 0 || (rc = seq_opt("to", to_s, &to)) < 0)
        return khm_cli_fail(rc);
    rc = 0;
    unsigned char pk[32];
    if ((rc = khm_datadir_check(c.data_dir)) < 0 || (rc = load_pk(pk, NULL, &c)) < 0)
        return khm_cli_fail(rc);
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    FILE *out = stdout;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if (output && strcmp(output, "-") != 0 && !(out = fopen(output, "wbx")))
        rc = khm_err_set(KHM_EIO, "cannot create %s: %s", output, strerror(errno));
    if (rc == 0 && (rc = khm_cli_open_store(&s, &c, a)) == 0)
        rc = khm_audit_export(s, out, pk, from, to);
    if (out && out != stdout && fclose(out) != 0 && rc == 0)
        rc = khm_err_set(KHM_EIO, "cannot write %s", output);
    khm_store_close(s);
    khm_arena_free(a);
    return rc < 0 ? khm_cli_fail(rc) : 0;
}

/* Make the new file's directory entry durable (the archive's data is synced by the library). */
static int sync_dir_of(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else
        snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;
    if (fd >= 0)
        close(fd);
    return rc < 0 ? khm_err_set(KHM_EIO, "cannot sync directory %s: %s", dir, strerror(errno)) : 0;
}

static int print_archive(const khm_audit_archive_result *r, const char *output, khm_out format)
{
    if (format == KHM_OUT_JSON)
        return khm_cli_print_json(json_pack(
            "{s:s, s:I, s:I, s:I, s:I, s:b, s:{s:I, s:s, s:I}, s:I, s:I, s:I}", "file", output,
            "first_seq", (json_int_t)r->first_seq, "last_seq", (json_int_t)r->last_seq, "events",
            (json_int_t)r->events, "requested", (json_int_t)r->requested, "rounded", r->rounded,
            "anchor", "seq", (json_int_t)r->last_seq, "hash", r->anchor_hash, "checkpoint",
            (json_int_t)r->checkpoint_seq, "checkpoints", (json_int_t)r->checkpoints, "archive",
            (json_int_t)r->archive_seq, "event_seq", (json_int_t)r->event_seq));
    printf("audit: archived events %lld..%lld (%lld events, %lld checkpoints) to %s\n",
           (long long)r->first_seq, (long long)r->last_seq, (long long)r->events,
           (long long)r->checkpoints, output);
    if (r->rounded)
        printf("audit: --before %lld was rounded down to the newest checkpoint at or before it, "
               "at event %lld\n",
               (long long)r->requested, (long long)r->last_seq);
    printf("audit: the chain continues after anchor %lld (%s), signed by checkpoint %lld; event "
           "%lld (audit.archive) records archive %lld\n",
           (long long)r->last_seq, r->anchor_hash, (long long)r->checkpoint_seq,
           (long long)r->event_seq, (long long)r->archive_seq);
    return 0;
}

static int audit_archive(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *output = NULL, *before_s = NULL;
    int64_t before = 0;
    const khm_cli_opt opts[] = {
        { "before", &before_s, NULL },
        { "output", &output, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if ((rc = seq_opt("before", before_s, &before)) < 0)
        return khm_cli_fail(rc);
    rc = 0;
    khm_err_clear();
    if (!before)
        rc = khm_err_field("before", "ต้องระบุลำดับเหตุการณ์สุดท้ายที่จะเก็บถาวร", "is required");
    if (!output)
        rc = khm_err_field("output", "ต้องระบุแฟ้มที่จะเก็บถาวร", "is required");
    else if (strcmp(output, "-") == 0)
        rc = khm_err_field("output", "ต้องเป็นแฟ้ม: แฟ้มถูกบันทึกลงดิสก์ก่อนลบเหตุการณ์",
                           "must be a file: it is synced to disk before the events are deleted");
    if (rc < 0)
        return khm_cli_fail(rc);
    if ((rc = khm_datadir_check(c.data_dir)) < 0)
        return khm_cli_fail(rc);
    khm_keys keys;
    if ((rc = khm_keys_load(&keys, c.data_dir)) < 0)
        return khm_cli_fail(rc);
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    FILE *out = NULL;
    khm_audit_archive_result res;
    char actor[96];
    khm_cli_actor(actor, sizeof(actor));
    khm_audit_archive_opts ao = { before, output, actor, "cli" };
    if (!a)
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    if (rc == 0)
        rc = khm_cli_open_store(&s, &c, a);
    /* read back after writing: "w+", and never over an existing file: "x" */
    if (rc == 0 && !(out = fopen(output, "w+x")))
        rc = khm_err_set(KHM_EIO, "cannot create %s: %s", output, strerror(errno));
    char *abs = out ? realpath(output, NULL) : NULL; /* the event names the file in full */
    if (abs)
        ao.file = abs;
    if (rc == 0 && (rc = sync_dir_of(output)) == 0)
        rc = khm_audit_archive(s, &keys, &ao, out, &res, NULL);
    free(abs);
    if (out && fclose(out) != 0 && rc == 0)
        rc = khm_err_set(KHM_EIO, "cannot write %s", output); /* after the commit: keep it */
    else if (out && rc < 0)
        unlink(output); /* nothing was archived: no half-made archive left behind */
    khm_keys_wipe(&keys);
    khm_store_close(s);
    khm_arena_free(a);
    if (rc < 0)
        return khm_cli_fail(rc);
    return print_archive(&res, output, c.format);
}

int khm_cmd_audit(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "verify", audit_verify },
        { "export", audit_export },
        { "archive", audit_archive },
        { NULL, NULL },
    };
    return khm_cli_dispatch("audit", subs, argc, argv);
}
