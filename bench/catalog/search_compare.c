/* search_compare — what khm_store_dataset_find answers, printed for comparison (not a test, not a
 * benchmark): every query below in every order it allows, PAGES pages of LIMIT each, each page
 * continued from the last row's key and id as the API's cursor does. One line a row: the query,
 * the order, the page, the dataset's name and its sort key (the dataset's name, not its id, so
 * two databases imported alike compare whatever ids they were given).
 *
 *   search_compare URI [LIMIT [PAGES]] > out.txt
 *
 * Two runs to diff: the same database before and after a change of the search (a copy made
 * with CREATE DATABASE … TEMPLATE, one run per build), or a SQLite and a PostgreSQL database
 * imported from the same files (bench/catalog/run.sh's data): there the change-time order and
 * the relevance keys (which hold the entry's number) may differ by the import's timing, the
 * names and their order by name, title and relevance may not. Build it as run.sh builds
 * bench_catalog.c, with the libkhomun.a of the build to compare.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <khomun/catalog.h>
#include <khomun/khomun.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *q;      /* words, or NULL for a listing */
    const char *agency; /* slug */
    int category, level;
    const char *data_type;
    const char *tag;
    int personal;
} query;

static const query QUERIES[] = {
    { "งบประมาณ", NULL, -1, -1, NULL, NULL, -1 },
    { "โรงพยาบาล", NULL, -1, -1, NULL, NULL, -1 },
    { "ผู้ป่วยโรคติดต่อ", NULL, -1, -1, NULL, NULL, -1 },
    { "เชียงใหม่", NULL, -1, -1, NULL, NULL, -1 },
    { "สถิตินักเรียน", NULL, -1, -1, NULL, NULL, -1 },
    { "ยางพารา ภาคใต้", NULL, -1, -1, NULL, NULL, -1 },
    { "ฝุ่นละออง", NULL, -1, -1, NULL, NULL, -1 },
    { "แผนงานบูรณาการรัฐบาลดิจิทัล", NULL, -1, -1, NULL, NULL, -1 },
    { "ความมั่นคงปลอดภัยไซเบอร์", NULL, -1, -1, NULL, NULL, -1 },
    { "เบี้ยยังชีพผู้สูงอายุ", NULL, -1, -1, NULL, NULL, -1 },
    { "สำนักงานสถิติแห่งชาติ", NULL, -1, -1, NULL, NULL, -1 },
    { "การท่องเที่ยว ภูเก็ต", NULL, -1, -1, NULL, NULL, -1 },
    { "งบ", NULL, -1, -1, NULL, NULL, -1 },
    { "ทะเบียนราษฎร", NULL, -1, -1, NULL, NULL, -1 },
    { "ก", NULL, -1, -1, NULL, NULL, -1 },
    { "budget", NULL, -1, -1, NULL, NULL, -1 },
    { "hospitals", NULL, -1, -1, NULL, NULL, -1 },
    { "population statistics", NULL, -1, -1, NULL, NULL, -1 },
    { "Chiang Mai", NULL, -1, -1, NULL, NULL, -1 },
    { "National Statistical Office", NULL, -1, -1, NULL, NULL, -1 },
    { "cybersecurity", NULL, -1, -1, NULL, NULL, -1 },
    { "budg", NULL, -1, -1, NULL, NULL, -1 },
    { "tax", NULL, -1, -1, NULL, NULL, -1 },
    { "งบประมาณ", "bb", -1, -1, NULL, NULL, -1 },
    { "budget", NULL, KHM_CAT_PUBLIC, -1, NULL, NULL, -1 },
    { "โรงพยาบาล", "moph", -1, -1, NULL, NULL, -1 },
    { "ประชากร", NULL, KHM_CAT_INTERNAL, -1, NULL, NULL, -1 },
    { "students", NULL, -1, -1, "ข้อมูลสถิติ", NULL, -1 },
    { "ผู้ป่วย", NULL, -1, -1, NULL, NULL, 1 },
    { "ผู้ป่วย", NULL, -1, -1, NULL, NULL, 0 },
    { "เชียงใหม่", NULL, -1, -1, NULL, "ข้าว", -1 },
    { "tax", "rd", -1, KHM_LEVEL_CONFIDENTIAL, NULL, NULL, -1 },
    { "ข้อมูล", NULL, -1, -1, NULL, "budget", 1 },
    { NULL, NULL, -1, -1, NULL, "ยางพารา", -1 },
    { NULL, "nso", KHM_CAT_PUBLIC, -1, NULL, NULL, -1 },
};

static const char *agency_id(khm_store *s, const char *slug, khm_arena *a)
{
    khm_tx *tx;
    khm_agency ag;
    if (khm_tx_begin(&tx, s, 0) < 0 || khm_store_agency_get(tx, &ag, slug, a) < 0) {
        fprintf(stderr, "search_compare: agency %s: %s\n", slug, khm_err_last()->message);
        exit(1);
    }
    khm_tx_rollback(tx);
    return khm_arena_strdup(a, ag.id);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: search_compare URI [LIMIT [PAGES]]\n");
        return 2;
    }
    size_t limit = argc > 2 ? (size_t)atol(argv[2]) : 40;
    int pages = argc > 3 ? atoi(argv[3]) : 4;
    khm_log_set_level(KHM_LOG_WARN);
    khm_store *s;
    khm_store_opts so = KHM_STORE_OPTS_INIT;
    if (khm_store_open(&s, argv[1], &so) < 0) {
        fprintf(stderr, "search_compare: %s\n", khm_err_last()->message);
        return 1;
    }
    khm_arena *a = khm_arena_new(1 << 20);
    for (size_t i = 0; i < sizeof(QUERIES) / sizeof(QUERIES[0]); i++) {
        const query *qq = &QUERIES[i];
        for (int sort = qq->q ? 0 : 1; sort < KHM_DSORT__COUNT; sort++) {
            khm_dataset_query q = { qq->q, KHM_DATASET_FILTER_INIT, sort, NULL, NULL, limit };
            q.filter.agency_id = qq->agency ? agency_id(s, qq->agency, a) : NULL;
            q.filter.category = qq->category;
            q.filter.level = qq->level;
            q.filter.data_type = qq->data_type;
            q.filter.tag = qq->tag;
            q.filter.personal = qq->personal;
            char key[512] = "", id[64] = "";
            for (int p = 0; p < pages; p++) {
                khm_tx *tx;
                khm_dataset *items;
                const char **keys;
                size_t n;
                int more;
                q.after_key = p ? key : NULL;
                q.after_id = p ? id : NULL;
                if (khm_tx_begin(&tx, s, 0) < 0 ||
                    khm_store_dataset_find(tx, &q, &items, &keys, &n, &more, a) < 0) {
                    fprintf(stderr, "search_compare: query %zu, %s: %s\n", i,
                            khm_dataset_sort_name(sort), khm_err_last()->message);
                    return 1;
                }
                for (size_t k = 0; k < n; k++)
                    printf("%zu %s %s/%s/%d/%d/%s/%s/%d %d %s %s\n", i, khm_dataset_sort_name(sort),
                           qq->q ? qq->q : "-", qq->agency ? qq->agency : "-", qq->category,
                           qq->level, qq->data_type ? qq->data_type : "-", qq->tag ? qq->tag : "-",
                           qq->personal, p, items[k].slug, keys[k]);
                printf("%zu %s page %d: %zu rows, more %d\n", i, khm_dataset_sort_name(sort), p, n,
                       more);
                if (n) {
                    snprintf(key, sizeof(key), "%s", keys[n - 1]);
                    snprintf(id, sizeof(id), "%s", items[n - 1].id);
                }
                khm_tx_rollback(tx);
                if (!more)
                    break;
            }
            khm_arena_free(a);
            a = khm_arena_new(1 << 20);
        }
    }
    khm_arena_free(a);
    khm_store_close(s);
    return 0;
}
