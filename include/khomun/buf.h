/**
 * @file khomun/buf.h
 * A growable byte buffer with a hard cap; the struct address is stable (no sds-style moves).
 */
#ifndef KHOMUN_BUF_H
#define KHOMUN_BUF_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Growable buffer. `ptr` is always NUL-terminated after a successful append. */
typedef struct {
    char *ptr;  /**< owned; NULL until the first append */
    size_t len; /**< bytes used, excluding the NUL */
    size_t cap; /**< bytes allocated */
    size_t max; /**< hard cap on len; appends past it fail with KHM_ELIMIT */
} khm_buf;

/** Static initializer with cap @p m. */
#define KHM_BUF_INIT(m) \
    {                   \
        NULL, 0, 0, (m) \
    }

/** Initialize an empty buffer whose length may never exceed @p max bytes. */
void khm_buf_init(khm_buf *b, size_t max);
/** Ensure room for @p extra more bytes; KHM_ELIMIT past the cap, KHM_ENOMEM. */
int khm_buf_reserve(khm_buf *b, size_t extra);
/** Append @p n bytes. */
int khm_buf_put(khm_buf *b, const void *p, size_t n);
/** Append a NUL-terminated string. */
int khm_buf_puts(khm_buf *b, const char *s);
/** Append one byte. */
int khm_buf_putc(khm_buf *b, char c);
/** Append formatted text. */
int khm_buf_printf(khm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Append @p s as the body of a JSON string (quotes not included), escaping as RFC 8259 asks. */
int khm_buf_json_escape(khm_buf *b, const char *s, size_t n);
/* The same in jansson's form (json_dumps: \b and \f, upper-case \u00XX, DEL kept as it is):
 * khm_json_dump writes what json_dumps would, byte for byte. */
int khm_buf_json_escape_jansson(khm_buf *b, const char *s, size_t n);
/** How many leading bytes of @p s (of @p n) a JSON string takes as they are (no escaping). */
size_t khm_json_plain_span(const char *s, size_t n);
/** Append @p n bytes at @p s as one CSV cell (RFC 4180): quoted, with quotes doubled, when it
 *  holds a comma, a quote, CR or LF or starts or ends with a space; as it is otherwise. */
int khm_buf_csv_cell(khm_buf *b, const char *s, size_t n);
/** Forget the contents, keep the memory. */
void khm_buf_reset(khm_buf *b);
/** Release the memory; the buffer is empty and reusable afterwards. */
void khm_buf_dispose(khm_buf *b);
/** Take ownership of the bytes (free with khm_free); the buffer becomes empty. */
char *khm_buf_detach(khm_buf *b, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
