/* Demo data for `khomun serve --demo`: a few real Thai agencies and one (fictional) user per
 * role, seeded once; the meta key "demo_seeded" remembers it. Later capabilities add their
 * demo rows here (datasets, purposes, consents …). */
#include <khomun/setup.h>

#include <khomun/audit.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <string.h>

/* clang-format off */
static const khm_agency_input demo_agencies[] = {
    { "mdes", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "Ministry of Digital Economy and Society" },
    { "dga",  "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)", "Digital Government Development Agency" },
    { "nso",  "สำนักงานสถิติแห่งชาติ", "National Statistical Office" },
    { "moph", "กระทรวงสาธารณสุข", "Ministry of Public Health" },
};

static const khm_user_input demo_users[] = {
    { "somchai.dpo",  "สมชาย ใจดี",        "dpo@mdes.example.go.th",     "mdes", "dpo",       "confidential" },
    { "malee.owner",  "มาลี ศรีสุข",        "malee@mdes.example.go.th",   "mdes", "owner",     "secret" },
    { "wichai.stew",  "วิชัย ปัญญาดี",      "wichai@mdes.example.go.th",  "mdes", "steward",   "confidential" },
    { "napa.cust",    "นภา แสงทอง",        "napa@mdes.example.go.th",    "mdes", "custodian", "confidential" },
    { "kittipong.an", "กิตติพงษ์ วงศ์ใหญ่",   "kittipong@nso.example.go.th", "nso", "analyst",   "internal" },
    { "pranee.audit", "ปราณี ตรวจตรา",      "pranee@dga.example.go.th",   "dga",  "auditor",   "confidential" },
    { "anan.health",  "อนันต์ สุขภาพดี",     "anan@moph.example.go.th",    "moph", "steward",   "confidential" },
};
/* clang-format on */

int khm_setup_demo(khm_store *s, int *seeded)
{
    khm_tx *tx;
    char *flag;
    int rc;
    khm_arena *a = khm_arena_new(0);
    *seeded = 0;
    if (!a)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if ((rc = khm_tx_begin(&tx, s, 1)) < 0)
        goto done;
    rc = khm_store_meta_get(tx, "demo_seeded", &flag, a);
    if (rc == 0) {
        khm_tx_rollback(tx);
        goto done;
    }
    if (rc != KHM_ENOTFOUND) {
        khm_tx_rollback(tx);
        goto done;
    }
    int64_t now = khm_time_now_ms();
    for (size_t i = 0; i < sizeof(demo_agencies) / sizeof(demo_agencies[0]); i++) {
        khm_agency ag;
        /* an operator may have made it already: keep theirs. Look first rather than insert and
         * catch the conflict, which would abort the whole transaction on PostgreSQL. */
        rc = khm_store_agency_get(tx, &ag, demo_agencies[i].slug, a);
        if (rc == KHM_ENOTFOUND)
            rc = khm_agency_create(tx, &ag, &demo_agencies[i], now);
        if (rc < 0)
            break;
    }
    for (size_t i = 0; rc == 0 && i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
        khm_user u;
        rc = khm_store_user_get(tx, &u, demo_users[i].name, a);
        if (rc == KHM_ENOTFOUND)
            rc = khm_user_create(tx, &u, &demo_users[i], now, a);
    }
    if (rc == 0)
        rc = khm_store_meta_set(tx, "demo_seeded", "1");
    if (rc == 0) {
        khm_audit_event ev = { 0 };
        ev.actor_user = "system";
        ev.action = "system.demo_seed";
        ev.outcome = "success";
        ev.reasons = "demo agencies and users added";
        ev.client = "cli";
        rc = khm_audit_append(tx, &ev, NULL);
    }
    if (rc == 0) {
        rc = khm_tx_commit(tx);
        *seeded = rc == 0;
    } else {
        khm_tx_rollback(tx);
    }
done:
    khm_arena_free(a);
    return rc;
}
