/**
 * @file khomun/time.h
 * Wall-clock time as milliseconds since the Unix epoch, RFC 3339 (UTC) in and out, and
 * Buddhist-era (พ.ศ.) years: B.E. = C.E. + 543.
 */
#ifndef KHOMUN_TIME_H
#define KHOMUN_TIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes needed for khm_time_format() output including the NUL. */
#define KHM_TIME_RFC3339_LEN 25

/** Years between the Buddhist and the Christian era. */
#define KHM_BE_OFFSET 543

/**
 * Now, in ms since the epoch (UTC). The environment variable KHOMUN_FAKE_NOW_OFFSET (seconds,
 * may be negative) shifts the clock; it exists for expiry tests and is read once.
 */
int64_t khm_time_now_ms(void);

/** Format @p ms as "2026-11-27T10:23:17.123Z" into @p out (≥ KHM_TIME_RFC3339_LEN bytes). */
void khm_time_format(char out[KHM_TIME_RFC3339_LEN], int64_t ms);

/**
 * Parse RFC 3339 ("2026-11-27T10:23:17Z", fractional seconds, "+07:00" offsets; 'T'/'t' or ' ').
 * @return 0, or KHM_EINVALID with a message naming what was wrong.
 */
int khm_time_parse(int64_t *out, const char *s, size_t n);

/** Buddhist-era year of Christian-era year @p ce (2026 → 2569). */
int khm_time_be_year(int ce);

/** Christian-era year of Buddhist-era year @p be (2562 → 2019). */
int khm_time_ce_year(int be);

/**
 * Thai long date of @p ms in Asia/Bangkok time (UTC+7): "27 พฤศจิกายน 2569".
 * @return bytes written (excluding NUL), or KHM_ELIMIT when @p cap is too small.
 */
int khm_time_format_th(char *out, size_t cap, int64_t ms);

/** Thai name of month @p m (1–12), full or abbreviated ("ม.ค."); NULL when out of range. */
const char *khm_time_month_th(int m, int abbreviated);

/** Days since the epoch for a proleptic Gregorian date (no range check beyond overflow). */
int64_t khm_time_days_from_civil(int64_t y, unsigned m, unsigned d);

#ifdef __cplusplus
}
#endif
#endif
