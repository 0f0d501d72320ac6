/* Tests for src/lib/setup/init.c: first-run setup makes the directory, keys, database, first
 * agency, admin and a working admin token in one go, and leaves nothing behind on failure. */
#include "unit.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static int dir_is_empty(const char *p)
{
    DIR *d = opendir(p);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n == 0;
}

/* SHA-256 hex of a file's bytes (or "" when missing). */
static void file_digest(const char *path, char out[65])
{
    FILE *f = fopen(path, "rb");
    out[0] = '\0';
    if (!f)
        return;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[4096], h[32];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        crypto_hash_sha256_update(&st, buf, n);
    fclose(f);
    crypto_hash_sha256_final(&st, h);
    khm_hex_encode(out, h, 32);
}

static void test_setup_init__defaults_make_working_admin_token(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    khm_arena *a = khm_arena_new(0);
    khm_init_result r;
    khm_init_opts o = { dir, NULL, NULL, NULL, NULL, NULL };
    assert_int_equal(khm_setup_init(&r, &o, a), 0);

    assert_string_equal(r.agency.slug, "demo");
    assert_string_equal(r.agency.name_th, "หน่วยงานสาธิต");
    assert_string_equal(r.agency.name_en, "Demo Agency");
    assert_string_equal(r.admin.name, "admin");
    assert_int_equal(r.admin.role, KHM_ROLE_ADMIN);
    assert_int_equal(r.admin.clearance, KHM_LEVEL_TOP_SECRET);
    assert_string_equal(r.admin.agency_id, r.agency.id);
    assert_string_equal(r.token.user_id, r.admin.id);
    assert_true(r.token.expires_at == 0);
    assert_int_equal(strlen(r.secret), KHM_TOKEN_STR_LEN - 1);
    assert_int_equal(r.schema_version, khm_store_migrations_known());
    char want[4200];
    snprintf(want, sizeof(want), "%s/khomun.db", dir);
    assert_string_equal(r.db_uri, want);
    assert_int_equal(khm_datadir_check(dir), 0);

    khm_store *s;
    assert_int_equal(khm_store_open(&s, r.db_uri, NULL), 0);
    khm_principal p;
    char *hdr = khm_arena_printf(a, "Bearer %s", r.secret);
    assert_int_equal(khm_auth_bearer(&p, s, hdr, khm_time_now_ms(), a), 0);
    assert_string_equal(p.user.id, r.admin.id);
    assert_string_equal(p.agency.slug, "demo");
    assert_true(p.scopes == khm_role_scopes(KHM_ROLE_ADMIN));
    khm_tx *tx;
    char *v;
    assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
    assert_int_equal(khm_store_meta_get(tx, "initialised_at", &v, a), 0);
    khm_tx_rollback(tx);
    khm_store_close(s);
    khm_arena_free(a);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_init__custom_slug_names_and_admin(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    khm_arena *a = khm_arena_new(0);
    khm_init_result r;
    khm_init_opts o = { dir, NULL, "nso", "สำนักงานสถิติแห่งชาติ", "NSO", "root.admin" };
    assert_int_equal(khm_setup_init(&r, &o, a), 0);
    assert_string_equal(r.agency.slug, "nso");
    assert_string_equal(r.agency.name_th, "สำนักงานสถิติแห่งชาติ");
    assert_string_equal(r.agency.name_en, "NSO");
    assert_string_equal(r.admin.name, "root.admin");

    khm_store *s;
    khm_agency ag;
    khm_user u;
    khm_tx *tx;
    assert_int_equal(khm_store_open(&s, r.db_uri, NULL), 0);
    assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &ag, "nso", a), 0);
    assert_string_equal(ag.id, r.agency.id);
    assert_int_equal(khm_store_agency_get(tx, &ag, "demo", a), KHM_ENOTFOUND);
    assert_int_equal(khm_store_user_get(tx, &u, "root.admin", a), 0);
    assert_int_equal(u.role, KHM_ROLE_ADMIN);
    khm_tx_rollback(tx);
    khm_store_close(s);
    khm_arena_free(a);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_init__invalid_slug_removes_new_dir(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    khm_arena *a = khm_arena_new(0);
    khm_init_result r;
    khm_init_opts o = { dir, NULL, "Not A Slug", NULL, NULL, NULL };
    assert_int_equal(khm_setup_init(&r, &o, a), KHM_EINVALID);
    size_t n;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].field, "slug");
    assert_false(exists(dir)); /* the directory init made is gone */

    /* a bad admin name fails the same way, after the agency was inserted */
    khm_init_opts o2 = { dir, NULL, NULL, NULL, NULL, "Bad Admin" };
    assert_int_equal(khm_setup_init(&r, &o2, a), KHM_EINVALID);
    assert_string_equal(khm_err_fields(&n)[0].field, "name");
    assert_false(exists(dir));

    /* and a retry with good options then works */
    khm_init_opts o3 = { dir, NULL, NULL, NULL, NULL, NULL };
    assert_int_equal(khm_setup_init(&r, &o3, a), 0);
    khm_arena_free(a);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_init__failure_in_existing_dir_keeps_dir_empties_it(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    khm_arena *a = khm_arena_new(0);
    assert_int_equal(mkdir(dir, 0700), 0);
    khm_init_result r;
    khm_init_opts o = { dir, NULL, "x", NULL, NULL, NULL }; /* slug too short */
    assert_int_equal(khm_setup_init(&r, &o, a), KHM_EINVALID);
    assert_true(exists(dir)); /* not ours to remove */
    assert_true(dir_is_empty(dir));
    khm_arena_free(a);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_init__already_initialised_changes_nothing(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    khm_arena *a = khm_arena_new(0);
    khm_init_result r, r2;
    khm_init_opts o = { dir, NULL, NULL, NULL, NULL, NULL };
    assert_int_equal(khm_setup_init(&r, &o, a), 0);

    static const char *const files[] = { "khomun.db", "keys/pseudonym.key", "keys/field.key",
                                         "keys/signing.key", "keys/signing.pub" };
    char before[5][65], after[5][65];
    for (size_t i = 0; i < 5; i++)
        file_digest(khm_arena_printf(a, "%s/%s", dir, files[i]), before[i]);

    khm_init_opts o2 = { dir, NULL, "other", NULL, NULL, "other.admin" };
    assert_int_equal(khm_setup_init(&r2, &o2, a), KHM_EEXISTS);
    assert_non_null(strstr(khm_err_last()->message, "already initialised"));
    for (size_t i = 0; i < 5; i++) {
        file_digest(khm_arena_printf(a, "%s/%s", dir, files[i]), after[i]);
        assert_true(before[i][0] != '\0');
        assert_string_equal(before[i], after[i]);
    }
    /* the original token still works */
    khm_store *s;
    khm_principal p;
    assert_int_equal(khm_store_open(&s, r.db_uri, NULL), 0);
    assert_int_equal(
        khm_auth_bearer(&p, s, khm_arena_printf(a, "Bearer %s", r.secret), khm_time_now_ms(), a),
        0);
    khm_store_close(s);
    khm_arena_free(a);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_init__no_data_dir_is_einvalid(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    khm_init_result r;
    khm_init_opts o = { NULL, NULL, NULL, NULL, NULL, NULL };
    assert_int_equal(khm_setup_init(&r, &o, a), KHM_EINVALID);
    o.data_dir = "";
    assert_int_equal(khm_setup_init(&r, &o, a), KHM_EINVALID);
    khm_arena_free(a);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_setup_init__defaults_make_working_admin_token),
              cmocka_unit_test(test_setup_init__custom_slug_names_and_admin),
              cmocka_unit_test(test_setup_init__invalid_slug_removes_new_dir),
              cmocka_unit_test(test_setup_init__failure_in_existing_dir_keeps_dir_empties_it),
              cmocka_unit_test(test_setup_init__already_initialised_changes_nothing),
              cmocka_unit_test(test_setup_init__no_data_dir_is_einvalid))
