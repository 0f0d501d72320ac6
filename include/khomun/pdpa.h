/**
 * @file khomun/pdpa.h
 * Processing purposes (วัตถุประสงค์) of an agency and their lawful basis under the PDPA
 * (thai-rules.md §1.3 s.24, §1.4 s.26, §1.5 s.19): validation refuses what the law does not
 * allow, and the consent text is versioned (a new version does not silently extend the
 * consents given under an older one: see khm_purpose_input.reconsent_required).
 */
#ifndef KHOMUN_PDPA_H
#define KHOMUN_PDPA_H

#include <khomun/arena.h>
#include <khomun/json.h>
#include <khomun/store.h>

#include <jansson.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest purpose code. */
#define KHM_PURPOSE_CODE_MAX 64

/** Longest retention period, days (100 years). */
#define KHM_RETENTION_MAX_DAYS 36500

/**
 * A purpose as a request gives it. Strings borrowed from the JSON body.
 * The consent text: when text_th / text_en differ from the stored text, the purpose gets a new
 * text version. reconsent_required (default 1) says whether consents given under older
 * versions stop counting: 1 (the default) = the subject must consent again to the new text
 * (the check denies "reconsent required"); 0 = an editorial change that keeps older consents.
 */
typedef struct {
    const char *code;
    const char *name_th, *name_en, *description_th, *description_en;
    const char *basis;         /**< "consent", "s24(1)" … "s24(6)" (or an alias) */
    const char *s26_exception; /**< "none", "s26(1)" … "s26(5)"; NULL = none */
    const json_t *sensitive;   /**< array of s.26 category names (HEALTH, RELIGION …) or NULL */
    const json_t *categories;  /**< array of personal-data category names or NULL */
    int64_t retention_days;    /**< -1 when absent */
    const json_t *datasets;    /**< array of dataset ids or names, or NULL */
    const char *text_th, *text_en;
    int reconsent_required;         /**< -1 absent (= 1) */
    const char *privacy_notice_url; /**< the purpose's own privacy notice (http(s) URL ≤ 300
                                         bytes) or NULL: the agency's */
} khm_purpose_input;

/** Fill @p in from a request body (unknown members and wrong types named). */
int khm_purpose_input_from_json(khm_purpose_input *in, const json_t *body);

/**
 * The s.26 category named @p name (the scanner's type names: "HEALTH", "RELIGION",
 * "POLITICAL_OPINION" …, any case), as KHM_SENS_* (scan.h); -1 when unknown.
 */
int khm_sensitive_parse(const char *name);

/**
 * Check a purpose against the PDPA (every field at fault named, English + Thai):
 * - a lawful basis is required (s.24: none is not one);
 * - sensitive data (s.26) on a basis other than consent needs an s.26 exception (§1.4: "prohibited
 *   without explicit consent, except where …"), e.g. legitimate interest (s24(5)) alone is refused;
 * - an s.26 exception without sensitive data is refused (it excepts nothing);
 * - a consent-basis purpose needs a consent text in Thai (s.19: inform the purpose, plain
 *   language);
 * - retention is 1 … KHM_RETENTION_MAX_DAYS days;
 * - a privacy notice URL, when given, is an http(s) URL of at most 300 bytes.
 * @return 0 or KHM_EINVALID.
 */
int khm_purpose_validate(const khm_purpose_rec *p);

/**
 * Create a purpose of @p agency_id from @p in (validated; datasets must exist in the agency),
 * with consent text version 1 when a text is given.
 */
int khm_purpose_create(khm_tx *tx, khm_purpose_rec *out, const khm_purpose_input *in,
                       const char *agency_id, const char *actor, int64_t now, khm_arena *a);

/**
 * Replace the fields of purpose @p p (as loaded) at version @p version with @p in (the code may
 * be omitted, it cannot change). A changed consent text becomes the next version. KHM_ESTALE
 * when the stored version differs.
 */
int khm_purpose_update(khm_tx *tx, khm_purpose_rec *p, const khm_purpose_input *in, int64_t version,
                       int64_t now, khm_arena *a);

/**
 * Retire purpose @p p (stored) at @p now, of version @p version (KHM_ESTALE otherwise): it stays
 * on record with its consents, but the check answers deny (purpose_retired) for it, and no
 * consent is granted for it any more; withdrawals are still recorded (s.19). KHM_EEXISTS when it
 * is already retired.
 */
int khm_purpose_retire(khm_tx *tx, khm_purpose_rec *p, int64_t version, int64_t now);

/** The purpose as JSON (docs/api/purposes-get.md). */
void khm_purpose_write_json(khm_jw *w, const khm_purpose_rec *p);

/** "\"<version>\"" into @p out. */
void khm_purpose_etag(const khm_purpose_rec *p, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
