/* audit_internal.h — shared by the audit module's files. */
#ifndef KHM_AUDIT_INTERNAL_H
#define KHM_AUDIT_INTERNAL_H

#include <khomun/audit.h>
#include <khomun/hash.h>

/* SHA-256(@p prev ‖ canonical(@p r)) into @p out (scratch is reused). */
int khm_audit__hash(uint8_t out[KHM_SHA256_LEN], const khm_audit_row *r,
                    const uint8_t prev[KHM_SHA256_LEN], khm_buf *scratch);

/* Recompute r->hash from r->prev_hash and the canonical form (scratch is reused). */
int khm_audit__link(khm_audit_row *r, khm_buf *scratch);

/* A new row for @p ev at @p seq after @p prev_hash, hashed. Strings borrowed from @p ev, or,
 * for a field that is not valid UTF-8, from @p text (the field with U+FFFD for each invalid
 * byte), which must outlive the row. */
int khm_audit__make_row(khm_audit_row *r, const khm_audit_event *ev, int64_t seq,
                        const char *prev_hash, khm_buf *scratch, khm_buf *text);

/* khm_audit_verify_store of events from..to only (0 = to the head): checkpoints past @p to are
 * not looked at. */
int khm_audit__verify_range(khm_store *s, const unsigned char pk[32], int64_t from, int64_t to,
                            khm_audit_report *out);

#endif
