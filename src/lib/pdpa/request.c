/* Data-subject requests (PDPA s.30-36, s.19 para 5; thai-rules.md §1.6, §1.14(3)): the register,
 * the statutory clocks and the status workflow. The subject is a keyed token only (HMAC-SHA-256
 * with the agency's pseudonym key over the normalised identifier): nothing here stores, logs or
 * echoes the identifier itself. Every change writes one history entry (dsr_request_event) in the
 * caller's transaction; the front-ends add the audit event. Rules and sources:
 * docs/pdpa/requests.md. */
#include <khomun/request.h>
#include <khomun/ropa.h>

#include <khomun/access.h>
#include <khomun/err.h>
#include <khomun/scan.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The deadline table: the one place the clocks are set (docs/pdpa/requests.md explains each).
 * The Act fixes only s.30's 30 days; erasure's 90 days are the PDPC's Notification B.E. 2567;
 * for the others thai-rules.md §1.6 finds no fixed period and advises 30 days as the safe
 * default. No row is extendable: §1.6 finds no extension in the Act. */
/* clang-format off */
static const khm_dsr_rule rules[KHM_DSR__COUNT] = {
    [KHM_DSR_ACCESS]        = { "access", "สิทธิขอเข้าถึงและขอรับสำเนา", "s.30", 30, 0,
                                "PDPA s.30 para 3: without delay, within 30 days of receipt (thai-rules.md §1.6)" },
    [KHM_DSR_PORTABILITY]   = { "portability", "สิทธิขอรับ/ขอให้ส่งหรือโอนข้อมูล", "s.31", 30, 0,
                                "no period in the Act; thai-rules.md §1.6 safe default of 30 days" },
    [KHM_DSR_OBJECTION]     = { "objection", "สิทธิคัดค้าน", "s.32", 30, 0,
                                "no period in the Act; thai-rules.md §1.6 safe default of 30 days" },
    [KHM_DSR_ERASURE]       = { "erasure", "สิทธิขอให้ลบ ทำลาย หรือทำให้ไม่สามารถระบุตัวตนได้", "s.33", 90, 0,
                                "PDPC Notification on erasure B.E. 2567 (in force 11 Nov 2024): within 90 days (thai-rules.md §1.6)" },
    [KHM_DSR_RESTRICTION]   = { "restriction", "สิทธิขอให้ระงับการใช้", "s.34", 30, 0,
                                "no period in the Act; thai-rules.md §1.6 safe default of 30 days" },
    [KHM_DSR_RECTIFICATION] = { "rectification", "สิทธิขอให้แก้ไข", "s.35/s.36", 30, 0,
                                "no period in the Act; thai-rules.md §1.6 safe default of 30 days" },
    [KHM_DSR_WITHDRAWAL]    = { "consent_withdrawal", "สิทธิถอนความยินยอม", "s.19 para 5", 30, 0,
                                "no period in the Act (withdrawal takes effect at once, s.19); thai-rules.md §1.6 safe default of 30 days for the request's handling" },
};
/* clang-format on */

static const char *const status_names[KHM_DSR_STATUS__COUNT] = {
    "received", "verified", "in_progress", "fulfilled", "refused",
};
static const char *const status_th[KHM_DSR_STATUS__COUNT] = {
    "รับคำขอแล้ว", "ยืนยันตัวตนแล้ว", "กำลังดำเนินการ", "ดำเนินการแล้ว", "ปฏิเสธคำขอ",
};
static const char *const channels[] = {
    "email", "web", "letter", "counter", "phone", "other", NULL
};
/* the request API's names of the identifier types it takes (khm_subject_type order) */
static const char *const subj_kinds[KHM_SUBJECT_SCANNABLE] = { "national_id", "email", "phone" };

const char *khm_dsr_subject_kind_name(int kind)
{
    return kind >= 0 && kind < KHM_SUBJECT_SCANNABLE ? subj_kinds[kind] : NULL;
}

int khm_dsr_subject_kind_parse(const char *s, const char *field, int *out)
{
    *out = KHM_SUBJECT_TNIN;
    if (!s || strcmp(s, "tnin") == 0)
        return 0;
    for (int t = 0; t < KHM_SUBJECT_SCANNABLE; t++)
        if (strcmp(s, subj_kinds[t]) == 0) {
            *out = t;
            return 0;
        }
    if (!field)
        return KHM_EINVALID;
    return khm_err_field(field, "ชนิดของตัวระบุต้องเป็น national_id, email หรือ phone",
                         "must be national_id, email or phone");
}

const khm_dsr_rule *khm_dsr_rule_of(int type)
{
    return type >= 0 && type < KHM_DSR__COUNT ? &rules[type] : NULL;
}

int khm_dsr_type_parse(const char *s)
{
    for (int i = 0; s && i < KHM_DSR__COUNT; i++)
        if (strcmp(s, rules[i].name) == 0)
            return i;
    return -1;
}

const char *khm_dsr_status_name(int status)
{
    return status >= 0 && status < KHM_DSR_STATUS__COUNT ? status_names[status] : NULL;
}

const char *khm_dsr_status_label_th(int status)
{
    return status >= 0 && status < KHM_DSR_STATUS__COUNT ? status_th[status] : NULL;
}

int khm_dsr_status_parse(const char *s)
{
    for (int i = 0; s && i < KHM_DSR_STATUS__COUNT; i++)
        if (strcmp(s, status_names[i]) == 0)
            return i;
    return -1;
}

int khm_dsr_transition_allowed(int from, int to)
{
    switch (from) {
    case KHM_DSR_RECEIVED:
        return to == KHM_DSR_VERIFIED || to == KHM_DSR_REFUSED;
    case KHM_DSR_VERIFIED:
        return to == KHM_DSR_IN_PROGRESS || to == KHM_DSR_REFUSED;
    case KHM_DSR_IN_PROGRESS:
        return to == KHM_DSR_FULFILLED || to == KHM_DSR_REFUSED;
    default:
        return 0; /* fulfilled and refused are final */
    }
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t khm_dsr_due(int64_t received_ms, int days)
{
    /* the Bangkok calendar day of receipt (Asia/Bangkok is UTC+7 all year: no DST) */
    int64_t day = floor_div(received_ms + KHM_BANGKOK_OFFSET_MS, 86400000);
    /* the day of receipt is not counted: the period ends with the last ms of day + days */
    return (day + days + 1) * 86400000 - KHM_BANGKOK_OFFSET_MS - 1;
}

void khm_dsr_filter_overdue(khm_dsr_filter *f, int64_t now)
{
    f->open_only = 1;
    f->due_from = 0;
    f->due_to = now - 1;
}

void khm_dsr_filter_due_soon(khm_dsr_filter *f, int64_t now, int days)
{
    f->open_only = 1;
    f->due_from = now;
    f->due_to = now + (int64_t)days * 86400000;
}

int khm_dsr_parse_window(const char *s, int64_t *ms, const char *field)
{
    char *end;
    long long v;
    if (s && *s >= '0' && *s <= '9') {
        v = strtoll(s, &end, 10);
        int64_t unit = 86400000;
        if (*end == 'h') {
            unit = 3600000;
            end++;
        } else if (*end == 'd') {
            end++;
        }
        if (*end == '\0' && v >= 1 && v * unit >= 3600000 && v * unit <= 366LL * 86400000) {
            *ms = v * unit;
            return 0;
        }
    }
    return khm_err_field(field, "ช่วงเวลาต้องเป็นจำนวนวันหรือชั่วโมง เช่น 7d หรือ 48h (1 ชั่วโมงถึง 366 วัน)",
                         "a window such as 7d or 48h (1 hour to 366 days) is required");
}

int khm_dsr_overdue(const khm_dsr *r, int64_t now)
{
    return r->status != KHM_DSR_FULFILLED && r->status != KHM_DSR_REFUSED && now > r->due_at;
}

/* ---- input ---- */

static const khm_json_field dsr_fields[] = {
    { "type", KHM_JSON_STRING, 1, 40, "ประเภทคำขอ", 0 },
    { "channel", KHM_JSON_STRING, 1, 20, "ช่องทางที่รับคำขอ", 0 },
    { "subject_kind", KHM_JSON_STRING, 0, 20, "ชนิดของตัวระบุเจ้าของข้อมูล", 1 },
    { "subject", KHM_JSON_STRING, 1, 254, "ตัวระบุเจ้าของข้อมูล", 0 },
    { "contact", KHM_JSON_STRING, 0, 500, "ช่องทางติดต่อกลับ", 1 },
    { "received_at", KHM_JSON_STRING, 0, 40, "วันเวลาที่รับคำขอ", 1 },
    { "assignee", KHM_JSON_STRING, 0, 64, "ผู้รับผิดชอบ", 1 },
    { "note", KHM_JSON_STRING, 0, 4000, "บันทึก", 1 },
    { NULL },
};

int khm_dsr_input_from_json(khm_dsr_input *in, const json_t *body)
{
    memset(in, 0, sizeof(*in));
    int rc = khm_json_check(body, dsr_fields);
    if (rc < 0)
        return rc;
    in->type = khm_json_str(body, "type");
    in->channel = khm_json_str(body, "channel");
    in->subject_kind = khm_json_str(body, "subject_kind");
    in->subject = khm_json_str(body, "subject");
    in->contact = khm_json_str(body, "contact");
    in->received_at = khm_json_str(body, "received_at");
    in->assignee = khm_json_str(body, "assignee");
    in->note = khm_json_str(body, "note");
    return 0;
}

/* A user of agency @p agency_id named by id or login into @p out; field error otherwise. */
static int resolve_assignee(khm_tx *tx, const char *agency_id, const char *name,
                            char out[KHM_ID_LEN], khm_arena *a)
{
    khm_user u;
    int rc = khm_store_user_get(tx, &u, name, a);
    if (rc == KHM_ENOTFOUND || (rc == 0 && strcmp(u.agency_id, agency_id) != 0)) {
        khm_err_clear();
        return khm_err_field("assignee", "ผู้รับผิดชอบต้องเป็นผู้ใช้งานของหน่วยงานนี้",
                             "'%s' is not a user of the request's agency", name);
    }
    if (rc < 0)
        return rc;
    memcpy(out, u.id, KHM_ID_LEN);
    return 0;
}

static int text_ok(const char *s, size_t max)
{
    return s && *s && khm_utf8_is_text(s, strlen(s), max);
}

static int event(khm_tx *tx, const khm_dsr *r, const char *kind, const char *from, const char *to,
                 const char *text, const char *actor, int64_t now)
{
    khm_dsr_event e;
    memset(&e, 0, sizeof(e));
    khm_id_new(e.id);
    memcpy(e.request_id, r->id, KHM_ID_LEN);
    e.ts = now;
    e.actor = actor;
    e.kind = kind;
    e.from_status = from;
    e.to_status = to;
    e.text = text;
    return khm_store_dsr_event_insert(tx, &e);
}

int khm_dsr_create(khm_tx *tx, khm_dsr *out, const khm_dsr_input *in, const khm_keys *keys,
                   const char *agency_id, const char *actor, int64_t now, khm_arena *a)
{
    int bad = 0, rc, kind = KHM_SUBJECT_TNIN;
    khm_err_clear();
    memset(out, 0, sizeof(*out));
    snprintf(out->agency_id, sizeof(out->agency_id), "%s", agency_id);
    /* the time first: a parse error replaces the last error, field errors then add to it */
    out->received_at = now;
    if (in->received_at) {
        if (khm_time_parse(&out->received_at, in->received_at, strlen(in->received_at)) < 0) {
            char why[200];
            snprintf(why, sizeof(why), "%s", khm_err_last()->message);
            khm_err_clear();
            bad = khm_err_field("received_at",
                                "วันเวลาต้องอยู่ในรูปแบบ RFC 3339 เช่น 2026-01-31T23:30:00+07:00", "%s",
                                why);
        } else if (out->received_at > now + 60000) {
            bad = khm_err_field("received_at", "วันเวลาที่รับคำขออยู่ในอนาคตไม่ได้",
                                "is in the future (more than one minute after the server's clock)");
        }
    }
    if ((out->type = khm_dsr_type_parse(in->type)) < 0)
        bad =
            khm_err_field("type",
                          "ประเภทคำขอต้องเป็น access, portability, objection, erasure, restriction, "
                          "rectification หรือ consent_withdrawal",
                          "must be access (s.30), portability (s.31), objection (s.32), erasure "
                          "(s.33), restriction (s.34), rectification (s.35/36) or "
                          "consent_withdrawal (s.19)");
    out->channel = NULL;
    for (size_t i = 0; in->channel && channels[i]; i++)
        if (strcmp(in->channel, channels[i]) == 0)
            out->channel = channels[i];
    if (!out->channel)
        bad = khm_err_field("channel", "ช่องทางต้องเป็น email, web, letter, counter, phone หรือ other",
                            "must be email, web, letter, counter, phone or other");
    if (khm_dsr_subject_kind_parse(in->subject_kind, "subject_kind", &kind) < 0)
        bad = 1;
    else if ((rc = khm_subject_token(out->subject, keys, agency_id, kind, in->subject, "subject")) <
             0)
        bad = 1;
    out->subject_kind = kind;
    if (in->contact && *in->contact && !khm_utf8_is_text(in->contact, strlen(in->contact), 500))
        bad = khm_err_field("contact", "ช่องทางติดต่อยาวไม่เกิน 500 ตัวอักษร",
                            "must be 1-500 characters without control characters");
    if (in->note && *in->note && !text_ok(in->note, 4000))
        bad = khm_err_field("note", "บันทึกยาว 1–4000 ตัวอักษร", "must be 1-4000 characters");
    if (!bad && in->assignee && *in->assignee &&
        (rc = resolve_assignee(tx, agency_id, in->assignee, out->assignee, a)) < 0) {
        if (rc != KHM_EINVALID)
            return rc;
        bad = 1;
    }
    if (bad)
        return KHM_EINVALID;
    khm_id_new(out->id);
    out->contact = in->contact && *in->contact ? in->contact : NULL;
    out->due_at = khm_dsr_due(out->received_at, rules[out->type].days);
    out->status = KHM_DSR_RECEIVED;
    out->verification = "unverified";
    out->version = 1;
    out->created_by = actor;
    out->created_at = out->updated_at = now;
    if ((rc = khm_store_dsr_insert(tx, out)) < 0 ||
        (rc = event(tx, out, "create", NULL, "received", in->note, actor, now)) < 0)
        return rc;
    return 0;
}

static const khm_json_field transition_fields[] = {
    { "to", KHM_JSON_STRING, 0, 20, "สถานะใหม่", 1 },
    { "method", KHM_JSON_STRING, 0, 500, "วิธียืนยันตัวตน", 1 },
    { "verification", KHM_JSON_STRING, 0, 20, "ผลการยืนยันตัวตน", 1 },
    { "reason", KHM_JSON_STRING, 0, 2000, "เหตุผลการปฏิเสธ", 1 },
    { "legal_ground", KHM_JSON_STRING, 0, 200, "ฐานทางกฎหมายของการปฏิเสธ", 1 },
    { "assignee", KHM_JSON_STRING, 0, 64, "ผู้รับผิดชอบ", 1 },
    { "note", KHM_JSON_STRING, 0, 4000, "บันทึก", 1 },
    { "ropa_activity", KHM_JSON_STRING, 0, 64, "กิจกรรมในบันทึกรายการ (มาตรา 39)", 1 },
    { NULL },
};

int khm_dsr_transition_input_from_json(khm_dsr_transition_input *in, const json_t *body)
{
    memset(in, 0, sizeof(*in));
    int rc = khm_json_check(body, transition_fields);
    if (rc < 0)
        return rc;
    in->to = khm_json_str(body, "to");
    in->method = khm_json_str(body, "method");
    in->verification = khm_json_str(body, "verification");
    in->reason = khm_json_str(body, "reason");
    in->legal_ground = khm_json_str(body, "legal_ground");
    in->assignee = khm_json_str(body, "assignee");
    in->note = khm_json_str(body, "note");
    in->ropa_activity = khm_json_str(body, "ropa_activity");
    return 0;
}

/* The agency's processing activity named by id or code (in the record, not deleted) into @p out:
 * 1 found, 0 not (no error set: the caller names the field), < 0 a store error. */
static int find_activity(khm_tx *tx, const char *agency_id, const char *name, khm_ropa_row *out,
                         khm_arena *a)
{
    int rc;
    if (khm_id_valid(name, strlen(name))) {
        if ((rc = khm_store_ropa_get(tx, out, name, a)) == KHM_ENOTFOUND) {
            khm_err_clear();
            return 0;
        }
        return rc < 0 ? rc : strcmp(out->agency_id, agency_id) == 0 && !out->deleted_at;
    }
    khm_page page = { NULL, KHM_PAGE_MAX };
    char last[KHM_ID_LEN];
    for (int more = 1; more;) {
        khm_ropa_row *rows;
        size_t n;
        if ((rc = khm_store_ropa_list(tx, &rows, &n, &more, agency_id, &page, a)) < 0)
            return rc;
        for (size_t i = 0; i < n; i++)
            if (!rows[i].deleted_at && rows[i].code && strcmp(rows[i].code, name) == 0) {
                *out = rows[i];
                return 1;
            }
        if (!n)
            break;
        memcpy(last, rows[n - 1].id, KHM_ID_LEN);
        page.after = last;
    }
    return 0;
}

/* A legal ground names a section: "s.30 para 2", "มาตรา 33", "PDPA s.24(4)". */
static int names_section(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((p[0] == 's' && p[1] == '.' && p[2] >= '0' && p[2] <= '9') ||
            strncmp(p, "มาตรา", strlen("มาตรา")) == 0)
            return 1;
    return 0;
}

int khm_dsr_transition(khm_tx *tx, khm_dsr *r, const khm_dsr_transition_input *in,
                       const char *actor, int64_t now, khm_arena *a)
{
    int bad = 0, rc, to = -1;
    khm_err_clear();
    const char *from = khm_dsr_status_name(r->status);
    if (!in->to && !(in->assignee && *in->assignee))
        return khm_err_field("to", "ต้องระบุสถานะใหม่ (หรือผู้รับผิดชอบ)",
                             "a new status (or an assignee) is required");
    if (in->to && (to = khm_dsr_status_parse(in->to)) < 0)
        return khm_err_field("to",
                             "สถานะต้องเป็น received, verified, in_progress, fulfilled หรือ refused",
                             "unknown status '%s' (received, verified, in_progress, fulfilled, "
                             "refused)",
                             in->to);
    if (to >= 0 && !khm_dsr_transition_allowed(r->status, to))
        return khm_err_field(
            "to", "เปลี่ยนสถานะคำขอจากสถานะปัจจุบันไปเป็นสถานะนี้ไม่ได้",
            "a request cannot go from '%s' to '%s' (received → verified → in_progress → "
            "fulfilled | refused; fulfilled and refused are final)",
            from, in->to);
    if (to < 0 && (r->status == KHM_DSR_FULFILLED || r->status == KHM_DSR_REFUSED))
        return khm_err_field("assignee", "คำขอที่ปิดแล้วเปลี่ยนผู้รับผิดชอบไม่ได้",
                             "the request is %s: it can no longer be assigned", from);
    /* the store first: a lookup that finds nothing would clear field errors made before it */
    khm_ropa_row act;
    int act_found = 0;
    if (in->ropa_activity && *in->ropa_activity && to == KHM_DSR_REFUSED &&
        (act_found = find_activity(tx, r->agency_id, in->ropa_activity, &act, a)) < 0)
        return act_found;
    khm_err_clear();
    khm_dsr n = *r;
    if (to == KHM_DSR_VERIFIED) {
        if (!text_ok(in->method, 500))
            bad = khm_err_field("method", "ต้องระบุวิธียืนยันตัวตน เช่น ตรวจบัตรประชาชนที่เคาน์เตอร์",
                                "how the identity was verified is required (e.g. \"ID card "
                                "checked at the counter\")");
        n.verification = "verified";
        n.verify_method = in->method;
    } else if (in->method) {
        bad = khm_err_field("method", "ระบุวิธียืนยันตัวตนได้เมื่อเปลี่ยนเป็น verified เท่านั้น",
                            "is only given with \"to\": \"verified\"");
    }
    if (to == KHM_DSR_REFUSED) {
        /* thai-rules.md §1.6, §1.14(3): a refusal is recorded with its reasons (s.30 para 2,
         * s.39(7)); the ground names the section that allows it */
        if (!text_ok(in->reason, 2000))
            bad = khm_err_field("reason", "ต้องระบุเหตุผลของการปฏิเสธ (ไม่เกิน 2000 ตัวอักษร)",
                                "a refusal needs its reason (1-2000 characters; PDPA s.30 para 2, "
                                "s.39(7))");
        if (!text_ok(in->legal_ground, 200) || !names_section(in->legal_ground))
            bad = khm_err_field("legal_ground",
                                "ต้องระบุฐานทางกฎหมายที่อ้างมาตรา เช่น s.30 para 2 หรือ มาตรา 33",
                                "a refusal needs the legal ground naming its section, e.g. "
                                "\"s.30 para 2\" or \"s.33 para 1 exception\"");
        if (in->verification) {
            if (strcmp(in->verification, "failed") != 0)
                bad = khm_err_field("verification", "ระบุได้เฉพาะ failed (ยืนยันตัวตนไม่สำเร็จ)",
                                    "only \"failed\" (the identity could not be verified)");
            else if (r->status != KHM_DSR_RECEIVED)
                bad = khm_err_field("verification", "คำขอนี้ยืนยันตัวตนแล้ว",
                                    "the identity was already verified");
            else
                n.verification = "failed";
        }
        n.refusal_reason = in->reason;
        n.refusal_ground = in->legal_ground;
        if (in->ropa_activity && *in->ropa_activity) {
            if (!act_found)
                bad = khm_err_field("ropa_activity",
                                    "ไม่พบกิจกรรมนี้ในบันทึกรายการของหน่วยงาน (ระบุรหัสหรือ id)",
                                    "no processing activity with this id or code in the agency's "
                                    "record (s.39)");
            else if (!khm_ropa_request_section(khm_dsr_rule_of(r->type)->name))
                bad = khm_err_field("ropa_activity",
                                    "การปฏิเสธคำขอประเภทนี้ไม่ต้องบันทึกในบันทึกรายการตามมาตรา 39",
                                    "s.39(7) records refused requests of ss.30-36; a %s request is "
                                    "not one",
                                    khm_dsr_rule_of(r->type)->name);
        }
    } else if (in->reason || in->legal_ground || in->verification || in->ropa_activity) {
        bad = khm_err_field(in->reason         ? "reason"
                            : in->legal_ground ? "legal_ground"
                            : in->verification ? "verification"
                                               : "ropa_activity",
                            "ระบุได้เมื่อปฏิเสธคำขอเท่านั้น", "is only given with \"to\": \"refused\"");
    }
    if (in->note && !text_ok(in->note, 4000))
        bad = khm_err_field("note", "บันทึกยาว 1–4000 ตัวอักษร", "must be 1-4000 characters");
    if (!bad && in->assignee && *in->assignee &&
        (rc = resolve_assignee(tx, r->agency_id, in->assignee, n.assignee, a)) < 0) {
        if (rc != KHM_EINVALID)
            return rc;
        bad = 1;
    }
    if (bad)
        return KHM_EINVALID;
    if (to >= 0)
        n.status = to;
    if (to == KHM_DSR_FULFILLED || to == KHM_DSR_REFUSED)
        n.closed_at = now;
    n.updated_at = now;
    int64_t nv;
    if ((rc = khm_store_dsr_update(tx, &n, r->version, &nv)) < 0)
        return rc;
    n.version = nv;
    if (to >= 0) {
        const char *text = to == KHM_DSR_REFUSED
                               ? khm_arena_printf(a, "%s (%s)%s%s", in->reason, in->legal_ground,
                                                  in->note ? " — " : "", in->note ? in->note : "")
                           : to == KHM_DSR_VERIFIED
                               ? khm_arena_printf(a, "identity verified: %s%s%s", in->method,
                                                  in->note ? " — " : "", in->note ? in->note : "")
                               : in->note;
        if ((rc = event(tx, &n, "transition", from, in->to, text, actor, now)) < 0)
            return rc;
    }
    if (act_found) {
        /* s.39(7): the refusal goes into the record of processing, linked to this request */
        char at[KHM_TIME_RFC3339_LEN];
        khm_ropa_refusal ref;
        khm_time_format(at, now);
        json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "refused_at", at, "request_type",
                                 khm_dsr_rule_of(n.type)->name, "reason", in->reason,
                                 "legal_ground", in->legal_ground, "request_id", n.id);
        if (!body)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        rc = khm_ropa_refusal_add(tx, &ref, &act, body, actor, now, a);
        json_decref(body);
        if (rc < 0)
            return rc;
    }
    if (strcmp(n.assignee, r->assignee) != 0 &&
        (rc = event(tx, &n, "assign", NULL, NULL, n.assignee, actor, now)) < 0)
        return rc;
    if (to < 0 && in->note && (rc = event(tx, &n, "note", NULL, NULL, in->note, actor, now)) < 0)
        return rc;
    *r = n;
    return 0;
}

int khm_dsr_note(khm_tx *tx, khm_dsr *r, const char *text, const char *actor, int64_t now)
{
    khm_err_clear();
    if (!text_ok(text, 4000))
        return khm_err_field("text", "บันทึกยาว 1–4000 ตัวอักษร",
                             "a note of 1-4000 characters is required");
    /* notes are append-only: a new history entry; the request's version moves on too, so a
     * reader holding the old version sees that something changed */
    khm_dsr n = *r;
    int64_t nv;
    int rc;
    n.updated_at = now;
    if ((rc = khm_store_dsr_update(tx, &n, r->version, &nv)) < 0)
        return rc;
    n.version = nv;
    if ((rc = event(tx, &n, "note", NULL, NULL, text, actor, now)) < 0)
        return rc;
    *r = n;
    return 0;
}

void khm_dsr_resource(const khm_dsr *r, khm_resource *res)
{
    res->kind = KHM_RES_REQUEST;
    res->id = r->id;
    res->owner_agency_id = r->agency_id;
    res->personal = 1; /* a request is about a person */
}

void khm_dsr_write_json(khm_jw *w, const khm_dsr *r, const khm_dsr_event *history, size_t n,
                        int64_t now)
{
    const khm_dsr_rule *rule = khm_dsr_rule_of(r->type);
    char th[96];
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, r->id);
    khm_jw_key(w, "agency_id");
    khm_jw_str(w, r->agency_id);
    khm_jw_key(w, "type");
    khm_jw_str(w, rule->name);
    khm_jw_key(w, "type_th");
    khm_jw_str(w, rule->label_th);
    khm_jw_key(w, "section");
    khm_jw_str(w, rule->section);
    khm_jw_key(w, "channel");
    khm_jw_str(w, r->channel);
    khm_jw_key(w, "subject");
    khm_jw_obj(w);
    khm_jw_key(w, "kind");
    khm_jw_str(w, khm_dsr_subject_kind_name(r->subject_kind));
    khm_jw_key(w, "token");
    khm_jw_str(w, r->subject);
    khm_jw_obj_end(w);
    khm_jw_key(w, "contact");
    khm_jw_str(w, r->contact);
    khm_jw_key(w, "received_at");
    khm_jw_time(w, r->received_at);
    khm_jw_key(w, "due_at");
    khm_jw_time(w, r->due_at);
    khm_jw_key(w, "due_at_th");
    khm_jw_str(w, khm_time_format_th(th, sizeof(th), r->due_at) > 0 ? th : NULL);
    khm_jw_key(w, "deadline");
    khm_jw_obj(w);
    khm_jw_key(w, "days");
    khm_jw_int(w, rule->days);
    khm_jw_key(w, "extendable");
    khm_jw_bool(w, rule->extendable);
    khm_jw_key(w, "source");
    khm_jw_str(w, rule->source);
    khm_jw_obj_end(w);
    khm_jw_key(w, "overdue");
    khm_jw_bool(w, khm_dsr_overdue(r, now));
    khm_jw_key(w, "remaining_ms");
    if (r->closed_at)
        khm_jw_null(w);
    else
        khm_jw_int(w, r->due_at - now);
    khm_jw_key(w, "status");
    khm_jw_str(w, khm_dsr_status_name(r->status));
    khm_jw_key(w, "status_th");
    khm_jw_str(w, khm_dsr_status_label_th(r->status));
    khm_jw_key(w, "verification");
    khm_jw_obj(w);
    khm_jw_key(w, "state");
    khm_jw_str(w, r->verification);
    khm_jw_key(w, "method");
    khm_jw_str(w, r->verify_method);
    khm_jw_obj_end(w);
    khm_jw_key(w, "assignee_user_id");
    khm_jw_str(w, r->assignee[0] ? r->assignee : NULL);
    khm_jw_key(w, "refusal");
    if (r->status == KHM_DSR_REFUSED) {
        khm_jw_obj(w);
        khm_jw_key(w, "reason");
        khm_jw_str(w, r->refusal_reason);
        khm_jw_key(w, "legal_ground");
        khm_jw_str(w, r->refusal_ground);
        khm_jw_obj_end(w);
    } else {
        khm_jw_null(w);
    }
    khm_jw_key(w, "package");
    if (r->package)
        khm_jw_raw(w, r->package, strlen(r->package));
    else
        khm_jw_null(w);
    khm_jw_key(w, "version");
    khm_jw_int(w, r->version);
    khm_jw_key(w, "created_by");
    khm_jw_str(w, r->created_by);
    khm_jw_key(w, "created_at");
    khm_jw_time(w, r->created_at);
    khm_jw_key(w, "updated_at");
    khm_jw_time(w, r->updated_at);
    khm_jw_key(w, "closed_at");
    khm_jw_time(w, r->closed_at);
    if (history) {
        khm_jw_key(w, "history");
        khm_jw_arr(w);
        for (size_t i = 0; i < n; i++)
            khm_dsr_event_write_json(w, &history[i]);
        khm_jw_arr_end(w);
    }
    khm_jw_obj_end(w);
}

void khm_dsr_event_write_json(khm_jw *w, const khm_dsr_event *e)
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
    khm_jw_key(w, "from");
    khm_jw_str(w, e->from_status);
    khm_jw_key(w, "to");
    khm_jw_str(w, e->to_status);
    khm_jw_key(w, "text");
    khm_jw_str(w, e->text);
    khm_jw_obj_end(w);
}
