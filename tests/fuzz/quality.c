/* Fuzz the quality profile (khm_quality_profile_mem) and the value classifier: byte 0 picks the
 * declared format (CSV, TSV, JSON, JSONL, GZIP, none), the rest is the file. Whatever the bytes,
 * the status is profiled, unsupported or failed (with a valid UTF-8 reason); the counts agree
 * with each other (cells = rows × columns, empty ≤ cells, invalid ≤ checked, a column's invalid
 * is its three kinds, repeats ≤ rows, positions ascending and inside the file); every score is
 * -1 or 0–100; every column name and explanation is valid UTF-8; and the resource's JSON parses.
 * khm_quality_date_check and khm_quality_value agree on dates. */
#include <khomun/arena.h>
#include <khomun/buf.h>
#include <khomun/err.h>
#include <khomun/json.h>
#include <khomun/quality.h>
#include <khomun/utf8.h>

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void utf8_or_die(const char *s)
{
    if (s && !khm_utf8_valid(s, strlen(s), NULL))
        abort();
}

static void score_ok(double v)
{
    if (v != -1 && (v < 0 || v > 100))
        abort();
}

static void positions_ok(const int64_t *v, size_t n, int64_t max)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] < 1 || v[i] > max || (i && v[i] <= v[i - 1]))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const formats[] = { "CSV", "TSV", "JSON", "JSONL", "GZIP", NULL };
    if (size < 1)
        return 0;
    const char *format = formats[data[0] % 6];
    const char *body = (const char *)data + 1;
    size_t n = size - 1;
    khm_arena *a = khm_arena_new(0);
    if (!a)
        abort();
    khm_quality q;
    int rc = khm_quality_profile_mem(body, n, "fuzz.dat", format, &q, a);
    if (rc < 0 && rc != KHM_ENOMEM)
        abort();
    if (rc == 0) {
        if (strcmp(q.status, "profiled") != 0 && strcmp(q.status, "unsupported") != 0 &&
            strcmp(q.status, "failed") != 0)
            abort();
        if (strcmp(q.status, "failed") == 0 && !q.error)
            abort();
        utf8_or_die(q.error);
        /* a record starts on a line the input has (lines ≤ newlines + 1, or rows of a document) */
        int64_t lines = 1;
        for (size_t i = 0; i < n; i++)
            lines += body[i] == '\n' || body[i] == '\r';
        if (n >= 2 && (uint8_t)body[0] == 0x1f && (uint8_t)body[1] == 0x8b)
            lines = INT64_MAX; /* lines of the inflated text */
        int64_t maxpos = q.at_unit && strcmp(q.at_unit, "row") == 0 ? q.rows : lines;
        if (q.cells != q.rows * (int64_t)q.ncols || q.empty < 0 || q.empty > q.cells ||
            q.invalid < 0 || q.invalid > q.checked || q.duplicate_rows > q.rows ||
            q.duplicate_keys > q.rows || q.unchecked_rows > q.rows)
            abort();
        score_ok(q.completeness);
        score_ok(q.validity);
        score_ok(q.uniqueness);
        score_ok(q.score);
        positions_ok(q.dup_row_lines, q.ndup_row_lines, maxpos);
        for (size_t k = 0; k < q.ncols; k++) {
            const khm_quality_column *c = &q.cols[k];
            utf8_or_die(c->field);
            if (c->cells != q.rows || c->empty < 0 || c->empty > c->cells ||
                c->invalid != c->bad_format + c->bad_check + c->bad_date || c->bad_format < 0 ||
                (unsigned)c->type >= KHM_QT__COUNT || (!c->key && c->duplicates))
                abort();
            positions_ok(c->invalid_lines, c->ninvalid_lines, maxpos);
            positions_ok(c->dup_lines, c->ndup_lines, maxpos);
        }
        for (size_t i = 0; i < q.nnotes; i++) {
            utf8_or_die(q.notes[i].message_th);
            utf8_or_die(q.notes[i].message);
            if (!q.notes[i].message_th || !q.notes[i].message || !q.notes[i].code)
                abort();
        }
        khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
        khm_jw w;
        khm_jw_init(&w, &b);
        khm_quality_write_json(&w, &q, "r", "fuzz.dat", 1);
        if (khm_jw_finish(&w) != 0)
            abort();
        json_t *j = json_loadb(b.ptr, b.len, 0, NULL);
        if (!j)
            abort();
        json_decref(j);
        khm_buf_dispose(&b);
    }
    /* the classifier on the raw bytes: a date is a date to both */
    size_t vn = n < 400 ? n : 400;
    int d = khm_quality_date_check(body, vn);
    unsigned m = khm_quality_value(body, vn);
    if (d < -1 || d > 1)
        abort();
    if ((m & KHM_QV_DATE_BAD) && !(m & KHM_QV_DATE))
        abort();
    if ((m & KHM_QV_DATE) && d < 0)
        abort();
    if ((m & KHM_QV_DATE) && ((m & KHM_QV_DATE_BAD) != 0) != (d == 0))
        abort();
    if ((m & KHM_QV_EMPTY) && m != KHM_QV_EMPTY)
        abort();
    khm_arena_free(a);
    khm_err_clear();
    return 0;
}
