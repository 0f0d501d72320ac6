/* The breach register (PDPA s.37(4); thai-rules.md §1.7, §1.14(4)): an incident is logged with
 * the time the agency became aware of it, and from that time the 72-hour clock to notify the
 * PDPC Office runs (exact hours: the clock does not depend on time zones or calendar days). Risk
 * none: recorded, no notification due; risk: notify the Office; high: the data subjects too.
 * Every change is checked as a whole before anything is written, and writes one entry of the
 * append-only action list in the caller's transaction; the front-ends add the audit event.
 * Rules and sources: docs/pdpa/breaches.md. */
#include <khomun/breach.h>

#include <khomun/access.h>
#include <khomun/alloc.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

#include <stdio.h>
#include <string.h>

static const char *const risk_names[KHM_BREACH_RISK__COUNT] = { "none", "risk", "high" };
static const char *const risk_th[KHM_BREACH_RISK__COUNT] = {
    "ไม่มีความเสี่ยง",
    "มีความเสี่ยง",
    "มีความเสี่ยงสูง",
};
static const char *const cia_names[3] = { "confidentiality", "integrity", "availability" };

const char *khm_breach_risk_name(int risk)
{
    return risk >= 0 && risk < KHM_BREACH_RISK__COUNT ? risk_names[risk] : NULL;
}

const char *khm_breach_risk_label_th(int risk)
{
    return risk >= 0 && risk < KHM_BREACH_RISK__COUNT ? risk_th[risk] : NULL;
}

int khm_breach_risk_parse(const char *s)
{
    for (int i = 0; s && i < KHM_BREACH_RISK__COUNT; i++)
        if (strcmp(s, risk_names[i]) == 0)
            return i;
    return -1;
}

static const khm_json_field breach_fields[] = {
    { "aware_at", KHM_JSON_STRING, 1, 40, "วันเวลาที่ทราบเหตุ", 0 },
    { "cia", KHM_JSON_ARRAY, 1, 0, "ประเภทการละเมิด (C/I/A)", 0 },
    { "description", KHM_JSON_STRING, 1, 4000, "รายละเอียดเหตุการณ์", 0 },
    { "datasets", KHM_JSON_ARRAY, 0, 0, "ชุดข้อมูลที่ได้รับผลกระทบ", 1 },
    { "subject_count", KHM_JSON_INTEGER, 0, 0, "จำนวนเจ้าของข้อมูลโดยประมาณ", 1 },
    { "risk", KHM_JSON_STRING, 1, 10, "ระดับความเสี่ยง", 0 },
    { NULL },
};

int khm_breach_input_from_json(khm_breach_input *in, const json_t *body)
{
    memset(in, 0, sizeof(*in));
    int rc = khm_json_check(body, breach_fields);
    if (rc < 0)
        return rc;
    in->aware_at = khm_json_str(body, "aware_at");
    in->cia = json_object_get(body, "cia");
    in->description = khm_json_str(body, "description");
    in->datasets = json_object_get(body, "datasets");
    in->subject_count = json_object_get(body, "subject_count");
    in->risk = khm_json_str(body, "risk");
    return 0;
}

/* A time a caller gives: RFC 3339, not in the future (one minute of clock skew allowed). Runs
 * before any other field error is added: a parse error replaces the last error. */
static int parse_time(const char *field, const char *s, int64_t now, int64_t *out)
{
    if (!s || khm_time_parse(out, s, strlen(s)) < 0) {
        char why[200];
        snprintf(why, sizeof(why), "%s", s ? khm_err_last()->message : "is required");
        khm_err_clear(); /* the parse error's own message goes into the field error */
        return khm_err_field(field, "วันเวลาต้องอยู่ในรูปแบบ RFC 3339 เช่น 2026-01-31T23:30:00+07:00",
                             "%s", why);
    }
    if (*out > now + KHM_CLOCK_SKEW_MS)
        return khm_err_field(field, "วันเวลาอยู่ในอนาคตไม่ได้",
                             "is in the future (more than one minute after the server's clock)");
    return 0;
}

static int text_ok(const char *s, size_t max)
{
    return s && *s && khm_utf8_is_text(s, strlen(s), max);
}

/* Validate @p in into @p b (aware_at, cia, description, datasets, count, risk and what they
 * imply). Every bad field is named; nothing is written here. */
static int apply(khm_tx *tx, khm_breach *b, const khm_breach_input *in, int64_t now, khm_arena *a)
{
    int bad = 0, rc;
    size_t i, nds = json_array_size(in->datasets);
    /* affected datasets first: ids or names of the agency's datasets, kept as ids. The lookups
     * set (and we clear) the last error, so they run before any field error is collected. */
    int unknown[KHM_BREACH_MAX_DATASETS] = { 0 };
    khm_buf ids = KHM_BUF_INIT(64 * 1024);
    int oom = khm_buf_putc(&ids, '[') < 0;
    for (i = 0; i < nds && nds <= KHM_BREACH_MAX_DATASETS; i++) {
        const char *s = json_string_value(json_array_get(in->datasets, i));
        khm_dataset d;
        if (!s || !*s || strlen(s) > 100) {
            unknown[i] = 1;
            continue;
        }
        rc = khm_store_dataset_get(tx, &d, s, a);
        if (rc == KHM_ENOTFOUND || (rc == 0 && strcmp(d.agency_id, b->agency_id) != 0)) {
            unknown[i] = 1;
            continue;
        }
        if (rc < 0) {
            khm_buf_dispose(&ids);
            return rc;
        }
        oom |= khm_buf_printf(&ids, "%s\"%s\"", ids.len > 1 ? "," : "", d.id) < 0;
    }
    oom |= khm_buf_putc(&ids, ']') < 0;
    khm_err_clear();
    int64_t aware = 0;
    if (parse_time("aware_at", in->aware_at, now, &aware) < 0)
        bad = 1;
    else if (b->office_notified_at && aware > b->office_notified_at)
        bad = khm_err_field("aware_at", "วันเวลาที่ทราบเหตุต้องไม่หลังวันเวลาที่แจ้งสำนักงาน",
                            "is after the Office was notified (notified_at): became-aware-at "
                            "comes first");
    int cia = 0;
    json_t *v;
    json_array_foreach(in->cia, i, v)
    {
        int k;
        const char *s = json_string_value(v);
        for (k = 0; k < 3; k++)
            if (s && (strcmp(s, cia_names[k]) == 0 || (s[0] == "cia"[k] && !s[1])))
                break;
        if (k == 3) {
            bad = khm_err_field("cia",
                                "ประเภทการละเมิดต้องเป็น confidentiality, integrity หรือ availability",
                                "each item must be confidentiality, integrity or availability "
                                "(PDPC breach guideline, thai-rules.md §1.7)");
            break;
        }
        cia |= 1 << k;
    }
    if (!cia && !bad)
        bad = khm_err_field("cia", "ต้องระบุประเภทการละเมิดอย่างน้อยหนึ่งประเภท (C/I/A)",
                            "at least one of confidentiality, integrity, availability");
    if (!text_ok(in->description, 4000))
        bad = khm_err_field("description", "ต้องระบุรายละเอียดเหตุการณ์ (ไม่เกิน 4000 ตัวอักษร)",
                            "1-4000 characters without control characters are required");
    int risk = khm_breach_risk_parse(in->risk);
    if (risk < 0)
        bad = khm_err_field("risk", "ระดับความเสี่ยงต้องเป็น none, risk หรือ high",
                            "must be none (unlikely to result in a risk), risk or high (PDPA "
                            "s.37(4))");
    int64_t count = -1;
    if (in->subject_count && !json_is_null(in->subject_count)) {
        count = json_integer_value(in->subject_count);
        if (count < 0)
            bad = khm_err_field("subject_count", "จำนวนเจ้าของข้อมูลต้องไม่ติดลบ",
                                "must be 0 or more (or null when unknown)");
    }
    if (nds > KHM_BREACH_MAX_DATASETS)
        bad = khm_err_field("datasets", "ระบุชุดข้อมูลได้ไม่เกิน 50 ชุด", "at most %d datasets",
                            KHM_BREACH_MAX_DATASETS);
    for (i = 0; i < nds && nds <= KHM_BREACH_MAX_DATASETS; i++) {
        char field[32];
        const char *s = json_string_value(json_array_get(in->datasets, i));
        if (!unknown[i])
            continue;
        snprintf(field, sizeof(field), "datasets[%zu]", i);
        if (!s || !*s || strlen(s) > 100)
            bad = khm_err_field(field, "ต้องเป็นรหัสหรือชื่อของชุดข้อมูล", "must be a dataset id or name");
        else
            bad = khm_err_field(field, "ไม่พบชุดข้อมูลนี้ในหน่วยงาน",
                                "unknown dataset '%s' (no dataset of this agency has that id or "
                                "name)",
                                s);
    }
    if (bad || oom) {
        rc = oom && !bad ? khm_err_set(KHM_ENOMEM, "out of memory") : KHM_EINVALID;
        khm_buf_dispose(&ids);
        return rc;
    }
    b->datasets = khm_arena_strndup(a, ids.ptr, ids.len);
    khm_buf_dispose(&ids);
    if (!b->datasets)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    b->aware_at = aware;
    b->cia = cia;
    b->description = in->description;
    b->subject_count = count;
    b->risk = risk;
    b->office_due_at = aware + KHM_BREACH_OFFICE_MS;     /* s.37(4): within 72 h of awareness */
    b->subjects_required = risk == KHM_BREACH_RISK_HIGH; /* s.37(4): high risk → subjects */
    return 0;
}

static int action(khm_tx *tx, const khm_breach *b, const char *kind, const char *text,
                  const char *actor, int64_t now)
{
    khm_breach_action e;
    memset(&e, 0, sizeof(e));
    khm_id_new(e.id);
    memcpy(e.breach_id, b->id, KHM_ID_LEN);
    e.ts = now;
    e.actor = actor;
    e.kind = kind;
    e.text = text;
    return khm_store_breach_action_insert(tx, &e);
}

int khm_breach_create(khm_tx *tx, khm_breach *out, const khm_breach_input *in,
                      const char *agency_id, const char *actor, int64_t now, khm_arena *a)
{
    int rc;
    khm_err_clear();
    memset(out, 0, sizeof(*out));
    snprintf(out->agency_id, sizeof(out->agency_id), "%s", agency_id);
    if ((rc = apply(tx, out, in, now, a)) < 0)
        return rc;
    khm_id_new(out->id);
    out->reported_by = actor;
    out->version = 1;
    out->created_at = out->updated_at = now;
    if ((rc = khm_store_breach_insert(tx, out)) < 0)
        return rc;
    return action(tx, out, "report", NULL, actor, now);
}

static int refuse_closed(const khm_breach *b)
{
    char t[KHM_TIME_RFC3339_LEN];
    khm_time_format(t, b->closed_at);
    return khm_err_field("closed_at", "เหตุการณ์นี้ปิดแล้ว แก้ไขไม่ได้",
                         "the breach was closed at %s: it can no longer change", t);
}

static int save(khm_tx *tx, khm_breach *b, const khm_breach *n, int64_t version, int64_t now)
{
    khm_breach c = *n;
    int64_t nv;
    c.updated_at = now;
    int rc = khm_store_breach_update(tx, &c, version, &nv);
    if (rc < 0)
        return rc;
    c.version = nv;
    *b = c;
    return 0;
}

int khm_breach_update(khm_tx *tx, khm_breach *b, const khm_breach_input *in, int64_t version,
                      const char *actor, int64_t now, khm_arena *a)
{
    int rc;
    khm_err_clear();
    if (b->closed_at)
        return refuse_closed(b);
    khm_breach n = *b;
    if ((rc = apply(tx, &n, in, now, a)) < 0)
        return rc;
    if (!n.subjects_required && !n.subjects_notified_at)
        n.subjects_method = NULL;
    if ((rc = save(tx, b, &n, version, now)) < 0)
        return rc;
    return action(tx, b, "update",
                  khm_arena_printf(a, "risk %s, cia %d", khm_breach_risk_name(b->risk), b->cia),
                  actor, now);
}

int khm_breach_add_action(khm_tx *tx, khm_breach *b, const char *text, const char *actor,
                          int64_t now)
{
    khm_err_clear();
    if (!text_ok(text, 4000))
        return khm_err_field("text", "ต้องระบุการดำเนินการ (ไม่เกิน 4000 ตัวอักษร)",
                             "what was done, 1-4000 characters, is required");
    if (b->closed_at)
        return refuse_closed(b);
    int rc = save(tx, b, b, b->version, now);
    return rc < 0 ? rc : action(tx, b, "action", text, actor, now);
}

int khm_breach_notify_office(khm_tx *tx, khm_breach *b, const char *at, const char *late_reason,
                             const char *actor, int64_t now)
{
    int64_t t = now;
    int bad = 0;
    khm_err_clear();
    if (b->closed_at)
        return refuse_closed(b);
    if (b->office_notified_at)
        return khm_err_field("notified_at", "แจ้งสำนักงานไปแล้ว",
                             "the Office notification is already recorded");
    if (at && parse_time("notified_at", at, now, &t) < 0)
        bad = 1;
    else if (t < b->aware_at)
        bad = khm_err_field("notified_at", "วันเวลาที่แจ้งต้องไม่ก่อนวันเวลาที่ทราบเหตุ",
                            "is before became-aware-at (aware_at)");
    /* PDPC Notification B.E. 2565 (thai-rules.md §1.7): a late notification needs its reason */
    if (!bad && t > b->office_due_at && !text_ok(late_reason, 2000))
        bad =
            khm_err_field("late_reason", "แจ้งสำนักงานเกิน 72 ชั่วโมงหลังทราบเหตุ ต้องระบุเหตุผลของความล่าช้า",
                          "the Office is notified more than 72 hours after awareness: the "
                          "reason for the delay is required (PDPA s.37(4); PDPC Notification "
                          "B.E. 2565)");
    if (late_reason && !bad && !text_ok(late_reason, 2000))
        bad = khm_err_field("late_reason", "ไม่เกิน 2000 ตัวอักษร", "must be 1-2000 characters");
    if (bad)
        return KHM_EINVALID;
    khm_breach n = *b;
    n.office_notified_at = t;
    n.late_reason = t > b->office_due_at ? late_reason : NULL;
    int rc = save(tx, b, &n, b->version, now);
    return rc < 0 ? rc : action(tx, b, "notify_office", n.late_reason, actor, now);
}

int khm_breach_notify_subjects(khm_tx *tx, khm_breach *b, const char *at, const char *method,
                               const char *actor, int64_t now)
{
    int64_t t = now;
    int bad = 0;
    khm_err_clear();
    if (b->closed_at)
        return refuse_closed(b);
    if (b->subjects_notified_at)
        return khm_err_field("notified_at", "แจ้งเจ้าของข้อมูลไปแล้ว",
                             "the subjects' notification is already recorded");
    if (at && parse_time("notified_at", at, now, &t) < 0)
        bad = 1;
    else if (t < b->aware_at)
        bad = khm_err_field("notified_at", "วันเวลาที่แจ้งต้องไม่ก่อนวันเวลาที่ทราบเหตุ",
                            "is before became-aware-at (aware_at)");
    if (!text_ok(method, 1000))
        bad = khm_err_field("method", "ต้องระบุวิธีแจ้งเจ้าของข้อมูล เช่น SMS อีเมล จดหมาย",
                            "how the subjects were told (e.g. SMS, e-mail, letter) is required");
    if (bad)
        return KHM_EINVALID;
    khm_breach n = *b;
    n.subjects_notified_at = t;
    n.subjects_method = method;
    int rc = save(tx, b, &n, b->version, now);
    return rc < 0 ? rc : action(tx, b, "notify_subjects", method, actor, now);
}

int khm_breach_close(khm_tx *tx, khm_breach *b, const char *at, const char *reason,
                     const char *actor, int64_t now)
{
    int64_t t = now;
    int bad = 0;
    khm_err_clear();
    if (b->closed_at)
        return refuse_closed(b);
    if (at && parse_time("closed_at", at, now, &t) < 0)
        bad = 1;
    else if (t < b->aware_at)
        bad = khm_err_field("closed_at", "วันเวลาที่ปิดต้องไม่ก่อนวันเวลาที่ทราบเหตุ",
                            "is before became-aware-at (aware_at)");
    int owed = khm_breach_office_pending(b) || (b->subjects_required && !b->subjects_notified_at);
    /* s.37(4): a breach with risk must be notified; closing without a recorded notification
     * needs the reason on the record (e.g. the risk was reassessed) */
    if (owed && !text_ok(reason, 2000))
        bad = khm_err_field("reason",
                            "ยังไม่ได้แจ้งสำนักงาน (หรือเจ้าของข้อมูลกรณีความเสี่ยงสูง) ต้องระบุเหตุผลที่ปิดเรื่อง",
                            "the %s notification is not recorded: closing needs the reason "
                            "(PDPA s.37(4))",
                            khm_breach_office_pending(b) ? "Office" : "data subjects'");
    else if (reason && !text_ok(reason, 2000))
        bad = khm_err_field("reason", "ไม่เกิน 2000 ตัวอักษร", "must be 1-2000 characters");
    if (bad)
        return KHM_EINVALID;
    khm_breach n = *b;
    n.closed_at = t;
    n.close_reason = reason;
    int rc = save(tx, b, &n, b->version, now);
    return rc < 0 ? rc : action(tx, b, "close", reason, actor, now);
}

int64_t khm_breach_remaining_ms(const khm_breach *b, int64_t now)
{
    return b->office_due_at - now;
}

int khm_breach_office_pending(const khm_breach *b)
{
    return b->risk != KHM_BREACH_RISK_NONE && !b->office_notified_at && !b->closed_at;
}

void khm_breach_resource(const khm_breach *b, khm_resource *res)
{
    res->kind = KHM_RES_BREACH;
    res->id = b->id;
    res->owner_agency_id = b->agency_id;
    res->personal = 1;
}

int khm_breach_etag(const khm_breach *b, char *out, size_t n)
{
    return snprintf(out, n, "\"%lld\"", (long long)b->version);
}

int khm_breach_parse_etag(const char *if_match, int64_t *version)
{
    long long v = 0;
    char tail;
    if (!if_match || !*if_match)
        return khm_err_set(KHM_EPRECOND, "send If-Match with the breach's ETag (from GET): "
                                         "changes apply to the version you saw");
    if (strncmp(if_match, "W/", 2) == 0)
        if_match += 2;
    if (sscanf(if_match, "\"%lld\"%c", &v, &tail) != 1 || v < 1)
        return khm_err_field("If-Match", "ค่า If-Match ต้องเป็น ETag ของเหตุการณ์ เช่น \"3\"",
                             "must be the breach's ETag, e.g. \"3\"");
    *version = v;
    return 0;
}

void khm_breach_write_json(khm_jw *w, const khm_breach *b, const khm_breach_action *actions,
                           size_t n, int64_t now)
{
    char etag[32], th[96];
    khm_breach_etag(b, etag, sizeof(etag));
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, b->id);
    khm_jw_key(w, "agency_id");
    khm_jw_str(w, b->agency_id);
    khm_jw_key(w, "aware_at");
    khm_jw_time(w, b->aware_at);
    khm_jw_key(w, "reported_by");
    khm_jw_str(w, b->reported_by);
    khm_jw_key(w, "cia");
    khm_jw_arr(w);
    for (int k = 0; k < 3; k++)
        if (b->cia & (1 << k))
            khm_jw_str(w, cia_names[k]);
    khm_jw_arr_end(w);
    khm_jw_key(w, "description");
    khm_jw_str(w, b->description);
    khm_jw_key(w, "datasets");
    khm_jw_raw(w, b->datasets, strlen(b->datasets));
    khm_jw_key(w, "subject_count");
    if (b->subject_count >= 0)
        khm_jw_int(w, b->subject_count);
    else
        khm_jw_null(w);
    khm_jw_key(w, "risk");
    khm_jw_str(w, khm_breach_risk_name(b->risk));
    khm_jw_key(w, "risk_th");
    khm_jw_str(w, khm_breach_risk_label_th(b->risk));
    khm_jw_key(w, "office");
    khm_jw_obj(w);
    khm_jw_key(w, "required");
    khm_jw_bool(w, b->risk != KHM_BREACH_RISK_NONE);
    khm_jw_key(w, "due_at");
    khm_jw_time(w, b->office_due_at);
    khm_jw_key(w, "due_at_th");
    khm_jw_str(w, khm_time_format_th(th, sizeof(th), b->office_due_at) > 0 ? th : NULL);
    khm_jw_key(w, "notified_at");
    khm_jw_time(w, b->office_notified_at);
    khm_jw_key(w, "late_reason");
    khm_jw_str(w, b->late_reason);
    khm_jw_key(w, "pending");
    khm_jw_bool(w, khm_breach_office_pending(b));
    khm_jw_key(w, "remaining_ms");
    if (khm_breach_office_pending(b))
        khm_jw_int(w, khm_breach_remaining_ms(b, now));
    else
        khm_jw_null(w);
    khm_jw_key(w, "overdue");
    khm_jw_bool(w, khm_breach_office_pending(b) && now > b->office_due_at);
    khm_jw_obj_end(w);
    khm_jw_key(w, "subjects");
    khm_jw_obj(w);
    khm_jw_key(w, "required");
    khm_jw_bool(w, b->subjects_required);
    khm_jw_key(w, "status");
    khm_jw_str(w, b->subjects_notified_at ? "notified"
                  : b->subjects_required  ? "pending"
                                          : "not_required");
    khm_jw_key(w, "notified_at");
    khm_jw_time(w, b->subjects_notified_at);
    khm_jw_key(w, "method");
    khm_jw_str(w, b->subjects_method);
    khm_jw_obj_end(w);
    khm_jw_key(w, "closed_at");
    khm_jw_time(w, b->closed_at);
    khm_jw_key(w, "close_reason");
    khm_jw_str(w, b->close_reason);
    khm_jw_key(w, "version");
    khm_jw_int(w, b->version);
    khm_jw_key(w, "etag");
    khm_jw_str(w, etag);
    khm_jw_key(w, "created_at");
    khm_jw_time(w, b->created_at);
    khm_jw_key(w, "updated_at");
    khm_jw_time(w, b->updated_at);
    if (actions) {
        khm_jw_key(w, "actions");
        khm_jw_arr(w);
        for (size_t i = 0; i < n; i++)
            khm_breach_action_write_json(w, &actions[i]);
        khm_jw_arr_end(w);
    }
    khm_jw_obj_end(w);
}

void khm_breach_action_write_json(khm_jw *w, const khm_breach_action *e)
{
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, e->id);
    khm_jw_key(w, "at");
    khm_jw_time(w, e->ts);
    khm_jw_key(w, "by");
    khm_jw_str(w, e->actor);
    khm_jw_key(w, "kind");
    khm_jw_str(w, e->kind);
    khm_jw_key(w, "text");
    khm_jw_str(w, e->text);
    khm_jw_obj_end(w);
}
