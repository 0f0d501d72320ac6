/* Demo resources for `khomun serve --demo` / `init --demo`: a small CSV of synthetic Thai people
 * (national IDs with valid check digits, made up from a fixed seed; phones; a health column)
 * attached to the chronic-patient register and (the same bytes, stored once) to the staff
 * directory, whose classification (internal) it then disagrees with, and a non-personal budget
 * table attached to the digital budget plan, all scanned at seed time, so the data map, the dataset
 * flags and a suggested classification show at once; and a population table with the defects a
 * real one has (a missing count, "ไม่ระบุ" in a number column, a row pasted twice), so the quality
 * scores (computed with the scan: khm_resource_scan_fd) are not all 100. Seeded once (meta key
 * "demo_resources_seeded"), after khm_setup_demo(). */
#include <khomun/setup.h>

#include <khomun/audit.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/resource.h>
#include <khomun/time.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const first[] = { "สมชาย", "สมหญิง", "วิชัย", "นภา",  "ประเสริฐ",
                                     "มาลี",   "กิตติ",   "สุนีย์", "อนันต์", "พรทิพย์" };
static const char *const last[] = { "ใจดี", "รักไทย", "มั่นคง", "แสงทอง", "สุขใจ", "ศรีสุข" };
static const char *const illness[] = { "เบาหวาน", "ความดันโลหิตสูง", "หอบหืด",
                                       "โรคหัวใจ", "ไขมันในเลือดสูง", "โรคไตเรื้อรัง" };

/* A synthetic 13-digit national ID with its check digit (thai-rules.md §4.1). */
static void tnin(unsigned k, char out[14])
{
    unsigned sum = 0;
    snprintf(out, 14, "1%02u%04u%05u", 10 + k % 80, 1000 + (k * 37) % 9000, (k * 7919) % 100000);
    for (int i = 0; i < 12; i++)
        sum += (unsigned)(out[i] - '0') * (unsigned)(13 - i);
    out[12] = (char)('0' + (11 - sum % 11) % 10);
    out[13] = '\0';
}

static int people_csv(char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "เลขประจำตัวประชาชน,ชื่อ-สกุล,โทรศัพท์,โรคประจำตัว,จังหวัด\n");
    for (unsigned k = 0; k < 40 && n < cap; k++) {
        char id[14];
        tnin(k, id);
        n += (size_t)snprintf(buf + n, cap - n, "%s,%s %s,08%u-%03u-%04u,%s,%s\n", id,
                              first[k % 10], last[k % 6], 1 + k % 9, (k * 17) % 1000,
                              (k * 331) % 10000, illness[k % 6], k % 2 ? "เชียงใหม่" : "ขอนแก่น");
    }
    return n < cap ? (int)n : -1;
}

static const char budget_csv[] =
    "ปีงบประมาณ,แผนงาน,โครงการ,งบประมาณ (บาท)\n"
    "2567,รัฐบาลดิจิทัล,ศูนย์กลางข้อมูลภาครัฐ,125000000\n"
    "2567,รัฐบาลดิจิทัล,ระบบคลาวด์กลางภาครัฐ,480000000\n"
    "2567,เศรษฐกิจดิจิทัล,อินเทอร์เน็ตชายขอบ,210500000\n"
    "2567,ความมั่นคงปลอดภัยไซเบอร์,ศูนย์ประสานการรักษาความมั่นคงปลอดภัยระบบคอมพิวเตอร์,96000000\n";

/* line 5: no female count; line 6: "ไม่ระบุ" where the total should be; line 7 repeats line 3 */
static const char population_csv[] = "รหัสจังหวัด,จังหวัด,ชาย,หญิง,รวม\n"
                                     "10,กรุงเทพมหานคร,2556247,2915070,5471317\n"
                                     "50,เชียงใหม่,872431,925263,1797694\n"
                                     "40,ขอนแก่น,890123,913837,1803960\n"
                                     "90,สงขลา,709385,,1454225\n"
                                     "30,นครราชสีมา,1301452,1343798,ไม่ระบุ\n"
                                     "50,เชียงใหม่,872431,925263,1797694\n";

static int attach(khm_tx *tx, const char *data_dir, const khm_scanner *sc, const char *dataset,
                  const char *name, const char *data, size_t len, int64_t now, khm_arena *a)
{
    khm_dataset d;
    khm_resource_rec r;
    khm_resource_scan scan;
    khm_blob_writer *w = NULL;
    char sha[KHM_SHA256_HEX_LEN];
    uint64_t size;
    int rc = khm_store_dataset_get(tx, &d, dataset, a);
    if (rc == KHM_ENOTFOUND) { /* an operator removed it: nothing to attach to */
        khm_err_clear();
        return 0;
    }
    json_t *f = json_pack("{s:s, s:s}", "name", name, "description", "ข้อมูลสาธิต (สังเคราะห์)");
    if (!f)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if (rc == 0 && (rc = khm_blob_begin(&w, data_dir, 0)) == 0 &&
        (rc = khm_blob_write(w, data, len)) == 0 &&
        (rc = khm_blob_finish(w, NULL, sha, &size)) == 0) {
        int fd = open(khm_blob_temp_path(w), O_RDONLY | O_CLOEXEC);
        rc = fd < 0 ? khm_err_set(KHM_EIO, "cannot read the demo file back")
                    : khm_resource_scan_fd(sc, fd, name, "CSV", &scan, a);
        if (fd >= 0)
            close(fd);
    }
    khm_resource_input in = { NULL, NULL, NULL, "text/csv", f };
    if (rc == 0)
        rc = khm_resource_create(tx, &r, &d, &in, w, &scan, NULL, now, a);
    khm_blob_free(w);
    json_decref(f);
    return rc;
}

int khm_setup_demo_resources(khm_store *s, const char *data_dir, int *seeded)
{
    khm_tx *tx;
    char *flag, people[8192];
    khm_scanner *sc = NULL;
    int rc, n;
    khm_arena *a = khm_arena_new(0);
    *seeded = 0;
    if (!a)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if ((rc = khm_tx_begin(&tx, s, 1)) < 0)
        goto done;
    if ((rc = khm_store_meta_get(tx, "demo_resources_seeded", &flag, a)) != KHM_ENOTFOUND) {
        khm_tx_rollback(tx);
        goto done;
    }
    khm_err_clear();
    int64_t now = khm_time_now_ms();
    if ((n = people_csv(people, sizeof(people))) < 0)
        rc = khm_err_set(KHM_ELIMIT, "demo file too large");
    if (rc == 0 || rc == KHM_ENOTFOUND)
        rc = khm_scanner_new(&sc, NULL);
    if (rc == 0)
        rc = attach(tx, data_dir, sc, "chronic-patient-register", "ทะเบียนผู้ป่วย-สาธิต.csv", people,
                    (size_t)n, now, a);
    /* the same bytes under the staff directory (stored once): a file with health data where
     * the classification says internal — the dataset is flagged and a suggestion recorded */
    if (rc == 0)
        rc = attach(tx, data_dir, sc, "staff-directory", "บุคลากร-สวัสดิการ.csv", people, (size_t)n,
                    now, a);
    if (rc == 0)
        rc = attach(tx, data_dir, sc, "digital-budget-2567", "งบประมาณ-2567.csv", budget_csv,
                    sizeof(budget_csv) - 1, now, a);
    if (rc == 0)
        rc = attach(tx, data_dir, sc, "population-by-province-2566", "ประชากร-รายจังหวัด-2566.csv",
                    population_csv, sizeof(population_csv) - 1, now, a);
    if (rc == 0)
        rc = khm_store_meta_set(tx, "demo_resources_seeded", "1");
    if (rc == 0) {
        khm_audit_event ev = { 0 };
        ev.actor_user = "system";
        ev.action = "system.demo_seed";
        ev.outcome = "success";
        ev.reasons = "demo resources added and scanned";
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
    khm_scanner_free(sc);
    khm_arena_free(a);
    return rc;
}
