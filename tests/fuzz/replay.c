/* replay.c — the fuzz targets' smoke run in `make test`, without libFuzzer: calls a target's
 * LLVMFuzzerTestOneInput() on every file given (its seed corpus), then on N inputs of random
 * bytes and on N mutations of the seeds (byte flips, cuts, repeats), from a fixed seed so a
 * failure reproduces. Built with the normal compiler against the normal library (ASan+UBSan in
 * CI), so every parser meets odd input on every test run; `make fuzz` does the real fuzzing.
 *   replay [-n N] [-s SEED] FILE...        exit 0, or the sanitizer's / abort()'s status */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional, as libFuzzer has it: a target's one-time set-up (a data directory …). */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    unsigned char *b = malloc(cap);
    size_t got;
    while (b && (got = fread(b + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
            }
            b = nb;
        }
    }
    fclose(f);
    *n = len;
    return b;
}

int main(int argc, char **argv)
{
    long n = 300;
    int a = 1;
    for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
        if (strcmp(argv[a], "-n") == 0)
            n = strtol(argv[a + 1], NULL, 10);
        else if (strcmp(argv[a], "-s") == 0)
            rng = strtoull(argv[a + 1], NULL, 10) | 1;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int nseeds = argc - a, runs = 0;
    unsigned char **seed = calloc((size_t)(nseeds ? nseeds : 1), sizeof(*seed));
    size_t *slen = calloc((size_t)(nseeds ? nseeds : 1), sizeof(*slen));
    for (int k = 0; k < nseeds; k++) {
        if (!(seed[k] = slurp(argv[a + k], &slen[k]))) {
            fprintf(stderr, "replay: cannot read %s\n", argv[a + k]);
            return 2;
        }
        LLVMFuzzerTestOneInput(seed[k], slen[k]);
        runs++;
    }
    unsigned char buf[8192];
    for (long i = 0; i < n; i++) { /* random bytes, biased to text-like */
        size_t len = next() % sizeof(buf);
        for (size_t k = 0; k < len; k++) {
            uint64_t r = next();
            buf[k] = (r & 3) ? (unsigned char)" ,\n\"{}[]:0123456789@.-+abcXYZ\xe0\xb8\xb9"[r % 33]
                             : (unsigned char)(r >> 8);
        }
        LLVMFuzzerTestOneInput(buf, len);
        runs++;
    }
    for (long i = 0; nseeds && i < n; i++) { /* mutations of the seeds */
        int k = (int)(next() % (uint64_t)nseeds);
        size_t len = slen[k] < sizeof(buf) ? slen[k] : sizeof(buf);
        memcpy(buf, seed[k], len);
        for (int m = 0, nm = 1 + (int)(next() % 8); m < nm && len; m++) {
            uint64_t r = next();
            size_t at = r % len;
            switch ((r >> 32) % 4) {
            case 0:
                buf[at] ^= (unsigned char)(1u << ((r >> 40) % 8));
                break;
            case 1:
                buf[at] = (unsigned char)(r >> 48);
                break;
            case 2:
                len = at;
                break; /* cut */
            default:   /* repeat a tail */
                if (len + (len - at) <= sizeof(buf)) {
                    memmove(buf + len, buf + at, len - at);
                    len += len - at;
                }
            }
        }
        LLVMFuzzerTestOneInput(buf, len);
        runs++;
    }
    for (int k = 0; k < nseeds; k++)
        free(seed[k]);
    free(seed);
    free(slen);
    printf("replay: %d runs, no failure\n", runs);
    return 0;
}
