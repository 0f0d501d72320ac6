/**
 * @file khomun/log.h
 * Structured logging: one JSON object per line on stderr, written with one write(2) so lines
 * from several threads never interleave. Secrets are never passed here.
 */
#ifndef KHOMUN_LOG_H
#define KHOMUN_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { KHM_LOG_DEBUG = 0, KHM_LOG_INFO, KHM_LOG_WARN, KHM_LOG_ERROR } khm_log_level;

/** Lines below @p lvl are dropped (default KHM_LOG_INFO). */
void khm_log_set_level(khm_log_level lvl);
/** Current threshold. */
khm_log_level khm_log_get_level(void);
/** Parse "debug|info|warn|error"; 0 or KHM_EINVALID. */
int khm_log_parse_level(const char *s, khm_log_level *out);
/** Redirect output to @p fd (default 2). */
void khm_log_set_fd(int fd);

/**
 * Write {"ts":…,"level":…,"msg":@p msg,<fields>}. @p fields_json is either NULL or a
 * comma-separated list of already-escaped JSON members without braces, e.g. "\"a\":1,\"b\":\"x\"".
 */
void khm_log_json(khm_log_level lvl, const char *msg, const char *fields_json);

/** printf-style message with no extra fields (the message is JSON-escaped). */
void khm_log(khm_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif
#endif
