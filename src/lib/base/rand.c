/* Random bytes from libsodium's CSPRNG, and UUIDv7 identifiers (RFC 9562 §5.7) that sort in
 * creation order: 48-bit ms timestamp, 12-bit sequence (method 1 of §6.2, "fixed bit-length
 * dedicated counter"), 62 random bits. The counter keeps ids monotonic within a process even
 * when the clock stands still or steps back. */
#include <khomun/rand.h>

#include <khomun/time.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t last_ms;
static unsigned last_seq;

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void sodium_setup(void)
{
    /* picks the fastest implementations and seeds the generator; idempotent and thread-safe,
     * so front-ends may call it too. Failure means no usable randomness: never go on. */
    if (sodium_init() < 0)
        abort();
}

void khm_rand_bytes(void *out, size_t n)
{
    pthread_once(&sodium_once, sodium_setup);
    randombytes_buf(out, n);
}

/* Identifiers need fresh random bits per id but not a system call per id: draw them from a
 * per-thread pool refilled from the CSPRNG 4 KiB at a time. Used bytes are wiped. */
static _Thread_local unsigned char pool[4096];
static _Thread_local size_t pool_left;

static void pool_take(unsigned char *out, size_t n)
{
    if (pool_left < n) {
        khm_rand_bytes(pool, sizeof(pool));
        pool_left = sizeof(pool);
    }
    unsigned char *src = pool + sizeof(pool) - pool_left;
    memcpy(out, src, n);
    memset(src, 0, n);
    pool_left -= n;
}

void khm_id_new(char out[KHM_ID_LEN])
{
    unsigned char b[16];
    int64_t ms = khm_time_now_ms();
    unsigned seq;

    pool_take(b, sizeof(b));
    pthread_mutex_lock(&id_lock);
    if (ms <= last_ms) {
        ms = last_ms;
        seq = last_seq + 1;
        if (seq > 0xFFF) { /* counter overflow: borrow the next millisecond */
            ms++;
            seq = 0;
        }
    } else {
        seq = (unsigned)(b[6] & 0x03) << 8 | b[7]; /* random start, leaving headroom */
    }
    last_ms = ms;
    last_seq = seq;
    pthread_mutex_unlock(&id_lock);

    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)((uint64_t)ms >> (40 - 8 * i));
    b[6] = (unsigned char)(0x70 | ((seq >> 8) & 0x0F));
    b[7] = (unsigned char)(seq & 0xFF);
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3F));
    static const char hex[] = "0123456789abcdef";
    char *o = out;
    for (int i = 0; i < 16; i++) { /* OPTIMIZATION: snprintf costs more than the rest */
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *o++ = '-';
        *o++ = hex[b[i] >> 4];
        *o++ = hex[b[i] & 15];
    }
    *o = '\0';
}

int khm_id_valid(const char *s, size_t n)
{
    if (n != 36)
        return 0;
    for (size_t i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

int64_t khm_id_time_ms(const char *s)
{
    if (!s || !khm_id_valid(s, strlen(s)) || s[14] != '7')
        return -1;
    int64_t ms = 0;
    for (size_t i = 0; i < 13; i++) {
        if (i == 8)
            continue;
        char c = s[i];
        ms = ms * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return ms;
}
