/* Consent records: pseudonymous subjects (HMAC-SHA-256 with the agency key), the PDPA rules of
 * a grant and a withdrawal (thai-rules.md §1.4 s.26, §1.5 s.19 and s.20), and their JSON.
 * Storage is the store's (store/pdpa.c); the check is index.c's. */
#include <khomun/alloc.h>
#include <khomun/consent.h>

#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/pdpa.h>
#include <khomun/policy.h>
#include <khomun/receipt.h>
#include <khomun/scan.h>
#include <khomun/setup.h>
#include <khomun/time.h>

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* ---- input ---- */

static const khm_json_field consent_fields[] = {
    { "subject", KHM_JSON_STRING, 1, 256, "ตัวระบุเจ้าของข้อมูล", 0 },
    { "subject_type", KHM_JSON_STRING, 1, 16, "ชนิดตัวระบุ", 0 },
    { "purpose", KHM_JSON_STRING, 1, 64, "วัตถุประสงค์", 0 },
    { "method", KHM_JSON_STRING, 0, 20, "วิธีการให้ความยินยอม", 0 },
    { "given_at", KHM_JSON_STRING, 0, 40, "เวลาที่ให้ความยินยอม", 1 },
    { "expires_at", KHM_JSON_STRING, 0, 40, "วันหมดอายุ", 1 },
    { "explicit", KHM_JSON_BOOLEAN, 0, 0, "ความยินยอมโดยชัดแจ้ง", 0 },
    { "text_version", KHM_JSON_INTEGER, 0, 0, "ฉบับของข้อความขอความยินยอม", 0 },
    { "age", KHM_JSON_INTEGER, 0, 0, "อายุ", 1 },
    { "birth_date", KHM_JSON_STRING, 0, 10, "วันเกิด", 1 },
    { "given_by", KHM_JSON_STRING, 0, 20, "ผู้ให้ความยินยอม", 0 },
    { "guardian", KHM_JSON_OBJECT, 0, 0, "ผู้ใช้อำนาจปกครอง", 1 },
    { "minor_may_act_alone", KHM_JSON_BOOLEAN, 0, 0, "ผู้เยาว์ทำได้เองตาม ป.พ.พ. ม.22–24", 0 },
    { NULL, 0, 0, 0, NULL, 0 },
};

static const khm_json_field withdraw_fields[] = {
    { "subject", KHM_JSON_STRING, 1, 256, "ตัวระบุเจ้าของข้อมูล", 0 },
    { "subject_type", KHM_JSON_STRING, 1, 16, "ชนิดตัวระบุ", 0 },
    { "purpose", KHM_JSON_STRING, 1, 64, "วัตถุประสงค์", 0 },
    { "method", KHM_JSON_STRING, 0, 20, "วิธีการ", 0 },
    { "given_at", KHM_JSON_STRING, 0, 40, "เวลาที่ถอนความยินยอม", 1 },
    { NULL, 0, 0, 0, NULL, 0 },
};

static const khm_json_field guardian_fields[] = {
    { "subject", KHM_JSON_STRING, 1, 256, "ตัวระบุผู้ใช้อำนาจปกครอง", 0 },
    { "subject_type", KHM_JSON_STRING, 1, 16, "ชนิดตัวระบุ", 0 },
    { "relation", KHM_JSON_STRING, 0, 40, "ความสัมพันธ์", 1 },
    { NULL, 0, 0, 0, NULL, 0 },
};

static int64_t opt_int(const json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

int khm_consent_input_from_json(khm_consent_input *in, const json_t *body, int withdraw)
{
    memset(in, 0, sizeof(*in));
    in->explicit_consent = -1;
    in->text_version = -1;
    in->age = -1;
    if (khm_json_check(body, withdraw ? withdraw_fields : consent_fields) < 0)
        return KHM_EINVALID;
    in->subject = khm_json_str(body, "subject");
    in->subject_type = khm_json_str(body, "subject_type");
    in->purpose = khm_json_str(body, "purpose");
    in->method = khm_json_str(body, "method");
    in->given_at = khm_json_str(body, "given_at");
    in->expires_at = khm_json_str(body, "expires_at");
    json_t *e = json_object_get(body, "explicit");
    if (json_is_boolean(e))
        in->explicit_consent = json_is_true(e);
    in->text_version = opt_int(body, "text_version");
    in->age = opt_int(body, "age");
    in->birth_date = khm_json_str(body, "birth_date");
    in->given_by = khm_json_str(body, "given_by");
    in->minor_may_act_alone = json_is_true(json_object_get(body, "minor_may_act_alone"));
    json_t *g = json_object_get(body, "guardian");
    if (json_is_object(g)) {
        /* the guardian's members are named "guardian.subject" … in errors */
        if (khm_json_check(g, guardian_fields) < 0) {
            size_t n;
            const khm_field_error *fe = khm_err_fields(&n);
            char f[64], msg[256], th[256];
            snprintf(f, sizeof(f), "guardian.%s", n ? fe[0].field : "?");
            snprintf(msg, sizeof(msg), "%s", n ? fe[0].message : "invalid");
            snprintf(th, sizeof(th), "%s", n ? fe[0].message_th : "");
            khm_err_clear();
            return khm_err_field(f, th, "%s", msg);
        }
        in->guardian_subject = khm_json_str(g, "subject");
        in->guardian_subject_type = khm_json_str(g, "subject_type");
        in->guardian_relation = khm_json_str(g, "relation");
    }
    return 0;
}

/* ---- the rules ---- */

/* Parse an RFC 3339 time quietly (khm_time_parse's error would drop the field errors so far):
 * 0, or -1 with nothing set. */
static int parse_time(const char *s, int64_t *out)
{
    if (khm_time_parse(out, s, strlen(s)) < 0) {
        khm_err_clear();
        return -1;
    }
    return 0;
}

static int bad_time(const char *field)
{
    return khm_err_field(field, "รูปแบบเวลาไม่ถูกต้อง (RFC 3339)",
                         "not an RFC 3339 time, e.g. 2026-05-01T09:30:00+07:00");
}

/* Whole years from (y, m, d) to the date of @p at (UTC+7, Thai time). */
static int age_at(int y, int m, int d, int64_t at)
{
    int64_t days = (at + 7 * 3600000LL) / 86400000LL;
    /* civil_from_days (H. Hinnant) */
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153, dd = doy - (153 * mp + 2) / 5 + 1;
    unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    if (mm <= 2)
        yy++;
    int age = (int)(yy - y);
    if ((int)mm < m || ((int)mm == m && (int)dd < d))
        age--;
    return age;
}

/* The age of the subject at @p at from "age" or "birth_date"; -1 when neither is given. */
static int subject_age(const khm_consent_input *in, int64_t at, int64_t now, int *bad)
{
    if (in->birth_date) {
        int y, m, d;
        char tail;
        if (sscanf(in->birth_date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
            d < 1 || d > 31 || y < 1900) {
            *bad |= khm_err_field("birth_date", "วันเกิดต้องอยู่ในรูปแบบ YYYY-MM-DD (ค.ศ.)",
                                  "must be a date YYYY-MM-DD (Christian era)") < 0;
            return -1;
        }
        int64_t born =
            khm_time_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400000LL - 7 * 3600000LL;
        if (born > now) {
            *bad |= khm_err_field("birth_date", "วันเกิดอยู่ในอนาคต", "is in the future") < 0;
            return -1;
        }
        int age = age_at(y, m, d, at);
        if (in->age >= 0 && in->age != age)
            *bad |= khm_err_field("age", "อายุไม่ตรงกับวันเกิด",
                                  "does not match birth_date (%d at given_at)", age) < 0;
        return age;
    }
    if (in->age >= 0 && in->age > 150) {
        *bad |= khm_err_field("age", "อายุไม่ถูกต้อง", "must be 0 to 150") < 0;
        return -1;
    }
    return (int)in->age;
}

static int method_ok(const char *m)
{
    return m && (strcmp(m, "written") == 0 || strcmp(m, "electronic") == 0 ||
                 strcmp(m, "verbal-recorded") == 0);
}

/* The guardian rules of s.20 (thai-rules.md §1.5) for a subject of @p age. */
static void minor_rules(const khm_consent_input *in, int age, const char *given_by, int *bad)
{
    int guardian = in->guardian_subject != NULL;
    if (age < 0 || age >= KHM_AGE_MAJORITY) {
        if (strcmp(given_by, "subject") != 0 && !guardian)
            *bad |= khm_err_field("guardian", "ต้องระบุข้อมูลผู้ใช้อำนาจปกครอง",
                                  "given_by '%s' needs the guardian's data", given_by) < 0;
        return;
    }
    if (age <= KHM_AGE_GUARDIAN_ONLY) {
        /* s.20: a minor not over ten years of age: the holder of parental responsibility
         * consents on the minor's behalf; the minor's own consent is not valid alone */
        if (strcmp(given_by, "subject") == 0 || !guardian)
            *bad |= khm_err_field("guardian",
                                  "ผู้เยาว์อายุไม่เกินสิบปี ต้องได้รับความยินยอมจากผู้ใช้อำนาจปกครอง (มาตรา 20)",
                                  "a minor of %d (not over 10) cannot consent alone: the holder "
                                  "of parental responsibility consents on their behalf "
                                  "(given_by 'guardian' with 'guardian'; PDPA s.20)",
                                  age) < 0;
        else if (in->minor_may_act_alone)
            *bad |= khm_err_field("minor_may_act_alone", "ใช้ไม่ได้กับผู้เยาว์อายุไม่เกินสิบปี (มาตรา 20)",
                                  "does not apply to a minor not over 10 (PDPA s.20)") < 0;
        return;
    }
    /* 10 < age < 20: the minor's consent is valid alone only for acts the minor may do alone
     * (CCC ss.22-24); otherwise the holder of parental responsibility consents too (s.20) */
    if (in->minor_may_act_alone)
        return;
    if (!guardian || strcmp(given_by, "subject") == 0)
        *bad |= khm_err_field("guardian", "ผู้เยาว์ต้องได้รับความยินยอมจากผู้ใช้อำนาจปกครองด้วย (มาตรา 20)",
                              "a minor of %d needs the consent of the holder of parental "
                              "responsibility too (given_by 'subject+guardian' with 'guardian'), "
                              "unless it is an act the minor may do alone "
                              "(minor_may_act_alone; CCC ss.22-24; PDPA s.20)",
                              age) < 0;
}

/* The signed receipt of @p ev (a grant or a withdrawal) into ev->receipt. The controller is the
 * agency: its public contact (address, e-mail, phone, website) and its DPO (PDPA s.41) come from
 * the agency record; the privacy notice is the purpose's own, else the agency's. When the record
 * lacks what a receipt must name, ev->receipt_error says what (the consent still counts). */
static int make_receipt(khm_tx *tx, const khm_keys *keys, khm_consent_event *ev,
                        const khm_purpose_rec *p, khm_arena *a)
{
    khm_agency ag;
    khm_receipt r;
    const char *pii[32], *spi[KHM_SENS_COUNT];
    size_t npii = 0, nspi = 0;
    char rid[KHM_ID_LEN];
    int rc = khm_store_agency_get(tx, &ag, ev->agency_id, a);
    if (rc < 0)
        return rc;
    json_error_t je;
    json_t *cats = p->categories ? json_loads(p->categories, 0, &je) : NULL;
    size_t i;
    json_t *c;
    json_array_foreach(cats, i, c) if (json_is_string(c) && npii < 32) pii[npii++] =
        khm_arena_strdup(a, json_string_value(c));
    json_decref(cats);
    for (unsigned k = 1; k < KHM_SENS_COUNT; k++)
        if (p->sensitive & (1u << k))
            spi[nspi++] = khm_sensitive_name(k);
    khm_id_new(rid);
    memset(&r, 0, sizeof(r));
    r.receipt_id = rid;
    r.consent_id = ev->id;
    r.event = ev->withdraw ? "withdrawn" : "given";
    r.ts_ms = ev->given_at;
    r.collection_method = ev->method;
    r.subject = ev->subject;
    r.language = "th";
    r.agency_id = ag.id;
    r.agency_name_th = ag.name_th;
    r.agency_name_en = ag.name_en;
    r.address = ag.address;
    r.email = ag.email;
    r.phone = ag.phone;
    r.url = ag.website;
    r.dpo_name = ag.dpo_name;
    r.dpo_email = ag.dpo_email;
    r.dpo_phone = ag.dpo_phone;
    r.policy_url = p->privacy_notice_url && *p->privacy_notice_url ? p->privacy_notice_url
                                                                   : ag.privacy_notice_url;
    r.purpose_code = p->code;
    r.purpose_name_th = p->name_th;
    r.purpose_name_en = p->name_en;
    r.text_version = ev->text_version;
    r.lawful_basis = khm_basis_name(p->basis);
    r.s26_exception = p->s26_exception ? khm_s26_name(p->s26_exception) : NULL;
    r.explicit_consent = ev->explicit_consent;
    r.sensitive = p->sensitive != 0;
    r.pii_categories = pii;
    r.n_pii = npii;
    r.spi_categories = spi;
    r.n_spi = nspi;
    r.retention_days = p->retention_days;
    r.expires_at_ms = ev->expires_at;
    r.guardian =
        ev->guardian[0] ? (ev->guardian_relation ? ev->guardian_relation : "guardian") : NULL;
    unsigned char sk[KHM_SIGN_SK_LEN], pk[KHM_SIGN_PK_LEN];
    json_t *doc = NULL;
    khm_keys_agency_sign(keys, ag.id, sk, pk);
    rc = khm_receipt_sign(&doc, &r, sk, pk);
    sodium_memzero(sk, sizeof(sk));
    if (rc == KHM_EINVALID) {
        /* the agency record lacks what a receipt must name (its e-mail or DPO contact, its
         * privacy notice): the consent still counts, the caller is told why there is no receipt */
        size_t nf;
        const khm_field_error *fe = khm_err_fields(&nf);
        khm_buf b = KHM_BUF_INIT(1 << 16);
        khm_jw w;
        khm_jw_init(&w, &b);
        khm_jw_arr(&w);
        for (size_t k = 0; k < nf; k++) {
            khm_jw_obj(&w);
            khm_jw_key(&w, "field");
            khm_jw_str(&w, fe[k].field);
            khm_jw_key(&w, "message");
            khm_jw_str(&w, fe[k].message);
            khm_jw_key(&w, "message_th");
            khm_jw_str(&w, fe[k].message_th);
            khm_jw_obj_end(&w);
        }
        khm_jw_arr_end(&w);
        rc = khm_jw_finish(&w);
        ev->receipt_error = rc == 0 && b.ptr ? khm_arena_strdup(a, b.ptr) : NULL;
        khm_buf_dispose(&b);
        khm_err_clear();
        return 0;
    }
    if (rc < 0)
        return rc;
    size_t n;
    char *txt = khm_json_dump(doc, &n);
    json_decref(doc);
    if (!txt)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    ev->receipt = khm_arena_strdup(a, txt);
    khm_free(txt);
    return ev->receipt ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

int khm_consent_record(khm_tx *tx, const khm_pseudonymizer *pz, const khm_keys *keys,
                       const char *agency_id, int withdraw, const khm_consent_input *in,
                       const char *actor, int64_t now, khm_consent_event *out,
                       khm_purpose_rec *purpose, khm_arena *a)
{
    khm_consent_event ev;
    unsigned char tok[32];
    int type = 0, bad = 0, rc;
    memset(&ev, 0, sizeof(ev));
    ev.age = -1;
    /* first what may set an error of its own (it would drop the field errors before it) */
    ev.given_at = now;
    int given_ok = !in->given_at || parse_time(in->given_at, &ev.given_at) == 0;
    int expires_ok = withdraw || !in->expires_at || parse_time(in->expires_at, &ev.expires_at) == 0;
    rc = khm_store_purpose_get(tx, purpose, agency_id, in->purpose ? in->purpose : "", a);
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        bad |= khm_err_field("purpose", "ไม่พบวัตถุประสงค์นี้ในหน่วยงาน",
                             "no purpose '%.64s' in this agency (give its code or id)",
                             in->purpose ? in->purpose : "") < 0;
        purpose = NULL;
    } else if (rc < 0) {
        return rc;
    } else if (purpose->basis != KHM_BASIS_CONSENT) {
        bad |= khm_err_field("purpose", "วัตถุประสงค์นี้ไม่ได้ใช้ฐานความยินยอม",
                             "purpose '%s' is on basis %s, not consent: no consent is recorded "
                             "for it (PDPA s.24)",
                             purpose->code, khm_basis_name(purpose->basis)) < 0;
    } else if (purpose->retired_at && !withdraw) {
        /* a retired purpose takes no new consent; a withdrawal is still recorded (s.19) */
        bad |= khm_err_field("purpose", "วัตถุประสงค์นี้เลิกใช้แล้ว", "purpose '%s' is retired",
                             purpose->code) < 0;
    }
    if (khm_subject_type_parse(in->subject_type, "subject_type", &type) < 0)
        bad = 1;
    else if (khm_consent_subject_token(pz, type, in->subject, "subject", tok) < 0)
        bad = 1;
    if (!given_ok)
        bad |= bad_time("given_at") < 0;
    else if (ev.given_at > now + 60000)
        bad |= khm_err_field("given_at", "เวลาอยู่ในอนาคต",
                             "is in the future (consent is recorded when given, s.19)") < 0;
    if (!withdraw) {
        if (!method_ok(in->method))
            bad |= khm_err_field("method", "วิธีการต้องเป็น written, electronic หรือ verbal-recorded",
                                 "must be one of " KHM_CONSENT_METHODS " (PDPA s.19)") < 0;
        if (!expires_ok)
            bad |= bad_time("expires_at") < 0;
        else if (in->expires_at && ev.expires_at <= ev.given_at)
            bad |= khm_err_field("expires_at", "วันหมดอายุต้องอยู่หลังเวลาที่ให้ความยินยอม",
                                 "must be after given_at") < 0;
        ev.explicit_consent = in->explicit_consent == 1;
        if (purpose && purpose->sensitive && !ev.explicit_consent)
            bad |= khm_err_field("explicit", "ข้อมูลอ่อนไหวต้องได้รับความยินยอมโดยชัดแจ้ง (มาตรา 26)",
                                 "purpose '%s' uses sensitive data (s.26): the consent must be "
                                 "explicit (\"explicit\": true; PDPA s.26 para 1)",
                                 purpose->code) < 0;
        if (purpose) {
            ev.text_version = in->text_version >= 0 ? (int)in->text_version : purpose->text_version;
            if (ev.text_version < purpose->min_version || ev.text_version > purpose->text_version)
                bad |=
                    khm_err_field("text_version", "ฉบับของข้อความขอความยินยอมใช้ไม่ได้แล้ว",
                                  "consent text version %d cannot be consented to: the "
                                  "purpose's text is at version %d and needs at least %d",
                                  ev.text_version, purpose->text_version, purpose->min_version) < 0;
        }
        ev.age = subject_age(in, ev.given_at, now, &bad);
        const char *given_by = in->given_by ? in->given_by : "subject";
        if (strcmp(given_by, "subject") != 0 && strcmp(given_by, "guardian") != 0 &&
            strcmp(given_by, "subject+guardian") != 0)
            bad |= khm_err_field("given_by", "ต้องเป็น subject, guardian หรือ subject+guardian",
                                 "must be subject, guardian or subject+guardian") < 0;
        else
            minor_rules(in, ev.age, given_by, &bad);
        ev.given_by = given_by;
        if (in->guardian_subject) {
            int gt;
            unsigned char gtok[32];
            if (khm_subject_type_parse(in->guardian_subject_type, "guardian.subject_type", &gt) <
                    0 ||
                khm_consent_subject_token(pz, gt, in->guardian_subject, "guardian.subject", gtok) <
                    0)
                bad = 1;
            else
                khm_hex_encode(ev.guardian, gtok, sizeof(gtok));
            ev.guardian_relation = in->guardian_relation;
        }
        ev.method = in->method;
    } else {
        ev.method = in->method && method_ok(in->method) ? in->method : "electronic";
        ev.given_by = "subject";
    }
    if (bad)
        return KHM_EINVALID;
    khm_hex_encode(ev.subject, tok, sizeof(tok));
    if (withdraw) {
        /* s.19 para 5: a withdrawal needs a consent to withdraw; nothing changes otherwise */
        khm_consent_event last;
        rc = khm_store_consent_latest(tx, &last, purpose->id, ev.subject, a);
        if (rc == KHM_ENOTFOUND || (rc == 0 && last.withdraw)) {
            khm_err_clear();
            return khm_err_set(KHM_ENOTFOUND,
                               "this subject has no consent to purpose '%s' to withdraw%s",
                               purpose->code, rc == 0 ? " (already withdrawn)" : "");
        }
        if (rc < 0)
            return rc;
        ev.text_version = last.text_version;
        ev.explicit_consent = last.explicit_consent;
    }
    khm_id_new(ev.id);
    snprintf(ev.agency_id, sizeof(ev.agency_id), "%s", agency_id);
    snprintf(ev.purpose_id, sizeof(ev.purpose_id), "%s", purpose->id);
    ev.subject_type = khm_subject_type_name(type);
    ev.withdraw = withdraw;
    ev.recorded_at = now;
    ev.actor = actor;
    /* the Kantara consent receipt, signed with the agency's Ed25519 key, kept with the event
     * in this transaction and returned to the caller (thai-rules.md §6) */
    ev.receipt = NULL;
    if (keys && (rc = make_receipt(tx, keys, &ev, purpose, a)) < 0)
        return rc;
    if ((rc = khm_store_consent_insert(tx, &ev)) < 0)
        return rc;
    *out = ev;
    return 0;
}

void khm_consent_event_write_json(khm_jw *w, const khm_consent_event *e)
{
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, e->id);
    khm_jw_key(w, "action");
    khm_jw_str(w, e->withdraw ? "withdraw" : "grant");
    khm_jw_key(w, "purpose_id");
    khm_jw_str(w, e->purpose_id);
    khm_jw_key(w, "subject_token");
    khm_jw_str(w, e->subject);
    khm_jw_key(w, "subject_type");
    khm_jw_str(w, e->subject_type);
    khm_jw_key(w, "given_at");
    khm_jw_time(w, e->given_at);
    khm_jw_key(w, "recorded_at");
    khm_jw_time(w, e->recorded_at);
    khm_jw_key(w, "method");
    khm_jw_str(w, e->method);
    khm_jw_key(w, "text_version");
    khm_jw_int(w, e->text_version);
    khm_jw_key(w, "explicit");
    khm_jw_bool(w, e->explicit_consent);
    khm_jw_key(w, "age");
    if (e->age >= 0)
        khm_jw_int(w, e->age);
    else
        khm_jw_null(w);
    khm_jw_key(w, "given_by");
    khm_jw_str(w, e->given_by);
    khm_jw_key(w, "guardian_token");
    khm_jw_str(w, e->guardian[0] ? e->guardian : NULL);
    khm_jw_key(w, "guardian_relation");
    khm_jw_str(w, e->guardian_relation);
    khm_jw_key(w, "expires_at");
    khm_jw_time(w, e->expires_at);
    if (e->receipt) {
        khm_jw_key(w, "receipt");
        khm_jw_raw(w, e->receipt, strlen(e->receipt));
    }
    khm_jw_obj_end(w);
}

/* Member by member: the form the fragments below are made of, and the one for values outside
 * their tables. */
static void verdict_write_plain(khm_jw *w, const char *purpose, const khm_consent_verdict *v)
{
    khm_jw_obj(w);
    khm_jw_key(w, "allow");
    khm_jw_bool(w, v->allow);
    khm_jw_key(w, "purpose");
    khm_jw_str(w, purpose);
    khm_jw_key(w, "basis");
    khm_jw_str(w, khm_basis_name(v->basis));
    khm_jw_key(w, "basis_th");
    khm_jw_str(w, khm_basis_label_th(v->basis));
    if (v->s26_exception) {
        khm_jw_key(w, "s26_exception");
        khm_jw_str(w, khm_s26_name(v->s26_exception));
    }
    khm_jw_key(w, "consent_id");
    khm_jw_str(w, v->consent_id[0] ? v->consent_id : NULL);
    khm_jw_key(w, "reason_code");
    khm_jw_str(w, khm_check_reason_name(v->reason));
    khm_jw_key(w, "reason");
    khm_jw_str(w, khm_check_reason_text(v->reason));
    khm_jw_key(w, "reason_th");
    khm_jw_str(w, khm_check_reason_th(v->reason));
    if (v->expires_at) {
        khm_jw_key(w, "expires_at");
        khm_jw_time(w, v->expires_at);
    }
    khm_jw_obj_end(w);
}

/* OPTIMIZATION: the members of a verdict that follow from its basis, its s.26 exception and its
 * reason are written once, by verdict_write_plain itself, and copied into each reply after
 * (the consent check's reply was a dozen escaped keys and values). */
typedef struct {
    char s[480];
    size_t n; /* 0: did not fit, write member by member */
} verdict_frag;
static verdict_frag frag_basis[KHM_BASIS__COUNT], frag_s26[KHM_S26__COUNT],
    frag_reason[KHM_CHECK__COUNT];
static pthread_once_t frags_once = PTHREAD_ONCE_INIT;

/* The members @p v gives from @p from (its first member, after the comma) up to but without
 * @p to (", and its key), or to the end of the object when @p to is NULL. */
static void frag_make(verdict_frag *f, const khm_consent_verdict *v, const char *from,
                      const char *to)
{
    char mem[4096];
    khm_buf b = KHM_BUF_INIT(sizeof(mem) - 1);
    khm_jw w;
    b.ptr = mem; /* stack buffer: never reallocated, the cap keeps us inside it */
    b.cap = sizeof(mem);
    f->n = 0;
    khm_jw_init(&w, &b);
    verdict_write_plain(&w, "", v);
    if (khm_jw_finish(&w) < 0)
        return;
    mem[b.len] = '\0';
    const char *a = strstr(mem, from), *e = a && to ? strstr(a, to) : NULL;
    if (!a || (to && !e))
        return;
    if (!to)
        e = mem + b.len - 1; /* the closing brace */
    else
        e--; /* the comma before @p to */
    if (*a != '"' || e <= a || (size_t)(e - a) >= sizeof(f->s))
        return;
    memcpy(f->s, a, (size_t)(e - a));
    f->n = (size_t)(e - a);
}

static void frags_make(void)
{
    khm_consent_verdict v = { 0 };
    for (int i = 0; i < KHM_BASIS__COUNT; i++) {
        v.basis = i;
        frag_make(&frag_basis[i], &v, "\"basis\":", "\"consent_id\":");
    }
    v.basis = KHM_BASIS_CONSENT;
    for (int i = 1; i < KHM_S26__COUNT; i++) {
        v.s26_exception = i;
        frag_make(&frag_s26[i], &v, "\"s26_exception\":", "\"consent_id\":");
    }
    v.s26_exception = 0;
    for (int i = 0; i < KHM_CHECK__COUNT; i++) {
        v.reason = i;
        frag_make(&frag_reason[i], &v, "\"reason_code\":", NULL);
    }
}

void khm_consent_verdict_write_json(khm_jw *w, const char *purpose, const khm_consent_verdict *v)
{
    pthread_once(&frags_once, frags_make);
    const verdict_frag *fb =
        v->basis >= 0 && v->basis < KHM_BASIS__COUNT ? &frag_basis[v->basis] : NULL;
    const verdict_frag *fr =
        v->reason >= 0 && v->reason < KHM_CHECK__COUNT ? &frag_reason[v->reason] : NULL;
    const verdict_frag *fs = v->s26_exception > 0 && v->s26_exception < KHM_S26__COUNT
                                 ? &frag_s26[v->s26_exception]
                                 : NULL;
    if (!fb || !fb->n || !fr || !fr->n || (v->s26_exception && (!fs || !fs->n)) || !purpose) {
        verdict_write_plain(w, purpose, v);
        return;
    }
    khm_jw_obj(w);
    if (v->allow)
        khm_jw_members(w, "\"allow\":true", 12);
    else
        khm_jw_members(w, "\"allow\":false", 13);
    khm_jw_key(w, "purpose");
    khm_jw_str(w, purpose);
    khm_jw_members(w, fb->s, fb->n);
    if (fs)
        khm_jw_members(w, fs->s, fs->n);
    if (v->consent_id[0]) {
        khm_jw_key(w, "consent_id");
        khm_jw_str(w, v->consent_id);
    } else
        khm_jw_members(w, "\"consent_id\":null", 17);
    khm_jw_members(w, fr->s, fr->n);
    if (v->expires_at) {
        khm_jw_key(w, "expires_at");
        khm_jw_time(w, v->expires_at);
    }
    khm_jw_obj_end(w);
}
