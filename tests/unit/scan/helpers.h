/* helpers.h — shared by the scanner's unit tests: scan a string (as text or CSV) with all or one
 * detector and collect the findings with their values copied out. */
#ifndef KHM_TESTS_SCAN_HELPERS_H
#define KHM_TESTS_SCAN_HELPERS_H

#include "unit.h"

#include "scan_int.h"

typedef struct {
    char type[32];
    char value[160];
    char field[96];
    size_t start, end;
    uint64_t line;
    int64_t row, col;
    double score;
} hit;

typedef struct {
    hit h[256];
    size_t n;
} hits;

static inline int hits_collect(const khm_finding *f, void *payload)
{
    hits *hs = payload;
    if (hs->n == sizeof(hs->h) / sizeof(hs->h[0]))
        return 0;
    hit *h = &hs->h[hs->n++];
    memset(h, 0, sizeof(*h));
    snprintf(h->type, sizeof(h->type), "%s", f->type);
    snprintf(h->value, sizeof(h->value), "%.*s", (int)f->value_len, f->value);
    snprintf(h->field, sizeof(h->field), "%s", f->field ? f->field : "");
    h->start = f->start;
    h->end = f->end;
    h->line = f->line;
    h->row = f->row;
    h->col = f->col;
    h->score = f->score;
    return 0;
}

static inline khm_scanner *scanner_for(const char *type)
{
    const char *types[] = { type, NULL };
    khm_scan_opts o = { 0 };
    khm_scanner *sc = NULL;
    if (type)
        o.types = types;
    assert_int_equal(khm_scanner_new(&sc, &o), 0);
    return sc;
}

/* Scan @p s as text with only @p type (NULL: all); the findings in *hs, their count returned. */
static inline size_t scan_text(const char *type, const char *s, hits *hs)
{
    khm_scanner *sc = scanner_for(type);
    khm_scan_state *st = khm_scan_state_new(sc);
    assert_non_null(st);
    memset(hs, 0, sizeof(*hs));
    int64_t n = khm_scan_buf(sc, st, s, strlen(s), hits_collect, hs);
    assert_int_equal(n, (int64_t)hs->n);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    return hs->n;
}

/* 1 when @p s scanned with only @p type gives exactly one finding whose value is @p value. */
static inline int finds_one(const char *type, const char *s, const char *value)
{
    hits hs;
    if (scan_text(type, s, &hs) != 1) {
        print_message("'%s': %zu findings of %s\n", s, hs.n, type);
        return 0;
    }
    if (strcmp(hs.h[0].value, value) != 0) {
        print_message("'%s': found '%s', want '%s'\n", s, hs.h[0].value, value);
        return 0;
    }
    return 1;
}

static inline int finds_none(const char *type, const char *s)
{
    hits hs;
    if (scan_text(type, s, &hs) != 0) {
        print_message("'%s': unexpected %s '%s'\n", s, hs.h[0].type, hs.h[0].value);
        return 0;
    }
    return 1;
}

/* Scan @p s as CSV (header row first) with only @p type (NULL: all); findings in *hs. */
static inline size_t scan_csv_text(const char *type, const char *s, hits *hs)
{
    khm_scanner *sc = scanner_for(type);
    khm_scan_state *st = khm_scan_state_new(sc);
    assert_non_null(st);
    memset(hs, 0, sizeof(*hs));
    int64_t n = khm_scan_csv(sc, st, s, strlen(s), ',', NULL, hits_collect, hs);
    assert_int_equal(n, (int64_t)hs->n);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    return hs->n;
}

/* 1 when the CSV "<header>\n<cell>\n" gives exactly @p want findings of @p type, the first
 * one's value being @p value (when want is 1). */
static inline int cell_finds(const char *type, const char *header, const char *cell, size_t want,
                             const char *value)
{
    char csv[512];
    hits hs;
    snprintf(csv, sizeof(csv), "ชื่อ,%s\nนาย ก,%s\n", header, cell);
    if (scan_csv_text(type, csv, &hs) != want) {
        print_message("%s / '%s': %zu findings of %s, want %zu\n", header, cell, hs.n, type, want);
        return 0;
    }
    if (want == 1 && value && strcmp(hs.h[0].value, value) != 0) {
        print_message("%s / '%s': found '%s', want '%s'\n", header, cell, hs.h[0].value, value);
        return 0;
    }
    return 1;
}

#endif
