/* Tests for src/lib/catalog/blobstore.c: the content-addressed store of resource files — the
 * path of a hash, the same bytes stored once, a partial write over the cap removed at once,
 * a checksum that does not match stores nothing, concurrent identical uploads end with one
 * blob, khm_blob_open() of a good, bad and unknown hash. */
#include "unit.h"

#include <khomun/hash.h>
#include <khomun/resource.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files in DIR/resources/tmp. */
static int temps(const char *dir)
{
    char p[4096];
    int n = 0;
    snprintf(p, sizeof(p), "%s/resources/tmp", dir);
    DIR *d = opendir(p);
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* A data directory (its parent exists; khm_blob_begin() makes resources/ itself). */
static char *datadir(void)
{
    char *d = khm_test_tmpdir();
    assert_int_equal(mkdir(d, 0700), 0);
    return d;
}

static void put(const char *dir, const char *data, char sha[KHM_SHA256_HEX_LEN], int *reused)
{
    khm_blob_writer *w;
    uint64_t size;
    assert_int_equal(khm_blob_begin(&w, dir, 0), 0);
    assert_int_equal(khm_blob_write(w, data, strlen(data) / 2), 0);
    assert_int_equal(khm_blob_write(w, data + strlen(data) / 2, strlen(data) - strlen(data) / 2),
                     0);
    assert_int_equal(khm_blob_finish(w, NULL, sha, &size), 0);
    assert_int_equal(size, strlen(data));
    assert_int_equal(khm_blob_commit(w, reused), 0);
    khm_blob_free(w);
}

static void test_catalog_blobstore__dedupe_and_path(void **state)
{
    (void)state;
    char *dir = datadir(), sha[KHM_SHA256_HEX_LEN], sha2[KHM_SHA256_HEX_LEN], path[4096];
    char want[KHM_SHA256_HEX_LEN];
    uint8_t d[KHM_SHA256_LEN];
    const char *data = "เลขประจำตัวประชาชน,โทรศัพท์\n1100600445630,081-234-5678\n";
    int reused;
    put(dir, data, sha, &reused);
    assert_int_equal(reused, 0);
    khm_sha256(d, data, strlen(data));
    khm_hex_encode(want, d, sizeof(d));
    assert_string_equal(sha, want);
    put(dir, data, sha2, &reused);
    assert_int_equal(reused, 1); /* the same bytes stored once */
    assert_string_equal(sha, sha2);
    assert_int_equal(khm_blob_path(dir, sha, path, sizeof(path)), 0);
    char tail[4096];
    snprintf(tail, sizeof(tail), "/resources/%.2s/%s", sha, sha + 2);
    assert_non_null(strstr(path, tail));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(temps(dir), 0);
    int fd;
    uint64_t size;
    assert_int_equal(khm_blob_open(dir, sha, &fd, &size), 0);
    char buf[256] = "";
    assert_int_equal(read(fd, buf, sizeof(buf)), (ssize_t)strlen(data));
    assert_string_equal(buf, data);
    close(fd);
    assert_int_equal(size, strlen(data));
    assert_true(khm_blob_exists(dir, sha));
    khm_test_rmtree(dir);
    free(dir);
}

static void test_catalog_blobstore__cap_and_checksum_store_nothing(void **state)
{
    (void)state;
    char *dir = datadir(), sha[KHM_SHA256_HEX_LEN];
    khm_blob_writer *w;
    uint64_t size;
    char block[1000];
    memset(block, 'x', sizeof(block));
    assert_int_equal(khm_blob_begin(&w, dir, 2500), 0);
    assert_int_equal(temps(dir), 1);
    assert_int_equal(khm_blob_write(w, block, sizeof(block)), 0);
    assert_int_equal(khm_blob_write(w, block, sizeof(block)), 0);
    assert_int_equal(khm_blob_write(w, block, sizeof(block)), KHM_ELIMIT);
    assert_int_equal(temps(dir), 0); /* the partial file is gone at once */
    assert_int_equal(khm_blob_write(w, block, 1), KHM_ELIMIT);
    assert_int_equal(khm_blob_finish(w, NULL, sha, &size), KHM_ELIMIT);
    khm_blob_free(w);

    assert_int_equal(khm_blob_begin(&w, dir, 0), 0);
    assert_int_equal(khm_blob_write(w, "abc", 3), 0);
    char bad[65];
    memset(bad, '0', 64);
    bad[64] = '\0';
    assert_int_equal(khm_blob_finish(w, bad, sha, &size), KHM_EINVALID);
    assert_string_equal(khm_err_fields(&size)[0].field, "sha256");
    assert_int_equal(temps(dir), 0);
    khm_blob_free(w);
    /* the right one, in upper case, is accepted */
    assert_int_equal(khm_blob_begin(&w, dir, 0), 0);
    assert_int_equal(khm_blob_write(w, "abc", 3), 0);
    assert_int_equal(
        khm_blob_finish(w, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", sha,
                        &size),
        0);
    khm_blob_free(w); /* never committed: the temporary file goes */
    assert_int_equal(temps(dir), 0);
    assert_false(khm_blob_exists(dir, sha));
    khm_test_rmtree(dir);
    free(dir);
}

static void test_catalog_blobstore__bad_and_unknown_hash(void **state)
{
    (void)state;
    char *dir = datadir(), path[4096];
    int fd;
    assert_int_equal(khm_blob_open(dir, "../../etc/passwd", &fd, NULL), KHM_EINVALID);
    assert_int_equal(khm_blob_path(dir, "ABCDEF", path, sizeof(path)), KHM_EINVALID);
    assert_int_equal(
        khm_blob_open(dir, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", &fd,
                      NULL),
        KHM_ENOTFOUND);
    assert_int_equal(fd, -1);
    assert_false(
        khm_sha256_hex_valid("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a"));
    khm_test_rmtree(dir);
    free(dir);
}

typedef struct {
    const char *dir;
    char sha[KHM_SHA256_HEX_LEN];
    int reused;
} racer;

static void *race(void *p)
{
    racer *r = p;
    put(r->dir, "ปีงบประมาณ,โครงการ\n2567,คลาวด์กลาง\n", r->sha, &r->reused);
    return NULL;
}

static void test_catalog_blobstore__concurrent_identical_uploads(void **state)
{
    (void)state;
    char *dir = datadir();
    enum { N = 8 };
    pthread_t t[N];
    racer r[N];
    for (int i = 0; i < N; i++) {
        r[i].dir = dir;
        pthread_create(&t[i], NULL, race, &r[i]);
    }
    int fresh = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        fresh += !r[i].reused;
        assert_string_equal(r[i].sha, r[0].sha);
    }
    assert_int_equal(fresh, 1); /* one stored it, the others found it */
    assert_int_equal(temps(dir), 0);
    khm_test_rmtree(dir);
    free(dir);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_catalog_blobstore__dedupe_and_path),
              cmocka_unit_test(test_catalog_blobstore__cap_and_checksum_store_nothing),
              cmocka_unit_test(test_catalog_blobstore__bad_and_unknown_hash),
              cmocka_unit_test(test_catalog_blobstore__concurrent_identical_uploads))
