/**
 * @file khomun/segment.h
 * Word segmentation for full-text search in Thai and English. Thai is written without spaces
 * between words, so Thai runs are cut into dictionary words by libthai (maximal matching over
 * its dictionary, libthai-data); Latin letters and digits form words split on anything else;
 * everything else (spaces, punctuation, ฯ, ๆ, other scripts, invalid UTF-8) separates words.
 *
 * The same segmentation is used to index and to query, on both backends: SQLite through the
 * FTS5 tokenizer "thai" (registered on every connection the store opens), PostgreSQL through
 * to_tsvector('simple', khm_segment_join(...)).
 *
 * Threading: every function here may be called from any number of threads at once. One libthai
 * word-break engine is loaded on first use and shared (libthai documents its break functions as
 * safe to call in parallel on one engine made under a lock).
 */
#ifndef KHOMUN_SEGMENT_H
#define KHOMUN_SEGMENT_H

#include <stddef.h>

#include <khomun/buf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Tokens longer than this many bytes are not reported (as PostgreSQL drops long words). */
#define KHM_SEG_TOKEN_MAX 255

/** Most words khm_fts_query() accepts in one query. */
#define KHM_FTS_QUERY_MAX_WORDS 32

/**
 * Called for each token: the bytes [@p start, @p end) of the input, on UTF-8 character
 * boundaries, 0 ≤ start < end ≤ n, in increasing order without overlap. A non-zero return stops
 * the segmentation, and khm_segment() returns that value.
 */
typedef int (*khm_seg_fn)(size_t start, size_t end, void *payload);

/**
 * Segment the UTF-8 text @p utf8[0..n) (need not be NUL-terminated; invalid bytes separate
 * words) and call @p cb for each token. A token is one of:
 * - a Thai word: libthai's cut of a run of Thai letters, vowels and marks (U+0E01–U+0E3A,
 *   U+0E40–U+0E4E but not ฯ U+0E2F, ๆ U+0E46); an unknown word (a rare name) may come out as
 *   more than one piece, always the same pieces for the same run;
 * - a word of ASCII letters and digits, Thai digits (๐–๙) and Latin-1/Extended letters
 *   (U+00C0–U+024F but not × ÷), e.g. `budget`, `2567`, `ISO27001`.
 * Tokens longer than KHM_SEG_TOKEN_MAX bytes are skipped.
 * @return 0; the non-zero value @p cb returned; KHM_EUNAVAIL when the libthai dictionary
 *         cannot be loaded (only asked for when the text holds Thai).
 */
int khm_segment(const char *utf8, size_t n, khm_seg_fn cb, void *payload);

/**
 * The form a token is indexed and searched by: ASCII and Latin-1 capitals lower-cased, Thai
 * digits as ASCII digits (๒๕๖๗ → 2567); Thai letters unchanged. Writes at most @p n bytes
 * to @p out (the folded form is never longer) and returns its length.
 */
size_t khm_segment_fold(const char *tok, size_t n, char *out);

/**
 * Append the folded tokens of @p utf8[0..n) to @p out, separated by single spaces (nothing for
 * text without tokens): `แผนงบประมาณบูรณาการ Budget` → `แผน งบประมาณ บูรณาการ budget`. This is
 * what the PostgreSQL backend indexes and queries with to_tsvector('simple', …), so both
 * backends see the same words.
 * @return 0, KHM_ELIMIT / KHM_ENOMEM from @p out, or KHM_EUNAVAIL (see khm_segment()).
 */
int khm_segment_join(const char *utf8, size_t n, khm_buf *out);

/**
 * Turn what a user typed into a safe SQLite FTS5 MATCH expression over columns that use the
 * "thai" tokenizer: every word of khm_segment() becomes a quoted FTS5 string, and the words are
 * ANDed: `งบประมาณ budget` → `"งบประมาณ" "budget"*`. The last word also matches as a prefix
 * (`"budget"*`: budget, budgets; `"งบ"*`: งบประมาณ) when it is at least two characters long and
 * the query does not end with a separator (the user may still be typing it). Nothing the user
 * typed reaches FTS5 as syntax: quotes, parentheses, `*`, `^`, `:`, `-`, AND/OR/NOT/NEAR are
 * separators or plain (lower-cased) words.
 * Sub-word matches do not count: `ประมาณ` does not find `งบประมาณ` (libthai keeps that word
 * whole), only a prefix of the last word does.
 * @param user_query  NUL-terminated UTF-8 (invalid bytes separate words)
 * @param out         receives the expression (appended, NUL-terminated)
 * @return 0; KHM_EINVALID naming the field "q" (no word to search for, or more than
 *         KHM_FTS_QUERY_MAX_WORDS words); KHM_ELIMIT / KHM_ENOMEM from @p out; KHM_EUNAVAIL.
 */
int khm_fts_query(const char *user_query, khm_buf *out);

/**
 * The same query for PostgreSQL: a tsquery text for to_tsquery('simple', …) over
 * to_tsvector('simple', khm_segment_join(…)) with the same words and the same prefix rule:
 * `งบประมาณ budget` → `'งบประมาณ' & 'budget':*`. Each word is a quoted lexeme (a quote or
 * backslash, which a word never holds, would be escaped), so nothing the user typed is
 * tsquery syntax. Errors as khm_fts_query().
 */
int khm_ts_query(const char *user_query, khm_buf *out);

#ifdef __cplusplus
}
#endif
#endif
