/**
 * @file khomun/setup.h
 * The data directory (database, resource store, keys) and first-run setup: `khomun init`
 * and the demo data of `khomun serve --demo`.
 */
#ifndef KHOMUN_SETUP_H
#define KHOMUN_SETUP_H

#include <stdint.h>

#include <khomun/access.h>
#include <khomun/arena.h>
#include <khomun/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Key sizes (libsodium). */
#define KHM_KEY_LEN     32 /**< HMAC-SHA-256 pseudonym key, XChaCha20-Poly1305 field key */
#define KHM_SIGN_SK_LEN 64 /**< Ed25519 secret key */
#define KHM_SIGN_PK_LEN 32 /**< Ed25519 public key */

/** The installation's keys; wipe with khm_keys_wipe(). Never logged. */
typedef struct {
    unsigned char pseudonym[KHM_KEY_LEN];
    unsigned char field[KHM_KEY_LEN];
    unsigned char sign_sk[KHM_SIGN_SK_LEN];
    unsigned char sign_pk[KHM_SIGN_PK_LEN];
} khm_keys;

/**
 * Create data directory @p dir (mode 0700) with resources/ and keys/ (0700) and fresh keys
 * (0600). @return 0, KHM_EEXISTS when @p dir already holds keys or a database, KHM_EIO when it
 * cannot be created or written (the message names the path and the reason).
 */
int khm_datadir_create(const char *dir);

/** 0 when @p dir is an initialised data directory; KHM_ENOTFOUND otherwise. */
int khm_datadir_check(const char *dir);

/** Path of the embedded database in @p dir ("DIR/khomun.db"), in @p a. */
char *khm_datadir_db_path(const char *dir, khm_arena *a);

/** Load the keys of @p dir; KHM_EIO / KHM_EINVALID (wrong size or too-open mode). */
int khm_keys_load(khm_keys *out, const char *dir);

/** Zero @p k. */
void khm_keys_wipe(khm_keys *k);

/**
 * An agency's own keys, derived from the installation's (nothing more to store or back up):
 * each is BLAKE2b-256 keyed with the installation key over "khomun/<label>/v1\0<agency_id>",
 * so agencies on one installation never share a pseudonym or a signing key, and one agency's
 * key reveals nothing of another's.
 */
/** The key that turns a data subject's identifier into their pseudonymous token (HMAC-SHA-256
 *  with this key; PDPA pseudonymisation, thai-rules.md §1.12). */
void khm_keys_agency_pseudonym(const khm_keys *k, const char *agency_id,
                               unsigned char out[KHM_KEY_LEN]);
/** The Ed25519 key pair that signs the agency's consent receipts (thai-rules.md §6). */
void khm_keys_agency_sign(const khm_keys *k, const char *agency_id,
                          unsigned char sk[KHM_SIGN_SK_LEN], unsigned char pk[KHM_SIGN_PK_LEN]);

/** Options of khm_setup_init(). */
typedef struct {
    const char *data_dir;       /**< required */
    const char *db_uri;         /**< NULL = DIR/khomun.db */
    const char *agency_slug;    /**< NULL = "demo" */
    const char *agency_name_th; /**< NULL = "หน่วยงานสาธิต" */
    const char *agency_name_en; /**< NULL = "Demo Agency" */
    const char *admin_name;     /**< NULL = "admin" */
} khm_init_opts;

/** What khm_setup_init() made. The token secret is shown once and never stored. */
typedef struct {
    khm_agency agency;
    khm_user admin;
    khm_token token;
    char secret[KHM_TOKEN_STR_LEN];
    const char *db_uri;
    int schema_version;
} khm_init_result;

/**
 * Initialise a data directory: create it, its keys and database, the first agency, an admin
 * user and an admin token, in one transaction. On failure nothing is left half-made (a
 * directory this call created is removed again).
 */
int khm_setup_init(khm_init_result *out, const khm_init_opts *opts, khm_arena *a);

/**
 * Seed demo agencies and users once (a meta key remembers it). *@p seeded is 1 when this call
 * seeded, 0 when the data was already there.
 */
int khm_setup_demo(khm_store *s, int *seeded);

/**
 * As khm_setup_demo(), and with the installation's @p keys (NULL: skipped) also the PDPA demo
 * records, relative to now: data-subject requests (one due in about 3 days, one overdue, one
 * fulfilled; synthetic subjects, kept as tokens) and breaches (a high-risk one 20 hours into its
 * 72, a closed one).
 */
int khm_setup_demo_keys(khm_store *s, const khm_keys *keys, int *seeded);

/**
 * Attach the demo resources once (after khm_setup_demo()): a synthetic file for each demo
 * dataset that has one (Thai personal data with valid-checksum national IDs, public tables, a
 * TIS-620 legacy export, a table with quality defects; docs/catalog/demo.md), stored in
 * @p data_dir's resource store, scanned and profiled, so the data map, the flagged datasets,
 * the suggested classifications and the quality scores show at once; then some owners confirm
 * what the scans suggest (meta key "demo_resources_seeded"). An operator's dataset that shares
 * a demo name is left alone. *@p seeded as for khm_setup_demo().
 */
int khm_setup_demo_resources(khm_store *s, const char *data_dir, int *seeded);

#ifdef __cplusplus
}
#endif
#endif
