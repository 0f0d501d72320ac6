/**
 * @file khomun/err.h
 * Error codes and the thread-local last error.
 *
 * Functions return `int`: 0 on success, a negative KHM_E* code on failure. The message (and, for
 * validation problems, the list of fields at fault) sits in a thread-local record that stays valid
 * until the next khm_* call on the same thread. One table (err.c) maps each code to its HTTP
 * status, RFC 9457 problem type and CLI exit code.
 */
#ifndef KHOMUN_ERR_H
#define KHOMUN_ERR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Library error codes. Stable: front-ends translate them through khm_err_info_get(). */
typedef enum {
    KHM_OK = 0,
    KHM_ERROR = -1,     /**< anything unexpected; see khm_err_last() */
    KHM_ENOMEM = -2,    /**< out of memory (message is static) */
    KHM_ENOTFOUND = -3, /**< the record or file does not exist */
    KHM_EEXISTS = -4,   /**< a record with that unique key already exists */
    KHM_EINVALID = -5,  /**< invalid input; see khm_err_fields() */
    KHM_ELIMIT = -6,    /**< over a configured limit (body size, buffer cap) */
    KHM_EDENIED = -7,   /**< authenticated, but not allowed */
    KHM_EAUTH = -8,     /**< not authenticated (missing, bad, expired, revoked token) */
    KHM_EIO = -9,       /**< a file or directory operation failed */
    KHM_EUNAVAIL = -10, /**< the store cannot be reached */
    KHM_EMEDIA = -11,   /**< unsupported media type */
    KHM_EMETHOD = -12,  /**< method not allowed on this path */
    KHM_EUSAGE = -13,   /**< command-line usage error */
    KHM_ETAMPER = -14,  /**< stored data fails its integrity check (audit chain) */
    KHM_ESTALE = -15,   /**< the record changed since the version given (If-Match: 412) */
    KHM_EPRECOND = -16, /**< a change needs the version it applies to (no If-Match: 428) */
    KHM_E__LAST = -16
} khm_code;

/** The most recent error of the calling thread. */
typedef struct {
    int code;            /**< a khm_code */
    const char *message; /**< one line, never NULL; borrowed */
} khm_error;

/** One field at fault in a validation error. All strings borrowed from the thread-local record. */
typedef struct {
    const char *field;      /**< JSON path or option name, e.g. "slug" */
    const char *message;    /**< English */
    const char *message_th; /**< Thai; may be "" when no Thai label exists */
} khm_field_error;

/** How a code is shown to people and systems (the one table). */
typedef struct {
    int code;             /**< khm_code */
    int http_status;      /**< e.g. 404 */
    int exit_code;        /**< CLI exit status */
    const char *type;     /**< RFC 9457 problem type, e.g. "urn:khomun:problem:not-found" */
    const char *title;    /**< English title */
    const char *title_th; /**< Thai title */
    const char *name;     /**< "ENOTFOUND" */
} khm_err_info;

/** Maximum field errors kept per error; further ones are counted, not stored. */
#define KHM_ERR_MAX_FIELDS 16

/** Set the last error and return @p code, so callers can `return khm_err_set(...)`. */
int khm_err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Add a field error to the current validation error (code becomes KHM_EINVALID) and return
 * KHM_EINVALID. The top-level message becomes "N field(s) invalid" unless one was set.
 */
int khm_err_field(const char *field, const char *message_th, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** The last error; never NULL. code is KHM_OK and message "" when there is none. */
const khm_error *khm_err_last(void);

/** Field errors of the last error; @p n receives the count (≤ KHM_ERR_MAX_FIELDS). */
const khm_field_error *khm_err_fields(size_t *n);

/** Forget the last error (after handling it). */
void khm_err_clear(void);

/** Table row for @p code; unknown codes map to KHM_ERROR's row. Never NULL. */
const khm_err_info *khm_err_info_get(int code);

#ifdef __cplusplus
}
#endif
#endif
