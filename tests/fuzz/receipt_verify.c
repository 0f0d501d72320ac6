/* Fuzz the offline consent-receipt verifier (khm_receipt_verify): a receipt comes from anyone
 * (a citizen, another agency, POST /api/v1/consents/receipts/verify), so any bytes must give a
 * report — never a crash, a leak, or "valid" for a document no key signed. Byte 0 bit 0 pins a
 * key that signs nothing, so the pinned path is fuzzed too. */
#include <khomun/err.h>
#include <khomun/receipt.h>
#include <khomun/utf8.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char nokey[32] = { 7, 7, 7 }; /* no private key is known for it */
    khm_receipt_report rep;
    int pin = size > 0 && (data[0] & 1);
    khm_err_clear();
    if (khm_receipt_verify(&rep, (const char *)data, size, pin ? nokey : NULL) < 0)
        abort(); /* only ENOMEM may fail, and the fuzzer does not run out */
    if (rep.valid != (rep.nproblems_total == 0) || rep.nproblems > KHM_RECEIPT_MAX_PROBLEMS)
        abort();
    if (pin && rep.valid)
        abort(); /* a signature verified with a key that signed nothing */
    if (rep.valid && (!rep.sig_ok || !memmem(data, size, "KI-CR-v1.1.0", 12)))
        abort();
    for (size_t i = 0; i < rep.nproblems; i++) {
        const khm_receipt_problem *p = &rep.problems[i];
        if (!khm_receipt_problem_name(p->kind) ||
            !khm_utf8_valid(p->message, strlen(p->message), NULL) ||
            !khm_utf8_valid(p->path, strlen(p->path), NULL) || !p->message_th[0])
            abort(); /* messages go into JSON: valid UTF-8 */
    }
    json_t *j = khm_receipt_report_json(&rep);
    if (!j)
        abort();
    json_decref(j);
    khm_err_clear();
    return 0;
}
