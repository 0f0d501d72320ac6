/* decide_bench — decisions per second of khm_access_decide() with the shipped default policy,
 * beside a baseline run in the same process: an indirect call to a function that compares two
 * agency ids (36-byte memcmp), the least work any decision has to do. Built and run by
 * bench/decide/run.sh; not a test.
 *
 *   decide_bench [SECONDS_PER_RUN] [THREADS]
 */
#include <khomun/access.h>
#include <khomun/err.h>
#include <khomun/policy.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AG_A "0193b6b2-7a00-7c11-9d2e-4f5a6b7c8d9e"
#define AG_B "0193b6b2-7a00-7c11-9d2e-00000000000b"

typedef struct {
    const khm_principal *who;
    int action;
    khm_resource res;
    const khm_purpose *purpose;
} request;

static khm_principal analyst, analyst_b, owner, dpo, admin;
static const khm_purpose tax = { "tax-refund", KHM_BASIS_S24_4, KHM_S26_NONE, 0 };
static request mix[16];
static size_t nmix;
static khm_policy *policy;
static double seconds = 2.0;

static void principal(khm_principal *p, const char *uid, int role, int clearance,
                      const char *agency)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->user.id, sizeof(p->user.id), "%s", uid);
    snprintf(p->token.id, sizeof(p->token.id), "t-%s", uid);
    snprintf(p->agency.id, sizeof(p->agency.id), "%s", agency);
    p->user.role = role;
    p->user.clearance = clearance;
}

static void add(const khm_principal *who, int action, khm_resource res, const khm_purpose *pu)
{
    mix[nmix].who = who;
    mix[nmix].action = action;
    mix[nmix].res = res;
    mix[nmix].purpose = pu;
    nmix++;
}

/* What a server sees: mostly allowed reads, some denials that need the explanation. */
static void build_mix(void)
{
    principal(&analyst, "u-analyst", KHM_ROLE_ANALYST, KHM_LEVEL_CONFIDENTIAL, AG_A);
    principal(&analyst_b, "u-analyst-b", KHM_ROLE_ANALYST, KHM_LEVEL_INTERNAL, AG_B);
    principal(&owner, "u-owner", KHM_ROLE_OWNER, KHM_LEVEL_TOP_SECRET, AG_A);
    principal(&dpo, "u-dpo", KHM_ROLE_DPO, KHM_LEVEL_INTERNAL, AG_A);
    principal(&admin, "u-admin", KHM_ROLE_ADMIN, KHM_LEVEL_INTERNAL, AG_A);
    khm_resource pub = {
        KHM_RES_DATASET, "d1", AG_A, NULL, KHM_LEVEL_PUBLIC, KHM_CAT_PUBLIC, 0, 0
    };
    khm_resource in = { KHM_RES_DATASET,  "d2", AG_A, NULL, KHM_LEVEL_INTERNAL,
                        KHM_CAT_INTERNAL, 0,    0 };
    khm_resource con = { KHM_RES_DATASET, "d3", AG_A, NULL, KHM_LEVEL_CONFIDENTIAL, -1, 0, 0 };
    khm_resource sec = { KHM_RES_DATASET, "d4", AG_A, NULL, KHM_LEVEL_SECRET, -1, 0, 0 };
    khm_resource pers = { KHM_RES_DATASET,  "d5", AG_A, NULL, KHM_LEVEL_INTERNAL,
                          KHM_CAT_PERSONAL, 1,    0 };
    khm_resource me = { KHM_RES_USER, "u-analyst", AG_A, NULL, -1, -1, 0, 0 };
    khm_resource users = { KHM_RES_USER, NULL, NULL, NULL, -1, -1, 0, 0 };
    khm_resource audit = { KHM_RES_AUDIT, NULL, NULL, NULL, -1, -1, 0, 0 };
    add(NULL, KHM_ACTION_READ_DATA, pub, NULL);        /* allow: public */
    add(&analyst, KHM_ACTION_READ_DATA, in, NULL);     /* allow: staff */
    add(&analyst, KHM_ACTION_READ_DATA, con, NULL);    /* allow: classified */
    add(&analyst, KHM_ACTION_READ_DATA, pers, &tax);   /* allow: personal + basis */
    add(&analyst, KHM_ACTION_READ_METADATA, me, NULL); /* allow: self */
    add(&admin, KHM_ACTION_ADMINISTER, users, NULL);   /* allow: admin */
    add(&dpo, KHM_ACTION_AUDIT_READ, audit, NULL);     /* allow: audit */
    add(&owner, KHM_ACTION_CLASSIFY, sec, NULL);       /* allow: owner classifies */
    add(&analyst, KHM_ACTION_READ_DATA, sec, NULL);    /* deny: clearance (explained) */
    add(&analyst_b, KHM_ACTION_READ_DATA, in, NULL);   /* deny: no agreement */
    add(&analyst, KHM_ACTION_READ_DATA, pers, NULL);   /* deny: PDPA deny rule */
    add(NULL, KHM_ACTION_ADMINISTER, users, NULL);     /* deny: anonymous */
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The baseline's work, behind an indirect call so it cannot be folded away. */
__attribute__((noinline)) static int baseline_fn(const khm_principal *who, const khm_resource *res)
{
    return who && res->owner_agency_id && memcmp(who->agency.id, res->owner_agency_id, 36) == 0;
}
static int (*volatile baseline_ptr)(const khm_principal *, const khm_resource *) = baseline_fn;

typedef struct {
    int baseline;     /* 1: run the baseline instead of decisions */
    int filter;       /* -1 all, 0 deny-only requests, 1 allow-only */
    uint64_t n;       /* calls made */
    uint64_t allowed; /* keeps the result live */
    double elapsed;
} job;

static void *run(void *arg)
{
    job *j = arg;
    request reqs[16];
    size_t nr = 0;
    khm_decision d;
    for (size_t i = 0; i < nmix; i++) {
        khm_access_decide(policy, mix[i].who, mix[i].action, &mix[i].res, mix[i].purpose, &d);
        if (j->filter < 0 || j->filter == d.allow)
            reqs[nr++] = mix[i];
    }
    uint64_t n = 0, allowed = 0;
    double t0 = now_s(), t;
    do {
        for (int rep = 0; rep < 4096; rep++)
            for (size_t i = 0; i < nr; i++) {
                if (j->baseline) {
                    allowed += (uint64_t)baseline_ptr(reqs[i].who, &reqs[i].res);
                } else {
                    khm_access_decide(policy, reqs[i].who, reqs[i].action, &reqs[i].res,
                                      reqs[i].purpose, &d);
                    allowed += (uint64_t)d.allow;
                }
            }
        n += 4096 * nr;
        t = now_s();
    } while (t - t0 < seconds);
    j->n = n;
    j->allowed = allowed;
    j->elapsed = t - t0;
    return NULL;
}

static double rate(int baseline, int filter, int threads)
{
    pthread_t t[64];
    job jobs[64];
    double total = 0;
    for (int i = 0; i < threads; i++) {
        jobs[i] = (job){ baseline, filter, 0, 0, 0 };
        if (pthread_create(&t[i], NULL, run, &jobs[i]) != 0) {
            perror("pthread_create");
            exit(1);
        }
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        total += (double)jobs[i].n / jobs[i].elapsed;
    }
    return total;
}

int main(int argc, char **argv)
{
    int threads = 1;
    if (argc > 1)
        seconds = atof(argv[1]);
    if (argc > 2)
        threads = atoi(argv[2]);
    if (seconds <= 0 || threads < 1 || threads > 64) {
        fprintf(stderr, "usage: decide_bench [SECONDS>0] [THREADS 1..64]\n");
        return 2;
    }
    if (khm_policy_default(&policy) < 0) {
        fprintf(stderr, "decide_bench: %s\n", khm_err_last()->message);
        return 1;
    }
    build_mix();
    double base = rate(1, -1, 1);
    double mixed = rate(0, -1, 1);
    double allow = rate(0, 1, 1);
    double deny = rate(0, 0, 1);
    double par = threads > 1 ? rate(0, -1, threads) : mixed;
    printf("policy %s, %zu rules, %zu requests in the mix\n", khm_policy_version(policy),
           khm_policy_rule_count(policy), nmix);
    printf("baseline (call + 36-byte memcmp)  %12.0f /s  %6.1f ns\n", base, 1e9 / base);
    printf("decide, mixed                     %12.0f /s  %6.1f ns\n", mixed, 1e9 / mixed);
    printf("decide, allowed only              %12.0f /s  %6.1f ns\n", allow, 1e9 / allow);
    printf("decide, denied only (explained)   %12.0f /s  %6.1f ns\n", deny, 1e9 / deny);
    if (threads > 1)
        printf("decide, mixed, %2d threads         %12.0f /s\n", threads, par);
    printf("ratio decide/baseline             %12.2f\n", mixed / base);
    printf("RESULT decisions_per_s=%.0f allow_per_s=%.0f deny_per_s=%.0f baseline_per_s=%.0f "
           "threads=%d threaded_per_s=%.0f\n",
           mixed, allow, deny, base, threads, par);
    khm_policy_free(policy);
    return 0;
}
