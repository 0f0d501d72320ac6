/* Error codes, the thread-local last error and the one table that maps each code to an HTTP
 * status, an RFC 9457 problem type and a CLI exit code. Setting an error never allocates: the
 * message and field errors live in fixed thread-local buffers, so reporting OOM cannot fail. */
#include <khomun/err.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MSG_MAX   512
#define FIELD_MAX 64
#define FMSG_MAX  2048 /* a GD-Catalog choice error lists every allowed value in Thai */

struct field_slot {
    char field[FIELD_MAX];
    char message[FMSG_MAX];
    char message_th[FMSG_MAX];
};

static _Thread_local struct {
    khm_error e;
    char msg[MSG_MAX];
    int msg_set_explicitly; /* 1 when khm_err_set() wrote msg since the last clear */
    size_t nfields;         /* stored field errors */
    size_t nfields_total;   /* including those past KHM_ERR_MAX_FIELDS */
    struct field_slot slots[KHM_ERR_MAX_FIELDS];
    khm_field_error views[KHM_ERR_MAX_FIELDS];
} tls;

/* clang-format off */
static const khm_err_info err_table[] = {
    { KHM_OK,        200, 0, "about:blank",                            "OK",                     "สำเร็จ",                    "OK" },
    { KHM_ERROR,     500, 1, "urn:khomun:problem:internal",            "Internal error",         "ข้อผิดพลาดภายในระบบ",       "ERROR" },
    { KHM_ENOMEM,    500, 1, "urn:khomun:problem:internal",            "Out of memory",          "หน่วยความจำไม่เพียงพอ",     "ENOMEM" },
    { KHM_ENOTFOUND, 404, 3, "urn:khomun:problem:not-found",           "Not found",              "ไม่พบข้อมูล",               "ENOTFOUND" },
    { KHM_EEXISTS,   409, 4, "urn:khomun:problem:conflict",            "Already exists",         "มีข้อมูลนี้อยู่แล้ว",          "EEXISTS" },
    { KHM_EINVALID,  400, 5, "urn:khomun:problem:validation",          "Invalid input",          "ข้อมูลไม่ถูกต้อง",            "EINVALID" },
    { KHM_ELIMIT,    413, 7, "urn:khomun:problem:too-large",           "Too large",              "ข้อมูลมีขนาดเกินกำหนด",       "ELIMIT" },
    { KHM_EDENIED,   403, 6, "urn:khomun:problem:forbidden",           "Forbidden",              "ไม่มีสิทธิ์เข้าถึง",            "EDENIED" },
    { KHM_EAUTH,     401, 6, "urn:khomun:problem:unauthorized",        "Unauthorized",           "ยังไม่ได้ยืนยันตัวตน",         "EAUTH" },
    { KHM_EIO,       500, 8, "urn:khomun:problem:io",                  "I/O error",              "อ่านหรือเขียนไฟล์ไม่สำเร็จ",    "EIO" },
    { KHM_EUNAVAIL,  503, 9, "urn:khomun:problem:unavailable",         "Service unavailable",    "ระบบจัดเก็บข้อมูลไม่พร้อมใช้งาน", "EUNAVAIL" },
    { KHM_EMEDIA,    415, 5, "urn:khomun:problem:unsupported-media-type", "Unsupported media type", "ไม่รองรับชนิดข้อมูลนี้",    "EMEDIA" },
    { KHM_EMETHOD,   405, 2, "urn:khomun:problem:method-not-allowed",  "Method not allowed",     "ไม่รองรับเมธอดนี้",           "EMETHOD" },
    { KHM_EUSAGE,    400, 2, "urn:khomun:problem:usage",               "Usage error",            "การใช้งานคำสั่งไม่ถูกต้อง",     "EUSAGE" },
    { KHM_ETAMPER,   409, 10, "urn:khomun:problem:tampered",           "Integrity check failed", "ข้อมูลถูกแก้ไขโดยไม่ได้รับอนุญาต", "ETAMPER" },
    { KHM_ESTALE,    412, 11, "urn:khomun:problem:stale",              "Precondition failed",    "ข้อมูลถูกแก้ไขไปแล้วโดยผู้อื่น โปรดโหลดใหม่", "ESTALE" },
    { KHM_EPRECOND,  428, 2, "urn:khomun:problem:precondition-required", "Precondition required", "ต้องระบุเวอร์ชันที่แก้ไข (If-Match)", "EPRECOND" },
};
/* clang-format on */

const khm_err_info *khm_err_info_get(int code)
{
    for (size_t i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
        if (err_table[i].code == code)
            return &err_table[i];
    return &err_table[1];
}

static void copy_trunc(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= cap) {
        n = cap - 1;
        /* do not cut a UTF-8 sequence in half */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

/* vsnprintf() that, when it truncates, also drops a UTF-8 sequence cut in half at the end:
 * messages are sent as JSON, which must be valid UTF-8. */
__attribute__((format(printf, 3, 0))) static void format_trunc(char *dst, size_t cap,
                                                               const char *fmt, va_list ap)
{
    int n = vsnprintf(dst, cap, fmt, ap);
    if (n < 0 || (size_t)n < cap)
        return;
    size_t len = cap - 1, i = len;
    while (i > 0 && ((unsigned char)dst[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)dst[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (len - (i - 1) < need)
        dst[i - 1] = '\0';
}

/* format_trunc() with arguments; also keeps GCC from warning about truncation it is made for */
__attribute__((format(printf, 3, 4))) static void printf_trunc(char *dst, size_t cap,
                                                               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_trunc(dst, cap, fmt, ap);
    va_end(ap);
}

int khm_err_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_trunc(tls.msg, sizeof(tls.msg), fmt, ap);
    va_end(ap);
    tls.e.code = code;
    tls.e.message = tls.msg;
    tls.msg_set_explicitly = 1;
    tls.nfields = tls.nfields_total = 0; /* a new error: fields of an earlier one do not carry */
    return code;
}

int khm_err_field(const char *field, const char *message_th, const char *fmt, ...)
{
    if (tls.e.code != KHM_EINVALID) {
        tls.nfields = tls.nfields_total = 0;
        tls.msg_set_explicitly = 0;
    }
    tls.e.code = KHM_EINVALID;
    if (tls.nfields < KHM_ERR_MAX_FIELDS) {
        struct field_slot *s = &tls.slots[tls.nfields];
        va_list ap;
        copy_trunc(s->field, sizeof(s->field), field);
        va_start(ap, fmt);
        format_trunc(s->message, sizeof(s->message), fmt, ap);
        va_end(ap);
        copy_trunc(s->message_th, sizeof(s->message_th), message_th ? message_th : "");
        tls.nfields++;
    }
    tls.nfields_total++;
    if (!tls.msg_set_explicitly) {
        if (tls.nfields_total == 1)
            printf_trunc(tls.msg, sizeof(tls.msg), "%s: %s", tls.slots[0].field,
                         tls.slots[0].message);
        else
            snprintf(tls.msg, sizeof(tls.msg), "%zu fields are invalid", tls.nfields_total);
    }
    tls.e.message = tls.msg;
    return KHM_EINVALID;
}

const khm_error *khm_err_last(void)
{
    if (!tls.e.message)
        tls.e.message = "";
    return &tls.e;
}

const khm_field_error *khm_err_fields(size_t *n)
{
    if (tls.e.code != KHM_EINVALID) {
        *n = 0;
        return tls.views;
    }
    for (size_t i = 0; i < tls.nfields; i++) {
        tls.views[i].field = tls.slots[i].field;
        tls.views[i].message = tls.slots[i].message;
        tls.views[i].message_th = tls.slots[i].message_th;
    }
    *n = tls.nfields;
    return tls.views;
}

void khm_err_clear(void)
{
    tls.e.code = KHM_OK;
    tls.msg[0] = '\0';
    tls.e.message = tls.msg;
    tls.msg_set_explicitly = 0;
    tls.nfields = tls.nfields_total = 0;
}
