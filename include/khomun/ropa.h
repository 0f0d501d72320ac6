/**
 * @file khomun/ropa.h
 * The record of processing activities (บันทึกรายการ, ROPA) of PDPA s.39 (thai-rules.md §1.8):
 * each agency's processing activities with the eight items the section lists, linked to
 * purposes (codes), datasets, recipients (with the s.28/s.29 mechanism of a cross-border
 * transfer, §1.11) and security measures (§1.12, mapped to NIST CSF 2.0, §5.2); refused
 * data-subject requests written into it (item 7); a completeness check per activity and per
 * agency (with the s.41 DPO gap); export as CSV (Thai headers in the s.39 order, UTF-8 with a
 * BOM for Excel) and JSON. Controller or processor (s.40) records alike.
 *
 * An activity as a caller gives it (POST/PUT body, all members optional unless marked):
 * @code
 * {"code": "tax-register" (required), "name_th": "…" (required), "name_en": "…",
 *  "role": "controller" | "processor" (default controller),
 *  "personal_data": ["TH_TNIN", "PERSON", …],   scanner type names          item 1
 *  "personal_data_other": "…",                   kinds no detector names     item 1
 *  "data_subjects": ["ผู้เสียภาษี", …],
 *  "purposes": ["tax-collection", …],            purpose codes               item 2
 *  "purpose_description": "…",                                               item 2
 *  "controller": {"name", "address", "phone", "email"},  (processor: required) item 3
 *  "retention_period": "…",                                                  item 4
 *  "access_rights": "…", "access_conditions": "…",                           item 5
 *  "exempt_uses": [{"description", "legal_basis"}] ([] = none),              item 6
 *  "security_description": "…", "security_measures": ["access-control", …],  item 8
 *  "recipients": [{"name", "type", "country", "transfer_mechanism",
 *                  "transfer_exception", "safeguard"}],
 *  "datasets": ["slug-or-id", …]}
 * @endcode
 * Item 7 (refusals) is the activity's refusal log (khm_ropa_refusal_add()).
 */
#ifndef KHOMUN_ROPA_H
#define KHOMUN_ROPA_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <khomun/arena.h>
#include <khomun/buf.h>
#include <khomun/catalog.h>
#include <khomun/json.h>
#include <khomun/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The eight items of PDPA s.39 para 1, in the statute's order (thai-rules.md §1.8). */
typedef enum {
    KHM_ROPA_ITEM_DATA = 0, /**< (1) ข้อมูลส่วนบุคคลที่มีการเก็บรวบรวม */
    KHM_ROPA_ITEM_PURPOSE, /**< (2) วัตถุประสงค์ของการเก็บรวบรวมข้อมูลส่วนบุคคลแต่ละประเภท */
    KHM_ROPA_ITEM_CONTROLLER, /**< (3) ข้อมูลเกี่ยวกับผู้ควบคุมข้อมูลส่วนบุคคล */
    KHM_ROPA_ITEM_RETENTION, /**< (4) ระยะเวลาการเก็บรักษาข้อมูลส่วนบุคคล */
    KHM_ROPA_ITEM_ACCESS, /**< (5) สิทธิและวิธีการเข้าถึง … และเงื่อนไขในการเข้าถึง */
    KHM_ROPA_ITEM_EXEMPT_USE, /**< (6) การใช้หรือเปิดเผยตามมาตรา 27 วรรคสาม */
    KHM_ROPA_ITEM_REFUSALS, /**< (7) การปฏิเสธคำขอหรือการคัดค้าน (ม.30, 31, 32, 36) */
    KHM_ROPA_ITEM_SECURITY, /**< (8) คำอธิบายเกี่ยวกับมาตรการรักษาความมั่นคงปลอดภัยตามมาตรา 37(1) */
    KHM_ROPA_ITEM__COUNT
} khm_ropa_item;

/** The item's Thai wording as s.39 gives it (the CSV header), its English, its short key
 *  ("personal_data", …) and its section ("PDPA s.39(1)"); NULL out of range. */
const char *khm_ropa_item_label_th(int item);
const char *khm_ropa_item_label_en(int item);
const char *khm_ropa_item_key(int item);
const char *khm_ropa_item_section(int item);

/** A security measure of the checklist: §1.12's minimum measures, each mapped to NIST CSF 2.0
 *  categories (§5.2). */
typedef struct {
    const char *code;     /**< "access-control", … */
    const char *label_th; /**< Thai */
    const char *label_en; /**< English */
    const char *nist_csf; /**< "PR.AA", "PR.PS, DE.CM", … */
    const char *function; /**< the CSF function: "Protect", "Detect", "Govern" */
} khm_ropa_measure;

/** Measure @p i of the checklist, NULL past the end. */
const khm_ropa_measure *khm_ropa_measure_get(size_t i);

/**
 * Validate @p body (see the file comment) and insert a new activity of agency @p agency_id,
 * created by @p actor (user id or NULL). KHM_EINVALID naming each bad field in English and
 * Thai ("recipients[1].transfer_mechanism", …), KHM_EEXISTS for a code the agency already
 * uses. Datasets are checked against the catalog (they must be the agency's) and stored by id.
 * Strings of @p out live in @p a.
 */
int khm_ropa_create(khm_tx *tx, khm_ropa_row *out, const json_t *body, const char *agency_id,
                    const char *actor, int64_t now, khm_arena *a);

/** Replace the activity @p r (stored; updated in place) with @p body. KHM_ESTALE when
 *  @p version is not the stored one (or it was deleted); nothing changes on error. */
int khm_ropa_update(khm_tx *tx, khm_ropa_row *r, const json_t *body, int64_t version, int64_t now,
                    khm_arena *a);

/** Take the activity out of the record (kept for the audit trail). KHM_ESTALE as above. */
int khm_ropa_delete(khm_tx *tx, khm_ropa_row *r, int64_t version, int64_t now);

/**
 * Write a refused request into the record (s.39 item 7): body {"refused_at": RFC 3339 (not in
 * the future), "request_type": access | portability | objection | rectification | erasure |
 * restriction, "reason", "legal_ground", "request_id" (optional: the data-subject request)}.
 * The activity must be in the record (not deleted). Strings of @p out live in @p a.
 */
int khm_ropa_refusal_add(khm_tx *tx, khm_ropa_refusal *out, const khm_ropa_row *r,
                         const json_t *body, const char *actor, int64_t now, khm_arena *a);

/** The section of a refused request type ("PDPA s.30" for access, …), NULL for unknown. */
const char *khm_ropa_request_section(const char *request_type);

/** Completeness of one activity: which of the eight items are missing (bit 1 << item). */
typedef struct {
    unsigned missing;         /**< bit (1u << khm_ropa_item) per missing item */
    int complete;             /**< items present, 0..8 */
    int score;                /**< 0..100: complete * 100 / 8, rounded down */
    const char *unregistered; /**< purpose codes of item 2 that are not purposes of the agency
                                   (/api/v1/purposes), ", "-joined, or NULL (set by
                                   khm_ropa_report_build; does not change the score) */
} khm_ropa_check;

/** Check @p r; @p ag is its agency (item 3 of a controller's activity defaults to the agency's
 *  name and contact). */
void khm_ropa_check_activity(const khm_ropa_row *r, const khm_agency *ag, khm_ropa_check *out);

/** Completeness of an agency's record: its activities, the gaps, one figure. */
typedef struct {
    const khm_agency *agency;
    size_t n;                 /**< activities in the record */
    khm_ropa_row *activities; /**< in @p a */
    khm_ropa_check *checks;   /**< one per activity */
    int has_dpo;              /**< PDPA s.41 */
    int score;                /**< 0..100 (docs/api/ropa-completeness.md) */
} khm_ropa_report;

/**
 * Build the report of @p ag's record: score = 0 with no activity; else
 * (items present over every activity + 1 when a DPO is designated) × 100 / (8 × activities + 1),
 * rounded down.
 */
int khm_ropa_report_build(khm_tx *tx, khm_ropa_report *out, const khm_agency *ag, khm_arena *a);
void khm_ropa_report_write_json(khm_jw *w, const khm_ropa_report *rep);

/** Write an activity with its refusals and its completeness (the API's and CLI's record). */
void khm_ropa_write_json(khm_jw *w, const khm_ropa_row *r, const khm_ropa_refusal *refusals,
                         size_t nrefusals, const khm_agency *ag);
void khm_ropa_refusal_write_json(khm_jw *w, const khm_ropa_refusal *f);

/** The ETag of an activity ("\"3\""); snprintf's return. */
int khm_ropa_etag(const khm_ropa_row *r, char *out, size_t n);
/** Parse If-Match: KHM_EPRECOND when absent, KHM_EINVALID when malformed. */
int khm_ropa_parse_etag(const char *if_match, int64_t *version);

/** Export formats. */
typedef enum { KHM_ROPA_EXPORT_JSON = 0, KHM_ROPA_EXPORT_CSV } khm_ropa_format;

/** "json" / "csv" → the format; KHM_EINVALID naming "format". */
int khm_ropa_format_parse(const char *s, khm_ropa_format *out);

/**
 * Append the record of processing of agency @p agency_id (NULL: every agency) to @p out:
 * CSV — UTF-8 with a BOM, CRLF, RFC 4180 quoting, one header row in Thai (the agency, the
 * activity, then the eight s.39 items in order, then data subjects, recipients, cross-border
 * transfers, datasets, completeness, last change) and one row per activity; JSON —
 * {"format": "khomun.ropa/1", "generated_at", "agencies": [{"agency", "completeness",
 * "activities": [records with refusals]}]}.
 */
int khm_ropa_export(khm_tx *tx, khm_buf *out, khm_ropa_format format, const char *agency_id,
                    int64_t now, khm_arena *a);

#ifdef __cplusplus
}
#endif
#endif
