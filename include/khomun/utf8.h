/**
 * @file khomun/utf8.h
 * Strict UTF-8 validation and decoding (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
 */
#ifndef KHOMUN_UTF8_H
#define KHOMUN_UTF8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * 1 when @p p[0..n) is valid UTF-8, else 0 and *@p bad_at (if not NULL) receives the offset
 * of the first invalid byte.
 */
int khm_utf8_valid(const char *p, size_t n, size_t *bad_at);

/**
 * Replace each byte of the NUL-terminated @p s that is not part of a valid UTF-8 character with
 * '?', in place (a message quoting input cut byte by byte — jansson's error text — stays valid
 * UTF-8 for JSON and terminals).
 */
void khm_utf8_scrub(char *s);

/**
 * Decode one code point at @p p (at most @p n bytes).
 * @return bytes consumed (1–4), or 0 when the sequence is invalid or truncated.
 */
size_t khm_utf8_decode(const char *p, size_t n, uint32_t *out);

/** Encode @p cp into @p out; returns bytes written (1–4), 0 for an invalid code point. */
size_t khm_utf8_encode(uint32_t cp, char out[4]);

/** Number of code points in valid UTF-8 @p p[0..n) (invalid bytes count as one each). */
size_t khm_utf8_length(const char *p, size_t n);

/**
 * Columns @p p[0..n) takes on a terminal: Thai above/below vowels and tone marks (combining,
 * e.g. U+0E31, U+0E34–U+0E3A, U+0E47–U+0E4E) take none, East Asian wide characters two.
 */
size_t khm_utf8_width(const char *p, size_t n);

/**
 * 1 when @p p[0..n) is text a person may enter in a name field: valid UTF-8, no control
 * characters (C0, DEL), at most @p max code points.
 */
int khm_utf8_is_text(const char *p, size_t n, size_t max);

/** 1 when @p cp is in the Thai block U+0E00–U+0E7F. */
int khm_utf8_is_thai(uint32_t cp);

#ifdef __cplusplus
}
#endif
#endif
