/* POST /api/v1/consents/receipts/verify: anyone — a citizen holding a receipt, another agency —
 * may check a consent receipt here, without a token: the verification is the library's
 * khm_receipt_verify_json(), offline, touching no data. An invalid receipt is an answer (200,
 * "valid": false, every problem with its path); only a body that is not a receipt document at
 * all, or a bad "key", is a 400. */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/receipt.h>

#include <string.h>

int khm_h_receipts_verify(khm_req *r)
{
    const json_t *body = r->json;
    unsigned char pk[KHM_RECEIPT_PK_LEN];
    const unsigned char *pinned = NULL;
    khm_receipt_report rep;
    int rc = 0;
    if (!json_is_object(body))
        return khm_err_field("body", "ต้องเป็นเอกสารใบรับรองความยินยอม (อ็อบเจ็กต์ JSON)",
                             "send the receipt document {\"receipt\": …, \"jws\": …} as a JSON "
                             "object");
    const json_t *key = json_object_get(body, "key");
    if (key && !json_is_null(key)) {
        const char *hex = json_string_value(key);
        if (!hex || strlen(hex) != 64 || khm_hex_decode(pk, sizeof(pk), hex, 64) < 0) {
            khm_err_clear();
            rc = khm_err_field("key", "กุญแจต้องเป็นกุญแจสาธารณะ Ed25519 เลขฐานสิบหก 64 หลัก",
                               "an Ed25519 public key as 64 hex digits, or leave it out");
        } else {
            pinned = pk;
        }
    }
    /* not a receipt document at all: say which member, as for any other body */
    if (!json_is_object(json_object_get(body, "receipt")))
        rc = khm_err_field("receipt", "ต้องมีใบรับรอง (อ็อบเจ็กต์ receipt)",
                           "the Kantara receipt object is required");
    if (!json_is_string(json_object_get(body, "jws")))
        rc = khm_err_field("jws", "ต้องมีลายมือชื่อ (ข้อความ jws)",
                           "the detached JWS signature string is required");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)body, k, v)
    {
        (void)v;
        if (strcmp(k, "receipt") && strcmp(k, "jws") && strcmp(k, "key"))
            rc = khm_err_field(k, "ไม่รู้จักข้อมูลนี้", "unknown member (receipt, jws, key)");
    }
    if (rc < 0)
        return rc;
    if ((rc = khm_receipt_verify_json(&rep, body, pinned)) < 0)
        return rc;
    r->audit_target = "consent-receipt";
    return khm_reply_json(r, 200, khm_receipt_report_json(&rep));
}
