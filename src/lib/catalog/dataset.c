/* Datasets (ชุดข้อมูล): an agency's register of the data it holds, with the GD-Catalog metadata
 * Thai agencies already fill in (thai-rules.md §3; validated by the field table of
 * gdc_schema.c), who owns it, and its classification — data category and level (§2.2–2.3),
 * C/I/A impact (§2.6) — with the history of every change to it. Every change names the version
 * it applies to (the API's ETag), so two editors, or two servers on one database, never lose
 * each other's work. The HTTP handlers and the CLI are thin over these functions. */
#include <khomun/catalog.h>

#include <khomun/access.h>
#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/gdc.h>
#include <khomun/json.h>
#include <khomun/policy.h>
#include <khomun/quality.h>
#include <khomun/rand.h>
#include <khomun/segment.h>
#include <khomun/utf8.h>

#include <stdio.h>
#include <string.h>

static const khm_json_field dataset_fields[] = {
    { "name", KHM_JSON_STRING, 0, 100, "ชื่อ URL ของชุดข้อมูล", 0 },
    { "agency", KHM_JSON_STRING, 0, 64, "หน่วยงานเจ้าของชุดข้อมูล", 0 },
    { "owner", KHM_JSON_STRING, 0, 64, "เจ้าของข้อมูล", 1 },
    { "title_en", KHM_JSON_STRING, 0, 500, "ชื่อชุดข้อมูล (ภาษาอังกฤษ)", 1 },
    { "metadata", KHM_JSON_OBJECT, 1, 0, "คำอธิบายชุดข้อมูลตามมาตรฐาน GD-Catalog", 0 },
    { NULL },
};

int khm_dataset_input_from_json(khm_dataset_input *in, const json_t *body)
{
    memset(in, 0, sizeof(*in));
    int rc = khm_json_check(body, dataset_fields);
    if (rc < 0)
        return rc;
    in->slug = khm_json_str(body, "name");
    in->agency = khm_json_str(body, "agency");
    in->owner = khm_json_str(body, "owner");
    in->title_en = khm_json_str(body, "title_en");
    in->metadata = json_object_get(body, "metadata");
    return 0;
}

/* ^[a-z0-9][a-z0-9_-]{1,99}$ — CKAN's dataset name */
static int slug_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 100)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (i > 0 && (c == '-' || c == '_'))))
            return 0;
    }
    return 1;
}

int khm_dataset_category_named(const char *s)
{
    for (int i = 0; s && i < KHM_CAT__COUNT; i++)
        if (strcmp(s, khm_category_name(i)) == 0 || strcmp(s, khm_category_label_th(i)) == 0)
            return i;
    return -1;
}

int khm_dataset_level_named(const char *s)
{
    for (int i = 0; s && i < KHM_LEVEL__COUNT; i++)
        if (strcmp(s, khm_level_name(i)) == 0 || strcmp(s, khm_level_label_th(i)) == 0)
            return i;
    return -1;
}

int khm_dataset_level_of(int category, int level_given)
{
    if (level_given >= 0)
        return level_given;
    /* thai-rules.md §2.3: the two categories with one permitted level imply it */
    if (category == KHM_CAT_PUBLIC)
        return KHM_LEVEL_PUBLIC;
    if (category == KHM_CAT_INTERNAL)
        return KHM_LEVEL_INTERNAL;
    return -1;
}

/* Category and level from the metadata (data_category, data_classification); field errors
 * when the combination is not allowed or the level cannot be implied. */
static int classify_from_meta(const json_t *meta, int *category, int *level)
{
    const char *cat = json_string_value(json_object_get(meta, "data_category"));
    const char *lev = json_string_value(json_object_get(meta, "data_classification"));
    int c = khm_dataset_category_named(cat), l = lev ? khm_dataset_level_named(lev) : -1;
    *category = *level = -1;
    if (c < 0 || (lev && l < 0))
        return KHM_EINVALID; /* khm_gdc_validate() named it */
    l = khm_dataset_level_of(c, l);
    if (l < 0)
        return khm_err_field("metadata.data_classification",
                             "ต้องระบุระดับชั้นข้อมูลสำหรับหมวดหมู่นี้ (ชั้นเผยแพร่ภายในองค์กร ลับ ลับมาก "
                             "หรือ ลับที่สุด ตามหมวดหมู่)",
                             "Data Classification (ระดับชั้นข้อมูล) is required for the category "
                             "'%s': choose the level (thai-rules.md §2.3)",
                             cat);
    if (!khm_gdc_level_allowed(c, l))
        return khm_err_field("metadata.data_classification", "ระดับชั้นข้อมูลนี้ใช้กับหมวดหมู่ข้อมูลนี้ไม่ได้",
                             "'%s' is not allowed for the Data Category '%s' (thai-rules.md §2.3)",
                             lev ? lev : khm_level_label_th(l), cat);
    *category = c;
    *level = l;
    return 0;
}

/* Resolve the owner (a user of the dataset's agency, by id or name) into d->owner_user. */
static int set_owner(khm_tx *tx, khm_dataset *d, const char *owner, khm_arena *a)
{
    khm_user u;
    d->owner_user[0] = '\0';
    if (!owner || !*owner)
        return 0;
    int rc = khm_store_user_get(tx, &u, owner, a);
    if (rc == KHM_ENOTFOUND || (rc == 0 && strcmp(u.agency_id, d->agency_id) != 0)) {
        khm_err_clear();
        return khm_err_field("owner", "เจ้าของข้อมูลต้องเป็นผู้ใช้งานของหน่วยงานเจ้าของชุดข้อมูล",
                             "'%s' is not a user of the dataset's agency", owner);
    }
    if (rc < 0)
        return rc;
    memcpy(d->owner_user, u.id, KHM_ID_LEN);
    return 0;
}

/* Validate the metadata and fill what the dataset's columns hold. */
static int apply_input(khm_tx *tx, khm_dataset *d, const khm_dataset_input *in, khm_arena *a)
{
    int bad = 0, rc;
    /* the field table first: khm_gdc_validate() starts from no error */
    if (!in->metadata || khm_gdc_validate(in->metadata, "metadata.") < 0)
        bad = 1;
    else if (classify_from_meta(in->metadata, &d->category, &d->level) < 0)
        bad = 1;
    if (in->title_en && *in->title_en && !khm_utf8_is_text(in->title_en, strlen(in->title_en), 500))
        bad = khm_err_field("title_en", "ชื่อชุดข้อมูล (ภาษาอังกฤษ) ยาวไม่เกิน 500 ตัวอักษร",
                            "must be 1-500 characters without control characters");
    if (!bad && (rc = set_owner(tx, d, in->owner, a)) < 0) {
        if (rc != KHM_EINVALID)
            return rc;
        bad = 1;
    }
    if (bad)
        return KHM_EINVALID;
    size_t n;
    char *meta = khm_json_dump(in->metadata, &n);
    if (!meta)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    d->metadata = khm_arena_strdup(a, meta);
    khm_free(meta);
    d->title = khm_arena_strdup(a, json_string_value(json_object_get(in->metadata, "title")));
    d->data_type =
        khm_arena_strdup(a, json_string_value(json_object_get(in->metadata, "data_type")));
    d->title_en = in->title_en && *in->title_en ? khm_arena_strdup(a, in->title_en) : NULL;
    if (!d->metadata || !d->title || !d->data_type)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

/* "c,i,a": three impacts (thai-rules.md §2.6: low, medium, high; Thai names too) */
static int cia_ok(const char *s)
{
    char part[32];
    int n = 0;
    for (const char *p = s;; p++) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int v;
        if (len == 0 || len >= sizeof(part))
            return 0;
        memcpy(part, p, len);
        part[len] = '\0';
        if (khm_gdc_impact_parse(part, &v, NULL) < 0) {
            khm_err_clear();
            return 0;
        }
        n++;
        if (!e)
            break;
        p = e;
    }
    return n == 3;
}

static int history(khm_tx *tx, const khm_dataset *d, const char *kind, int from_cat, int from_lev,
                   const char *actor, const char *reason, int64_t now)
{
    khm_dataset_class e;
    memset(&e, 0, sizeof(e));
    khm_id_new(e.id);
    memcpy(e.dataset_id, d->id, KHM_ID_LEN);
    e.ts = now;
    if (actor)
        snprintf(e.actor_user, sizeof(e.actor_user), "%s", actor);
    e.kind = kind;
    e.from_category = from_cat;
    e.from_level = from_lev;
    e.to_category = d->category;
    e.to_level = d->level;
    e.cia = d->cia;
    e.reason = reason;
    return khm_store_dataset_class_insert(tx, &e);
}

/* Copy the field errors of the last error into p->err from index p->n_in + p->n_name on; how
 * many were added, or -1 out of memory. */
static long keep_fields(khm_dataset_prep *p, khm_arena *a)
{
    size_t nf, base = p->n_in + p->n_name;
    const khm_field_error *fe = khm_err_fields(&nf);
    if (!nf)
        return 0;
    khm_dataset_prep_err *ne = khm_arena_alloc(a, (base + nf) * sizeof(*ne));
    if (!ne)
        return -1;
    if (base)
        memcpy(ne, p->err, base * sizeof(*ne));
    for (size_t i = 0; i < nf; i++) {
        ne[base + i].field = khm_arena_strdup(a, fe[i].field);
        ne[base + i].message = khm_arena_strdup(a, fe[i].message);
        ne[base + i].message_th = khm_arena_strdup(a, fe[i].message_th);
        if (!ne[base + i].field || !ne[base + i].message || !ne[base + i].message_th)
            return -1;
    }
    p->err = ne;
    return (long)nf;
}

static int prep_fail(khm_dataset_prep *p, khm_arena *a)
{
    p->rc = khm_err_last()->code ? khm_err_last()->code : KHM_ENOMEM;
    p->fail_msg = khm_arena_strdup(a, khm_err_last()->message);
    if (!p->fail_msg)
        p->fail_msg = "out of memory";
    khm_err_clear();
    return p->rc;
}

int khm_dataset_prepare(khm_dataset_prep *p, const khm_dataset_input *in, khm_arena *a)
{
    long k;
    memset(p, 0, sizeof(*p));
    p->category = p->level = -1;
    khm_err_clear();
    /* apply_input's checks before the owner's, in its order */
    if (!in->metadata || khm_gdc_validate(in->metadata, "metadata.") < 0)
        p->in_bad = 1;
    else if (classify_from_meta(in->metadata, &p->category, &p->level) < 0)
        p->in_bad = 1;
    if (in->title_en && *in->title_en && !khm_utf8_is_text(in->title_en, strlen(in->title_en), 500))
        p->in_bad = khm_err_field("title_en", "ชื่อชุดข้อมูล (ภาษาอังกฤษ) ยาวไม่เกิน 500 ตัวอักษร",
                                  "must be 1-500 characters without control characters") != 0;
    if ((k = keep_fields(p, a)) < 0) {
        khm_err_set(KHM_ENOMEM, "out of memory");
        return prep_fail(p, a);
    }
    p->n_in = (size_t)k;
    khm_err_clear();
    if (!p->in_bad) {
        size_t n;
        char *meta = khm_json_dump(in->metadata, &n);
        if (!meta) {
            khm_err_set(KHM_ENOMEM, "out of memory");
            return prep_fail(p, a);
        }
        p->metadata = khm_arena_strdup(a, meta);
        khm_free(meta);
        p->title = khm_arena_strdup(a, json_string_value(json_object_get(in->metadata, "title")));
        p->data_type =
            khm_arena_strdup(a, json_string_value(json_object_get(in->metadata, "data_type")));
        p->title_en = in->title_en && *in->title_en ? khm_arena_strdup(a, in->title_en) : NULL;
        if (!p->metadata || !p->title || !p->data_type) {
            khm_err_set(KHM_ENOMEM, "out of memory");
            return prep_fail(p, a);
        }
    }
    /* then the name's */
    if (!in->slug || !*in->slug)
        p->name_bad = khm_err_field("name", "ต้องระบุชื่อ URL ของชุดข้อมูล", "is required") != 0;
    else if (!slug_ok(in->slug))
        p->name_bad =
            khm_err_field("name", "ชื่อ URL ต้องเป็นตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข - หรือ _ ยาว 2–100 ตัว",
                          "must match ^[a-z0-9][a-z0-9_-]{1,99}$") != 0;
    if ((k = keep_fields(p, a)) < 0) {
        khm_err_set(KHM_ENOMEM, "out of memory");
        return prep_fail(p, a);
    }
    p->n_name = (size_t)k;
    khm_err_clear();
    return 0;
}

static void replay(const khm_dataset_prep_err *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        khm_err_field(e[i].field, e[i].message_th, "%s", e[i].message);
}

int khm_dataset_create_prepared(khm_tx *tx, khm_dataset *out, const khm_dataset_input *in,
                                const khm_dataset_prep *p, const char *agency_id, const char *actor,
                                int64_t now, khm_arena *a)
{
    int rc = 0;
    khm_err_clear();
    memset(out, 0, sizeof(*out));
    if (p->rc < 0)
        return khm_err_set(p->rc, "%s", p->fail_msg);
    snprintf(out->agency_id, sizeof(out->agency_id), "%s", agency_id);
    /* apply_input: the input's errors, else the owner's */
    replay(p->err, p->n_in);
    if (!p->in_bad && (rc = set_owner(tx, out, in->owner, a)) < 0 && rc != KHM_EINVALID)
        return rc;
    if (p->n_name) /* (p->err is NULL when there are none: no offset from it) */
        replay(p->err + p->n_in, p->n_name);
    if (p->in_bad || p->name_bad || rc < 0)
        return KHM_EINVALID;
    out->category = p->category;
    out->level = p->level;
    out->metadata = p->metadata;
    out->title = p->title;
    out->data_type = p->data_type;
    out->title_en = p->title_en;
    khm_id_new(out->id);
    out->slug = in->slug;
    out->version = 1;
    out->confirmed = 0;
    if (actor)
        snprintf(out->created_by, sizeof(out->created_by), "%s", actor);
    out->created_at = out->updated_at = now;
    if ((rc = khm_store_dataset_insert_parsed(tx, out, in->metadata)) < 0)
        return rc;
    return history(tx, out, "create", -1, -1, actor, NULL, now);
}

int khm_dataset_create(khm_tx *tx, khm_dataset *out, const khm_dataset_input *in,
                       const char *agency_id, const char *actor, int64_t now, khm_arena *a)
{
    khm_dataset_prep p;
    khm_dataset_prepare(&p, in, a);
    return khm_dataset_create_prepared(tx, out, in, &p, agency_id, actor, now, a);
}

int khm_dataset_update(khm_tx *tx, khm_dataset *d, const khm_dataset_input *in, int64_t version,
                       const char *actor, int64_t now, khm_arena *a)
{
    int from_cat = d->category, from_lev = d->level, rc;
    khm_err_clear();
    if (in->slug && strcmp(in->slug, d->slug) != 0)
        return khm_err_field("name", "เปลี่ยนชื่อ URL ของชุดข้อมูลไม่ได้",
                             "cannot be changed (it is the dataset's address)");
    if (in->agency && strcmp(in->agency, d->agency_id) != 0)
        return khm_err_field("agency", "เปลี่ยนหน่วยงานเจ้าของชุดข้อมูลไม่ได้",
                             "cannot be changed: the dataset stays with its agency");
    if ((rc = apply_input(tx, d, in, a)) < 0) /* (it starts from no error) */
        return rc;
    /* a changed category or level is a new classification the owner must confirm again */
    if (d->category != from_cat || d->level != from_lev)
        d->confirmed = 0;
    d->updated_at = now;
    int64_t nv;
    if ((rc = khm_store_dataset_update(tx, d, version, &nv)) < 0)
        return rc;
    d->version = nv;
    /* the declared update frequency may have changed: timeliness, so the stored score */
    if (d->quality_at && (rc = khm_quality_refresh(tx, d, now)) < 0)
        return rc;
    if (d->category != from_cat || d->level != from_lev)
        return history(tx, d, "update", from_cat, from_lev, actor, NULL, now);
    return 0;
}

int khm_dataset_confirm(khm_tx *tx, khm_dataset *d, const khm_dataset_confirm_input *in,
                        int64_t version, const char *actor, int64_t now)
{
    int from_cat = d->category, from_lev = d->level, c = -1, l = -1, bad = 0, rc;
    int cia_bad = in->cia && *in->cia && !cia_ok(in->cia); /* before any field error is kept */
    khm_err_clear();
    if ((c = khm_dataset_category_named(in->category)) < 0) {
        bad = khm_err_field("category",
                            "หมวดหมู่ข้อมูลไม่ถูกต้อง (ข้อมูลสาธารณะ, ข้อมูลใช้ภายใน, ข้อมูลส่วนบุคคล, "
                            "ข้อมูลความมั่นคง, ข้อมูลความลับทางราชการ)",
                            "a data category is required (public, internal, personal, security, "
                            "official_secret, or the Thai name)");
    }
    if (in->level && (l = khm_dataset_level_named(in->level)) < 0) {
        bad = khm_err_field("level",
                            "ระดับชั้นข้อมูลไม่ถูกต้อง (เปิดเผย, ชั้นเผยแพร่ภายในองค์กร, ลับ, ลับมาก, "
                            "ลับที่สุด)",
                            "unknown level '%s'", in->level);
    }
    if (!bad) {
        l = khm_dataset_level_of(c, l);
        if (l < 0)
            bad = khm_err_field("level", "ต้องระบุระดับชั้นข้อมูลสำหรับหมวดหมู่นี้",
                                "is required for the category '%s' (thai-rules.md §2.3)",
                                in->category);
        else if (!khm_gdc_level_allowed(c, l))
            bad = khm_err_field("level", "ระดับชั้นข้อมูลนี้ใช้กับหมวดหมู่ข้อมูลนี้ไม่ได้",
                                "'%s' is not allowed for the category '%s' (thai-rules.md §2.3)",
                                khm_level_name(l), khm_category_name(c));
    }
    /* thai-rules.md §2.3: personal data is at least ชั้นเผยแพร่ภายในองค์กร; s.26 data at least ลับ
     * (issue 4) — a scan that found them holds the level up */
    if (!bad && d->sensitive && l < KHM_LEVEL_CONFIDENTIAL)
        bad = khm_err_field("level", "ชุดข้อมูลนี้มีข้อมูลอ่อนไหว (มาตรา 26) ต้องมีระดับชั้นอย่างน้อย ลับ",
                            "the dataset holds sensitive (PDPA s.26) data: at least confidential");
    else if (!bad && d->personal && l < KHM_LEVEL_INTERNAL)
        bad = khm_err_field("level", "ชุดข้อมูลนี้มีข้อมูลส่วนบุคคล ต้องมีระดับชั้นอย่างน้อย ชั้นเผยแพร่ภายในองค์กร",
                            "the dataset holds personal data: at least internal");
    if (cia_bad)
        bad = khm_err_field(
            "cia", "ระดับผลกระทบต้องเป็น low, medium หรือ high สามค่า (C,I,A) เช่น high,medium,low",
            "three impacts low|medium|high for confidentiality, integrity, "
            "availability, e.g. \"high,medium,low\" (thai-rules.md §2.6)");
    if (!in->reason || !*in->reason || !khm_utf8_is_text(in->reason, strlen(in->reason), 1000))
        bad =
            khm_err_field("reason", "ต้องระบุเหตุผลของการจัดระดับชั้นข้อมูล (ไม่เกิน 1000 ตัวอักษร)",
                          "a reason of 1-1000 characters is required (it is kept in the history)");
    if (bad)
        return KHM_EINVALID;
    d->category = c;
    d->level = l;
    d->cia = in->cia && *in->cia ? in->cia : d->cia;
    d->confirmed = 1;
    d->updated_at = now;
    int64_t nv;
    if ((rc = khm_store_dataset_classify(tx, d, version, &nv)) < 0)
        return rc;
    d->version = nv;
    return history(tx, d, "confirm", from_cat, from_lev, actor, in->reason, now);
}

int khm_dataset_archive(khm_tx *tx, khm_dataset *d, int64_t version, int64_t now)
{
    int64_t nv;
    int rc = khm_store_dataset_archive(tx, d->id, version, now, &nv);
    if (rc == 0) {
        d->version = nv;
        d->archived_at = now;
    }
    return rc;
}

int khm_dataset_etag(const khm_dataset *d, char *out, size_t n)
{
    return snprintf(out, n, "\"%lld\"", (long long)d->version);
}

int khm_dataset_parse_etag(const char *if_match, int64_t *version)
{
    long long v = 0;
    char tail;
    if (!if_match || !*if_match)
        return khm_err_set(KHM_EPRECOND, "send If-Match with the dataset's ETag (from GET): "
                                         "changes apply to the version you saw");
    if (strncmp(if_match, "W/", 2) == 0)
        if_match += 2;
    if (sscanf(if_match, "\"%lld\"%c", &v, &tail) != 1 || v < 1)
        return khm_err_field("If-Match", "ค่า If-Match ต้องเป็น ETag ของชุดข้อมูล เช่น \"3\"",
                             "must be the dataset's ETag, e.g. \"3\"");
    *version = v;
    return 0;
}

void khm_dataset_class_fields_write_json(khm_jw *w, int category, int level)
{
    khm_jw_key(w, "category");
    khm_jw_str(w, category >= 0 ? khm_category_name(category) : NULL);
    khm_jw_key(w, "category_th");
    khm_jw_str(w, category >= 0 ? khm_category_label_th(category) : NULL);
    khm_jw_key(w, "level");
    khm_jw_str(w, level >= 0 ? khm_level_name(level) : NULL);
    khm_jw_key(w, "level_th");
    khm_jw_str(w, level >= 0 ? khm_level_label_th(level) : NULL);
}

int khm_dataset_suggest(const khm_dataset *d, int *category, int *level)
{
    int c = d->category, l = d->level;
    if (d->personal || d->sensitive) {
        /* issue 4, thai-rules.md §2.3: personal data → ข้อมูลส่วนบุคคล (a security or official
         * secret dataset keeps its stricter category), at least ชั้นเผยแพร่ภายในองค์กร;
         * sensitive (PDPA s.26) data at least ลับ */
        int min = d->sensitive ? KHM_LEVEL_CONFIDENTIAL : KHM_LEVEL_INTERNAL;
        if (c != KHM_CAT_PERSONAL && c != KHM_CAT_SECURITY && c != KHM_CAT_OFFICIAL_SECRET)
            c = KHM_CAT_PERSONAL;
        if (l < min)
            l = min;
        while (!khm_gdc_level_allowed(c, l) && l < KHM_LEVEL__COUNT - 1)
            l++;
    }
    *category = c;
    *level = l;
    return c != d->category || l != d->level;
}

/* "classification_flag": null, or what the scans found that the classification does not
 * reflect, with the suggestion (the owner confirms it, or another classification). */
static void write_flag(khm_jw *w, const khm_dataset *d)
{
    int c, l;
    khm_jw_key(w, "classification_flag");
    if (!khm_dataset_suggest(d, &c, &l)) {
        khm_jw_null(w);
        return;
    }
    khm_jw_obj(w);
    khm_jw_key(w, "code");
    khm_jw_str(w, "scan_disagrees");
    khm_jw_key(w, "message");
    khm_jw_str(w, d->sensitive ? "a scan of the dataset's resources found sensitive personal data "
                                 "(PDPA s.26): the classification should be at least confidential"
                               : "a scan of the dataset's resources found personal data: the "
                                 "category should be personal, at least internal");
    khm_jw_key(w, "message_th");
    khm_jw_str(w, d->sensitive ? "ผลการตรวจทรัพยากรพบข้อมูลส่วนบุคคลที่มีความอ่อนไหว (มาตรา 26) "
                                 "ระดับชั้นข้อมูลควรเป็นอย่างน้อย ลับ"
                               : "ผลการตรวจทรัพยากรพบข้อมูลส่วนบุคคล หมวดหมู่ควรเป็นข้อมูลส่วนบุคคล "
                                 "ระดับชั้นอย่างน้อย ชั้นเผยแพร่ภายในองค์กร");
    khm_jw_key(w, "suggested");
    khm_jw_obj(w);
    khm_dataset_class_fields_write_json(w, c, l);
    khm_jw_obj_end(w);
    khm_jw_obj_end(w);
}

void khm_dataset_suggestion_write_json(khm_jw *w, const khm_dataset *d)
{
    int c, l;
    khm_dataset_suggest(d, &c, &l);
    khm_jw_key(w, "suggested");
    khm_jw_obj(w);
    khm_dataset_class_fields_write_json(w, c, l);
    khm_jw_obj_end(w);
    write_flag(w, d);
}

void khm_dataset_classification_write_json(khm_jw *w, const khm_dataset *d,
                                           const khm_dataset_class *items, size_t n,
                                           const char *next_cursor)
{
    khm_jw_obj(w);
    khm_jw_key(w, "dataset_id");
    khm_jw_str(w, d->id);
    khm_jw_key(w, "name");
    khm_jw_str(w, d->slug);
    khm_jw_key(w, "current");
    khm_jw_obj(w);
    khm_jw_key(w, "category");
    khm_jw_str(w, d->category >= 0 ? khm_category_name(d->category) : NULL);
    khm_jw_key(w, "level");
    khm_jw_str(w, d->level >= 0 ? khm_level_name(d->level) : NULL);
    khm_jw_key(w, "confirmed");
    khm_jw_bool(w, d->confirmed);
    khm_jw_key(w, "cia");
    khm_jw_str(w, d->cia);
    khm_jw_obj_end(w);
    khm_jw_key(w, "personal_data");
    khm_jw_bool(w, d->personal);
    khm_jw_key(w, "sensitive_data");
    khm_jw_bool(w, d->sensitive);
    khm_dataset_suggestion_write_json(w, d);
    khm_jw_key(w, "history");
    khm_jw_arr(w);
    for (size_t k = 0; k < n; k++)
        khm_dataset_class_write_json(w, &items[k]);
    khm_jw_arr_end(w);
    khm_jw_key(w, "next_cursor");
    khm_jw_str(w, next_cursor);
    khm_jw_obj_end(w);
}

void khm_dataset_write_json(khm_jw *w, const khm_dataset *d)
{
    char etag[32];
    khm_dataset_etag(d, etag, sizeof(etag));
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, d->id);
    khm_jw_key(w, "name");
    khm_jw_str(w, d->slug);
    khm_jw_key(w, "agency_id");
    khm_jw_str(w, d->agency_id);
    khm_jw_key(w, "title");
    khm_jw_str(w, d->title);
    khm_jw_key(w, "title_en");
    khm_jw_str(w, d->title_en);
    khm_jw_key(w, "data_type");
    khm_jw_str(w, d->data_type);
    khm_jw_key(w, "classification");
    khm_jw_obj(w);
    khm_dataset_class_fields_write_json(w, d->category, d->level);
    khm_jw_key(w, "confirmed");
    khm_jw_bool(w, d->confirmed);
    khm_jw_key(w, "cia");
    khm_jw_str(w, d->cia);
    khm_jw_key(w, "personal_data");
    khm_jw_bool(w, d->personal);
    khm_jw_key(w, "sensitive_data");
    khm_jw_bool(w, d->sensitive);
    khm_jw_obj_end(w);
    write_flag(w, d);
    khm_jw_key(w, "owner_user_id");
    khm_jw_str(w, d->owner_user[0] ? d->owner_user : NULL);
    khm_jw_key(w, "metadata");
    khm_jw_raw(w, d->metadata, strlen(d->metadata));
    khm_jw_key(w, "version");
    khm_jw_int(w, d->version);
    khm_jw_key(w, "etag");
    khm_jw_str(w, etag);
    khm_jw_key(w, "created_by");
    khm_jw_str(w, d->created_by[0] ? d->created_by : NULL);
    khm_jw_key(w, "created_at");
    khm_jw_time(w, d->created_at);
    khm_jw_key(w, "updated_at");
    khm_jw_time(w, d->updated_at);
    khm_jw_key(w, "archived_at");
    khm_jw_time(w, d->archived_at);
    khm_jw_key(w, "quality"); /* as last computed (GET …/quality explains it) */
    khm_jw_obj(w);
    khm_jw_key(w, "score");
    if (d->quality_at && d->quality_score >= 0)
        khm_jw_int(w, d->quality_score);
    else
        khm_jw_null(w);
    khm_jw_key(w, "computed_at");
    khm_jw_time(w, d->quality_at);
    khm_jw_obj_end(w);
    khm_jw_obj_end(w);
}

void khm_dataset_class_write_json(khm_jw *w, const khm_dataset_class *e)
{
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, e->id);
    khm_jw_key(w, "at");
    khm_jw_time(w, e->ts);
    khm_jw_key(w, "by");
    khm_jw_str(w, e->actor_user[0] ? e->actor_user : NULL);
    khm_jw_key(w, "kind");
    khm_jw_str(w, e->kind);
    khm_jw_key(w, "from");
    khm_jw_obj(w);
    khm_dataset_class_fields_write_json(w, e->from_category, e->from_level);
    khm_jw_obj_end(w);
    khm_jw_key(w, "to");
    khm_jw_obj(w);
    khm_dataset_class_fields_write_json(w, e->to_category, e->to_level);
    khm_jw_obj_end(w);
    khm_jw_key(w, "cia");
    khm_jw_str(w, e->cia);
    khm_jw_key(w, "reason");
    khm_jw_str(w, e->reason);
    khm_jw_obj_end(w);
}

void khm_dataset_resource(const khm_dataset *d, khm_resource *res)
{
    res->kind = KHM_RES_DATASET;
    res->id = d->id;
    res->owner_agency_id = d->agency_id;
    res->level = d->level;
    res->category = d->category;
    res->personal = d->personal || d->category == KHM_CAT_PERSONAL;
    res->sensitive = d->sensitive;
}

/* How many rows the next read asks for (each one a search from the cursor; the rows and their
 * order are the same whatever the page size), when @p want more are to be kept and @p kept of the
 * @p seen read so far were. OPTIMIZATION: as many as the share kept so far says, and a quarter
 * more, rather than four times the last read: a caller who may see 70 of the first 101 rows
 * (bench/catalog's admin: another agency's internal and personal datasets are not theirs) reads
 * ~60 rows more, not 404 — the second read cost two to three times the first. None kept yet:
 * four times the last, as before. At most the store's most. */
static size_t next_read(size_t want, size_t seen, size_t kept, size_t last)
{
    size_t n;
    if (!kept)
        n = last * 4;
    else {
        n = (want * seen + kept - 1) / kept; /* at the share kept so far */
        n += n / 4 + 8;
    }
    return n < KHM_SEARCH_MAX ? n : KHM_SEARCH_MAX;
}

int khm_dataset_search(khm_tx *tx, const khm_dataset_query *q, size_t limit,
                       khm_dataset_keep_fn keep, void *ctx, khm_dataset **out, const char ***keys,
                       size_t *n, int *more, khm_arena *a)
{
    int rc = 0;
    *out = NULL;
    *keys = NULL;
    *n = 0;
    *more = 0;
    khm_err_clear();
    if (limit < 1 || limit > KHM_SEARCH_MAX)
        return khm_err_field("limit", "จำนวนรายการต่อหน้าต้องเป็นจำนวนเต็ม 1–500",
                             "must be an integer from 1 to %d", KHM_SEARCH_MAX);
    if (q->text) { /* bad words are the caller's mistake: before any reading */
        khm_buf check = KHM_BUF_INIT(64 * 1024);
        rc = khm_fts_query(q->text, &check);
        khm_buf_dispose(&check);
        if (rc < 0)
            return rc;
    }
    khm_dataset_query dq = *q;
    /* a page and one row more: whether another follows, when every row is kept; more when the
     * caller asks for more (q->limit: it expects keep to drop some) */
    dq.limit = limit < KHM_SEARCH_MAX ? limit + 1 : KHM_SEARCH_MAX;
    if (q->limit > dq.limit)
        dq.limit = q->limit < KHM_SEARCH_MAX ? q->limit : KHM_SEARCH_MAX;
    khm_dataset *kept = khm_arena_calloc(a, limit, sizeof(*kept));
    const char **kk = kept ? khm_arena_calloc(a, limit, sizeof(*kk)) : NULL;
    size_t count = 0, seen = 0; /* rows kept, rows read */
    if (!kk)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    while (rc == 0) {
        khm_dataset *items;
        const char **ks;
        size_t got;
        int smore;
        if ((rc = khm_store_dataset_find(tx, &dq, &items, &ks, &got, &smore, a)) < 0)
            break;
        for (size_t k = 0; k < got; k++) {
            int allow = 1;
            if (keep && (rc = keep(ctx, &items[k], &allow)) < 0)
                break;
            if (!allow)
                continue;
            if (count == limit) {
                *more = 1;
                break;
            }
            kk[count] = ks[k];
            kept[count++] = items[k];
        }
        if (rc < 0 || *more || !smore || !got)
            break;
        seen += got;
        dq.after_key = ks[got - 1];
        dq.after_id = items[got - 1].id;
        dq.limit = next_read(limit - count + 1, seen, count, dq.limit);
    }
    if (rc < 0) {
        *more = 0;
        return rc;
    }
    *out = kept;
    *keys = kk;
    *n = count;
    return 0;
}
