/* Demo resources for `khomun serve --demo` / `init --demo`: the files of demo_files.c attached to
 * the demo datasets (one link too), each stored in the resource store and scanned and profiled
 * at seed time (khm_resource_scan_fd), so the data map, the flags ("scan_disagrees" with a
 * suggestion), the suggested classifications and the quality scores show at once; then the
 * owners of some datasets confirm the classification the scan suggests (thai-rules.md §2.3).
 * Seeded once (meta key "demo_resources_seeded"), after khm_setup_demo(); an operator's
 * dataset that shares a demo name is left alone. */
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

#include "demo_int.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Links (no bytes): a dataset whose data another system serves. */
static const struct {
    const char *dataset, *name, *url, *description;
} links[] = {
    { "drug-price-reference", "ราคากลางยา-2567.xlsx",
      "https://dmsic.example.moph.go.th/download/median-price-2567.xlsx",
      "ราคากลางยาและเวชภัณฑ์ที่มิใช่ยา ปีงบประมาณ พ.ศ. 2567 (ดาวน์โหลดจากระบบของกระทรวง)" },
};

/* The owner confirms, after the scan, the classification it suggests (issue 4): C/I/A impact
 * (thai-rules.md §2.6) and the reason kept in the history. */
static const struct {
    const char *dataset, *cia, *reason;
} confirms[] = {
    { "it-asset-register", "low,medium,low",
      "ทะเบียนครุภัณฑ์ไม่มีข้อมูลส่วนบุคคล ใช้ภายในหน่วยงานเพื่อการตรวจนับและจัดหาทดแทน" },
    { "citizen-complaints", "high,medium,medium",
      "ผลการตรวจพบชื่อ เลขประจำตัวประชาชน โทรศัพท์ และที่อยู่ของผู้ร้องเรียน: ข้อมูลส่วนบุคคล ชั้นลับ" },
    { "procurement-contracts-2566", "low,high,medium",
      "ข้อมูลสัญญาต้องเปิดเผยตาม พ.ร.บ.การจัดซื้อจัดจ้างฯ มาตรา 7 ผู้ชนะเป็นนิติบุคคล "
      "ผลการตรวจไม่พบข้อมูลส่วนบุคคล" },
    { "welfare-applicants", "high,high,medium",
      "ผลการตรวจพบเลขประจำตัวประชาชน วันเกิด และเลขที่บัญชีธนาคาร: ข้อมูลส่วนบุคคล ชั้นลับ "
      "ตามข้อตกลงกับผู้ควบคุมข้อมูล" },
    { "gdx-api-usage-2567", "low,medium,low", "สถิติรวมรายบริการ ไม่มีข้อมูลรายบุคคล เปิดเผยได้" },
    { "household-socioeconomic-survey", "high,medium,low",
      "ไม่พบตัวระบุโดยตรง แต่ข้อมูลรายครัวเรือนยังระบุตัวได้เมื่อเชื่อมโยงกับข้อมูลอื่น "
      "จึงคงเป็นข้อมูลส่วนบุคคล ชั้นลับ" },
    { "tourism-by-province-2566", "low,medium,low", "สถิติรวมรายจังหวัด เปิดเผยได้" },
    { "hospital-locations", "low,medium,medium",
      "ที่ตั้งและจำนวนเตียงของหน่วยบริการเป็นข้อมูลสาธารณะ ผลการตรวจไม่พบข้อมูลส่วนบุคคล" },
};

/* Attach demo file @p f (made into @p buf) to its dataset, scanned and profiled. */
static int attach(khm_tx *tx, const char *data_dir, const khm_scanner *sc, const khm_demo_file *f,
                  khm_buf *buf, int64_t now, khm_arena *a)
{
    khm_dataset d;
    khm_resource_rec r;
    khm_resource_scan scan;
    khm_blob_writer *w = NULL;
    char sha[KHM_SHA256_HEX_LEN];
    const char *format = NULL, *media = NULL;
    uint64_t size;
    int rc = khm_store_dataset_get(tx, &d, f->dataset, a);
    if (rc == KHM_ENOTFOUND) { /* an operator removed it: nothing to attach to */
        khm_err_clear();
        return 0;
    }
    if (rc < 0)
        return rc;
    if ((rc = khm_setup__demo_owns(tx, &d, a)) <= 0)
        return rc;
    khm_buf_reset(buf);
    if ((rc = f->make(buf)) < 0)
        return rc;
    khm_resource_guess_format(f->name, (const unsigned char *)buf->ptr,
                              buf->len < 4096 ? buf->len : 4096, &format, &media);
    json_t *fields = json_pack("{s:s, s:s}", "name", f->name, "description", f->description);
    if (!fields)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if ((rc = khm_blob_begin(&w, data_dir, 0)) == 0 &&
        (rc = khm_blob_write(w, buf->ptr, buf->len)) == 0 &&
        (rc = khm_blob_finish(w, NULL, sha, &size)) == 0) {
        int fd = open(khm_blob_temp_path(w), O_RDONLY | O_CLOEXEC);
        rc = fd < 0 ? khm_err_set(KHM_EIO, "cannot read the demo file back")
                    : khm_resource_scan_fd(sc, fd, f->name, format, &scan, a);
        if (fd >= 0)
            close(fd);
    }
    khm_resource_input in = { NULL, NULL, NULL, media, fields };
    if (rc == 0)
        rc = khm_resource_create(tx, &r, &d, &in, w, &scan, NULL, now, a);
    khm_blob_free(w);
    json_decref(fields);
    return rc;
}

static int attach_link(khm_tx *tx, size_t i, int64_t now, khm_arena *a)
{
    khm_dataset d;
    khm_resource_rec r;
    int rc = khm_store_dataset_get(tx, &d, links[i].dataset, a);
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        return 0;
    }
    if (rc < 0 || (rc = khm_setup__demo_owns(tx, &d, a)) <= 0)
        return rc;
    json_t *fields = json_pack("{s:s, s:s, s:s}", "name", links[i].name, "url", links[i].url,
                               "description", links[i].description);
    if (!fields)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    khm_resource_input in = { NULL, NULL, NULL, NULL, fields };
    rc = khm_resource_create(tx, &r, &d, &in, NULL, NULL, NULL, now, a);
    json_decref(fields);
    return rc;
}

/* The owner of a demo dataset confirms the classification its scans suggest. */
static int confirm(khm_tx *tx, size_t i, int64_t now, khm_arena *a)
{
    khm_dataset d;
    int c, l;
    int rc = khm_store_dataset_get(tx, &d, confirms[i].dataset, a);
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        return 0;
    }
    if (rc < 0 || (rc = khm_setup__demo_owns(tx, &d, a)) <= 0)
        return rc;
    if (!d.owner_user[0] || d.confirmed)
        return 0;
    khm_dataset_suggest(&d, &c, &l);
    khm_dataset_confirm_input in = { khm_category_name(c), khm_level_name(l), confirms[i].cia,
                                     confirms[i].reason };
    return khm_dataset_confirm(tx, &d, &in, d.version, d.owner_user, now);
}

int khm_setup_demo_resources(khm_store *s, const char *data_dir, int *seeded)
{
    khm_tx *tx;
    char *flag;
    khm_scanner *sc = NULL;
    khm_buf buf = KHM_BUF_INIT(KHM_DEMO_FILE_MAX);
    size_t nfiles;
    const khm_demo_file *files = khm_setup__demo_files(&nfiles);
    int rc;
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
    rc = khm_scanner_new(&sc, NULL);
    for (size_t i = 0; rc == 0 && i < nfiles; i++)
        rc = attach(tx, data_dir, sc, &files[i], &buf, now, a);
    for (size_t i = 0; rc == 0 && i < COUNT(links); i++)
        rc = attach_link(tx, i, now, a);
    for (size_t i = 0; rc == 0 && i < COUNT(confirms); i++)
        rc = confirm(tx, i, now, a);
    if (rc == 0)
        rc = khm_store_meta_set(tx, "demo_resources_seeded", "1");
    if (rc == 0) {
        khm_audit_event ev = { 0 };
        ev.actor_user = "system";
        ev.action = "system.demo_seed";
        ev.outcome = "success";
        ev.reasons = "demo resources added, scanned and profiled; suggested classifications "
                     "confirmed by their owners";
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
    khm_buf_dispose(&buf);
    khm_scanner_free(sc);
    khm_arena_free(a);
    return rc;
}
