/* Tests for src/lib/pdpa/ropa.c: the eight items of PDPA s.39 (thai-rules.md §1.8), validation
 * of an activity (recipients abroad with the s.28/s.29 mechanism, §1.11; the processor's
 * controller, s.40; datasets of the agency), refusals (s.39(7)), the completeness check per
 * activity and per agency (s.41 DPO), and the CSV export (BOM, headers in the s.39 order). */
#include "unit.h"

#include "../../../src/lib/pdpa/ropa.c"

/* A complete activity: every s.39 item given. */
static json_t *complete(const char *code)
{
    json_t *b =
        json_loads("{\"name_th\": \"ทะเบียนผู้เสียภาษี\", \"personal_data\": [\"TH_TNIN\", \"PERSON\"],"
                   " \"purposes\": [\"tax\"], \"controller\": {\"name\": \"อบต.ทดสอบ\", \"phone\": "
                   "\"0 2141 6747\"},"
                   " \"retention_period\": \"10 ปี\", \"access_rights\": \"ขอสำเนาได้\","
                   " \"access_conditions\": \"เจ้าหน้าที่กองคลัง\", \"exempt_uses\": [],"
                   " \"security_measures\": [\"access-control\"]}",
                   0, NULL);
    assert_non_null(b);
    json_object_set_new(b, "code", json_string(code));
    return b;
}

/* Create @p body in the init agency; the code, with the transaction committed on success. */
static int create(khm_test_env *e, khm_ropa_row *out, json_t *body)
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e->store, 1), 0);
    int rc = khm_ropa_create(tx, out, body, e->init.agency.id, NULL, 1700000000000, e->arena);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    json_decref(body);
    return rc;
}

static void test_pdpa_ropa__eight_items_in_the_order_of_s39(void **state)
{
    (void)state;
    /* thai-rules.md §1.8: the Thai wording of each item, in the statute's order */
    assert_string_equal(khm_ropa_item_label_th(0), "ข้อมูลส่วนบุคคลที่มีการเก็บรวบรวม");
    assert_string_equal(khm_ropa_item_label_th(3), "ระยะเวลาการเก็บรักษาข้อมูลส่วนบุคคล");
    assert_string_equal(khm_ropa_item_label_th(5), "การใช้หรือเปิดเผยตามมาตรา 27 วรรคสาม");
    assert_string_equal(khm_ropa_item_label_th(7),
                        "คำอธิบายเกี่ยวกับมาตรการรักษาความมั่นคงปลอดภัยตามมาตรา 37(1)");
    for (int i = 0; i < KHM_ROPA_ITEM__COUNT; i++) {
        char want[32];
        snprintf(want, sizeof(want), "PDPA s.39(%d)", i + 1);
        assert_string_equal(khm_ropa_item_section(i), want);
        assert_non_null(khm_ropa_item_key(i));
        assert_non_null(khm_ropa_item_label_en(i));
    }
    assert_null(khm_ropa_item_label_th(8));
    assert_null(khm_ropa_item_section(-1));
}

static void test_pdpa_ropa__checklist_maps_to_nist_csf(void **state)
{
    (void)state;
    /* thai-rules.md §1.12 measures, each with a NIST CSF 2.0 category of §5.2 */
    size_t n = 0;
    for (const khm_ropa_measure *m; (m = khm_ropa_measure_get(n)); n++) {
        assert_true(strlen(m->nist_csf) >= 5 && m->nist_csf[2] == '.');
        assert_true(strcmp(m->function, "Protect") == 0 || strcmp(m->function, "Detect") == 0 ||
                    strcmp(m->function, "Govern") == 0);
        assert_non_null(m->label_th);
    }
    assert_int_equal(n, 10);
    assert_string_equal(measure_find("audit-trail")->nist_csf, "PR.PS, DE.CM");
    assert_null(measure_find("firewall"));
}

static void test_pdpa_ropa__complete_activity_scores_100(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_ropa_row r, got;
    khm_ropa_check c;
    assert_int_equal(create(&e, &r, complete("tax")), 0);
    assert_int_equal(r.version, 1);
    assert_string_equal(r.role, "controller");
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_ropa_get(tx, &got, r.id, e.arena), 0);
    khm_tx_rollback(tx);
    assert_string_equal(got.code, "tax");
    assert_string_equal(got.body, r.body);
    khm_ropa_check_activity(&got, &e.init.agency, &c);
    assert_int_equal(c.missing, 0);
    assert_int_equal(c.complete, 8);
    assert_int_equal(c.score, 100);
    khm_test_env_close(&e);
}

/* Each item that can be missing is named (s.39(1)-(6), (8)); (7) is the refusal log. */
static void test_pdpa_ropa__each_missing_item_is_named(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    static const struct {
        int item;
        const char *drop[2];
    } cases[] = {
        { KHM_ROPA_ITEM_DATA, { "personal_data", NULL } },
        { KHM_ROPA_ITEM_PURPOSE, { "purposes", NULL } },
        { KHM_ROPA_ITEM_CONTROLLER, { "controller", NULL } }, /* the init agency has no contact */
        { KHM_ROPA_ITEM_RETENTION, { "retention_period", NULL } },
        { KHM_ROPA_ITEM_ACCESS, { "access_rights", NULL } },
        { KHM_ROPA_ITEM_EXEMPT_USE, { "exempt_uses", NULL } },
        { KHM_ROPA_ITEM_SECURITY, { "security_measures", "security_description" } },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char code[16];
        khm_ropa_row r;
        khm_ropa_check c;
        snprintf(code, sizeof(code), "c%zu", i);
        json_t *b = complete(code);
        for (int k = 0; k < 2 && cases[i].drop[k]; k++)
            json_object_del(b, cases[i].drop[k]);
        assert_int_equal(create(&e, &r, b), 0);
        khm_ropa_check_activity(&r, &e.init.agency, &c);
        if (c.missing != (1u << cases[i].item))
            fail_msg("dropping %s: missing 0x%x, want item %d", cases[i].drop[0], c.missing,
                     cases[i].item + 1);
        assert_int_equal(c.score, 87);
    }
    khm_test_env_close(&e);
}

static void test_pdpa_ropa__controller_from_the_agency(void **state)
{
    (void)state;
    khm_ropa_row r = { 0 };
    khm_agency ag = { 0 };
    khm_ropa_check c;
    r.role = "controller";
    r.body = "{\"controller\": null}";
    ag.name_th = "หน่วยงาน";
    khm_ropa_check_activity(&r, &ag, &c);
    assert_true(c.missing & (1u << KHM_ROPA_ITEM_CONTROLLER)); /* no contact yet */
    ag.email = "saraban@agency.go.th";
    khm_ropa_check_activity(&r, &ag, &c);
    assert_false(c.missing & (1u << KHM_ROPA_ITEM_CONTROLLER));
    /* a processor's item 3 is the controller it acts for, never its own agency (s.40) */
    r.role = "processor";
    khm_ropa_check_activity(&r, &ag, &c);
    assert_true(c.missing & (1u << KHM_ROPA_ITEM_CONTROLLER));
}

static void test_pdpa_ropa__processor_names_its_controller(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_ropa_row r;
    json_t *b = complete("proc");
    json_object_del(b, "controller");
    json_object_set_new(b, "role", json_string("processor"));
    assert_int_equal(create(&e, &r, json_deep_copy(b)), KHM_EINVALID);
    assert_true(has_field("controller"));
    json_object_set_new(b, "controller",
                        json_pack("{s:s, s:s}", "name", "กรมบัญชีกลาง", "email", "dpo@cgd.go.th"));
    assert_int_equal(create(&e, &r, b), 0);
    assert_string_equal(r.role, "processor");
    khm_test_env_close(&e);
}

static json_t *with_recipient(const char *code, const char *country, const char *mech,
                              const char *exc, const char *safeguard)
{
    json_t *b = complete(code), *r = json_pack("{s:s, s:s}", "name", "ผู้รับ", "country", country);
    if (mech)
        json_object_set_new(r, "transfer_mechanism", json_string(mech));
    if (exc)
        json_object_set_new(r, "transfer_exception", json_string(exc));
    if (safeguard)
        json_object_set_new(r, "safeguard", json_string(safeguard));
    json_object_set_new(b, "recipients", json_pack("[o]", r));
    return b;
}

/* thai-rules.md §1.11: PDPA s.28 (adequacy, exceptions) and s.29 (BCR, safeguards). */
static void test_pdpa_ropa__cross_border_needs_s28_s29_mechanism(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_ropa_row r;
    assert_int_equal(create(&e, &r, with_recipient("a1", "SG", NULL, NULL, NULL)), KHM_EINVALID);
    assert_true(has_field("recipients[0].transfer_mechanism"));
    assert_int_equal(create(&e, &r, with_recipient("a2", "SG", "trust-me", NULL, NULL)),
                     KHM_EINVALID);
    assert_true(has_field("recipients[0].transfer_mechanism"));
    assert_int_equal(create(&e, &r, with_recipient("a3", "SG", "s28_exception", NULL, NULL)),
                     KHM_EINVALID);
    assert_true(has_field("recipients[0].transfer_exception"));
    assert_int_equal(create(&e, &r, with_recipient("a4", "SG", "s28_exception", "whim", NULL)),
                     KHM_EINVALID);
    assert_true(has_field("recipients[0].transfer_exception"));
    assert_int_equal(create(&e, &r, with_recipient("a5", "SG", "safeguards", NULL, NULL)),
                     KHM_EINVALID);
    assert_true(has_field("recipients[0].safeguard"));
    assert_int_equal(create(&e, &r, with_recipient("a6", "TH", "adequacy", NULL, NULL)),
                     KHM_EINVALID);
    assert_true(has_field("recipients[0].transfer_mechanism"));
    assert_int_equal(create(&e, &r, with_recipient("a7", "sg", NULL, NULL, NULL)), KHM_EINVALID);
    assert_true(has_field("recipients[0].country"));
    assert_int_equal(create(&e, &r, with_recipient("a8", "SG", "adequacy", "law", NULL)),
                     KHM_EINVALID);
    assert_true(has_field("recipients[0].transfer_exception"));
    /* the four mechanisms */
    assert_int_equal(create(&e, &r, with_recipient("ok1", "JP", "adequacy", NULL, NULL)), 0);
    assert_int_equal(create(&e, &r, with_recipient("ok2", "US", "s28_exception", "contract", NULL)),
                     0);
    assert_int_equal(create(&e, &r, with_recipient("ok3", "SG", "bcr", NULL, NULL)), 0);
    assert_int_equal(create(&e, &r, with_recipient("ok4", "SG", "safeguards", NULL, "ASEAN MCC")),
                     0);
    assert_non_null(strstr(r.body, "\"transfer_mechanism\":\"safeguards\""));
    /* a recipient in Thailand by default */
    json_t *b = complete("th");
    json_object_set_new(b, "recipients", json_pack("[{s:s}]", "name", "กรมที่ดิน"));
    assert_int_equal(create(&e, &r, b), 0);
    assert_non_null(strstr(r.body, "\"country\":\"TH\""));
    khm_test_env_close(&e);
}

static void test_pdpa_ropa__bad_members_named_nothing_stored(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_ropa_row r;
    json_t *b = complete("Bad Code");
    json_object_set_new(b, "role", json_string("owner"));
    json_object_set_new(b, "personal_data", json_pack("[s, s]", "PERSON", "SHOE_SIZE"));
    json_object_set_new(b, "purposes", json_pack("[s]", "Tax!"));
    json_object_set_new(b, "security_measures", json_pack("[s]", "firewall"));
    json_object_set_new(b, "datasets", json_pack("[s]", "no-such-dataset"));
    json_object_set_new(b, "exempt_uses", json_pack("[{s:s}]", "description", "x"));
    json_object_set_new(b, "controller", json_pack("{s:s}", "phone", "1"));
    assert_int_equal(create(&e, &r, b), KHM_EINVALID);
    const char *fields[] = { "code",
                             "role",
                             "personal_data[1]",
                             "purposes[0]",
                             "security_measures[0]",
                             "datasets[0]",
                             "exempt_uses[0].legal_basis",
                             "controller.name" };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (!has_field(fields[i]))
            fail_msg("no error for %s: %s", fields[i], khm_err_last()->message);
    size_t n = 0;
    const khm_field_error *fe = khm_err_fields(&n);
    for (size_t i = 0; i < n; i++)
        assert_true(fe[i].message_th[0] != '\0'); /* every message in Thai too */
    khm_tx *tx;
    khm_ropa_row *rows;
    int more;
    khm_page page = { NULL, 10 };
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_ropa_list(tx, &rows, &n, &more, NULL, &page, e.arena), 0);
    khm_tx_rollback(tx);
    assert_int_equal(n, 0);
    /* a duplicate code is EEXISTS */
    assert_int_equal(create(&e, &r, complete("dup")), 0);
    assert_int_equal(create(&e, &r, complete("dup")), KHM_EEXISTS);
    khm_test_env_close(&e);
}

static void test_pdpa_ropa__update_and_delete_are_versioned(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_ropa_row r;
    khm_tx *tx;
    assert_int_equal(create(&e, &r, complete("v")), 0);
    json_t *b = complete("v");
    json_object_set_new(b, "retention_period", json_string("15 ปี"));
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_ropa_update(tx, &r, b, 7, 1700000000001, e.arena), KHM_ESTALE);
    assert_int_equal(khm_ropa_update(tx, &r, b, 1, 1700000000001, e.arena), 0);
    assert_int_equal(r.version, 2);
    assert_non_null(strstr(r.body, "15 ปี"));
    assert_int_equal(khm_ropa_delete(tx, &r, 1, 1700000000002), KHM_ESTALE);
    assert_int_equal(khm_ropa_delete(tx, &r, 2, 1700000000002), 0);
    assert_int_equal(r.deleted_at, 1700000000002);
    assert_int_equal(khm_ropa_update(tx, &r, b, 3, 1700000000003, e.arena), KHM_ESTALE);
    assert_int_equal(khm_tx_commit(tx), 0);
    json_decref(b);
    int64_t v;
    assert_int_equal(khm_ropa_parse_etag("\"4\"", &v), 0);
    assert_int_equal(v, 4);
    assert_int_equal(khm_ropa_parse_etag(NULL, &v), KHM_EPRECOND);
    assert_int_equal(khm_ropa_parse_etag("four", &v), KHM_EINVALID);
    khm_test_env_close(&e);
}

/* PDPA s.39(7): refusals under s.30, 31, 32, 36 are written into the record. */
static void test_pdpa_ropa__refusals(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_ropa_row r;
    khm_ropa_refusal f, *list;
    khm_tx *tx;
    size_t n;
    int more;
    int64_t now = 1700000000000;
    assert_int_equal(create(&e, &r, complete("ref")), 0);
    assert_string_equal(khm_ropa_request_section("access"), "PDPA s.30");
    assert_string_equal(khm_ropa_request_section("portability"), "PDPA s.31");
    assert_string_equal(khm_ropa_request_section("objection"), "PDPA s.32");
    assert_string_equal(khm_ropa_request_section("rectification"), "PDPA s.36");
    assert_null(khm_ropa_request_section("complaint"));
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    json_t *ok =
        json_pack("{s:s, s:s, s:s, s:s}", "refused_at", "2023-11-01T09:00:00+07:00", "request_type",
                  "access", "reason", "กระทบสิทธิผู้อื่น", "legal_ground", "มาตรา 30 วรรคหนึ่ง");
    assert_int_equal(khm_ropa_refusal_add(tx, &f, &r, ok, NULL, now, e.arena), 0);
    json_t *future = json_pack("{s:s, s:s, s:s, s:s}", "refused_at", "2030-01-01T00:00:00Z",
                               "request_type", "erasure", "reason", "x", "legal_ground", "y");
    assert_int_equal(khm_ropa_refusal_add(tx, &f, &r, future, NULL, now, e.arena), KHM_EINVALID);
    assert_true(has_field("refused_at"));
    json_t *bad = json_pack("{s:s, s:s, s:s, s:s, s:s}", "refused_at", "yesterday", "request_type",
                            "complaint", "reason", "x", "legal_ground", "y", "request_id", "nope");
    assert_int_equal(khm_ropa_refusal_add(tx, &f, &r, bad, NULL, now, e.arena), KHM_EINVALID);
    assert_true(has_field("refused_at") && has_field("request_type") && has_field("request_id"));
    khm_page page = { NULL, 10 };
    assert_int_equal(khm_store_ropa_refusal_list(tx, &list, &n, &more, r.id, &page, e.arena), 0);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].request_type, "access");
    assert_int_equal(list[0].refused_at, 1698804000000);
    /* not on an activity taken out of the record */
    assert_int_equal(khm_ropa_delete(tx, &r, 1, now), 0);
    assert_int_equal(khm_ropa_refusal_add(tx, &f, &r, ok, NULL, now, e.arena), KHM_ESTALE);
    khm_tx_rollback(tx);
    json_decref(ok);
    json_decref(future);
    json_decref(bad);
    khm_test_env_close(&e);
}

/* The agency's figure: 0 without activities; the DPO (PDPA s.41) counts as one item. */
static void test_pdpa_ropa__agency_report(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_ropa_report rep;
    khm_tx *tx;
    khm_agency ag = e.init.agency;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_ropa_report_build(tx, &rep, &ag, e.arena), 0);
    khm_tx_rollback(tx);
    assert_int_equal(rep.n, 0);
    assert_int_equal(rep.score, 0);
    assert_false(rep.has_dpo);
    khm_ropa_row r;
    json_t *b = complete("half");
    json_object_del(b, "retention_period");
    assert_int_equal(create(&e, &r, complete("full")), 0);
    assert_int_equal(create(&e, &r, b), 0);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_ropa_report_build(tx, &rep, &ag, e.arena), 0);
    assert_int_equal(rep.n, 2);
    assert_int_equal(rep.score, 15 * 100 / 17); /* 15 items of 16, no DPO, over 17 */
    ag.dpo_name = "DPO";
    ag.dpo_email = "dpo@agency.go.th";
    assert_int_equal(khm_ropa_report_build(tx, &rep, &ag, e.arena), 0);
    khm_tx_rollback(tx);
    assert_true(rep.has_dpo);
    assert_int_equal(rep.score, 16 * 100 / 17);
    khm_test_env_close(&e);
}

/* RFC 4180 fields and the CSV's BOM and header row (the eight items of s.39 in order). */
static void test_pdpa_ropa__csv_export(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(1 << 20);
    assert_int_equal(csv_field(&b, "plain", 0), 0);
    assert_int_equal(csv_field(&b, "a,b", 0), 0);
    assert_int_equal(csv_field(&b, "say \"hi\"\nok", 1), 0);
    assert_string_equal(b.ptr, "plain,\"a,b\",\"say \"\"hi\"\"\nok\"\r\n");
    khm_buf_dispose(&b);

    khm_test_env e;
    khm_test_env_open(&e);
    khm_ropa_row r;
    khm_tx *tx;
    json_t *body = complete("csv");
    json_object_set_new(body, "name_th", json_string("กล้องวงจรปิด, อาคาร \"ก\""));
    assert_int_equal(create(&e, &r, body), 0);
    khm_buf out = KHM_BUF_INIT(1 << 20);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_ropa_export(tx, &out, KHM_ROPA_EXPORT_CSV, e.init.agency.slug, 1, e.arena),
                     0);
    khm_tx_rollback(tx);
    assert_memory_equal(out.ptr, "\xEF\xBB\xBF", 3);
    const char *p = out.ptr + 3;
    assert_true(strncmp(p, "หน่วยงาน,รหัสกิจกรรม,กิจกรรมการประมวลผล,บทบาท,",
                        strlen("หน่วยงาน,รหัสกิจกรรม,กิจกรรมการประมวลผล,บทบาท,")) == 0);
    const char *last = NULL;
    for (int i = 0; i < KHM_ROPA_ITEM__COUNT; i++) {
        const char *at = strstr(p, khm_ropa_item_label_th(i));
        assert_non_null(at);
        assert_true(!last || at > last); /* in the order of s.39 */
        last = at;
    }
    assert_non_null(strstr(p, ",\"กล้องวงจรปิด, อาคาร \"\"ก\"\"\","));
    assert_non_null(strstr(p, "\r\n"));
    khm_buf_dispose(&out);
    khm_test_env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_pdpa_ropa__eight_items_in_the_order_of_s39),
              cmocka_unit_test(test_pdpa_ropa__checklist_maps_to_nist_csf),
              cmocka_unit_test(test_pdpa_ropa__complete_activity_scores_100),
              cmocka_unit_test(test_pdpa_ropa__each_missing_item_is_named),
              cmocka_unit_test(test_pdpa_ropa__controller_from_the_agency),
              cmocka_unit_test(test_pdpa_ropa__processor_names_its_controller),
              cmocka_unit_test(test_pdpa_ropa__cross_border_needs_s28_s29_mechanism),
              cmocka_unit_test(test_pdpa_ropa__bad_members_named_nothing_stored),
              cmocka_unit_test(test_pdpa_ropa__update_and_delete_are_versioned),
              cmocka_unit_test(test_pdpa_ropa__refusals),
              cmocka_unit_test(test_pdpa_ropa__agency_report),
              cmocka_unit_test(test_pdpa_ropa__csv_export))
