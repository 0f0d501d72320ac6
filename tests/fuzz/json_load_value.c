/* Fuzz khm_json_load_value (the catalog import's fast JSON value parser) against jansson's
 * json_loadb with the flags the import uses (JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY). What the
 * fast parser takes, jansson must take too, as an equal value with the members in the same
 * order, ending at the same byte; what it leaves, the import hands to jansson, so there is no
 * property to check there beyond no crash, no leak. */
#include <khomun/json.h>

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t used = (size_t)-1;
    json_t *fast = khm_json_load_value((const char *)data, size, &used);
    if (!fast)
        return 0;
    if (used > size)
        abort();
    json_error_t je;
    json_t *slow =
        json_loadb((const char *)data, size, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &je);
    if (!slow) {
        fprintf(stderr, "taken, but json_loadb says: %s\n", je.text);
        abort();
    }
    char *a = json_dumps(fast, JSON_COMPACT | JSON_ENCODE_ANY);
    char *b = json_dumps(slow, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!json_equal(fast, slow) || !a || !b || strcmp(a, b) != 0 || used != (size_t)je.position) {
        fprintf(stderr, "differs: %s\n    from: %s (used %zu, jansson %d)\n", a ? a : "?",
                b ? b : "?", used, je.position);
        abort();
    }
    free(a);
    free(b);
    json_decref(fast);
    json_decref(slow);
    return 0;
}
