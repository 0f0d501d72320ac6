/* Tests for src/lib/setup/demo.c: demo agencies, users and datasets are seeded exactly once, and an
 * operator's own agency with a demo slug is kept. */
#include "unit.h"

static void counts(khm_test_env *e, int64_t *agencies, size_t *users)
{
    khm_tx *tx;
    khm_user *items;
    int more;
    assert_int_equal(khm_tx_begin(&tx, e->store, 0), 0);
    assert_int_equal(khm_store_agency_count(tx, agencies), 0);
    assert_int_equal(khm_store_user_list(tx, &items, users, &more, NULL, NULL, e->arena), 0);
    khm_tx_rollback(tx);
}

static void test_setup_demo__seeds_once(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    int seeded = -1;
    int64_t na;
    size_t nu;
    counts(&e, &na, &nu);
    assert_int_equal(na, 1);
    assert_int_equal(nu, 1);

    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    assert_int_equal(seeded, 1);
    counts(&e, &na, &nu);
    assert_int_equal(na, 1 + 4);
    assert_int_equal(nu, 1 + 7);

    khm_tx *tx;
    khm_agency ag;
    khm_user u;
    static const char *const slugs[] = { "mdes", "dga", "nso", "moph" };
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(khm_store_agency_get(tx, &ag, slugs[i], e.arena), 0);
    assert_int_equal(khm_store_agency_get(tx, &ag, "mdes", e.arena), 0);
    assert_string_equal(ag.name_th, "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม");
    assert_int_equal(khm_store_user_get(tx, &u, "somchai.dpo", e.arena), 0);
    assert_int_equal(u.role, KHM_ROLE_DPO);
    assert_string_equal(u.agency_id, ag.id);
    assert_string_equal(u.display_name, "สมชาย ใจดี");
    char *flag;
    assert_int_equal(khm_store_meta_get(tx, "demo_seeded", &flag, e.arena), 0);
    /* the demo catalog: 8 datasets; one confirmed by its owner, one left to confirm */
    khm_dataset *ds;
    size_t nd;
    int dmore;
    assert_int_equal(khm_store_dataset_list(tx, &ds, &nd, &dmore, NULL, NULL, e.arena), 0);
    assert_int_equal(nd, 8);
    khm_dataset d;
    assert_int_equal(khm_store_dataset_get(tx, &d, "digital-budget-2567", e.arena), 0);
    assert_true(d.confirmed);
    assert_int_equal(d.level, KHM_LEVEL_PUBLIC);
    assert_int_equal(khm_store_dataset_get(tx, &d, "chronic-patient-register", e.arena), 0);
    assert_false(d.confirmed);
    assert_int_equal(d.category, KHM_CAT_PERSONAL);
    assert_int_equal(d.level, KHM_LEVEL_CONFIDENTIAL);
    assert_string_equal(d.title, "ทะเบียนผู้ป่วยโรคเรื้อรัง (เบาหวาน ความดันโลหิตสูง)");
    khm_tx_rollback(tx);

    /* every role except admin has a demo user */
    khm_user *items;
    size_t n;
    int more, seen[KHM_ROLE__COUNT] = { 0 };
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_user_list(tx, &items, &n, &more, NULL, NULL, e.arena), 0);
    khm_tx_rollback(tx);
    for (size_t i = 0; i < n; i++)
        seen[items[i].role]++;
    for (int r = 0; r < KHM_ROLE__COUNT; r++)
        assert_true(seen[r] >= 1);

    seeded = -1;
    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    assert_int_equal(seeded, 0);
    counts(&e, &na, &nu);
    assert_int_equal(na, 5);
    assert_int_equal(nu, 8);
    khm_test_env_close(&e);
}

static void test_setup_demo__keeps_operator_agency(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_agency mine, got;
    khm_agency_input in = { "mdes", "ชื่อที่ผู้ดูแลตั้งเอง", NULL };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_agency_create(tx, &mine, &in, 1), 0);
    assert_int_equal(khm_tx_commit(tx), 0);

    int seeded = -1;
    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    assert_int_equal(seeded, 1);
    int64_t na;
    size_t nu;
    counts(&e, &na, &nu);
    assert_int_equal(na, 1 + 4);
    assert_int_equal(nu, 1 + 7);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &got, "mdes", e.arena), 0);
    assert_string_equal(got.id, mine.id);
    assert_string_equal(got.name_th, "ชื่อที่ผู้ดูแลตั้งเอง");
    assert_null(got.name_en);
    khm_user u;
    assert_int_equal(khm_store_user_get(tx, &u, "malee.owner", e.arena), 0);
    assert_string_equal(u.agency_id, mine.id); /* demo users join the operator's agency */
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_setup_demo__keeps_operator_user(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_user mine, got;
    khm_user_input in = { "somchai.dpo", NULL, NULL, "demo", "auditor", NULL };
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_user_create(tx, &mine, &in, 1, e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    int seeded = -1;
    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    assert_int_equal(seeded, 1);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_user_get(tx, &got, "somchai.dpo", e.arena), 0);
    khm_tx_rollback(tx);
    assert_string_equal(got.id, mine.id);
    assert_int_equal(got.role, KHM_ROLE_AUDITOR);
    khm_test_env_close(&e);
}

/* issue 4 / 5: the demo agencies' details, one left without a DPO (PDPA s.41), and the record of
 * processing (PDPA s.39) with one incomplete activity. */
static void test_setup_demo__agency_details_and_ropa(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    int seeded = -1;
    assert_int_equal(khm_setup_demo(e.store, &seeded), 0);
    khm_tx *tx;
    khm_agency mdes, dga, nso;
    khm_user dpo;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &mdes, "mdes", e.arena), 0);
    assert_int_equal(khm_store_agency_get(tx, &dga, "dga", e.arena), 0);
    assert_int_equal(khm_store_agency_get(tx, &nso, "nso", e.arena), 0);
    assert_int_equal(khm_store_user_get(tx, &dpo, "somchai.dpo", e.arena), 0);
    assert_true(khm_agency_has_dpo(&mdes));
    assert_string_equal(mdes.dpo_user, dpo.id);
    assert_string_equal(dga.parent_id, mdes.id);
    assert_string_equal(dga.ministry, "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม");
    assert_false(khm_agency_has_dpo(&nso)); /* the gap the demo shows */
    khm_ropa_report rep;
    assert_int_equal(khm_ropa_report_build(tx, &rep, &mdes, e.arena), 0);
    assert_int_equal(rep.n, 2);
    int incomplete = 0;
    for (size_t i = 0; i < rep.n; i++)
        incomplete += rep.checks[i].missing != 0;
    assert_int_equal(incomplete, 1);
    khm_ropa_row *rows;
    size_t n;
    int more;
    khm_page page = { NULL, 100 };
    assert_int_equal(khm_store_ropa_list(tx, &rows, &n, &more, NULL, &page, e.arena), 0);
    assert_int_equal(n, 4);
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_setup_demo__agency_details_and_ropa),
              cmocka_unit_test(test_setup_demo__seeds_once),
              cmocka_unit_test(test_setup_demo__keeps_operator_agency),
              cmocka_unit_test(test_setup_demo__keeps_operator_user))
