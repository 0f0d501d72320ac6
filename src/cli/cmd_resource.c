/* khomun resource add|list|get|download: a dataset's resources, straight on the data
 * directory's store and blob store (resource.h). Thin over the library: the same validation,
 * scan on add (files up to 64 MiB), data map and suggestion as POST …/resources. */
#include "cli.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/json.h>
#include <khomun/resource.h>
#include <khomun/time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The record (and data map) as JSON text on stdout. */
static int print_resource(const khm_resource_rec *r, const khm_resource_column *cols, size_t n)
{
    khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_resource_write_json(&w, r, cols, n);
    int rc = khm_jw_finish(&w);
    json_t *v = rc == 0 ? json_loadb(b.ptr, b.len, 0, NULL) : NULL;
    khm_buf_dispose(&b);
    return rc < 0 ? rc : khm_cli_print_json(v);
}

static void print_map(const khm_resource_rec *r, const khm_resource_column *cols, size_t n,
                      khm_arena *a)
{
    printf("resource %s (%s, %s, %lld bytes) of dataset %s\nscan: %s%s%s\n", r->id, r->name,
           r->format, (long long)r->size, r->dataset_id, r->scan_status,
           r->personal ? ", personal data" : "", r->sensitive ? ", sensitive (s.26)" : "");
    if (!n)
        return;
    khm_table t;
    khm_table_init(&t, 6, a);
    const char *head[] = { "FIELD", "TYPE", "ROWS", "SHARE", "PDPA", "SENSITIVE" };
    khm_table_row(&t, head);
    for (size_t i = 0; i < n; i++) {
        const char *row[] = { cols[i].field,
                              cols[i].type ? cols[i].type : "-",
                              khm_arena_printf(a, "%lld", (long long)cols[i].rows),
                              khm_arena_printf(a, "%.2f", cols[i].share),
                              khm_pdpa_name((khm_pdpa)cols[i].pdpa),
                              cols[i].sensitive ? cols[i].sensitive : "-" };
        khm_table_row(&t, row);
    }
    khm_table_print(&t);
}

static int resource_add(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *name = NULL, *format = NULL;
    const khm_cli_opt opts[] = {
        { "name", &name, NULL },
        { "format", &format, NULL },
        { NULL, NULL, NULL },
    };
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 2, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 2)
        return khm_cli_usage(cmd, "resource add needs DATASET and FILE");
    const char *file = args[1], *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_scanner *sc = NULL;
    khm_blob_writer *w = NULL;
    khm_resource_scan scan;
    khm_resource_rec r;
    khm_dataset d;
    khm_tx *tx = NULL;
    int scanned = 0, fd = -1;
    char sha[KHM_SHA256_HEX_LEN];
    uint64_t size;
    json_t *fields = json_pack("{s:s}", "name", name ? name : base);
    if (!a || !fields)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if (format)
        json_object_set_new(fields, "format", json_string(format));
    if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
        rc = khm_err_set(KHM_EIO, "cannot open %s: %s", file, strerror(errno));
    else if ((rc = khm_cli_open_store(&s, &c, a)) == 0 &&
             (rc = khm_blob_begin(&w, c.data_dir, 0)) == 0 &&
             (rc = khm_blob_write_fd(w, fd)) == 0 &&
             (rc = khm_blob_finish(w, NULL, sha, &size)) == 0 && size <= KHM_SCAN_ON_UPLOAD_MAX &&
             (rc = khm_scanner_new(&sc, NULL)) == 0) {
        int sfd = open(khm_blob_temp_path(w), O_RDONLY | O_CLOEXEC);
        const char *fmt = format, *media;
        unsigned char head[4096];
        ssize_t hn = sfd >= 0 ? pread(sfd, head, sizeof(head), 0) : 0;
        if (!fmt)
            khm_resource_guess_format(name ? name : base, head, hn > 0 ? (size_t)hn : 0, &fmt,
                                      &media);
        rc = sfd < 0 ? khm_err_set(KHM_EIO, "cannot read the copy back")
                     : khm_resource_scan_fd(sc, sfd, name ? name : base, fmt, &scan, a);
        scanned = rc == 0;
        if (sfd >= 0)
            close(sfd);
    }
    if (fd >= 0)
        close(fd);
    if (rc == 0 && (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        khm_resource_input in = { NULL, NULL, NULL, NULL, fields };
        if ((rc = khm_store_dataset_get(tx, &d, args[0], a)) == 0 &&
            (rc = khm_resource_create(tx, &r, &d, &in, w, scanned ? &scan : NULL, NULL,
                                      khm_time_now_ms(), a)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "resource.upload",
                                khm_arena_printf(a, "dataset/%s/resource/%s", d.id, r.id))) == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON)
            rc = print_resource(&r, scanned ? scan.cols : NULL, scanned ? scan.ncols : 0);
        else
            print_map(&r, scanned ? scan.cols : NULL, scanned ? scan.ncols : 0, a);
    }
    if (rc < 0)
        rc = khm_cli_fail(rc);
    json_decref(fields);
    khm_blob_free(w);
    khm_scanner_free(sc);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

static int resource_list(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &c, NULL, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "resource list needs DATASET");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_dataset d;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    json_t *arr = json_array();
    khm_table t;
    khm_table_init(&t, 6, a);
    const char *head[] = { "NAME", "FORMAT", "SIZE", "SCAN", "PERSONAL", "ID" };
    khm_table_row(&t, head);
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        khm_page page = { NULL, KHM_PAGE_MAX };
        int more = 1;
        if ((rc = khm_store_dataset_get(tx, &d, args[0], a)) < 0)
            more = 0;
        while (rc == 0 && more) {
            khm_resource_rec *items;
            size_t n;
            rc = khm_store_resource_list(tx, &items, &n, &more, d.id, &page, a);
            for (size_t i = 0; rc == 0 && i < n; i++) {
                const char *row[] = { items[i].name,
                                      items[i].format,
                                      items[i].size >= 0
                                          ? khm_arena_printf(a, "%lld", (long long)items[i].size)
                                          : "-",
                                      items[i].scan_status,
                                      items[i].sensitive  ? "sensitive"
                                      : items[i].personal ? "personal"
                                                          : "no",
                                      items[i].id };
                khm_table_row(&t, row);
                khm_buf b = KHM_BUF_INIT((size_t)16 << 20);
                khm_jw w;
                khm_jw_init(&w, &b);
                khm_resource_write_json(&w, &items[i], NULL, 0);
                if (khm_jw_finish(&w) == 0)
                    json_array_append_new(arr, json_loadb(b.ptr, b.len, 0, NULL));
                khm_buf_dispose(&b);
            }
            if (n)
                page.after = items[n - 1].id;
        }
        khm_tx_rollback(tx);
    }
    return khm_cli_finish_list(rc, &c, arr, &t, s, a);
}

static int resource_get(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &c, NULL, argc, argv, 2, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 2)
        return khm_cli_usage(cmd, "resource get needs DATASET and RESOURCE");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_dataset d;
    khm_resource_rec r;
    khm_resource_column *cols = NULL;
    size_t n = 0;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        if ((rc = khm_store_dataset_get(tx, &d, args[0], a)) == 0 &&
            (rc = khm_store_resource_get(tx, &r, d.id, args[1], a)) == 0)
            rc = khm_store_resource_columns(tx, r.id, &cols, &n, a);
        khm_tx_rollback(tx);
    }
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON)
            rc = print_resource(&r, cols, n);
        else
            print_map(&r, cols, n, a);
    }
    return khm_cli_close(rc, s, a);
}

static int resource_download(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *output = NULL;
    const khm_cli_opt opts[] = {
        { "output", &output, NULL },
        { NULL, NULL, NULL },
    };
    char **args;
    int nargs;
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 2, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 2)
        return khm_cli_usage(cmd, "resource download needs DATASET and RESOURCE");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_dataset d;
    khm_resource_rec r;
    int in = -1, out = -1;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    /* the download is audited like the API's, in a write transaction of its own */
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        if ((rc = khm_store_dataset_get(tx, &d, args[0], a)) == 0 &&
            (rc = khm_store_resource_get(tx, &r, d.id, args[1], a)) == 0 &&
            (rc = r.sha256[0] ? 0
                              : khm_err_set(KHM_ENOTFOUND, "resource %s is a link: %s", r.id,
                                            r.url ? r.url : "-")) == 0 &&
            (rc = khm_blob_open(c.data_dir, r.sha256, &in, NULL)) == 0 &&
            (rc = khm_cli_audit(tx, &c, "resource.download",
                                khm_arena_printf(a, "dataset/%s/resource/%s", d.id, r.id))) == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    if (rc == 0) {
        out = output ? open(output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : 1;
        if (out < 0)
            rc = khm_err_set(KHM_EIO, "cannot create %s: %s", output, strerror(errno));
    }
    char buf[1 << 16];
    while (rc == 0) {
        ssize_t k = read(in, buf, sizeof(buf));
        if (k <= 0) {
            if (k < 0)
                rc = khm_err_set(KHM_EIO, "read: %s", strerror(errno));
            break;
        }
        for (ssize_t off = 0; rc == 0 && off < k;) {
            ssize_t wr = write(out, buf + off, (size_t)(k - off));
            if (wr <= 0)
                rc = khm_err_set(KHM_EIO, "write: %s", strerror(errno));
            else
                off += wr;
        }
    }
    if (in >= 0)
        close(in);
    if (out > 1)
        close(out);
    return khm_cli_close(rc, s, a);
}

int khm_cmd_resource(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "add", resource_add }, { "list", resource_list },
        { "get", resource_get }, { "download", resource_download },
        { NULL, NULL },
    };
    return khm_cli_dispatch("resource", subs, argc, argv);
}
