/* Structured logging: one JSON object per line, written with a single write(2) so that lines
 * from several threads never interleave. A line that does not fit the buffer is truncated to a
 * valid line with "truncated":true rather than split. */
#include <khomun/log.h>

#include <khomun/buf.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX_BYTES 16384
#define TAIL           24 /* kept free after the message for "\",\"truncated\":true}\n" */

static atomic_int level = KHM_LOG_INFO;
static atomic_int out_fd = 2;
static const char *const names[] = { "debug", "info", "warn", "error" };

void khm_log_set_level(khm_log_level lvl)
{
    atomic_store(&level, (int)lvl);
}

khm_log_level khm_log_get_level(void)
{
    return (khm_log_level)atomic_load(&level);
}

void khm_log_set_fd(int fd)
{
    atomic_store(&out_fd, fd);
}

int khm_log_parse_level(const char *s, khm_log_level *out)
{
    for (int i = 0; i < 4; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (khm_log_level)i;
            return 0;
        }
    return khm_err_set(KHM_EINVALID, "unknown log level '%s' (use debug, info, warn or error)",
                       s ? s : "");
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return; /* logging must never take the process down */
        p += w;
        n -= (size_t)w;
    }
}

/* Length of @p s[0..n) without a UTF-8 sequence cut in half at its end. */
static size_t utf8_whole(const char *s, size_t n)
{
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return n;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return n - (i - 1) < need ? i - 1 : n;
}

void khm_log_json(khm_log_level lvl, const char *msg, const char *fields_json)
{
    if ((int)lvl < atomic_load(&level))
        return;
    char ts[KHM_TIME_RFC3339_LEN];
    char stack[LINE_MAX_BYTES];
    khm_buf b = KHM_BUF_INIT(LINE_MAX_BYTES - 2);
    int truncated = 0;
    /* a stack buffer keeps logging allocation-free on the request hot path */
    b.ptr = stack;
    b.cap = sizeof(stack);
    khm_time_format(ts, khm_time_now_ms());
    int rc = khm_buf_printf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"", ts,
                            names[lvl > KHM_LOG_ERROR ? KHM_LOG_ERROR : lvl]);
    if (rc == 0) {
        /* the message leaves room for TAIL; one that does not fit keeps whole characters */
        size_t n = strlen(msg), mark = b.len;
        b.max -= TAIL;
        if (khm_buf_json_escape(&b, msg, n) < 0) {
            b.len = mark;
            truncated = 1;
            for (size_t i = 0, k; i < n; i += k) {
                for (k = 1; i + k < n && ((unsigned char)msg[i + k] & 0xC0) == 0x80; k++)
                    ;
                if (khm_buf_json_escape(&b, msg + i, k) < 0)
                    break;
            }
        }
        b.max += TAIL;
        rc = khm_buf_putc(&b, '"');
    }
    if (rc == 0 && !truncated && fields_json && *fields_json) {
        size_t mark = b.len;
        if (khm_buf_putc(&b, ',') < 0 || khm_buf_puts(&b, fields_json) < 0) {
            b.len = mark;
            truncated = 1;
        }
    }
    if (rc == 0 && truncated)
        rc = khm_buf_puts(&b, ",\"truncated\":true");
    if (rc == 0)
        rc = khm_buf_puts(&b, "}\n");
    if (rc == 0)
        write_all(atomic_load(&out_fd), b.ptr, b.len);
}

void khm_log(khm_log_level lvl, const char *fmt, ...)
{
    if ((int)lvl < atomic_load(&level))
        return;
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(msg))
        msg[utf8_whole(msg, sizeof(msg) - 1)] = '\0';
    khm_log_json(lvl, msg, NULL);
}
