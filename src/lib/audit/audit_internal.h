/* audit_internal.h — shared by the audit module's files. */
#ifndef KHM_AUDIT_INTERNAL_H
#define KHM_AUDIT_INTERNAL_H

#include <khomun/audit.h>

/* Recompute r->hash from r->prev_hash and the canonical form (scratch is reused). */
int khm_audit__link(khm_audit_row *r, khm_buf *scratch);

/* A new row for @p ev at @p seq after @p prev_hash, hashed. Strings borrowed from @p ev. */
int khm_audit__make_row(khm_audit_row *r, const khm_audit_event *ev, int64_t seq,
                        const char *prev_hash, khm_buf *scratch);

#endif
