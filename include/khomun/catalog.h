/**
 * @file khomun/catalog.h
 * The catalog: agencies now; datasets, resources, classification and search in later work.
 */
#ifndef KHOMUN_CATALOG_H
#define KHOMUN_CATALOG_H

#include <stdint.h>

#include <jansson.h>
#include <khomun/arena.h>
#include <khomun/json.h>
#include <khomun/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What a caller may give when creating an agency. */
typedef struct {
    const char *slug; /**< ^[a-z0-9][a-z0-9-]{1,62}$ */
    const char *name_th; /**< ชื่อหน่วยงาน (ภาษาไทย), 1–200 characters */
    const char *name_en; /**< optional, ≤ 200 characters */
} khm_agency_input;

/** Fill @p in from a JSON body. 0 or KHM_EINVALID. */
int khm_agency_input_from_json(khm_agency_input *in, const json_t *body);

/** Validate and insert; KHM_EINVALID naming each bad field, KHM_EEXISTS for a taken slug. */
int khm_agency_create(khm_tx *tx, khm_agency *out, const khm_agency_input *in, int64_t now);

/** Write an agency record as a JSON object (the one serializer; the API and CLI share it). */
void khm_agency_write_json(khm_jw *w, const khm_agency *a);

/** The same record as a jansson value (new reference), for callers that need one. */
json_t *khm_agency_to_json(const khm_agency *a);

#ifdef __cplusplus
}
#endif
#endif
