/* Fuzz the offline audit verifier (khm_audit_verify_export): an export file comes from outside
 * (an auditor's copy), so any bytes must give a report — ok or the first problem — never a
 * crash, a leak or a report that says ok for a file without a valid header. */
#include <khomun/audit.h>
#include <khomun/err.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char pk[32] = { 1, 2, 3 }; /* no real key: checkpoints never verify */
    khm_audit_report rep;
    FILE *f = fmemopen((void *)(uintptr_t)data, size ? size : 1, "rb");
    if (!f)
        return 0;
    if (size == 0) {
        fclose(f);
        return 0;
    }
    khm_err_clear();
    int rc = khm_audit_verify_export(f, pk, &rep);
    fclose(f);
    if (rc == 0 && rep.ok && rep.checkpoints > 0)
        abort(); /* a checkpoint verified with a key that signed nothing */
    if (rc == 0 && rep.ok && !strstr((const char *)data, "khomun-audit-export"))
        abort(); /* ok without a header */
    return 0;
}
