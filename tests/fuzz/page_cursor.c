/* Fuzz khm_page_parse(limit, cursor), the query parameters of every list route. The input is
 * split at a position given by its first byte into the limit and the cursor; the second byte
 * chooses which of them are absent (NULL). Accepted pages have a limit in 1..500 and an id as
 * cursor, and khm_page_cursor() of that id parses back to the same id. The cursor also goes to
 * khm_page_parse_keyed() (the dataset listing's, of the order "title"): accepted, its key is
 * valid UTF-8 and its id an id, and they make a cursor that parses back to them. */
#include <khomun/arena.h>
#include <khomun/err.h>
#include <khomun/rand.h>
#include <khomun/store.h>
#include <khomun/utf8.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t split = data[0], flags = data[1];
    data += 2, size -= 2;
    if (split > size)
        split = size;
    /* exact-size heap copies, so ASan sees a read past the terminator */
    char *limit = malloc(split + 1), *cursor = malloc(size - split + 1);
    if (!limit || !cursor)
        abort();
    memcpy(limit, data, split);
    limit[split] = '\0';
    memcpy(cursor, data + split, size - split);
    cursor[size - split] = '\0';

    khm_arena *a = khm_arena_new(0);
    if (!a)
        abort();
    khm_page page;
    const char *lp = flags & 1 ? NULL : limit, *cp = flags & 2 ? NULL : cursor;
    int rc = khm_page_parse(&page, lp, cp, a);
    if (rc < 0) {
        size_t nf;
        const khm_field_error *fe = khm_err_fields(&nf);
        if (rc != KHM_EINVALID || nf != 1 ||
            (strcmp(fe[0].field, "limit") != 0 && strcmp(fe[0].field, "cursor") != 0))
            abort();
    } else {
        if (page.limit < 1 || page.limit > KHM_PAGE_MAX)
            abort();
        if (!lp && page.limit != KHM_PAGE_DEFAULT)
            abort();
        if (!cp != !page.after)
            abort();
        if (page.after) {
            if (strlen(page.after) != KHM_ID_LEN - 1 || !khm_id_valid(page.after, KHM_ID_LEN - 1))
                abort();
            char *c2 = khm_page_cursor(page.after, a);
            khm_page p2;
            if (!c2 || khm_page_parse(&p2, NULL, c2, a) < 0 || strcmp(p2.after, page.after) != 0)
                abort();
        }
    }
    khm_err_clear();
    const char *key, *id;
    rc = khm_page_parse_keyed(cursor, "title", &key, &id, a);
    if (rc < 0) {
        size_t nf;
        const khm_field_error *fe = khm_err_fields(&nf);
        if (rc != KHM_EINVALID || nf != 1 || strcmp(fe[0].field, "cursor") != 0)
            abort();
    } else {
        const char *k2, *i2;
        char *c2 = khm_page_cursor_keyed("title", key, id, a);
        if (!khm_utf8_valid(key, strlen(key), NULL) || !khm_id_valid(id, strlen(id)) || !c2 ||
            khm_page_parse_keyed(c2, "title", &k2, &i2, a) < 0 || strcmp(k2, key) != 0 ||
            strcmp(i2, id) != 0 || khm_page_parse_keyed(c2, "-title", &k2, &i2, a) == 0)
            abort();
    }
    khm_err_clear();
    khm_arena_free(a);
    free(limit);
    free(cursor);
    return 0;
}
