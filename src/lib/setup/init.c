/* First-run setup (`khomun init`): the data directory, its keys and database, the first
 * agency, an admin user and an admin token, made in one transaction. If anything fails, a
 * directory this call created is removed again so a retry starts clean. */
#include <khomun/setup.h>

#include <khomun/audit.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Remove what init made: the whole directory when init created it, else only its own files. */
static void undo(const char *dir, int dir_was_new, const char *db_path)
{
    if (dir_was_new) {
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        return;
    }
    char p[4096];
    static const char *const own[] = { "keys/pseudonym.key", "keys/field.key", "keys/signing.key",
                                       "keys/signing.pub" };
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, own[i]);
        unlink(p);
    }
    snprintf(p, sizeof(p), "%s/keys", dir);
    rmdir(p);
    snprintf(p, sizeof(p), "%s/resources", dir);
    rmdir(p);
    if (db_path) {
        unlink(db_path);
        snprintf(p, sizeof(p), "%s-wal", db_path);
        unlink(p);
        snprintf(p, sizeof(p), "%s-shm", db_path);
        unlink(p);
        snprintf(p, sizeof(p), "%s-epoch", db_path); /* the store's change epoch */
        unlink(p);
    }
}

int khm_setup_init(khm_init_result *out, const khm_init_opts *opts, khm_arena *a)
{
    struct stat st;
    khm_store *s = NULL;
    khm_tx *tx = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!opts->data_dir || !*opts->data_dir)
        return khm_err_set(KHM_EINVALID, "no data directory given");
    int dir_was_new = stat(opts->data_dir, &st) != 0;
    const char *db = opts->db_uri ? opts->db_uri : khm_datadir_db_path(opts->data_dir, a);
    if (!db)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    int db_is_file = !opts->db_uri;

    if ((rc = khm_datadir_create(opts->data_dir)) < 0) {
        if (rc != KHM_EEXISTS) {
            char msg[512];
            snprintf(msg, sizeof(msg), "%s", khm_err_last()->message);
            undo(opts->data_dir, dir_was_new, NULL);
            khm_err_set(rc, "%s", msg);
        }
        return rc;
    }
    khm_store_opts so = KHM_STORE_OPTS_INIT;
    so.create = 1;
    if ((rc = khm_store_open(&s, db, &so)) < 0)
        goto fail;
    if ((rc = khm_tx_begin(&tx, s, 1)) < 0)
        goto fail;
    /* a database given with --db (PostgreSQL) outlives data directories: never init it twice */
    char *done;
    int64_t agencies = 0;
    if ((rc = khm_store_meta_get(tx, "initialised_at", &done, a)) == 0 ||
        (rc == KHM_ENOTFOUND && (rc = khm_store_agency_count(tx, &agencies)) == 0 && agencies)) {
        rc = khm_err_set(KHM_EEXISTS, "the database is already initialised (it holds an "
                                      "installation); give init an empty database");
        goto fail;
    }
    if (rc < 0)
        goto fail;

    int64_t now = khm_time_now_ms();
    khm_agency_input ai = { opts->agency_slug ? opts->agency_slug : "demo",
                            opts->agency_name_th ? opts->agency_name_th : "หน่วยงานสาธิต",
                            opts->agency_name_en ? opts->agency_name_en : "Demo Agency" };
    if ((rc = khm_agency_create(tx, &out->agency, &ai, now)) < 0)
        goto fail;
    khm_user_input ui = { opts->admin_name ? opts->admin_name : "admin",
                          "ผู้ดูแลระบบ",
                          NULL,
                          out->agency.id,
                          "admin",
                          "top_secret" };
    if ((rc = khm_user_create(tx, &out->admin, &ui, now, a)) < 0)
        goto fail;
    khm_token_input ti = { out->admin.id, "init", 0, NULL };
    if ((rc = khm_token_create(tx, &out->token, out->secret, &ti, now, a)) < 0)
        goto fail;
    if ((rc = khm_store_meta_set(tx, "initialised_at", "1")) < 0)
        goto fail;
    /* the chain starts with the installation itself, signed with the new key */
    khm_audit_event ev = { 0 };
    ev.actor_user = "system";
    ev.action = "system.init";
    ev.target = khm_arena_printf(a, "agency/%s", out->agency.id);
    ev.outcome = "success";
    ev.reasons = "first agency, admin user and admin token created";
    ev.client = "cli";
    khm_keys keys;
    if ((rc = khm_keys_load(&keys, opts->data_dir)) == 0) {
        if ((rc = khm_audit_append(tx, &ev, NULL)) == 0)
            rc = khm_audit_checkpoint(tx, &keys, NULL);
        khm_keys_wipe(&keys);
    }
    if (rc < 0)
        goto fail;
    rc = khm_tx_commit(tx);
    tx = NULL;
    if (rc < 0)
        goto fail;
    out->agency.slug = khm_arena_strdup(a, out->agency.slug);
    out->agency.name_th = khm_arena_strdup(a, out->agency.name_th);
    out->agency.name_en = khm_arena_strdup(a, out->agency.name_en);
    out->db_uri = khm_arena_strdup(a, db);
    out->schema_version = khm_store_schema_version(s);
    khm_store_close(s);
    return 0;

fail : {
    /* keep the first cause; cleaning up must not overwrite it */
    char msg[512];
    snprintf(msg, sizeof(msg), "%s", khm_err_last()->message);
    size_t nf;
    khm_err_fields(&nf);
    khm_tx_rollback(tx);
    khm_store_close(s);
    undo(opts->data_dir, dir_was_new, db_is_file ? db : NULL);
    if (nf == 0)
        khm_err_set(rc, "%s", msg);
    return rc;
}
}
