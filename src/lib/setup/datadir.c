/* The data directory: khomun.db (embedded store), resources/ (content-addressed files) and
 * keys/ (0700) holding the installation's keys (0600): the HMAC-SHA-256 pseudonym key, the
 * Ed25519 signing key pair and the XChaCha20-Poly1305 field-encryption key. Key bytes never
 * reach a log or an error message; only paths and reasons do. */
#include <khomun/setup.h>

#include <khomun/err.h>
#include <khomun/rand.h>

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define F_PSEUDONYM "pseudonym.key"
#define F_FIELD     "field.key"
#define F_SIGN_SK   "signing.key"
#define F_SIGN_PK   "signing.pub"

char *khm_datadir_db_path(const char *dir, khm_arena *a)
{
    return khm_arena_printf(a, "%s/khomun.db", dir);
}

static int path_join(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= cap)
        return khm_err_set(KHM_EINVALID, "path too long: %s/%s", dir, name);
    return 0;
}

/* mkdir -p for the parents of @p path (they get 0755 less the umask). */
static int make_parents(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n >= sizeof(tmp))
        return khm_err_set(KHM_EINVALID, "path too long: %s", path);
    memcpy(tmp, path, n + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return khm_err_set(KHM_EIO, "cannot create directory %s: %s", tmp, strerror(errno));
        *p = '/';
    }
    return 0;
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0700) == 0)
        return 0;
    if (errno == EEXIST) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            if ((st.st_mode & 077) && chmod(path, 0700) != 0)
                return khm_err_set(KHM_EIO, "cannot restrict %s to 0700: %s", path,
                                   strerror(errno));
            return 0;
        }
        return khm_err_set(KHM_EIO, "%s exists and is not a directory", path);
    }
    return khm_err_set(KHM_EIO, "cannot create directory %s: %s", path, strerror(errno));
}

/* Write a new key file with mode 0600; refuses to replace an existing one. */
static int write_key(const char *dir, const char *name, const unsigned char *k, size_t n)
{
    char path[4096];
    int rc = path_join(path, sizeof(path), dir, name);
    if (rc < 0)
        return rc;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return khm_err_set(errno == EEXIST ? KHM_EEXISTS : KHM_EIO, "cannot create %s: %s", path,
                           strerror(errno));
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, k + off, n - off);
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(path);
            return khm_err_set(KHM_EIO, "cannot write %s: %s", path, strerror(e));
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0)
        return khm_err_set(KHM_EIO, "cannot sync %s: %s", path, strerror(errno));
    return 0;
}

static int read_key(const char *dir, const char *name, unsigned char *k, size_t n)
{
    char path[4096];
    struct stat st;
    int rc = path_join(path, sizeof(path), dir, name);
    if (rc < 0)
        return rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return khm_err_set(KHM_EIO, "cannot open key %s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return khm_err_set(KHM_EIO, "key %s is not a regular file", path);
    }
    if (st.st_mode & 077) {
        close(fd);
        return khm_err_set(KHM_EINVALID, "key %s is readable by others (mode %03o); chmod 600 it",
                           path, (unsigned)(st.st_mode & 0777));
    }
    if ((size_t)st.st_size != n) {
        close(fd);
        return khm_err_set(KHM_EINVALID, "key %s has %lld bytes, expected %zu", path,
                           (long long)st.st_size, n);
    }
    size_t off = 0;
    while (off < n) {
        ssize_t r = read(fd, k + off, n - off);
        if (r <= 0) {
            close(fd);
            return khm_err_set(KHM_EIO, "cannot read key %s", path);
        }
        off += (size_t)r;
    }
    close(fd);
    return 0;
}

int khm_datadir_check(const char *dir)
{
    char path[4096];
    struct stat st;
    if (path_join(path, sizeof(path), dir, "keys/" F_SIGN_SK) < 0 || stat(path, &st) != 0)
        return khm_err_set(KHM_ENOTFOUND,
                           "%s is not an initialised data directory (run 'khomun init --data %s')",
                           dir, dir);
    return 0;
}

int khm_datadir_create(const char *dir)
{
    char keys[4096], res[4096], probe[4096];
    struct stat st;
    int rc;

    if ((rc = path_join(keys, sizeof(keys), dir, "keys")) < 0 ||
        (rc = path_join(res, sizeof(res), dir, "resources")) < 0 ||
        (rc = path_join(probe, sizeof(probe), dir, "khomun.db")) < 0)
        return rc;
    if (stat(probe, &st) == 0 || stat(keys, &st) == 0)
        return khm_err_set(KHM_EEXISTS, "%s is already initialised (it holds %s)", dir,
                           stat(probe, &st) == 0 ? "khomun.db" : "keys/");
    if ((rc = make_parents(dir)) < 0 || (rc = make_dir(dir)) < 0 || (rc = make_dir(res)) < 0 ||
        (rc = make_dir(keys)) < 0)
        return rc;
    if (access(dir, W_OK) != 0)
        return khm_err_set(KHM_EIO, "data directory %s is not writable: %s", dir, strerror(errno));

    khm_keys k;
    khm_rand_bytes(k.pseudonym, sizeof(k.pseudonym)); /* HMAC-SHA-256 key */
    khm_rand_bytes(k.field, sizeof(k.field));         /* XChaCha20-Poly1305 key */
    unsigned char seed[crypto_sign_SEEDBYTES];
    khm_rand_bytes(seed, sizeof(seed));
    crypto_sign_seed_keypair(k.sign_pk, k.sign_sk, seed);
    sodium_memzero(seed, sizeof(seed));
    if ((rc = write_key(keys, F_PSEUDONYM, k.pseudonym, sizeof(k.pseudonym))) == 0 &&
        (rc = write_key(keys, F_FIELD, k.field, sizeof(k.field))) == 0 &&
        (rc = write_key(keys, F_SIGN_SK, k.sign_sk, sizeof(k.sign_sk))) == 0)
        rc = write_key(keys, F_SIGN_PK, k.sign_pk, sizeof(k.sign_pk));
    khm_keys_wipe(&k);
    return rc;
}

int khm_keys_load(khm_keys *out, const char *dir)
{
    char keys[4096];
    int rc = path_join(keys, sizeof(keys), dir, "keys");
    if (rc == 0 &&
        (rc = read_key(keys, F_PSEUDONYM, out->pseudonym, sizeof(out->pseudonym))) == 0 &&
        (rc = read_key(keys, F_FIELD, out->field, sizeof(out->field))) == 0 &&
        (rc = read_key(keys, F_SIGN_SK, out->sign_sk, sizeof(out->sign_sk))) == 0)
        rc = read_key(keys, F_SIGN_PK, out->sign_pk, sizeof(out->sign_pk));
    if (rc == 0) {
        /* the public key must belong to the secret key (Ed25519 sk = seed || pk) */
        if (sodium_memcmp(out->sign_sk + 32, out->sign_pk, 32) != 0)
            rc = khm_err_set(KHM_EINVALID, "keys/%s does not match keys/%s", F_SIGN_PK, F_SIGN_SK);
    }
    if (rc < 0)
        khm_keys_wipe(out);
    return rc;
}

void khm_keys_wipe(khm_keys *k)
{
    sodium_memzero(k, sizeof(*k));
}

/* BLAKE2b-256 keyed with @p key over "khomun/<label>/v1" NUL agency_id. */
static void derive(const unsigned char *key, const char *label, const char *agency_id,
                   unsigned char out[32])
{
    crypto_generichash_state st;
    char tag[64];
    int n = snprintf(tag, sizeof(tag), "khomun/%s/v1", label);
    crypto_generichash_init(&st, key, 32, 32);
    crypto_generichash_update(&st, (const unsigned char *)tag, (size_t)n + 1);
    crypto_generichash_update(&st, (const unsigned char *)agency_id, strlen(agency_id));
    crypto_generichash_final(&st, out, 32);
    sodium_memzero(&st, sizeof(st));
}

void khm_keys_agency_pseudonym(const khm_keys *k, const char *agency_id,
                               unsigned char out[KHM_KEY_LEN])
{
    derive(k->pseudonym, "subject", agency_id, out);
}

void khm_keys_agency_sign(const khm_keys *k, const char *agency_id,
                          unsigned char sk[KHM_SIGN_SK_LEN], unsigned char pk[KHM_SIGN_PK_LEN])
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    /* the installation's Ed25519 secret key begins with its 32-byte seed */
    derive(k->sign_sk, "receipt", agency_id, seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof(seed));
}
