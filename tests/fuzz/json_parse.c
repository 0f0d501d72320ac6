/* Fuzz khm_json_parse (the strict front door of every request body) and khm_json_check (the
 * declarative member checker). Never crash or leak; what is accepted must serialize and parse
 * back to an equal value; every error message must be valid UTF-8, because it goes into a
 * problem+json response. */
#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/json.h>
#include <khomun/utf8.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const khm_json_field fields[] = {
    { "slug", KHM_JSON_STRING, 1, 63, "รหัสหน่วยงาน", 0 },
    { "name_th", KHM_JSON_STRING, 1, 200, "ชื่อหน่วยงาน (ภาษาไทย)", 0 },
    { "name_en", KHM_JSON_STRING, 0, 200, NULL, 1 },
    { "expires_in", KHM_JSON_INTEGER, 0, 0, "อายุ", 0 },
    { "disabled", KHM_JSON_BOOLEAN, 0, 0, NULL, 0 },
    { "tags", KHM_JSON_ARRAY, 0, 0, NULL, 1 },
    { "meta", KHM_JSON_OBJECT, 0, 0, NULL, 1 },
    { "score", KHM_JSON_NUMBER, 0, 0, "คะแนน", 0 },
    { NULL },
};

static int utf8_ok(const char *s)
{
    return khm_utf8_valid(s, strlen(s), NULL);
}

/* The last error must be one of @p code's, with a message and field errors that are UTF-8. */
static void check_error(int rc)
{
    const khm_error *e = khm_err_last();
    if (e->code != rc || !utf8_ok(e->message)) {
        fprintf(stderr, "error %d (returned %d) with message: %s\n", e->code, rc, e->message);
        abort();
    }
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    if (rc == KHM_EINVALID && nf == 0)
        abort();
    for (size_t i = 0; i < nf; i++)
        if (!utf8_ok(fe[i].field) || !utf8_ok(fe[i].message) || !utf8_ok(fe[i].message_th)) {
            fprintf(stderr, "field error not UTF-8: %s: %s\n", fe[i].field, fe[i].message);
            abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = (json_t *)1;
    int rc = khm_json_parse(&v, (const char *)data, size, 0, 0);
    if (rc < 0) {
        if (v != NULL || (rc != KHM_EINVALID && rc != KHM_ELIMIT))
            abort();
        check_error(rc);
        khm_err_clear();
        return 0;
    }
    /* accepted: valid UTF-8, and it round-trips through our own serializer */
    if (!v || !khm_utf8_valid((const char *)data, size, NULL))
        abort();
    size_t len;
    char *dump = khm_json_dump(v, &len);
    if (!dump)
        abort();
    json_t *again = NULL;
    if (khm_json_parse(&again, dump, len, 0, 0) < 0 || !json_equal(v, again))
        abort();
    json_decref(again);
    khm_free(dump);

    if (json_is_object(v)) {
        rc = khm_json_check(v, fields);
        if (rc < 0) {
            if (rc != KHM_EINVALID)
                abort();
            check_error(rc);
        } else if (!khm_json_str(v, "slug") || !khm_json_str(v, "name_th")) {
            abort(); /* required members passed the check, so they are strings */
        }
    }
    khm_err_clear();
    json_decref(v);
    return 0;
}
