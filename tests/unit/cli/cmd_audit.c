/* Tests for src/cli/cmd_audit.c: reading the public key a verifier is given. A raw key is 32
 * bytes, any bytes — one that ends in a byte that looks like white space ('\n', '\r', ' ') is
 * still that key (1 key in 85 does) — and a hex key is 64 digits, with or without a newline. */
#include "unit.h"

/* the file under test, for its static helpers (not this file, which has the same name) */
#include "../../../src/cli/cmd_audit.c"

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void test_cli_cmd_audit__raw_key_ending_in_whitespace_bytes(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    char path[4200];
    khm_common c = { dir, NULL, KHM_OUT_TABLE };
    snprintf(path, sizeof(path), "%s.pub", dir);
    static const unsigned char last[] = { '\n', '\r', ' ', 0, 0xff, 'a' };
    for (size_t i = 0; i < sizeof(last); i++) {
        unsigned char key[32], got[32];
        randombytes_buf(key, sizeof(key));
        key[31] = last[i];
        key[30] = '\n';
        write_file(path, key, sizeof(key));
        memset(got, 0, sizeof(got));
        assert_int_equal(load_pk(got, path, &c), 0);
        assert_memory_equal(got, key, 32);
    }
    khm_test_rmtree(dir);
    free(dir);
}

static void test_cli_cmd_audit__hex_key_with_or_without_newline(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    char path[4200], hex[67];
    khm_common c = { dir, NULL, KHM_OUT_TABLE };
    unsigned char key[32], got[32];
    snprintf(path, sizeof(path), "%s.pub", dir);
    randombytes_buf(key, sizeof(key));
    khm_hex_encode(hex, key, 32);
    write_file(path, hex, 64);
    assert_int_equal(load_pk(got, path, &c), 0);
    assert_memory_equal(got, key, 32);
    memcpy(hex + 64, "\r\n", 3);
    write_file(path, hex, 66);
    memset(got, 0, sizeof(got));
    assert_int_equal(load_pk(got, path, &c), 0);
    assert_memory_equal(got, key, 32);
    /* anything else is refused */
    write_file(path, hex, 31);
    assert_int_equal(load_pk(got, path, &c), KHM_EINVALID);
    write_file(path, "zz", 2);
    assert_int_equal(load_pk(got, path, &c), KHM_EINVALID);
    hex[10] = 'g';
    write_file(path, hex, 64);
    assert_int_equal(load_pk(got, path, &c), KHM_EINVALID);
    snprintf(path, sizeof(path), "%s.missing", dir);
    assert_int_equal(load_pk(got, path, &c), KHM_EIO);
    khm_test_rmtree(dir);
    free(dir);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_cli_cmd_audit__raw_key_ending_in_whitespace_bytes),
              cmocka_unit_test(test_cli_cmd_audit__hex_key_with_or_without_newline))
