/* khomun consent grant|withdraw|check|history|verify: consent records of data subjects (PDPA
 * s.19, s.20, s.26) straight on the data directory's store, through the library calls the API
 * uses (khm_consent_record, the consent index's khm_consent_check), every change audited as
 * "cli:<login>"; and verify, which checks a signed consent receipt (docs/consent-receipts.md)
 * offline — its Kantara v1.1 shape, its JWS header and its Ed25519 signature, with a pinned
 * agency key or the key the receipt carries — and says exactly why it fails (verify needs no
 * data directory). The subject's identifier only ever becomes its keyed token; it is never
 * printed or stored. */
#include "cli.h"

#include <khomun/consent.h>
#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/policy.h>
#include <khomun/receipt.h>
#include <khomun/setup.h>
#include <khomun/time.h>

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 64 hex digits (surrounding blanks allowed: a key pasted from a file), or 32 raw bytes when
 * @p raw_ok (a key file). */
static int parse_key(unsigned char pk[32], const char *p, size_t n, int raw_ok)
{
    if (raw_ok && n == 32) {
        memcpy(pk, p, 32);
        return 0;
    }
    while (n && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    if (n == 64 && khm_hex_decode(pk, 32, p, 64) == 0)
        return 0;
    khm_err_clear();
    return -1;
}

static int load_key_file(unsigned char pk[32], const char *file)
{
    char buf[130];
    FILE *f = fopen(file, "rb");
    if (!f)
        return khm_err_set(KHM_EIO, "cannot open key file %s: %s", file, strerror(errno));
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    if (parse_key(pk, buf, n, 1) < 0)
        return khm_err_field("key-file",
                             "ไฟล์กุญแจต้องเป็นกุญแจสาธารณะ Ed25519 (32 ไบต์ หรือเลขฐานสิบหก 64 หลัก)",
                             "%s is not an Ed25519 public key (32 bytes or 64 hex digits)", file);
    return 0;
}

/* The whole file (or stdin for "-"), up to one byte past the verifier's limit so that it can
 * say the receipt is too large. */
static int read_receipt(khm_buf *b, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return khm_err_set(KHM_EIO, "cannot open %s: %s", path, strerror(errno));
    char chunk[8192];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (n > b->max - b->len)
            n = b->max - b->len; /* one byte past the limit: the verifier reports the size */
        if (n == 0)
            break;
        rc = khm_buf_put(b, chunk, n);
    }
    if (rc == 0 && ferror(f))
        rc = khm_err_set(KHM_EIO, "cannot read %s: %s", path, strerror(errno));
    if (f != stdin)
        fclose(f);
    return rc;
}

static void print_table(const khm_receipt_report *r, const char *path)
{
    if (r->valid) {
        char t[KHM_TIME_RFC3339_LEN];
        khm_time_format(t, r->timestamp * 1000);
        printf("receipt: VALID — %s\n", path);
        printf("  receipt   %s\n  consent   %s (%s at %s)\n  agency    %s\n  purpose   %s\n"
               "  key       %s\n",
               r->receipt_id, r->consent_id, r->event, t, r->agency_id, r->purpose, r->public_key);
        printf("note: %s\n", r->note);
        return;
    }
    printf("receipt: INVALID — %s: %zu problem%s\n", path, r->nproblems_total,
           r->nproblems_total == 1 ? "" : "s");
    for (size_t i = 0; i < r->nproblems; i++) {
        const khm_receipt_problem *p = &r->problems[i];
        printf("  %s at %s: %s\n    (%s)\n", khm_receipt_problem_name(p->kind), p->path, p->message,
               p->message_th);
    }
    if (r->nproblems_total > r->nproblems)
        printf("  … and %zu more\n", r->nproblems_total - r->nproblems);
}

static int consent_verify(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *key = NULL, *key_file = NULL;
    char **args;
    int nargs;
    const khm_cli_opt opts[] = {
        { "key", &key, NULL },
        { "key-file", &key_file, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 1, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs != 1)
        return khm_cli_usage(cmd, "name the receipt file (or - for stdin)");
    if (key && key_file)
        return khm_cli_usage(cmd, "give --key or --key-file, not both");
    unsigned char pk[32];
    const unsigned char *pinned = NULL;
    if (key) {
        if (parse_key(pk, key, strlen(key), 0) < 0)
            return khm_cli_fail(khm_err_field("key", "กุญแจต้องเป็นเลขฐานสิบหก 64 หลัก",
                                              "--key must be an Ed25519 public key as 64 hex "
                                              "digits"));
        pinned = pk;
    } else if (key_file) {
        if ((rc = load_key_file(pk, key_file)) < 0)
            return khm_cli_fail(rc);
        pinned = pk;
    }
    khm_buf doc;
    khm_buf_init(&doc, KHM_RECEIPT_MAX_BYTES + 1);
    khm_receipt_report rep;
    if ((rc = read_receipt(&doc, args[0])) == 0)
        rc = khm_receipt_verify(&rep, doc.ptr ? doc.ptr : "", doc.len, pinned);
    khm_buf_dispose(&doc);
    if (rc < 0)
        return khm_cli_fail(rc);
    if (c.format == KHM_OUT_JSON) {
        json_t *j = khm_receipt_report_json(&rep);
        if (!j)
            return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
        khm_cli_print_json(j);
    } else {
        print_table(&rep, args[0]);
    }
    return rep.valid ? 0 : khm_err_info_get(KHM_ETAMPER)->exit_code;
}

/* ---- grant, withdraw, check, history ---- */

/* The agency named by --agency (id or slug) into @p out. */
static int agency_of(khm_tx *tx, const char *name, khm_agency *out, khm_arena *a)
{
    int rc = khm_store_agency_get(tx, out, name, a);
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        return khm_err_field("agency", "ไม่พบหน่วยงานนี้", "unknown agency '%s'", name);
    }
    return rc;
}

/* The pseudonymiser of agency @p agency_id from the installation's keys. */
static void agency_pz(const khm_keys *keys, const char *agency_id, khm_pseudonymizer *pz)
{
    unsigned char key[KHM_KEY_LEN];
    khm_keys_agency_pseudonym(keys, agency_id, key);
    khm_pseudonymizer_init(pz, key);
    sodium_memzero(key, sizeof(key));
}

/* Set @p key of @p body to the whole number @p s (a field error naming @p key when it is not
 * one). Nothing when @p s is NULL. 1 when bad. */
static int put_int(json_t *body, const char *key, const char *th, const char *s)
{
    char *end;
    if (!s)
        return 0;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < 0)
        return khm_err_field(key, th, "must be a whole number 0 or more, not '%.20s'", s) < 0;
    json_object_set_new(body, key, json_integer(v));
    return 0;
}

static void put_str(json_t *o, const char *key, const char *s)
{
    if (s)
        json_object_set_new(o, key, json_string(s));
}

/* The options of a grant or a withdrawal. */
typedef struct {
    const char *agency, *subject, *subject_type, *purpose, *method, *given_at, *expires_at;
    const char *text_version, *age, *birth_date, *given_by, *guardian, *guardian_type;
    const char *guardian_relation, *receipt;
    int explicit_consent, minor_alone;
} record_opts;

/* The request body the API would get for @p o: the same input checks (khm_consent_input_from_json)
 * then apply. NULL after a field error (or OOM). */
static json_t *record_body(const record_opts *o, int withdraw)
{
    json_t *b = json_object();
    int bad = 0;
    if (!b) {
        khm_err_set(KHM_ENOMEM, "out of memory");
        return NULL;
    }
    put_str(b, "subject", o->subject);
    put_str(b, "subject_type", o->subject_type ? o->subject_type : "tnin");
    put_str(b, "purpose", o->purpose);
    put_str(b, "method", o->method);
    put_str(b, "given_at", o->given_at);
    if (!withdraw) {
        put_str(b, "expires_at", o->expires_at);
        if (o->explicit_consent)
            json_object_set_new(b, "explicit", json_true());
        bad |= put_int(b, "text_version", "ฉบับของข้อความขอความยินยอมต้องเป็นจำนวนเต็ม", o->text_version);
        bad |= put_int(b, "age", "อายุต้องเป็นจำนวนเต็ม", o->age);
        put_str(b, "birth_date", o->birth_date);
        put_str(b, "given_by", o->given_by);
        if (o->minor_alone)
            json_object_set_new(b, "minor_may_act_alone", json_true());
        if (o->guardian || o->guardian_type || o->guardian_relation) {
            json_t *g = json_object();
            put_str(g, "subject", o->guardian);
            put_str(g, "subject_type", o->guardian_type ? o->guardian_type : "tnin");
            put_str(g, "relation", o->guardian_relation);
            json_object_set_new(b, "guardian", g);
        }
    }
    if (bad) {
        json_decref(b);
        return NULL;
    }
    return b;
}

/* Create @p path for the receipt (never overwriting a file) before anything is recorded. */
static int receipt_open(const char *path, FILE **out)
{
    *out = fopen(path, "wbx");
    if (*out)
        return 0;
    if (errno == EEXIST)
        return khm_err_set(KHM_EEXISTS, "%s exists: choose another file for the receipt", path);
    return khm_err_set(KHM_EIO, "cannot create %s: %s", path, strerror(errno));
}

/* The receipt document @p txt (compact JSON) indented, or NULL. */
static char *receipt_pretty(const char *txt)
{
    json_t *j = json_loads(txt, 0, NULL);
    char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    return s;
}

typedef struct {
    const khm_consent_event *ev;
    const char *purpose;
} grant_view;

/* {"purpose", "consent", "receipt", "receipt_error"?}: the API's answer (consents-grant.md). */
static void write_grant(khm_jw *w, const void *rec)
{
    const grant_view *v = rec;
    khm_jw_obj(w);
    khm_jw_key(w, "purpose");
    khm_jw_str(w, v->purpose);
    khm_jw_key(w, "consent");
    khm_consent_event_write_json(w, v->ev);
    khm_jw_key(w, "receipt");
    if (v->ev->receipt)
        khm_jw_raw(w, v->ev->receipt, strlen(v->ev->receipt));
    else
        khm_jw_null(w);
    if (v->ev->receipt_error) {
        khm_jw_key(w, "receipt_error");
        khm_jw_raw(w, v->ev->receipt_error, strlen(v->ev->receipt_error));
    }
    khm_jw_obj_end(w);
}

/* Why there is no receipt, from ev->receipt_error (a JSON array of field errors), on stdout. */
static void print_receipt_error(const char *err)
{
    json_t *arr = json_loads(err, 0, NULL);
    size_t i;
    json_t *e;
    printf("no receipt: the agency record lacks what a signed receipt must name (the consent "
           "still counts):\n");
    json_array_foreach(arr, i, e)
    {
        printf("  %s: %s (%s)\n", json_string_value(json_object_get(e, "field")),
               json_string_value(json_object_get(e, "message")),
               json_string_value(json_object_get(e, "message_th")));
    }
    json_decref(arr);
    printf("  set them with: khomun agency set AGENCY --email … --privacy-notice-url …\n");
}

static int consent_record(const khm_cmd *cmd, int argc, char **argv, int withdraw)
{
    khm_common c;
    record_opts o = { 0 };
    const khm_cli_opt grant_opts[] = {
        { "agency", &o.agency, NULL },
        { "subject", &o.subject, NULL },
        { "subject-type", &o.subject_type, NULL },
        { "purpose", &o.purpose, NULL },
        { "method", &o.method, NULL },
        { "given-at", &o.given_at, NULL },
        { "expires-at", &o.expires_at, NULL },
        { "explicit", NULL, &o.explicit_consent },
        { "text-version", &o.text_version, NULL },
        { "age", &o.age, NULL },
        { "birth-date", &o.birth_date, NULL },
        { "given-by", &o.given_by, NULL },
        { "guardian", &o.guardian, NULL },
        { "guardian-type", &o.guardian_type, NULL },
        { "guardian-relation", &o.guardian_relation, NULL },
        { "minor-may-act-alone", NULL, &o.minor_alone },
        { "receipt", &o.receipt, NULL },
        { NULL, NULL, NULL },
    };
    const khm_cli_opt withdraw_opts[] = {
        { "agency", &o.agency, NULL },
        { "subject", &o.subject, NULL },
        { "subject-type", &o.subject_type, NULL },
        { "purpose", &o.purpose, NULL },
        { "method", &o.method, NULL },
        { "given-at", &o.given_at, NULL },
        { "receipt", &o.receipt, NULL },
        { NULL, NULL, NULL },
    };
    const char *what = withdraw ? "withdraw" : "grant";
    int rc =
        khm_cli_parse(cmd, &c, withdraw ? withdraw_opts : grant_opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (!o.agency || !o.subject || !o.purpose)
        return khm_cli_usage(cmd, "consent %s needs --agency, --subject and --purpose", what);
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_keys keys;
    khm_agency ag;
    khm_consent_input in;
    khm_consent_event ev;
    khm_purpose_rec p;
    FILE *rf = NULL;
    char actor[96];
    json_t *body = NULL;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    khm_cli_actor(actor, sizeof(actor));
    memset(&keys, 0, sizeof(keys));
    memset(&ev, 0, sizeof(ev));
    /* the input first: bad input changes nothing and creates no file */
    if (!(body = record_body(&o, withdraw)))
        rc = KHM_EINVALID;
    else
        rc = khm_consent_input_from_json(&in, body, withdraw);
    if (rc == 0 && (rc = khm_cli_open_store(&s, &c, a)) == 0 &&
        (rc = khm_keys_load(&keys, c.data_dir)) == 0 &&
        (!o.receipt || (rc = receipt_open(o.receipt, &rf)) == 0) &&
        (rc = khm_tx_begin(&tx, s, 1)) == 0) {
        khm_pseudonymizer pz;
        if ((rc = agency_of(tx, o.agency, &ag, a)) == 0) {
            agency_pz(&keys, ag.id, &pz);
            rc = khm_consent_record(tx, &pz, &keys, ag.id, withdraw, &in, actor, khm_time_now_ms(),
                                    &ev, &p, a);
            sodium_memzero(&pz, sizeof(pz));
        }
        if (rc == 0 && (rc = khm_cli_audit(tx, &c, withdraw ? "consent.withdraw" : "consent.grant",
                                           khm_arena_printf(a, "consent/%s", ev.id))) == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
    }
    khm_keys_wipe(&keys);
    char *pretty = rc == 0 && ev.receipt ? receipt_pretty(ev.receipt) : NULL;
    if (rf) {
        /* recorded: the receipt goes to the file; not recorded (or no receipt): no file */
        int ok = rc == 0 && pretty && fputs(pretty, rf) >= 0 && fputc('\n', rf) != EOF;
        if (fclose(rf) != 0)
            ok = 0;
        if (!ok) {
            unlink(o.receipt);
            if (rc == 0 && pretty)
                fprintf(stderr,
                        "khomun: warning: the consent is recorded but %s could not be "
                        "written; its receipt is kept with it (consent history)\n",
                        o.receipt);
        }
    }
    if (rc == 0) {
        grant_view v = { &ev, p.code };
        if (c.format == KHM_OUT_JSON) {
            rc = khm_cli_print_json(khm_jw_to_jansson(write_grant, &v));
        } else {
            printf("consent %s recorded: %s of purpose %s (text version %d), subject token %s\n",
                   ev.id, withdraw ? "withdrawal" : "grant", p.code, ev.text_version, ev.subject);
            if (!ev.receipt)
                print_receipt_error(ev.receipt_error ? ev.receipt_error : "[]");
            else if (o.receipt)
                printf("receipt written to %s (verify: khomun consent verify %s)\n", o.receipt,
                       o.receipt);
            else if (pretty)
                puts(pretty);
        }
    } else {
        rc = khm_cli_fail(rc);
    }
    free(pretty);
    json_decref(body);
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

static int consent_grant(const khm_cmd *cmd, int argc, char **argv)
{
    return consent_record(cmd, argc, argv, 0);
}

static int consent_withdraw(const khm_cmd *cmd, int argc, char **argv)
{
    return consent_record(cmd, argc, argv, 1);
}

/* The token of the subject of --subject / --subject-type (default tnin) in agency @p ag. */
static int subject_token(const khm_keys *keys, const khm_agency *ag, const char *subject,
                         const char *type, unsigned char tok[32])
{
    khm_pseudonymizer pz;
    int t, rc;
    if ((rc = khm_subject_type_parse(type ? type : "tnin", "subject_type", &t)) < 0)
        return rc;
    agency_pz(keys, ag->id, &pz);
    rc = khm_consent_subject_token(&pz, t, subject, "subject", tok);
    sodium_memzero(&pz, sizeof(pz));
    return rc;
}

typedef struct {
    const char *purpose;
    const khm_consent_verdict *v;
} verdict_view;

static void write_verdict(khm_jw *w, const void *rec)
{
    const verdict_view *v = rec;
    khm_consent_verdict_write_json(w, v->purpose, v->v);
}

/* May the agency process the subject's data for the purpose now? The consent index's answer,
 * as the API gives it (khm_consent_check_store: the same rules on the pair's records); exit 0
 * allow, 1 deny. */
static int consent_check(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *agency = NULL, *subject = NULL, *type = NULL, *purpose = NULL;
    const khm_cli_opt opts[] = {
        { "agency", &agency, NULL },
        { "subject", &subject, NULL },
        { "subject-type", &type, NULL },
        { "purpose", &purpose, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (!agency || !subject || !purpose)
        return khm_cli_usage(cmd, "consent check needs --agency, --subject and --purpose");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_keys keys;
    khm_agency ag;
    khm_purpose_rec pr;
    khm_consent_verdict v;
    unsigned char tok[32];
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    memset(&keys, 0, sizeof(keys));
    /* the purpose first; then the subject's token; then the answer, from the pair's own
     * records (one indexed read, not the whole consent index) */
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        if ((rc = agency_of(tx, agency, &ag, a)) == 0 &&
            (rc = khm_consent_purpose_read(tx, ag.id, purpose, &pr, a)) == 0 &&
            (rc = khm_keys_load(&keys, c.data_dir)) == 0 &&
            (rc = subject_token(&keys, &ag, subject, type, tok)) == 0)
            rc = khm_consent_check_store(tx, &pr, tok, khm_time_now_ms(), &v);
        khm_tx_rollback(tx);
    }
    khm_keys_wipe(&keys);
    sodium_memzero(tok, sizeof(tok));
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON) {
            verdict_view vv = { purpose, &v };
            rc = khm_cli_print_json(khm_jw_to_jansson(write_verdict, &vv));
        } else {
            printf("%s: %s\n", v.allow ? "allow" : "deny", purpose);
            printf("  basis    %s (%s)", khm_basis_name(v.basis), khm_basis_label_th(v.basis));
            if (v.s26_exception)
                printf(", %s", khm_s26_name(v.s26_exception));
            printf("\n  reason   %s: %s\n           %s\n", khm_check_reason_name(v.reason),
                   khm_check_reason_th(v.reason), khm_check_reason_text(v.reason));
            if (v.consent_id[0])
                printf("  consent  %s (text version %d)\n", v.consent_id, v.text_version);
            if (v.expires_at) {
                char t[KHM_TIME_RFC3339_LEN];
                khm_time_format(t, v.expires_at);
                printf("  expires  %s\n", t);
            }
        }
        if (rc == 0)
            rc = v.allow ? 0 : 1;
    } else {
        rc = khm_cli_fail(rc);
    }
    khm_store_close(s);
    khm_arena_free(a);
    return rc;
}

typedef struct {
    const char *token;
    const khm_consent_event *items;
    size_t n;
} history_view;

/* {"subject_token", "items"}: the API's history (consents-history.md), every page. */
static void write_history(khm_jw *w, const void *rec)
{
    const history_view *h = rec;
    khm_jw_obj(w);
    khm_jw_key(w, "subject_token");
    khm_jw_str(w, h->token);
    khm_jw_key(w, "items");
    khm_jw_arr(w);
    for (size_t i = 0; i < h->n; i++)
        khm_consent_event_write_json(w, &h->items[i]);
    khm_jw_arr_end(w);
    khm_jw_obj_end(w);
}

/* Every consent event of the subject in the agency, oldest first (PDPA s.31: the subject's
 * own record, portable as JSON). */
static int consent_history(const khm_cmd *cmd, int argc, char **argv)
{
    khm_common c;
    const char *agency = NULL, *subject = NULL, *type = NULL;
    const khm_cli_opt opts[] = {
        { "agency", &agency, NULL },
        { "subject", &subject, NULL },
        { "subject-type", &type, NULL },
        { NULL, NULL, NULL },
    };
    int rc = khm_cli_parse(cmd, &c, opts, argc, argv, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (!agency || !subject)
        return khm_cli_usage(cmd, "consent history needs --agency and --subject");
    khm_arena *a = khm_arena_new(0);
    khm_store *s = NULL;
    khm_tx *tx;
    khm_keys keys;
    khm_agency ag;
    unsigned char tok[32];
    char hex[65] = "";
    khm_consent_event *all = NULL;
    size_t nall = 0, cap = 0;
    khm_table t;
    if (!a)
        return khm_cli_fail(khm_err_set(KHM_ENOMEM, "out of memory"));
    memset(&keys, 0, sizeof(keys));
    khm_table_init(&t, 8, a);
    const char *head[] = { "GIVEN AT", "ACTION",   "PURPOSE", "METHOD",
                           "TEXT",     "GIVEN BY", "RECEIPT", "ID" };
    khm_table_row(&t, head);
    if ((rc = khm_cli_open_store(&s, &c, a)) == 0 && (rc = khm_keys_load(&keys, c.data_dir)) == 0 &&
        (rc = khm_tx_begin(&tx, s, 0)) == 0) {
        if ((rc = agency_of(tx, agency, &ag, a)) == 0 &&
            (rc = subject_token(&keys, &ag, subject, type, tok)) == 0)
            khm_hex_encode(hex, tok, sizeof(tok));
        khm_page page = { NULL, KHM_PAGE_MAX };
        int more = rc == 0;
        while (rc == 0 && more) {
            khm_consent_event *items;
            size_t n;
            rc = khm_store_consent_history(tx, &items, &n, &more, ag.id, hex, &page, a);
            if (rc == 0 && nall + n > cap) {
                size_t ncap = cap ? cap * 2 : 64;
                while (ncap < nall + n)
                    ncap *= 2;
                khm_consent_event *grown = khm_arena_calloc(a, ncap, sizeof(*grown));
                if (!grown) {
                    rc = khm_err_set(KHM_ENOMEM, "out of memory");
                    break;
                }
                if (nall)
                    memcpy(grown, all, nall * sizeof(*all));
                all = grown;
                cap = ncap;
            }
            for (size_t i = 0; rc == 0 && i < n; i++)
                all[nall++] = items[i];
            if (n)
                page.after = items[n - 1].id;
            else
                break;
        }
        /* the purposes' codes for the table */
        for (size_t i = 0; rc == 0 && i < nall; i++) {
            const khm_consent_event *e = &all[i];
            khm_purpose_rec p;
            char *at = khm_arena_alloc(a, KHM_TIME_RFC3339_LEN);
            if (!at) {
                rc = khm_err_set(KHM_ENOMEM, "out of memory");
                break;
            }
            if ((rc = khm_store_purpose_get(tx, &p, ag.id, e->purpose_id, a)) < 0)
                break;
            khm_time_format(at, e->given_at);
            at[16] = '\0'; /* minutes are enough in a table */
            const char *row[] = { at,
                                  e->withdraw ? "withdraw" : "grant",
                                  p.code,
                                  e->method,
                                  khm_arena_printf(a, "v%d%s", e->text_version,
                                                   e->explicit_consent ? " explicit" : ""),
                                  e->given_by,
                                  e->receipt ? "signed" : "-",
                                  e->id };
            khm_table_row(&t, row);
        }
        khm_tx_rollback(tx);
    }
    khm_keys_wipe(&keys);
    sodium_memzero(tok, sizeof(tok));
    if (rc == 0) {
        if (c.format == KHM_OUT_JSON) {
            history_view h = { hex, all, nall };
            rc = khm_cli_print_json(khm_jw_to_jansson(write_history, &h));
        } else {
            printf("subject token %s: %zu consent event%s\n", hex, nall, nall == 1 ? "" : "s");
            if (nall)
                khm_table_print(&t);
        }
    }
    return khm_cli_close(rc, s, a);
}

int khm_cmd_consent(int argc, char **argv)
{
    static const khm_subcmd subs[] = {
        { "grant", consent_grant },   { "withdraw", consent_withdraw },
        { "check", consent_check },   { "history", consent_history },
        { "verify", consent_verify }, { NULL, NULL },
    };
    return khm_cli_dispatch("consent", subs, argc, argv);
}
