/* The policy decision point: khm_access_decide() computes the facts of one request (same
 * agency, clearance, personal data, purpose, self) as bits, then walks the rules indexed under
 * the action — deny rules first — and answers with the first match; no match is a deny
 * ("default-deny"), explained by the nearest allow rule and the first condition it failed. It
 * never allocates and only reads the policy, so any number of threads may decide at once.
 * Also here: the JSON input of POST /api/v1/decide and the decision's JSON form. */
#include <khomun/policy.h>

#include <khomun/err.h>

#include <stdio.h>
#include <string.h>

#include "policy_internal.h"

/* Texts of the decisions no rule of the file makes. */
static const char default_deny_en[] = "no rule allows this action on this resource for this caller";
static const char default_deny_th[] = "ไม่มีกฎใดอนุญาตให้ผู้ขอดำเนินการนี้กับข้อมูลนี้ (ปฏิเสธโดยปริยาย)";

/* Why a condition failed, for the near-miss explanation: [fact][wanted value]. */
/* clang-format off */
static const struct { const char *en, *th; } fact_miss[KHM_FACT__COUNT][2] = {
    { { "the resource belongs to the caller's own agency", "ข้อมูลเป็นของหน่วยงานของผู้ขอเอง" },
      { "the resource belongs to another agency (or to none)", "ข้อมูลเป็นของหน่วยงานอื่น" } },
    { { "the caller's clearance is at or above the resource's level", "ผู้ขอได้รับอนุญาตในระดับชั้นความลับไม่ต่ำกว่าระดับของข้อมูล" },
      { "the caller's clearance is below the resource's classification level (or the level is unknown)", "ระดับชั้นความลับที่ผู้ขอได้รับอนุญาตต่ำกว่าระดับชั้นของข้อมูล (หรือไม่ทราบระดับชั้นของข้อมูล)" } },
    { { "the resource holds personal data", "ข้อมูลนี้มีข้อมูลส่วนบุคคล" },
      { "the resource holds no personal data", "ข้อมูลนี้ไม่มีข้อมูลส่วนบุคคล" } },
    { { "the resource holds sensitive personal data (PDPA s.26)", "ข้อมูลนี้มีข้อมูลส่วนบุคคลที่มีความอ่อนไหว (มาตรา 26)" },
      { "the resource holds no sensitive personal data", "ข้อมูลนี้ไม่มีข้อมูลส่วนบุคคลที่มีความอ่อนไหว" } },
    { { "a purpose with a lawful basis was given", "มีวัตถุประสงค์และฐานทางกฎหมายแล้ว" },
      { "no purpose with a lawful basis (PDPA s.24; for sensitive data an s.26 exception or explicit consent) was given", "ไม่ได้ระบุวัตถุประสงค์และฐานทางกฎหมาย (มาตรา 24 และสำหรับข้อมูลอ่อนไหว ข้อยกเว้นตามมาตรา 26 หรือความยินยอมโดยชัดแจ้ง)" } },
    { { "the resource is the caller's own user or token", "เป็นข้อมูลผู้ใช้งานหรือโทเค็นของผู้ขอเอง" },
      { "the resource is not the caller's own user or token", "ไม่ใช่ข้อมูลผู้ใช้งานหรือโทเค็นของผู้ขอเอง" } },
};
static const struct { const char *en, *th; } level_miss[3] = {
    { "the resource's classification level is unknown", "ไม่ทราบระดับชั้นของข้อมูล" },
    { "the resource's classification level is below the rule's min_level", "ระดับชั้นของข้อมูลต่ำกว่าที่กฎกำหนด" },
    { "the resource's classification level is above what the rule allows", "ระดับชั้นของข้อมูลสูงกว่าที่กฎอนุญาต" },
};
static const struct { const char *en, *th; } cat_miss =
    { "the resource's data category is not one the rule names (or is unknown)", "หมวดหมู่ข้อมูลไม่ตรงกับที่กฎกำหนด (หรือไม่ทราบหมวดหมู่)" };
static const struct { const char *en, *th; } agree_miss[2] = {
    { "a sharing agreement covers this access", "มีข้อตกลงการแบ่งปันข้อมูลครอบคลุมการเข้าถึงนี้" },
    { "no sharing agreement covers this cross-agency access", "ไม่มีข้อตกลงการแบ่งปันข้อมูลระหว่างหน่วยงานที่ครอบคลุมการเข้าถึงนี้" },
};
/* clang-format on */

static int set_guard(khm_decision *out, const khm_policy *p, const char *rule, const char *en,
                     const char *th)
{
    out->allow = 0;
    out->rule = rule;
    out->rule_index = -1;
    out->reason = en;
    out->reason_th = th;
    out->policy_version = p ? p->version : NULL;
    return 0;
}

/* Both strings NUL-terminated and non-empty; ids are short, so strcmp is the whole cost. */
static inline int same_id(const char *a, const char *b)
{
    return a && b && a[0] && strcmp(a, b) == 0;
}

/* The purpose satisfies what personal (s.24) and sensitive (s.26) data need. */
static inline int purpose_ok(const khm_resource *res, const khm_purpose *pu)
{
    if (!res->personal && !res->sensitive)
        return 1;
    if (!pu)
        return 0;
    if (pu->basis <= KHM_BASIS_NONE && !pu->explicit_consent)
        return 0;
    if (res->sensitive && pu->s26_exception <= KHM_S26_NONE && !pu->explicit_consent)
        return 0;
    return 1;
}

static inline unsigned facts_of(unsigned needs, const khm_principal *who, const khm_resource *res,
                                const khm_purpose *purpose)
{
    unsigned f = 0;
    if (res->personal || res->sensitive)
        f |= KHM_FACT_PERSONAL;
    if (res->sensitive)
        f |= KHM_FACT_SENSITIVE;
    if ((needs & KHM_FACT_PURPOSE) && purpose_ok(res, purpose))
        f |= KHM_FACT_PURPOSE;
    if (!who)
        return f;
    if ((needs & KHM_FACT_SAME_AGENCY) && same_id(res->owner_agency_id, who->agency.id))
        f |= KHM_FACT_SAME_AGENCY;
    if (res->level >= 0 && who->user.clearance >= res->level)
        f |= KHM_FACT_CLEARANCE;
    if ((needs & KHM_FACT_SELF) &&
        ((res->kind == KHM_RES_USER && same_id(res->id, who->user.id)) ||
         (res->kind == KHM_RES_TOKEN &&
          (same_id(res->owner_user_id, who->user.id) || same_id(res->id, who->token.id)))))
        f |= KHM_FACT_SELF;
    return f;
}

static inline int agreement_holds(const khm_policy *p, const khm_principal *who, int action,
                                  const khm_resource *res, const khm_purpose *purpose)
{
    /* no hook: "no agreement" — the agreements capability does not exist yet */
    return p->agreement && who && p->agreement(who, action, res, purpose, p->agreement_payload);
}

/* Default deny: explain it with the nearest allow rule of the action — among those whose role
 * and kind matched, the one that failed the fewest conditions, then passed the most, then came
 * first — and the first condition it failed. Runs only on the deny path. */
static void explain_miss(const khm_policy *p, khm_decision *out, int action, unsigned rolebit,
                         unsigned kindbit, unsigned levelbit, unsigned catbit, unsigned facts,
                         const khm_resource *res)
{
    const khm_policy__rule *best = NULL;
    int best_failed = 0, best_passed = 0;
    const khm_policy__rule *r = p->by_action[action] + p->n_deny[action];
    const khm_policy__rule *end = p->by_action[action] + p->n_rules[action];
    for (; r < end; r++) {
        if (!(r->roles & rolebit) || !(r->kinds & kindbit))
            continue;
        int failed = __builtin_popcount((facts ^ r->want) & r->mask);
        int passed = __builtin_popcount(r->mask) - failed;
        int level_cond = r->levels != KHM_POLICY__ANY_LEVEL,
            cat_cond = r->cats != KHM_POLICY__ANY_CAT;
        failed += (level_cond && !(r->levels & levelbit)) + (cat_cond && !(r->cats & catbit));
        passed += (level_cond && (r->levels & levelbit)) + (cat_cond && (r->cats & catbit));
        if (!best || failed < best_failed || (failed == best_failed && passed > best_passed)) {
            best = r;
            best_failed = failed;
            best_passed = passed;
        }
    }
    if (!best)
        return;
    r = best;
    out->miss_rule = r->id;
    if (!(r->levels & levelbit)) {
        int below = r->min_level >= 0 && res->level < r->min_level;
        int k = res->level < 0 ? 0 : below ? 1 : 2;
        out->miss_condition =
            (res->level < 0 ? r->max_level < 0 : below) ? "min_level" : "max_level";
        out->miss_reason = level_miss[k].en;
        out->miss_reason_th = level_miss[k].th;
        return;
    }
    if (!(r->cats & catbit)) {
        out->miss_condition = "category";
        out->miss_reason = cat_miss.en;
        out->miss_reason_th = cat_miss.th;
        return;
    }
    unsigned diff = (facts ^ r->want) & r->mask;
    for (int k = 0; k < KHM_FACT__COUNT; k++)
        if (diff & (1u << k)) {
            int wanted = (r->want >> k) & 1u;
            out->miss_condition = khm_policy__fact_names[k];
            out->miss_reason = fact_miss[k][wanted].en;
            out->miss_reason_th = fact_miss[k][wanted].th;
            return;
        }
    /* every other condition held, so the agreement is what failed */
    int wanted = r->agreement > 0;
    out->miss_condition = "agreement";
    out->miss_reason = agree_miss[wanted].en;
    out->miss_reason_th = agree_miss[wanted].th;
}

int khm_access_decide(const khm_policy *p, const khm_principal *who, int action,
                      const khm_resource *res, const khm_purpose *purpose, khm_decision *out)
{
    out->miss_rule = out->miss_condition = out->miss_reason = out->miss_reason_th = NULL;
    if (!p || !res || action < 0 || action >= KHM_ACTION__COUNT || res->kind < 0 ||
        res->kind >= KHM_RES__COUNT || res->level < -1 || res->level >= KHM_LEVEL__COUNT ||
        res->category < -1 || res->category >= KHM_CAT__COUNT) {
        set_guard(out, p, "invalid-input",
                  "the action, resource kind, level or category is out of range",
                  "การกระทำ ชนิดทรัพยากร ระดับชั้น หรือหมวดหมู่ข้อมูลไม่ถูกต้อง");
        return khm_err_set(KHM_EINVALID, "khm_access_decide: input out of range");
    }
    /* Guards before any rule: a disabled user or a revoked token decides nothing (the
     * authenticator refuses them already; this keeps a principal built elsewhere honest). */
    if (who && who->user.disabled)
        return set_guard(out, p, "user-disabled", "the user is disabled", "ผู้ใช้งานถูกระงับ");
    if (who && who->token.revoked_at)
        return set_guard(out, p, "token-revoked", "the token is revoked", "โทเค็นถูกเพิกถอนแล้ว");

    unsigned rolebit = !who ? KHM_POLICY__ANON_BIT
                       : who->user.role >= 0 && who->user.role < KHM_ROLE__COUNT
                           ? 1u << who->user.role
                           : 0u; /* an unknown role matches no rule */
    unsigned kindbit = 1u << res->kind;
    unsigned levelbit = res->level < 0 ? KHM_POLICY__LEVEL_UNK : 1u << res->level;
    unsigned catbit = res->category < 0 ? KHM_POLICY__CAT_NONE : 1u << res->category;
    unsigned facts = facts_of(p->needs[action], who, res, purpose);

    const khm_policy__rule *r = p->by_action[action];
    const khm_policy__rule *end = r + p->n_rules[action];
    for (; r < end; r++) {
        if (!(r->roles & rolebit) || !(r->kinds & kindbit) || !(r->levels & levelbit) ||
            !(r->cats & catbit) || (facts & r->mask) != r->want)
            continue;
        if (r->agreement >= 0 && agreement_holds(p, who, action, res, purpose) != r->agreement)
            continue;
        /* deny rules come first in the index, so the first match is the answer */
        out->allow = !r->deny;
        out->rule = r->id;
        out->rule_index = r->index;
        out->reason = r->reason;
        out->reason_th = r->reason_th;
        out->policy_version = p->version;
        return 0;
    }
    set_guard(out, p, KHM_RULE_DEFAULT_DENY, default_deny_en, default_deny_th);
    explain_miss(p, out, action, rolebit, kindbit, levelbit, catbit, facts, res);
    return 0;
}

int khm_access_class_allowed(const khm_policy *p, const khm_principal *who, int action, int kind,
                             const khm_resource_class *cls, int *own, int *other)
{
    static const char other_agency[] = "\x01another agency"; /* no agency's id (ids are UUIDs) */
    *own = *other = KHM_CLASS_SOME;
    if (!p || !cls || action < 0 || action >= KHM_ACTION__COUNT || kind < 0 ||
        kind >= KHM_RES__COUNT || (cls->levels & ~KHM_RESOURCE_LEVELS_ANY) || cls->category < -1 ||
        cls->category >= KHM_CAT__COUNT || cls->personal < -1 || cls->personal > 1)
        return khm_err_set(KHM_EINVALID, "khm_access_class_allowed: input out of range");
    if (p->agreement)
        return 0; /* the hook answers per resource: no conclusion from a class */
    const char *mine = who && who->agency.id[0] ? who->agency.id : NULL;
    /* [0] the caller's agency, [1] another: some combination allowed, some denied */
    int allowed[2] = { 0, 0 }, denied[2] = { 0, 0 };
    int c0 = cls->category >= 0 ? cls->category : -1;
    int c1 = cls->category >= 0 ? cls->category : KHM_CAT__COUNT - 1;
    for (int l = -1; l < KHM_LEVEL__COUNT; l++) {
        if (!(cls->levels & (l < 0 ? 1u << KHM_LEVEL__COUNT : 1u << l)))
            continue;
        for (int c = c0; c <= c1; c++)
            for (int bits = 0; bits < 4; bits++) {
                int flagged = bits & 1, sensitive = (bits >> 1) & 1;
                int personal = flagged || c == KHM_CAT_PERSONAL;
                /* the class's personal: flagged, sensitive or of the personal category */
                if (cls->personal >= 0 && (personal || sensitive) != cls->personal)
                    continue;
                for (int o = 0; o < 2; o++) {
                    if (o == 0 && !mine)
                        continue;
                    khm_resource res = KHM_RESOURCE_INIT(kind);
                    khm_decision d;
                    res.owner_agency_id = o == 0 ? mine : other_agency;
                    res.level = l;
                    res.category = c;
                    res.personal = personal;
                    res.sensitive = sensitive;
                    if (khm_access_decide(p, who, action, &res, NULL, &d) == 0 && d.allow)
                        allowed[o] = 1;
                    else
                        denied[o] = 1;
                }
                if (allowed[1] && denied[1] && (!mine || (allowed[0] && denied[0])))
                    goto done; /* both are "some": nothing more to learn */
            }
    }
done:
    *own = !allowed[0] ? KHM_CLASS_NONE : denied[0] ? KHM_CLASS_SOME : KHM_CLASS_ALL;
    *other = !allowed[1] ? KHM_CLASS_NONE : denied[1] ? KHM_CLASS_SOME : KHM_CLASS_ALL;
    return 0;
}

/* ---- POST /api/v1/decide: input and output ---- */

/* Check that @p obj is an object with members only from @p allowed (NULL-terminated); report
 * each unknown one at "@p prefix.member". Returns the number of problems. */
static int members_ok(const json_t *obj, const char *prefix, const char *const *allowed,
                      const char *list)
{
    char field[64];
    int errors = 0;
    const char *key;
    json_t *v;
    if (!json_is_object(obj)) {
        khm_err_field(prefix, "ต้องเป็นออบเจกต์ JSON", "must be a JSON object");
        return 1;
    }
    json_object_foreach((json_t *)(uintptr_t)obj, key, v)
    {
        const char *const *a = allowed;
        while (*a && strcmp(*a, key) != 0)
            a++;
        if (!*a) {
            char th[300];
            snprintf(field, sizeof(field), "%s.%s", prefix, key);
            snprintf(th, sizeof(th), "ไม่รู้จักฟิลด์นี้ (%s)", list);
            khm_err_field(field, th, "unknown field (allowed: %s)", list);
            errors++;
        }
    }
    return errors;
}

/* Optional string member: NULL when absent or null; a problem when of another type. */
static const char *opt_str(const json_t *obj, const char *prefix, const char *key, int *errors)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 200) {
        char field[64];
        snprintf(field, sizeof(field), "%s.%s", prefix, key);
        khm_err_field(field, "ต้องเป็นข้อความ 1–200 ตัวอักษร", "must be a string of 1-200 bytes");
        (*errors)++;
        return NULL;
    }
    return json_string_value(v);
}

static int opt_bool(const json_t *obj, const char *prefix, const char *key, int *errors)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_boolean(v)) {
        char field[64];
        snprintf(field, sizeof(field), "%s.%s", prefix, key);
        khm_err_field(field, "ต้องเป็นค่าความจริง (true หรือ false)", "must be a boolean");
        (*errors)++;
        return 0;
    }
    return json_is_true(v);
}

/* Parse an enum-valued member with @p parse, which reports a problem under its own short
 * field name ("level"); the problem is repeated under the full path and the short-named copies
 * are dropped at the end (khm_decide_input_from_json). */
static void opt_enum(const json_t *obj, const char *prefix, const char *key,
                     int (*parse)(const char *, int *), int *out, int *errors)
{
    const char *s = opt_str(obj, prefix, key, errors);
    if (!s || parse(s, out) == 0)
        return;
    size_t n;
    const khm_field_error *fe = khm_err_fields(&n);
    char field[64], msg[256], th[256];
    snprintf(field, sizeof(field), "%s.%s", prefix, key);
    snprintf(msg, sizeof(msg), "%s", n ? fe[n - 1].message : "invalid value");
    snprintf(th, sizeof(th), "%s", n ? fe[n - 1].message_th : "");
    khm_err_field(field, th, "%s", msg);
    (*errors)++;
}

static int parse_level(const char *s, int *out)
{
    return khm_level_parse(s, out);
}

int khm_decide_input_from_json(khm_decide_input *out, const json_t *body)
{
    static const char *const top[] = { "input", NULL };
    static const char *const input_m[] = { "action", "resource",  "purpose",
                                           "user",   "anonymous", NULL };
    static const char *const res_m[] = { "kind",       "id",        "owner_agency",
                                         "owner_user", "level",     "category",
                                         "personal",   "sensitive", NULL };
    static const char *const pur_m[] = { "code", "basis", "s26_exception", "explicit_consent",
                                         NULL };
    int errors = 0;

    memset(out, 0, sizeof(*out));
    khm_resource r0 = KHM_RESOURCE_INIT(KHM_RES_DATASET);
    out->res = r0;
    out->action = -1;
    khm_err_clear();
    if (members_ok(body, "body", top, "input") > 0)
        return KHM_EINVALID;
    const json_t *in = json_object_get(body, "input");
    if (!in)
        return khm_err_field("input", "ต้องระบุ input", "is required");
    if (members_ok(in, "input", input_m, "action, resource, purpose, user, anonymous") > 0)
        return KHM_EINVALID;

    if (!json_object_get(in, "action")) {
        khm_err_field("input.action", "ต้องระบุการกระทำ", "is required");
        errors++;
    } else {
        opt_enum(in, "input", "action", khm_action_parse, &out->action, &errors);
        if (out->action < 0 && !errors) {
            khm_err_field("input.action", "ต้องระบุการกระทำ", "is required");
            errors++;
        }
    }
    out->user = opt_str(in, "input", "user", &errors);
    out->anonymous = opt_bool(in, "input", "anonymous", &errors);
    if (out->user && out->anonymous) {
        khm_err_field("input.anonymous", "ระบุได้อย่างใดอย่างหนึ่งระหว่าง user และ anonymous",
                      "excludes \"user\": decide for one or the other");
        errors++;
    }

    const json_t *res = json_object_get(in, "resource");
    if (!res) {
        khm_err_field("input.resource", "ต้องระบุทรัพยากร", "is required");
        errors++;
    } else if (members_ok(res, "input.resource", res_m,
                          "kind, id, owner_agency, owner_user, level, category, personal, "
                          "sensitive") > 0) {
        errors++;
    } else {
        const char *p = "input.resource";
        out->res.kind = -1;
        if (!json_object_get(res, "kind")) {
            khm_err_field("input.resource.kind", "ต้องระบุชนิดทรัพยากร", "is required");
            errors++;
        } else {
            opt_enum(res, p, "kind", khm_resource_kind_parse, &out->res.kind, &errors);
        }
        out->res.id = opt_str(res, p, "id", &errors);
        out->res.owner_agency_id = opt_str(res, p, "owner_agency", &errors);
        out->res.owner_user_id = opt_str(res, p, "owner_user", &errors);
        opt_enum(res, p, "level", parse_level, &out->res.level, &errors);
        opt_enum(res, p, "category", khm_category_parse, &out->res.category, &errors);
        out->res.personal = opt_bool(res, p, "personal", &errors);
        out->res.sensitive = opt_bool(res, p, "sensitive", &errors);
        if (out->res.category == KHM_CAT_PERSONAL)
            out->res.personal = 1; /* the category says so even when the flag is left out */
    }

    const json_t *pur = json_object_get(in, "purpose");
    if (pur && !json_is_null(pur)) {
        if (members_ok(pur, "input.purpose", pur_m,
                       "code, basis, s26_exception, explicit_consent") > 0) {
            errors++;
        } else {
            const char *p = "input.purpose";
            out->has_purpose = 1;
            out->purpose.code = opt_str(pur, p, "code", &errors);
            opt_enum(pur, p, "basis", khm_basis_parse, &out->purpose.basis, &errors);
            opt_enum(pur, p, "s26_exception", khm_s26_parse, &out->purpose.s26_exception, &errors);
            out->purpose.explicit_consent = opt_bool(pur, p, "explicit_consent", &errors);
        }
    }
    if (errors) {
        /* drop the short-named duplicates the enum parsers added: keep only path-named ones */
        size_t n;
        const khm_field_error *fe = khm_err_fields(&n);
        struct {
            char field[64], msg[256], th[256];
        } keep[KHM_ERR_MAX_FIELDS];
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (strchr(fe[i].field, '.')) {
                snprintf(keep[k].field, sizeof(keep[k].field), "%s", fe[i].field);
                snprintf(keep[k].msg, sizeof(keep[k].msg), "%s", fe[i].message);
                snprintf(keep[k].th, sizeof(keep[k].th), "%s", fe[i].message_th);
                k++;
            }
        khm_err_clear();
        for (size_t i = 0; i < k; i++)
            khm_err_field(keep[i].field, keep[i].th, "%s", keep[i].msg);
        return KHM_EINVALID;
    }
    return 0;
}

static void write_reason(khm_jw *w, const char *rule, const char *cond, const char *en,
                         const char *th)
{
    khm_jw_obj(w);
    khm_jw_key(w, "rule");
    khm_jw_str(w, rule);
    if (cond) {
        khm_jw_key(w, "condition");
        khm_jw_str(w, cond);
    }
    khm_jw_key(w, "message");
    khm_jw_str(w, en);
    khm_jw_key(w, "message_th");
    khm_jw_str(w, th);
    khm_jw_obj_end(w);
}

void khm_decision_write_json(khm_jw *w, const khm_decision *d)
{
    khm_jw_obj(w);
    khm_jw_key(w, "allow");
    khm_jw_bool(w, d->allow);
    khm_jw_key(w, "rule");
    khm_jw_str(w, d->rule);
    khm_jw_key(w, "reasons");
    khm_jw_arr(w);
    write_reason(w, d->rule, NULL, d->reason, d->reason_th);
    if (d->miss_rule)
        write_reason(w, d->miss_rule, d->miss_condition, d->miss_reason, d->miss_reason_th);
    khm_jw_arr_end(w);
    khm_jw_key(w, "policy_version");
    khm_jw_str(w, d->policy_version);
    khm_jw_obj_end(w);
}
