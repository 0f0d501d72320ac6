/* Fuzz the access-policy loader (khm_policy_load_json: the file a deployment overrides the
 * default with) and, when a policy loads, a few decisions with it. Never crash or leak; a bad
 * file is an error with a UTF-8 message, never a half-loaded policy. */
#include <khomun/err.h>
#include <khomun/policy.h>
#include <khomun/utf8.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    khm_policy *p = NULL;
    khm_err_clear();
    int rc = khm_policy_load_json(&p, (const char *)data, size);
    if (rc < 0) {
        const char *m = khm_err_last()->message;
        if (p || !khm_utf8_valid(m, strlen(m), NULL))
            abort();
        return 0;
    }
    /* a loaded policy answers every action on every kind without failing */
    khm_principal who;
    memset(&who, 0, sizeof(who));
    snprintf(who.user.id, sizeof(who.user.id), "01a21c96-394c-71dc-a8ef-a96ea296c60b");
    snprintf(who.agency.id, sizeof(who.agency.id), "01a21c96-394c-71db-ac4c-14a97a50fdad");
    who.user.role = KHM_ROLE_ANALYST;
    who.user.clearance = KHM_LEVEL_INTERNAL;
    for (int a = 0; a < KHM_ACTION__COUNT; a++)
        for (int k = 0; k < KHM_RES__COUNT; k++) {
            khm_resource res = KHM_RESOURCE_INIT(k);
            res.owner_agency_id = who.agency.id;
            res.level = KHM_LEVEL_CONFIDENTIAL;
            khm_decision d;
            if (khm_access_decide(p, &who, a, &res, NULL, &d) < 0 ||
                khm_access_decide(p, NULL, a, &res, NULL, &d) < 0)
                abort();
        }
    khm_policy_free(p);
    return 0;
}
