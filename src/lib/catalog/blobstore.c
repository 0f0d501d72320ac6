/* The content-addressed blob store of resource files (resource.h): DATA/resources/ab/cdef…
 * named by the SHA-256 of the bytes. A file is streamed into DATA/resources/tmp (the same file
 * system) while it is hashed, fsync'ed, then linked under its hash (link(2) fails when the hash
 * is stored already: the stored copy is kept, the same bytes stored once; two identical uploads
 * at once both end with the one blob) and the directory fsync'ed. It is a file store, not SQL,
 * so it lives with the catalog rather than in the store module. */
#include <khomun/resource.h>

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/rand.h>

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_CAP 4096

struct khm_blob_writer {
    char dir[PATH_CAP - 256]; /* DATA/resources (room left for what follows it) */
    char temp[PATH_CAP];      /* the temporary file, "" once removed or committed */
    char sha[KHM_SHA256_HEX_LEN];
    int fd;
    uint64_t written, max;
    EVP_MD_CTX *md;
    int state; /* 0 writing, 1 finished, 2 failed (over the cap, an I/O error) */
    int failed_rc;
};

int khm_sha256_hex_valid(const char *s)
{
    size_t i;
    for (i = 0; s && i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return s && i == 64 && s[64] == '\0';
}

static int bad_sha(const char *sha)
{
    return khm_err_field("sha256", "ค่า SHA-256 ต้องเป็นเลขฐานสิบหก 64 หลัก",
                         "must be 64 lower-case hex digits, not '%.80s'", sha ? sha : "");
}

int khm_blob_path(const char *data_dir, const char *sha256, char *out, size_t cap)
{
    if (!khm_sha256_hex_valid(sha256))
        return bad_sha(sha256);
    int n = snprintf(out, cap, "%s/resources/%.2s/%s", data_dir, sha256, sha256 + 2);
    if (n < 0 || (size_t)n >= cap)
        return khm_err_set(KHM_ELIMIT, "path too long under %s", data_dir);
    return 0;
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST)
        return 0;
    return khm_err_set(KHM_EIO, "cannot create directory %s: %s", path, strerror(errno));
}

static int fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return khm_err_set(KHM_EIO, "cannot open directory %s: %s", path, strerror(errno));
    int rc = fsync(fd) == 0 ? 0 : khm_err_set(KHM_EIO, "fsync %s: %s", path, strerror(errno));
    close(fd);
    return rc;
}

static void drop_temp(khm_blob_writer *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    if (w->temp[0])
        unlink(w->temp);
    w->temp[0] = '\0';
}

int khm_blob_begin(khm_blob_writer **out, const char *data_dir, uint64_t max_bytes)
{
    char tmpdir[PATH_CAP], id[KHM_ID_LEN];
    int rc;
    *out = NULL;
    khm_blob_writer *w = khm_calloc(1, sizeof(*w));
    if (!w)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    w->fd = -1;
    w->max = max_bytes;
    int n = snprintf(w->dir, sizeof(w->dir), "%s/resources", data_dir);
    if (n < 0 || (size_t)n >= sizeof(w->dir)) {
        khm_free(w);
        return khm_err_set(KHM_ELIMIT, "path too long: %s", data_dir);
    }
    snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", w->dir);
    if ((rc = make_dir(w->dir)) < 0 || (rc = make_dir(tmpdir)) < 0) {
        khm_free(w);
        return rc;
    }
    khm_id_new(id);
    snprintf(w->temp, sizeof(w->temp), "%s/tmp/%s.part", w->dir, id);
    w->fd = open(w->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (w->fd < 0) {
        rc = khm_err_set(KHM_EIO, "cannot create %s: %s", w->temp, strerror(errno));
        khm_free(w);
        return rc;
    }
    w->md = EVP_MD_CTX_new();
    if (!w->md || EVP_DigestInit_ex(w->md, EVP_sha256(), NULL) != 1) {
        drop_temp(w);
        EVP_MD_CTX_free(w->md);
        khm_free(w);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    *out = w;
    return 0;
}

static int fail_with(khm_blob_writer *w, int rc)
{
    w->state = 2;
    w->failed_rc = rc;
    drop_temp(w);
    return rc;
}

int khm_blob_write(khm_blob_writer *w, const void *p, size_t n)
{
    if (w->state == 2)
        return w->failed_rc == KHM_ELIMIT
                   ? khm_err_set(KHM_ELIMIT, "the file is over the %llu-byte upload limit",
                                 (unsigned long long)w->max)
                   : khm_err_set(w->failed_rc, "the upload failed earlier");
    if (w->state != 0)
        return khm_err_set(KHM_ERROR, "blob already finished");
    if (w->max && (n > w->max || w->written > w->max - n))
        return fail_with(w, khm_err_set(KHM_ELIMIT, "the file is over the %llu-byte upload limit",
                                        (unsigned long long)w->max));
    EVP_DigestUpdate(w->md, p, n);
    const char *c = p;
    while (n > 0) {
        ssize_t k = write(w->fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return fail_with(w, khm_err_set(KHM_EIO, "cannot write %s: %s", w->temp,
                                            k < 0 ? strerror(errno) : "no progress"));
        c += k;
        n -= (size_t)k;
        w->written += (uint64_t)k;
    }
    return 0;
}

int khm_blob_write_fd(khm_blob_writer *w, int fd)
{
    char *buf = khm_malloc(1 << 20);
    int rc = buf ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
    while (rc == 0) {
        ssize_t k = read(fd, buf, 1 << 20);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            rc = khm_err_set(KHM_EIO, "read: %s", strerror(errno));
        if (k <= 0)
            break;
        rc = khm_blob_write(w, buf, (size_t)k);
    }
    khm_free(buf);
    return rc;
}

int khm_blob_finish(khm_blob_writer *w, const char *expect_sha256, char sha256[KHM_SHA256_HEX_LEN],
                    uint64_t *size)
{
    unsigned char d[KHM_SHA256_LEN];
    unsigned int dl = 0;
    if (w->state == 2)
        return khm_blob_write(w, "", 0); /* the same error again */
    if (w->state == 1) {
        memcpy(sha256, w->sha, KHM_SHA256_HEX_LEN);
        *size = w->written;
        return 0;
    }
    EVP_DigestFinal_ex(w->md, d, &dl);
    khm_hex_encode(w->sha, d, sizeof(d));
    if (fsync(w->fd) != 0)
        return fail_with(w, khm_err_set(KHM_EIO, "fsync %s: %s", w->temp, strerror(errno)));
    close(w->fd);
    w->fd = -1;
    if (expect_sha256) {
        char want[KHM_SHA256_HEX_LEN];
        size_t n = strlen(expect_sha256);
        for (size_t i = 0; i < n && i < 64; i++)
            want[i] = (char)(expect_sha256[i] >= 'A' && expect_sha256[i] <= 'F'
                                 ? expect_sha256[i] - 'A' + 'a'
                                 : expect_sha256[i]);
        want[n < 64 ? n : 64] = '\0';
        if (n != 64 || !khm_sha256_hex_valid(want)) {
            fail_with(w, KHM_EINVALID);
            return bad_sha(expect_sha256);
        }
        if (strcmp(want, w->sha) != 0) {
            fail_with(w, KHM_EINVALID);
            return khm_err_field("sha256", "ไฟล์ที่ได้รับไม่ตรงกับค่า SHA-256 ที่ระบุ (ไม่ได้บันทึกไฟล์)",
                                 "the bytes received hash to %s, not %s: nothing was stored",
                                 w->sha, want);
        }
    }
    w->state = 1;
    memcpy(sha256, w->sha, KHM_SHA256_HEX_LEN);
    *size = w->written;
    return 0;
}

const char *khm_blob_temp_path(const khm_blob_writer *w)
{
    return w->temp;
}

uint64_t khm_blob_written(const khm_blob_writer *w)
{
    return w->written;
}

int khm_blob_commit(khm_blob_writer *w, int *reused)
{
    char sub[PATH_CAP], final[PATH_CAP];
    int rc;
    if (reused)
        *reused = 0;
    if (w->state != 1 || !w->temp[0])
        return khm_err_set(KHM_ERROR, "blob not finished");
    snprintf(sub, sizeof(sub), "%s/%.2s", w->dir, w->sha);
    snprintf(final, sizeof(final), "%s/%.2s/%s", w->dir, w->sha, w->sha + 2);
    if ((rc = make_dir(sub)) < 0)
        return rc;
    if (link(w->temp, final) != 0) {
        if (errno == EEXIST) {
            if (reused)
                *reused = 1;
        } else if (errno == EPERM || errno == ENOSYS || errno == EOPNOTSUPP) {
            /* a file system without hard links: rename (identical bytes replace identical) */
            if (rename(w->temp, final) != 0)
                return khm_err_set(KHM_EIO, "cannot rename %s to %s: %s", w->temp, final,
                                   strerror(errno));
            w->temp[0] = '\0';
        } else {
            return khm_err_set(KHM_EIO, "cannot link %s to %s: %s", w->temp, final,
                               strerror(errno));
        }
    }
    if (w->temp[0])
        unlink(w->temp);
    w->temp[0] = '\0';
    w->state = 3;
    return fsync_dir(sub);
}

void khm_blob_free(khm_blob_writer *w)
{
    if (!w)
        return;
    drop_temp(w);
    EVP_MD_CTX_free(w->md);
    khm_free(w);
}

int khm_blob_open(const char *data_dir, const char *sha256, int *fd, uint64_t *size)
{
    char path[PATH_CAP];
    struct stat st;
    int rc = khm_blob_path(data_dir, sha256, path, sizeof(path));
    *fd = -1;
    if (rc < 0)
        return rc;
    int f = open(path, O_RDONLY | O_CLOEXEC);
    if (f < 0)
        return errno == ENOENT ? khm_err_set(KHM_ENOTFOUND, "blob %s is not stored", sha256)
                               : khm_err_set(KHM_EIO, "cannot open %s: %s", path, strerror(errno));
    if (fstat(f, &st) != 0) {
        rc = khm_err_set(KHM_EIO, "cannot stat %s: %s", path, strerror(errno));
        close(f);
        return rc;
    }
    *fd = f;
    if (size)
        *size = (uint64_t)st.st_size;
    return 0;
}

int khm_blob_exists(const char *data_dir, const char *sha256)
{
    char path[PATH_CAP];
    struct stat st;
    if (khm_blob_path(data_dir, sha256, path, sizeof(path)) < 0) {
        khm_err_clear();
        return 0;
    }
    return stat(path, &st) == 0;
}
