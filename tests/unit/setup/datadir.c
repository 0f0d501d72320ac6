/* Tests for src/lib/setup/datadir.c: the data directory layout and modes, the key files and
 * their checks on load (mode, size, key pair), and refusal to overwrite or to write where it
 * cannot. */
#include "unit.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

static mode_t mode_of(const char *dir, const char *name, off_t *size)
{
    char p[4200];
    struct stat st;
    snprintf(p, sizeof(p), "%s%s%s", dir, name ? "/" : "", name ? name : "");
    if (stat(p, &st) != 0)
        fail_msg("%s: missing", p);
    if (size)
        *size = st.st_size;
    return st.st_mode & 07777;
}

static char *key_path(khm_arena *a, const char *dir, const char *name)
{
    return khm_arena_printf(a, "%s/keys/%s", dir, name);
}

static void test_setup_datadir__create_layout_and_modes(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    mode_t old = umask(022);
    assert_int_equal(khm_datadir_create(dir), 0);
    umask(old);
    assert_int_equal(mode_of(dir, NULL, NULL), 0700);
    assert_int_equal(mode_of(dir, "keys", NULL), 0700);
    assert_int_equal(mode_of(dir, "resources", NULL), 0700);
    static const struct {
        const char *name;
        off_t size;
    } keys[] = {
        { "keys/pseudonym.key", 32 },
        { "keys/field.key", 32 },
        { "keys/signing.key", 64 },
        { "keys/signing.pub", 32 },
    };
    for (size_t i = 0; i < 4; i++) {
        off_t sz = 0;
        assert_int_equal(mode_of(dir, keys[i].name, &sz), 0600);
        assert_int_equal(sz, keys[i].size);
    }
    assert_int_equal(khm_datadir_check(dir), 0);
    khm_arena *a = khm_arena_new(0);
    char *db = khm_datadir_db_path(dir, a);
    assert_non_null(db);
    char want[4200];
    snprintf(want, sizeof(want), "%s/khomun.db", dir);
    assert_string_equal(db, want);
    khm_arena_free(a);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_datadir__create_twice_is_eexists(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    assert_int_equal(khm_datadir_create(dir), 0);
    khm_keys k1, k2;
    assert_int_equal(khm_keys_load(&k1, dir), 0);
    assert_int_equal(khm_datadir_create(dir), KHM_EEXISTS);
    assert_non_null(strstr(khm_err_last()->message, dir));
    assert_int_equal(khm_keys_load(&k2, dir), 0);
    assert_memory_equal(&k1, &k2, sizeof(k1)); /* keys untouched */
    khm_keys_wipe(&k1);
    khm_keys_wipe(&k2);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_datadir__existing_empty_dir_is_used_and_restricted(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(khm_datadir_check(dir), KHM_ENOTFOUND); /* empty: not initialised */
    assert_non_null(strstr(khm_err_last()->message, "khomun init"));
    assert_int_equal(khm_datadir_create(dir), 0);
    assert_int_equal(mode_of(dir, NULL, NULL), 0700);
    assert_int_equal(khm_datadir_check(dir), 0);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_datadir__check_missing_dir(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    assert_int_equal(khm_datadir_check(dir), KHM_ENOTFOUND);
    assert_non_null(strstr(khm_err_last()->message, dir));
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_datadir__keys_round_trip(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    assert_int_equal(khm_datadir_create(dir), 0);
    khm_keys k;
    memset(&k, 0, sizeof(k));
    assert_int_equal(khm_keys_load(&k, dir), 0);
    /* the loaded pair signs and verifies */
    unsigned char sig[crypto_sign_BYTES];
    const char *msg = "บันทึกการตรวจสอบ";
    assert_int_equal(
        crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), k.sign_sk), 0);
    assert_int_equal(
        crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), k.sign_pk), 0);
    /* matches the files byte for byte */
    khm_arena *a = khm_arena_new(0);
    unsigned char buf[64];
    FILE *f = fopen(key_path(a, dir, "pseudonym.key"), "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, sizeof(buf), f), 32);
    fclose(f);
    assert_memory_equal(buf, k.pseudonym, 32);
    /* the keys differ from one another */
    assert_memory_not_equal(k.pseudonym, k.field, 32);
    khm_keys_wipe(&k);
    static const khm_keys zero;
    assert_memory_equal(&k, &zero, sizeof(k));
    khm_arena_free(a);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_datadir__load_refuses_open_mode(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    khm_arena *a = khm_arena_new(0);
    assert_int_equal(khm_datadir_create(dir), 0);
    char *p = key_path(a, dir, "field.key");
    assert_int_equal(chmod(p, 0644), 0);
    khm_keys k;
    memset(&k, 0xAB, sizeof(k));
    assert_int_equal(khm_keys_load(&k, dir), KHM_EINVALID);
    const char *m = khm_err_last()->message;
    assert_non_null(strstr(m, "field.key"));
    assert_non_null(strstr(m, "644"));
    assert_non_null(strstr(m, "chmod 600"));
    static const khm_keys zero;
    assert_memory_equal(&k, &zero, sizeof(k)); /* wiped on failure */
    assert_int_equal(chmod(p, 0640), 0);
    assert_int_equal(khm_keys_load(&k, dir), KHM_EINVALID);
    assert_int_equal(chmod(p, 0400), 0); /* stricter is fine */
    assert_int_equal(khm_keys_load(&k, dir), 0);
    khm_keys_wipe(&k);
    khm_arena_free(a);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_datadir__load_refuses_wrong_size_and_missing(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    khm_arena *a = khm_arena_new(0);
    assert_int_equal(khm_datadir_create(dir), 0);
    char *p = key_path(a, dir, "pseudonym.key");
    FILE *f = fopen(p, "ab");
    assert_non_null(f);
    fputc(0, f); /* 33 bytes */
    fclose(f);
    khm_keys k;
    assert_int_equal(khm_keys_load(&k, dir), KHM_EINVALID);
    assert_non_null(strstr(khm_err_last()->message, "33 bytes"));
    assert_non_null(strstr(khm_err_last()->message, "expected 32"));
    assert_int_equal(truncate(p, 0), 0);
    assert_int_equal(khm_keys_load(&k, dir), KHM_EINVALID);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(khm_keys_load(&k, dir), KHM_EIO);
    assert_non_null(strstr(khm_err_last()->message, "pseudonym.key"));
    khm_arena_free(a);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_datadir__load_refuses_mismatched_pair(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    khm_arena *a = khm_arena_new(0);
    assert_int_equal(khm_datadir_create(dir), 0);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk); /* some other pair's public key */
    FILE *f = fopen(key_path(a, dir, "signing.pub"), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(pk, 1, sizeof(pk), f), 32);
    fclose(f);
    khm_keys k;
    assert_int_equal(khm_keys_load(&k, dir), KHM_EINVALID);
    assert_non_null(strstr(khm_err_last()->message, "signing.pub"));
    assert_non_null(strstr(khm_err_last()->message, "does not match"));
    khm_arena_free(a);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_setup_datadir__unwritable_location_is_eio(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    /* a regular file where a parent directory should be: ENOTDIR even for root */
    char file[4200], under[4300];
    snprintf(file, sizeof(file), "%s.file", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(under, sizeof(under), "%s/sub/data", file);
    assert_int_equal(khm_datadir_create(under), KHM_EIO);
    assert_non_null(strstr(khm_err_last()->message, file));
    snprintf(under, sizeof(under), "%s/data", file);
    assert_int_equal(khm_datadir_create(under), KHM_EIO);
    /* the data directory itself is a file */
    assert_int_equal(khm_datadir_create(file), KHM_EIO);
    assert_non_null(strstr(khm_err_last()->message, "not a directory"));

    /* a read-only parent, where modes are enforced (not for root) */
    if (geteuid() != 0) {
        char ro[4200], in_ro[4300];
        snprintf(ro, sizeof(ro), "%s.ro", dir);
        assert_int_equal(mkdir(ro, 0500), 0);
        snprintf(in_ro, sizeof(in_ro), "%s/data", ro);
        assert_int_equal(khm_datadir_create(in_ro), KHM_EIO);
        assert_non_null(strstr(khm_err_last()->message, in_ro));
        chmod(ro, 0700);
    }
    khm_test_rmtree(dir);
    free(dir);
}

/* Per-agency keys: deterministic, different per agency and per use, and the signing pair is a
 * working Ed25519 pair (a receipt signed with sk verifies with pk). */
static void test_setup_datadir__agency_keys_are_derived_apart(void **state)
{
    (void)state;
    khm_keys k;
    memset(&k, 0, sizeof(k));
    for (size_t i = 0; i < sizeof(k.pseudonym); i++)
        k.pseudonym[i] = (unsigned char)i;
    crypto_sign_keypair(k.sign_pk, k.sign_sk);
    unsigned char a1[KHM_KEY_LEN], a2[KHM_KEY_LEN], b[KHM_KEY_LEN];
    khm_keys_agency_pseudonym(&k, "0190aaaa-0000-7000-8000-000000000001", a1);
    khm_keys_agency_pseudonym(&k, "0190aaaa-0000-7000-8000-000000000001", a2);
    khm_keys_agency_pseudonym(&k, "0190aaaa-0000-7000-8000-000000000002", b);
    assert_memory_equal(a1, a2, sizeof(a1));
    assert_memory_not_equal(a1, b, sizeof(a1));
    assert_memory_not_equal(a1, k.pseudonym, sizeof(a1));

    unsigned char sk[KHM_SIGN_SK_LEN], pk[KHM_SIGN_PK_LEN], sk2[KHM_SIGN_SK_LEN],
        pk2[KHM_SIGN_PK_LEN];
    khm_keys_agency_sign(&k, "0190aaaa-0000-7000-8000-000000000001", sk, pk);
    khm_keys_agency_sign(&k, "0190aaaa-0000-7000-8000-000000000002", sk2, pk2);
    assert_memory_not_equal(pk, pk2, sizeof(pk));
    assert_memory_not_equal(pk, k.sign_pk, sizeof(pk));
    unsigned char sig[crypto_sign_BYTES];
    const unsigned char msg[] = "receipt";
    crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk);
    assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof(msg), pk), 0);
    assert_int_not_equal(crypto_sign_verify_detached(sig, msg, sizeof(msg), pk2), 0);
    khm_keys_wipe(&k);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_setup_datadir__create_layout_and_modes),
              cmocka_unit_test(test_setup_datadir__create_twice_is_eexists),
              cmocka_unit_test(test_setup_datadir__existing_empty_dir_is_used_and_restricted),
              cmocka_unit_test(test_setup_datadir__check_missing_dir),
              cmocka_unit_test(test_setup_datadir__keys_round_trip),
              cmocka_unit_test(test_setup_datadir__load_refuses_open_mode),
              cmocka_unit_test(test_setup_datadir__load_refuses_wrong_size_and_missing),
              cmocka_unit_test(test_setup_datadir__load_refuses_mismatched_pair),
              cmocka_unit_test(test_setup_datadir__unwritable_location_is_eio),
              cmocka_unit_test(test_setup_datadir__agency_keys_are_derived_apart))
