/* fuzz_data.h — a real data directory for a fuzz target, made once in a temporary directory
 * (khm_setup_init: keys, the first agency "demo", an admin and its token) with its store open;
 * removed, store closed, at exit. Shared by the targets that need a store (auth_header,
 * catalog_import); included by one translation unit each, so its definitions are static. */
#ifndef KHOMUN_FUZZ_DATA_H
#define KHOMUN_FUZZ_DATA_H

#include <khomun/arena.h>
#include <khomun/err.h>
#include <khomun/setup.h>
#include <khomun/store.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char fuzz_dir[64];
static char fuzz_data_dir[80];
static khm_store *store;

/* Abort with what failed and the library's last error (a set-up failure is a finding). */
static void die(const char *what)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, khm_err_last()->message);
    abort();
}

static int fuzz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void fuzz_data_cleanup(void)
{
    khm_store_close(store);
    store = NULL;
    nftw(fuzz_dir, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Make the data directory and open @c store; @p res (in @p a) says what khm_setup_init made. */
static void fuzz_data_open(khm_init_result *res, khm_arena *a)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/khomun-fuzz-XXXXXX",
             tmp && strlen(tmp) < 30 ? tmp : "/tmp");
    if (!mkdtemp(fuzz_dir))
        abort();
    snprintf(fuzz_data_dir, sizeof(fuzz_data_dir), "%s/data", fuzz_dir);
    atexit(fuzz_data_cleanup);
    khm_init_opts io = { fuzz_data_dir, NULL, NULL, NULL, NULL, NULL };
    if (khm_setup_init(res, &io, a) < 0)
        die("init");
    if (khm_store_open(&store, res->db_uri, NULL) < 0)
        die("open");
}

#endif
