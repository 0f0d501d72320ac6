/**
 * @file khomun/gdc.h
 * The GD-Catalog metadata standard (thai-rules.md §3): the one table of dataset fields and the
 * one table of resource fields that Thai agencies fill in for the Government Data Catalog
 * (ckanext-thai_gdc v2.2.4), their validation, the category→level rules of the data-governance
 * framework (§2.3), the C/I/A impact levels (§2.6), and the CSV form of a dataset's metadata.
 * The tables drive validation, the API schema, the CSV columns and docs/catalog/gdc-fields.md.
 *
 * ## A dataset's metadata
 * A JSON object whose members are GD-Catalog field names ("data_type", "title", "objective", …)
 * with these JSON types, by khm_gdc_value_type:
 * - text, long text, choice (single), date, URL, e-mail, slug: a string. Choices are the exact
 *   stored strings of the schema ("ข้อมูลสถิติ", "False", "XLS"), never the display labels.
 *   Dates are "YYYY-MM-DD", Christian era (a year ≥ 2400 is refused as a Buddhist-era slip).
 * - multi-select choice (objective, data_format, data_language, disaggregate) and tags
 *   (tag_string): an array of strings, each once.
 * - integer (update_frequency_interval) and year (first/last_year_of_data, CE or BE, as Thai
 *   statistics are published): a JSON integer. number (the four bounding coordinates, decimal
 *   degrees): a JSON number.
 * A member that is null, "", a string of spaces or [] counts as absent. Every `*_other`
 * companion of the schema ("อื่นๆ โปรดระบุ") is a row of the table too, right after its choice
 * field, and may hold a value only when that field holds its "other" choice.
 *
 * ## name and owner_org
 * The CKAN core fields `name` (the URL slug) and `owner_org` (the organisation) are rows of the
 * table (flag KHM_GDC_F_CORE) so the CSV carries them, but Khomun keeps them as the dataset's
 * slug and owner agency, not in the metadata object: khm_gdc_validate() accepts and checks them
 * when present and never requires them.
 *
 * ## Data category and classification level
 * The GD-Catalog field `data_category` (หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ, required) holds
 * khm_category_label_th() of a khm_category, and `data_classification` (ระดับชั้นข้อมูล, optional
 * in the schema) holds khm_level_label_th() of a khm_level; the i-th choice of each field is
 * enum value i. khm_gdc_classification_get() reads both; khm_gdc_validate() enforces the
 * allowed combinations of §2.3 (khm_gdc_level_allowed()) when both are given.
 *
 * All tables are static and immutable; every function here is thread-safe.
 */
#ifndef KHOMUN_GDC_H
#define KHOMUN_GDC_H

#include <stddef.h>

#include <jansson.h>
#include <khomun/buf.h>
#include <khomun/json.h>
#include <khomun/span.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The five data types of GD-Catalog (ประเภทชุดข้อมูล, field `data_type`, thai-rules.md §3.3). */
typedef enum {
    KHM_GDC_TYPE_RECORD = 0, /**< "record": ข้อมูลระเบียน */
    KHM_GDC_TYPE_STAT,       /**< "statistical": ข้อมูลสถิติ */
    KHM_GDC_TYPE_GEO, /**< "geospatial": ข้อมูลภูมิสารสนเทศเชิงพื้นที่ */
    KHM_GDC_TYPE_MULTI, /**< "multiple": ข้อมูลหลากหลายประเภท */
    KHM_GDC_TYPE_OTHER, /**< "other": ข้อมูลประเภทอื่นๆ */
    KHM_GDC_TYPE__COUNT
} khm_gdc_data_type;

/** Bit of a data type in khm_gdc_field.shown_for. */
#define KHM_GDC_SHOWN(type) (1u << (type))
/** shown_for of a field shown for every data type. */
#define KHM_GDC_SHOWN_ALL ((1u << KHM_GDC_TYPE__COUNT) - 1u)

/** The stored Thai string, e.g. "ข้อมูลสถิติ"; NULL when out of range. */
const char *khm_gdc_data_type_value(int type);
/** English key: "record", "statistical", "geospatial", "multiple", "other"; NULL out of range. */
const char *khm_gdc_data_type_name(int type);
/** English label, e.g. "Statistical data"; NULL when out of range. */
const char *khm_gdc_data_type_label_en(int type);
/**
 * Parse the stored Thai string or the English key.
 * @return 0, or KHM_EINVALID (field "data_type", message lists the allowed values).
 */
int khm_gdc_data_type_parse(const char *s, int *out);

/** How a field's value is written and checked. */
typedef enum {
    KHM_GDC_V_TEXT = 1,  /**< one line of text (no control characters) */
    KHM_GDC_V_LONG_TEXT, /**< text that may hold line breaks and tabs (Markdown in CKAN) */
    KHM_GDC_V_CHOICE,    /**< one of khm_gdc_field.choices (an array of them when multiple) */
    KHM_GDC_V_DATE,      /**< "YYYY-MM-DD", a real day, Christian era */
    KHM_GDC_V_YEAR,      /**< JSON integer in [min, max]: a year, CE or BE */
    KHM_GDC_V_URL,       /**< absolute http:// or https:// URL, no spaces */
    KHM_GDC_V_EMAIL,     /**< e-mail address, CKAN's email_validator syntax */
    KHM_GDC_V_INTEGER,   /**< JSON integer in [min, max] */
    KHM_GDC_V_NUMBER,    /**< JSON number in [min, max] */
    KHM_GDC_V_TAGS,      /**< array of keywords, each 2..max_len characters, no comma */
    KHM_GDC_V_SLUG,      /**< CKAN name: 2..100 of a-z 0-9 - _ */
    KHM_GDC_V__LAST = KHM_GDC_V_SLUG
} khm_gdc_value_type;

/** "text", "long_text", "choice", "date", "year", "url", "email", "integer", "number", "tags",
 *  "slug"; NULL when out of range. */
const char *khm_gdc_value_type_name(int vt);

/** khm_gdc_field.flags */
#define KHM_GDC_F_REQUIRED 0x1u /**< `required: true` in the schema: must be non-empty */
#define KHM_GDC_F_MULTI    0x2u /**< multi-select (scheming_multiple_choice): an array */
#define KHM_GDC_F_CORE     0x4u /**< CKAN core (name, owner_org): see the file comment */
#define KHM_GDC_F_OTHER    0x8u /**< `*_other` companion: text for the "other" choice */

/** One allowed value of a choice field. */
typedef struct {
    const char *value; /**< stored exactly, e.g. "False", "ข้อมูลสถิติ", "XLS" */
    const char *label_th; /**< Thai display label, e.g. "ไม่ยินยอม"; equals value for most */
    const char *label_en; /**< English display label, or NULL when the schema gives none */
    int other;            /**< 1 for the "other, please specify" choice (อื่นๆ) */
} khm_gdc_choice;

/** One row of a field table. All strings are static. */
typedef struct {
    const char *name;              /**< field name as GD-Catalog stores it */
    const char *label_th;          /**< Thai label */
    const char *label_en;          /**< English label */
    int type;                      /**< khm_gdc_value_type */
    unsigned shown_for;            /**< bit set of KHM_GDC_SHOWN(data type) */
    unsigned flags;                /**< KHM_GDC_F_* */
    const khm_gdc_choice *choices; /**< KHM_GDC_V_CHOICE: the allowed values; else NULL */
    size_t n_choices;              /**< entries of choices */
    size_t max_len;                /**< text: max code points (of each tag); 0 otherwise */
    double min, max;               /**< YEAR, INTEGER, NUMBER: inclusive range */
    const char *other_of;          /**< KHM_GDC_F_OTHER: name of its choice field; else NULL */
} khm_gdc_field;

/** Rows of the dataset field table (the 46 fields of §3.2 in v2.2.4 order, plus their
 *  `*_other` companions, each right after its choice field). */
size_t khm_gdc_field_count(void);
/** Row @p i of the dataset table, or NULL past the end. Static: never free. */
const khm_gdc_field *khm_gdc_field_at(size_t i);
/** The dataset field named @p name, or NULL. */
const khm_gdc_field *khm_gdc_field_find(const char *name);

/** Rows of the resource (distribution) field table (§3.4). */
size_t khm_gdc_resource_field_count(void);
/** Row @p i of the resource table, or NULL past the end. */
const khm_gdc_field *khm_gdc_resource_field_at(size_t i);
/** The resource field named @p name, or NULL. */
const khm_gdc_field *khm_gdc_resource_field_find(const char *name);

/** 1 when @p f is shown for @p data_type (a khm_gdc_data_type; any negative value = unknown
 *  type, which shows every field). */
int khm_gdc_field_shown(const khm_gdc_field *f, int data_type);
/** The choice of @p f whose stored value is @p value, or NULL. */
const khm_gdc_choice *khm_gdc_choice_find(const khm_gdc_field *f, const char *value);

/** Write one row as {"name", "label_th", "label_en", "type", "required", "multiple",
 *  "shown_for": [stored data-type strings], "choices": [{"value", "label_th", "label_en",
 *  "other"}] | null, "max_length": n | null, "min"/"max" (numbers only), "other_of": s | null}. */
void khm_gdc_field_write_json(khm_jw *w, const khm_gdc_field *f);
/** Write {"version": "2.2.4", "data_types": [{"value", "name", "label_en"}], "dataset_fields":
 *  [...], "resource_fields": [...]}: the whole schema, for an API schema route. */
void khm_gdc_schema_write_json(khm_jw *w);

/** Version of ckanext-thai_gdc whose schema the tables follow. */
#define KHM_GDC_SCHEMA_VERSION "2.2.4"

/**
 * Validate a dataset's GD-Catalog metadata object. Clears the last error first, then adds one
 * khm_err_field() per problem, named `<prefix><field>` (e.g. "metadata.data_category"), with an
 * English and a Thai message that both carry the field's English and Thai labels: unknown field
 * (with a "did you mean"), missing required field, value outside the allowed list (the message
 * lists the allowed values), field not shown for the dataset's data type, `*_other` text without
 * the "other" choice, wrong JSON type, too long, bad date/URL/e-mail/slug/tag, number out of
 * range, a value twice in a multi-select, last year before first year, south bound north of the
 * north bound, and a category→level combination §2.3 forbids (two errors: one on each field).
 * @param prefix  prepended to each field name; NULL = ""
 * @return 0, or KHM_EINVALID after collecting all problems (khm_err_fields() keeps the first
 *         KHM_ERR_MAX_FIELDS).
 */
int khm_gdc_validate(const json_t *metadata, const char *prefix);

/** khm_gdc_resource_validate() flags */
#define KHM_GDC_RES_UPLOAD 0x1u /**< the resource is an uploaded file: `url` is not required */

/**
 * Validate a resource's GD-Catalog fields (§3.4) as khm_gdc_validate() does a dataset's.
 * Required: `url` (unless KHM_GDC_RES_UPLOAD), `name` and `format`.
 * @param data_type  the dataset's khm_gdc_data_type (shown-for rules), or -1 when unknown
 * @return 0 or KHM_EINVALID.
 */
int khm_gdc_resource_validate(const json_t *resource, int data_type, unsigned flags,
                              const char *prefix);

/** The khm_gdc_data_type named by @p metadata's "data_type", or -1 (absent or unknown). */
int khm_gdc_data_type_of(const json_t *metadata);

/* ---- Classification (thai-rules.md §2.3) --------------------------------------------- */

/** 1 when a dataset of khm_category @p category may have khm_level @p level (§2.3):
 *  public → public only; internal → internal only; personal → internal, confidential, secret;
 *  security and official secret → confidential, secret, top secret. 0 otherwise and for
 *  values out of range. */
int khm_gdc_level_allowed(int category, int level);
/** Bit set (bit = khm_level) of the levels allowed for @p category; 0 when out of range. */
unsigned khm_gdc_levels_allowed(int category);
/** The lowest level allowed for @p category (what the GD-Catalog form preselects), or -1. */
int khm_gdc_level_default(int category);

/**
 * Check a category→level combination (§2.3). Does not clear the last error, so it composes
 * with other checks; adds two field errors when forbidden, one on @p category_field and one
 * on @p level_field, each naming both values and listing the levels allowed.
 * @return 0, or KHM_EINVALID (also for values out of range).
 */
int khm_gdc_classification_check(int category, int level, const char *category_field,
                                 const char *level_field);

/**
 * Read `data_category` and `data_classification` of @p metadata.
 * @param[out] category  khm_category, or -1 when absent or not an allowed value
 * @param[out] level     khm_level, or -1 likewise
 */
void khm_gdc_classification_get(const json_t *metadata, int *category, int *level);

/** The text the GD-Catalog form puts in `accessible_condition` when @p category is chosen
 *  (§2.3 side-effects): "ไม่มีการจำกัดการเข้าถึงข้อมูล" for public data, "" (cleared) for
 *  internal-use data, NULL (leave it) for the others. */
const char *khm_gdc_accessible_condition_default(int category);

/* ---- C/I/A security category (thai-rules.md §2.6) ------------------------------------ */

/** Impact of a loss of confidentiality, integrity or availability. */
typedef enum {
    KHM_GDC_IMPACT_LOW = 0, /**< "low": ต่ำ */
    KHM_GDC_IMPACT_MEDIUM,  /**< "medium": ปานกลาง */
    KHM_GDC_IMPACT_HIGH,    /**< "high": สูง */
    KHM_GDC_IMPACT__COUNT
} khm_gdc_impact;

/** "low", "medium", "high"; NULL when out of range. */
const char *khm_gdc_impact_name(int impact);
/** "ต่ำ", "ปานกลาง", "สูง"; NULL when out of range. */
const char *khm_gdc_impact_label_th(int impact);
/** Parse the English name or the Thai label. @return 0, or KHM_EINVALID naming @p field
 *  (NULL = "impact") and listing the allowed values. */
int khm_gdc_impact_parse(const char *s, int *out, const char *field);

/** A C/I/A self-assessment: each a khm_gdc_impact. */
typedef struct {
    int confidentiality;
    int integrity;
    int availability;
} khm_gdc_cia;

/** The security category: the highest of the three (§2.6 "take the highest"); -1 when one is
 *  out of range. */
int khm_gdc_cia_category(const khm_gdc_cia *cia);
/**
 * Fill @p out from {"confidentiality", "integrity", "availability"} (each "low"/"medium"/"high"
 * or the Thai label; all three required, nothing else allowed). Errors are added (not cleared
 * first) and named `<prefix>confidentiality` …
 * @return 0 or KHM_EINVALID.
 */
int khm_gdc_cia_from_json(khm_gdc_cia *out, const json_t *obj, const char *prefix);
/** Write {"confidentiality", "integrity", "availability", "category"} with English names. */
void khm_gdc_cia_write_json(khm_jw *w, const khm_gdc_cia *cia);

/* ---- CSV ------------------------------------------------------------------------------ */

/*
 * The CSV form of a catalog: one header line of the dataset table's field names in table order,
 * then one row per dataset. RFC 4180 quoting, CRLF line ends; UTF-8 (the caller may start the
 * file with a BOM, as GD-Catalog's exporter does for Excel). Multi-select and tag cells join
 * their values with "," and no space, as GD-Catalog's exporter writes them
 * (ckanext/thai_gdc/actions/exporter_action.py: ','.join(value)); no allowed value of a
 * multi-select field holds a comma, and tags may not. On import, spaces around each value are
 * ignored, so "CSV, JSON" reads as ["CSV", "JSON"]. Integers and years are decimal; numbers use
 * the shortest form that reads back exactly; empty cells are absent fields.
 */

/** Append the header line (field names, table order, CRLF). @return 0, KHM_ELIMIT, KHM_ENOMEM. */
int khm_gdc_csv_header(khm_buf *out);

/**
 * Append one row for @p metadata, cells in header order (fields it lacks are empty cells). To
 * export `name` and `owner_org`, set them in the object first. Values of an unexpected JSON
 * type are written as their JSON text. @return 0, KHM_ELIMIT, KHM_ENOMEM.
 */
int khm_gdc_csv_row(khm_buf *out, const json_t *metadata);

/**
 * Check an import file's header: every column a field name of the dataset table, none twice,
 * every required field present. A UTF-8 BOM before the first name is ignored. Clears the last
 * error first; errors are named `<prefix>column N` (1-based) or, for a missing column,
 * `<prefix><field>`. @return 0 or KHM_EINVALID.
 */
int khm_gdc_csv_header_check(const khm_span *header, size_t n_header, const char *prefix);

/**
 * Turn one CSV cell into the JSON value of field @p f (the inverse of the cell
 * khm_gdc_csv_row() writes): a string, an array (multi-select, tags: split at ","), an integer
 * or a number. Does not check the value against the field's rules (khm_gdc_validate() does).
 * @param[out] out  new reference, or NULL for an empty cell
 * @return 0, or KHM_EINVALID (named `<prefix><field>`) for a cell that is not UTF-8 text or
 *         not a number where one is needed. Does not clear the last error.
 */
int khm_gdc_field_from_csv(json_t **out, const khm_gdc_field *f, khm_span cell, const char *prefix);

/**
 * Turn one CSV row into a metadata object: cell i belongs to column @p header[i]. Empty cells
 * are left out; a row shorter than the header has empty cells at its end. Clears the last error
 * first. Validate the result with khm_gdc_validate(); take `name` and `owner_org` out of it.
 * @param[out] out  new object (release with json_decref()); NULL on error
 * @return 0; KHM_EINVALID for an unknown column holding a value, a value in a cell past the
 *         header, or a cell khm_gdc_field_from_csv() refuses (all collected); KHM_ENOMEM.
 */
int khm_gdc_from_csv_row(json_t **out, const khm_span *header, size_t n_header,
                         const khm_span *cells, size_t n_cells, const char *prefix);

#ifdef __cplusplus
}
#endif
#endif
