/* Fuzz khm_time_parse on raw bytes (not NUL-terminated, so ASan sees any over-read). When it
 * accepts, khm_time_format must print the instant and parsing that again must give the same
 * milliseconds (the input's extra precision was already truncated to ms). */
#include <khomun/err.h>
#include <khomun/time.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t ms = INT64_MIN;
    int rc = khm_time_parse(&ms, (const char *)data, size);
    if (rc < 0) {
        if (rc != KHM_EINVALID || ms != INT64_MIN || khm_err_last()->code != KHM_EINVALID)
            abort();
        khm_err_clear();
        return 0;
    }
    char out[KHM_TIME_RFC3339_LEN];
    memset(out, 'x', sizeof(out));
    khm_time_format(out, ms);
    size_t n = strnlen(out, sizeof(out));
    if (n != KHM_TIME_RFC3339_LEN - 1)
        abort();
    int64_t again = INT64_MIN;
    if (khm_time_parse(&again, out, n) < 0) {
        fprintf(stderr, "accepted %.*s as %lld but not its own format %s\n", (int)size,
                (const char *)data, (long long)ms, out);
        abort();
    }
    if (again != ms) {
        fprintf(stderr, "%.*s -> %lld -> %s -> %lld\n", (int)size, (const char *)data,
                (long long)ms, out, (long long)again);
        abort();
    }
    /* the Thai long date of any accepted instant fits a modest buffer */
    char th[128];
    if (khm_time_format_th(th, sizeof(th), ms) < 0)
        abort();
    khm_err_clear();
    return 0;
}
