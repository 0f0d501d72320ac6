/**
 * @file khomun/receipt.h
 * Consent receipts (PDPA s.19, thai-rules.md §6): a Kantara Consent Receipt v1.1 JSON document
 * with the ISO/IEC TS 27560 and PDPA extensions, signed by the agency's Ed25519 key as a
 * detached JWS with an unencoded payload (RFC 7515 + RFC 7797) over the JCS (RFC 8785)
 * canonical form of the receipt, and its offline verification. The format, the field mapping
 * and the scheme are in docs/consent-receipts.md.
 *
 * The signed document:
 *
 *     {"receipt": {…Kantara v1.1 receipt…}, "jws": "<b64url(header)>..<b64url(signature)>"}
 *
 * header = {"alg":"EdDSA","b64":false,"crit":["b64"],"kid":"<agency id>"}; the signing input is
 * ASCII(b64url(header)) || "." || JCS(receipt). Whitespace and member order of the document do
 * not matter: a consumer may re-indent or re-order it and it still verifies.
 */
#ifndef KHOMUN_RECEIPT_H
#define KHOMUN_RECEIPT_H

#include <jansson.h>
#include <khomun/buf.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KHM_RECEIPT_VERSION "KI-CR-v1.1.0" /**< Kantara "version" */
#define KHM_RECEIPT_SK_LEN  64             /**< Ed25519 secret key (libsodium layout) */
#define KHM_RECEIPT_PK_LEN  32             /**< Ed25519 public key */
/** Largest receipt document accepted by the verifier. */
#define KHM_RECEIPT_MAX_BYTES (256 * 1024)

/**
 * What a receipt attests: one consent event of one data subject for one purpose of one agency.
 * Filled by the consent code from the consent record, the purpose and the agency; every string
 * is borrowed for the duration of the call and must be valid UTF-8.
 */
typedef struct {
    const char *receipt_id;        /**< UUIDv7 of this receipt (consentReceiptID) */
    const char *consent_id;        /**< the consent record it attests */
    const char *event;             /**< "given" | "withdrawn" */
    int64_t ts_ms;                 /**< when; consentTimestamp is Unix SECONDS in the receipt */
    const char *collection_method; /**< "written" | "electronic" | "verbal-recorded" */
    const char *subject;  /**< piiPrincipalId: the pseudonymous subject token (64 hex), never a
                               clear ID */
    const char *language; /**< "th" (default when NULL) or "en" */
    const char *agency_id, *agency_name_th, *agency_name_en; /**< the controller */
    const char *contact, *address, *email, *phone, *url;     /**< controller contact; NULL ok */
    const char *dpo_name, *dpo_email, *dpo_phone; /**< NULL: the agency has no DPO (s.41 gap) */
    const char *policy_url;                       /**< privacy notice URL */
    const char *purpose_code, *purpose_name_th, *purpose_name_en;
    int text_version;                  /**< consent-text version consented to (≥ 1) */
    const char *lawful_basis;          /**< khm_basis_name(): "consent", "s24(4)"… */
    const char *s26_exception;         /**< khm_s26_name() or NULL */
    int explicit_consent;              /**< 0/1 */
    int sensitive;                     /**< 0/1: s.26 data */
    const char *const *pii_categories; /**< scanner type names, e.g. "TH_TNIN" */
    size_t n_pii;                      /**< entries of pii_categories */
    const char *const *spi_categories; /**< s.26 types, e.g. "HEALTH" */
    size_t n_spi;                      /**< entries of spi_categories */
    const char *const *third_parties;  /**< recipients; empty = no disclosure */
    size_t n_third;                    /**< entries of third_parties */
    const char *cross_border;          /**< s.28/s.29 mechanism, or NULL */
    int64_t retention_days;            /**< 0 = not set */
    int64_t expires_at_ms;             /**< 0 = no expiry */
    const char *guardian;              /**< relation of the consenting guardian (s.20), NULL */
    const char *withdrawal_method;     /**< how to withdraw (27560 mandatory); NULL = a default
                                            sentence naming the API and the DPO */
    /* additions */
    const char *purpose_category; /**< Kantara "N - Name"; NULL = from the lawful basis */
} khm_receipt;

/**
 * Build the Kantara receipt object of @p r with @p pk as its publicKey (64 hex digits).
 * @param[out] out  new reference; release with json_decref()
 * @return 0, or KHM_EINVALID with one field error per bad member of @p r (field names as in
 *         the struct, e.g. "subject", "pii_categories[1]"), KHM_ENOMEM.
 */
int khm_receipt_build(json_t **out, const khm_receipt *r,
                      const unsigned char pk[KHM_RECEIPT_PK_LEN]);

/**
 * Build and sign: the document {"receipt": …, "jws": …} signed with the agency key pair
 * (khm_keys_agency_sign()).
 * @param[out] out  new reference; release with json_decref()
 * @return 0, KHM_EINVALID (as khm_receipt_build()), KHM_ENOMEM.
 */
int khm_receipt_sign(json_t **out, const khm_receipt *r, const unsigned char sk[KHM_RECEIPT_SK_LEN],
                     const unsigned char pk[KHM_RECEIPT_PK_LEN]);

/**
 * Append the JCS (RFC 8785) canonical form of @p v to @p out: object members sorted by their
 * UTF-16 code units, no whitespace, strings with the minimal ECMAScript escapes, integers in
 * decimal. Numbers that are not integers of at most 2^53 in magnitude are refused (KHM_EINVALID)
 * rather than approximated: receipts carry none.
 */
int khm_receipt_jcs(khm_buf *out, const json_t *v);

/** Why a receipt does not verify (stable names: khm_receipt_problem_name()). */
typedef enum {
    KHM_RCP_NOT_JSON = 1,  /**< "not-json": the bytes are not one JSON document */
    KHM_RCP_NOT_OBJECT,    /**< "not-object": a member that must be an object is not */
    KHM_RCP_MISSING_FIELD, /**< "missing-field": a required member is absent or empty */
    KHM_RCP_WRONG_TYPE,    /**< "wrong-type": a member has the wrong JSON type */
    KHM_RCP_BAD_VALUE,     /**< "bad-value": a member's value is not allowed */
    KHM_RCP_WRONG_VERSION, /**< "wrong-version": version is not KI-CR-v1.1.0 */
    KHM_RCP_BAD_JWS,       /**< "bad-jws": not "<header>..<signature>" */
    KHM_RCP_BAD_BASE64URL, /**< "bad-base64url": a JWS part is not unpadded base64url */
    KHM_RCP_BAD_HEADER,    /**< "bad-header": the protected header is not as specified */
    KHM_RCP_UNKNOWN_ALG,   /**< "unknown-alg": alg is not EdDSA */
    KHM_RCP_KID_MISMATCH,  /**< "kid-mismatch": kid is not the controller's id */
    KHM_RCP_BAD_KEY,       /**< "bad-key": publicKey is not an Ed25519 key in hex */
    KHM_RCP_KEY_MISMATCH,  /**< "key-mismatch": publicKey is not the pinned key */
    KHM_RCP_BAD_SIGNATURE, /**< "bad-signature": the signature does not match (tampered) */
    KHM_RCP_NOT_CANONICAL, /**< "not-canonical": a value JCS cannot represent exactly */
    KHM_RCP__COUNT
} khm_receipt_problem_kind;

/** One problem: what, where (a JSON path such as "receipt.piiControllers[0].email") and why. */
typedef struct {
    int kind;             /**< khm_receipt_problem_kind */
    char path[160];       /**< "receipt.version", "jws", "key" … */
    char message[256];    /**< English */
    char message_th[384]; /**< Thai */
} khm_receipt_problem;

#define KHM_RECEIPT_MAX_PROBLEMS 16

/** The verifier's report. No pointers: it owns everything and needs no freeing. */
typedef struct {
    int valid;              /**< 1 when there is no problem */
    int sig_ok;             /**< 1 when the signature matched the key used */
    int key_pinned;         /**< 1 when a trusted key was given and used */
    size_t nproblems;       /**< stored problems */
    size_t nproblems_total; /**< including those not stored */
    khm_receipt_problem problems[KHM_RECEIPT_MAX_PROBLEMS]; /**< in document order */
    char receipt_id[64]; /**< consentReceiptID ("" when absent) */
    char consent_id[64]; /**< consentId */
    char agency_id[96];  /**< piiControllers[0].piiControllerId */
    char event[16];      /**< consentEvent */
    char purpose[96];    /**< services[0].purposes[0].purposeCode */
    char public_key[65]; /**< the key the signature was checked with (hex) */
    int64_t timestamp;   /**< consentTimestamp (seconds) */
    const char *note;    /**< English: what "valid" means here (static) */
    const char *note_th; /**< Thai */
} khm_receipt_report;

/**
 * Verify a signed receipt document offline: the shape of the Kantara v1.1 receipt and its PDPA
 * extensions, the JWS header, and the Ed25519 signature over the JCS form of the receipt — with
 * @p pinned (trusted key) when given, else with the receipt's own publicKey (the report's note
 * then says that this only shows integrity, not who signed). Every problem found is reported.
 * @return 0 when the check ran (see @p out->valid), KHM_ENOMEM; bad input is never an error.
 */
int khm_receipt_verify(khm_receipt_report *out, const char *doc, size_t n,
                       const unsigned char *pinned /* KHM_RECEIPT_PK_LEN bytes, or NULL */);

/** The same for a parsed document (borrowed). */
int khm_receipt_verify_json(khm_receipt_report *out, const json_t *doc,
                            const unsigned char *pinned);

/**
 * The report as JSON, the one shape of `khomun consent verify --format json` and of
 * POST /api/v1/consents/receipts/verify: {"valid", "signature_ok", "key_pinned", "public_key",
 * "receipt_id", "consent_id", "agency_id", "event", "purpose", "consent_timestamp", "note",
 * "note_th", "problems": [{"code", "path", "message", "message_th"}], "problems_total"}.
 * @return new reference, or NULL on OOM.
 */
json_t *khm_receipt_report_json(const khm_receipt_report *r);

/** "not-json", "missing-field" …; NULL when out of range. */
const char *khm_receipt_problem_name(int kind);

#ifdef __cplusplus
}
#endif
#endif
