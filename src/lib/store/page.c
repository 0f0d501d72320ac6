/* Cursor pagination: the cursor is the last id seen, wrapped in unpadded base64url so clients
 * treat it as opaque (the encoding may change; clients must not build cursors themselves). */
#include <khomun/store.h>

#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/rand.h>
#include <khomun/utf8.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int khm_page_parse(khm_page *out, const char *limit, const char *cursor, khm_arena *a)
{
    out->after = NULL;
    out->limit = KHM_PAGE_DEFAULT;
    if (limit) {
        char *end;
        errno = 0;
        long v = strtol(limit, &end, 10);
        /* digits only: strtol would also take " 5" and "+5" */
        if (*limit < '0' || *limit > '9' || *end || errno || v < 1 || v > KHM_PAGE_MAX)
            return khm_err_field("limit", "จำนวนรายการต่อหน้าต้องเป็นจำนวนเต็ม 1–500",
                                 "must be an integer from 1 to %d", KHM_PAGE_MAX);
        out->limit = (size_t)v;
    }
    if (cursor) {
        uint8_t raw[64];
        size_t n = strlen(cursor);
        int len = n <= 64 ? khm_b64url_decode(raw, sizeof(raw), cursor, n) : -1;
        if (len != 36 || !khm_id_valid((const char *)raw, 36))
            return khm_err_field("cursor", "ค่า cursor ไม่ถูกต้อง",
                                 "not a cursor returned by this API");
        out->after = khm_arena_strndup(a, (const char *)raw, 36);
        if (!out->after)
            return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    return 0;
}

char *khm_page_cursor(const char *last_id, khm_arena *a)
{
    size_t n = strlen(last_id);
    char *out = khm_arena_alloc(a, KHM_B64URL_LEN(n));
    if (out)
        khm_b64url_encode(out, KHM_B64URL_LEN(n), (const uint8_t *)last_id, n);
    return out;
}

/* Keyed cursors: "order\nkey\nid" — the order a cursor belongs to, the sort key and the id of
 * the last row seen — so a page continues exactly after that row whatever was added since, and
 * a cursor of one order is refused by another. */
#define KEYED_MAX 4096

char *khm_page_cursor_keyed(const char *order, const char *key, const char *id, khm_arena *a)
{
    char *raw = khm_arena_printf(a, "%s\n%s\n%s", order, key ? key : "", id);
    if (!raw)
        return NULL;
    size_t n = strlen(raw);
    char *out = khm_arena_alloc(a, KHM_B64URL_LEN(n));
    if (out)
        khm_b64url_encode(out, KHM_B64URL_LEN(n), (const uint8_t *)raw, n);
    return out;
}

int khm_page_parse_keyed(const char *cursor, const char *order, const char **key, const char **id,
                         khm_arena *a)
{
    size_t n = strlen(cursor), ol = strlen(order);
    char *raw = n <= KHM_B64URL_LEN(KEYED_MAX) ? khm_arena_alloc(a, n + 1) : NULL;
    int len = raw ? khm_b64url_decode((uint8_t *)raw, n, cursor, n) : -1;
    const char *nl = NULL; /* the last newline: the id follows it */
    for (int i = len - 1; i >= 0 && !nl; i--)
        if (raw[i] == '\n')
            nl = raw + i;
    if (len < 0 || (size_t)len <= ol || memcmp(raw, order, ol) != 0 || raw[ol] != '\n' ||
        nl <= raw + ol || memchr(raw, '\0', (size_t)len) ||
        !khm_id_valid(nl + 1, (size_t)(raw + len - nl - 1)) ||
        !khm_utf8_valid(raw + ol + 1, (size_t)(nl - (raw + ol + 1)), NULL)) {
        /* a cursor of the plain (id) form, or of another order */
        return khm_err_field("cursor", "ค่า cursor ไม่ถูกต้อง หรือเป็นของการเรียงลำดับอื่น",
                             "not a cursor returned by this API for this order (sort '%s')", order);
    }
    raw[len] = '\0';
    raw[nl - raw] = '\0';
    *key = raw + ol + 1;
    *id = nl + 1;
    return 0;
}
