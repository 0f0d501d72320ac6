/* The CSV/TSV reader: RFC 4180 quoting ("" inside quotes, delimiters and newlines inside
 * quotes), CRLF or LF, ragged rows, a UTF-8 BOM skipped. It never copies: each cell is a pair
 * of offsets into the buffer, so findings inside a cell have exact file offsets. */
#include "scan_int.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void khm_csv_init(khm_csv *r, const char *buf, size_t len, char delim)
{
    memset(r, 0, sizeof(*r));
    r->p = buf;
    r->len = len;
    r->delim = delim ? delim : ',';
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
    r->done = r->pos >= len;
}

/* The first delimiter, CR or LF from i, or len: sixteen bytes at a time (SSE2) while they hold
 * none. */
static size_t cell_end(const char *p, size_t i, size_t len, char delim)
{
#ifdef __SSE2__
    const __m128i d = _mm_set1_epi8(delim), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (; i + 16 <= len; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_cmpeq_epi8(x, d), _mm_or_si128(_mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, cr))));
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < len && p[i] != delim && p[i] != '\n' && p[i] != '\r')
        i++;
    return i;
}

int khm_csv_next(khm_csv *r, khm_csv_cell *cell)
{
    const char *p = r->p;
    size_t len = r->len, i = r->pos;
    char delim = r->delim;
    if (r->done)
        return 0;
    cell->row = r->row;
    cell->col = r->col;
    cell->quoted = 0;
    if (i < len && p[i] == '"') {
        cell->quoted = 1;
        cell->start = ++i;
        for (;;) {
            const char *q = memchr(p + i, '"', len - i);
            if (!q) { /* unclosed: the rest of the buffer is the cell */
                cell->end = i = len;
                break;
            }
            i = (size_t)(q - p);
            if (i + 1 < len && p[i + 1] == '"') {
                i += 2;
                continue;
            }
            cell->end = i++;
            break;
        }
        while (i < len && p[i] != delim && p[i] != '\n' && p[i] != '\r') /* junk after quote */
            i++;
    } else {
        cell->start = i;
        i = cell_end(p, i, len, delim);
        cell->end = i;
    }
    if (i >= len) {
        cell->last = 1;
        r->done = 1;
    } else if (p[i] == delim) {
        cell->last = 0;
        r->col++;
        i++;
    } else {
        i += (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n') ? 2 : 1;
        cell->last = 1;
        r->row++;
        r->col = 0;
        r->done = i >= len;
    }
    r->pos = i;
    return 1;
}

int khm_csv_has_header(const char *buf, size_t len, char delim)
{
    khm_csv r;
    khm_csv_cell c;
    int any = 0;
    khm_csv_init(&r, buf, len, delim);
    while (khm_csv_next(&r, &c)) {
        int letter = 0;
        for (size_t k = c.start; k < c.end; k++) {
            unsigned char b = (unsigned char)buf[k];
            if (khm_isalpha(b) || b >= 0x80)
                letter = 1;
            if (b == '@') /* an e-mail address is a value, not a name */
                return 0;
        }
        if (!letter)
            return 0;
        any = 1;
        if (c.last)
            break;
    }
    return any;
}

char khm_csv_sniff(const char *buf, size_t len)
{
    static const char cand[] = { ',', '\t', ';', '|' };
    size_t n1[4] = { 0 }, n2[4] = { 0 }, line = 0;
    int inq = 0;
    for (size_t i = 0; i < len && line < 2 && i < 65536; i++) {
        char c = buf[i];
        if (c == '"')
            inq = !inq;
        else if (!inq && c == '\n')
            line++;
        else if (!inq)
            for (int k = 0; k < 4; k++)
                if (c == cand[k])
                    (line ? n2 : n1)[k]++;
    }
    for (int k = 0; k < 4; k++)
        if (n1[k] > 0 && (line < 2 || n2[k] == n1[k]))
            return cand[k];
    return 0;
}
