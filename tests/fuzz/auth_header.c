/* Fuzz the Authorization header parsing of khm_auth_bearer against a real initialised data
 * directory (made once in a temporary directory). It must never crash, must fail with KHM_EAUTH
 * and one of the documented messages, and must never authenticate random input.
 *
 * The first byte picks a mode. Mode 0 passes the rest as the header. Modes 1-3 splice a real
 * token between two parts of the rest (split at the second byte): the admin's, a revoked one,
 * a disabled user's. Then the outcome is exactly predictable: success for the admin's token
 * when the header is "Bearer", spaces, the token, then only spaces or tabs; otherwise the
 * right refusal. */
#include <khomun/access.h>
#include <khomun/arena.h>
#include <khomun/err.h>
#include <khomun/setup.h>
#include <khomun/store.h>
#include <khomun/time.h>

#include "fuzz_data.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char secret[3][KHM_TOKEN_STR_LEN]; /* admin, revoked, disabled user */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    khm_arena *a = khm_arena_new(0);
    khm_init_result res;
    fuzz_data_open(&res, a);
    memcpy(secret[0], res.secret, KHM_TOKEN_STR_LEN);

    khm_tx *tx;
    khm_token t;
    int64_t now = khm_time_now_ms() - 1000;
    khm_token_input ti = { "admin", "revoked", 0, NULL };
    khm_user_input ui = { "somchai", "สมชาย", NULL, "demo", "analyst", NULL };
    khm_user u;
    if (khm_tx_begin(&tx, store, 1) < 0)
        die("begin");
    if (khm_token_create(tx, &t, secret[1], &ti, now, a) < 0)
        die("token");
    if (khm_store_token_revoke(tx, t.id, now) < 0)
        die("revoke");
    if (khm_user_create(tx, &u, &ui, now, a) < 0)
        die("user");
    ti.user = "somchai";
    ti.name = "disabled";
    if (khm_token_create(tx, &t, secret[2], &ti, now, a) < 0)
        die("token 2");
    if (khm_store_user_set_disabled(tx, u.id, 1) < 0)
        die("disable");
    if (khm_tx_commit(tx) < 0)
        die("commit");

    /* the target is only meaningful if a well-formed header does get through */
    char h[80];
    khm_principal p;
    snprintf(h, sizeof(h), "bEaReR  %s \t", secret[0]);
    if (khm_auth_bearer(&p, store, h, khm_time_now_ms(), a) < 0 || strcmp(p.user.name, "admin"))
        die("the admin token does not authenticate");
    khm_arena_free(a);
    khm_err_clear();
    return 0;
}

static int only(const char *p, size_t n, const char *set)
{
    return strspn(p, set) >= n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const messages[] = { "missing bearer token", "malformed bearer token",
                                            "unknown token",        "token expired",
                                            "token revoked",        "user disabled" };
    if (size < 2)
        return 0;
    int mode = data[0] % 4;
    size_t split = data[1];
    data += 2, size -= 2;
    if (split > size)
        split = size;
    /* the header is a C string: it ends at the first NUL, as libmicrohttpd would give it */
    size_t tlen = mode ? KHM_TOKEN_STR_LEN - 1 : 0;
    char *h = malloc(size + tlen + 1);
    if (!h)
        abort();
    if (mode) {
        memcpy(h, data, split);
        memcpy(h + split, secret[mode - 1], tlen);
        memcpy(h + split + tlen, data + split, size - split);
    } else {
        memcpy(h, data, size);
    }
    h[size + tlen] = '\0';

    khm_arena *a = khm_arena_new(0);
    khm_principal p;
    int rc = khm_auth_bearer(&p, store, h, khm_time_now_ms(), a);

    /* "Bearer", one or more spaces, the token, then only spaces and tabs */
    size_t hl = strlen(h);
    int shaped = mode && hl >= split + tlen && split > 6 && strncasecmp(h, "Bearer", 6) == 0 &&
                 only(h + 6, split - 6, " ") && only(h + split + tlen, hl - split - tlen, " \t");
    if (rc == 0) {
        if (!shaped || mode != 1 || strcmp(p.user.name, "admin") != 0)
            abort();
    } else {
        const char *m = khm_err_last()->message;
        size_t i = 0;
        while (i < sizeof(messages) / sizeof(messages[0]) && strcmp(m, messages[i]) != 0)
            i++;
        if (rc != KHM_EAUTH || i == sizeof(messages) / sizeof(messages[0]))
            abort();
        if (shaped && (mode == 1 || strcmp(m, mode == 2 ? "token revoked" : "user disabled")))
            abort();
    }
    khm_err_clear();
    khm_arena_free(a);
    free(h);
    return 0;
}
