/* GENETIC: genetic data, PDPA s.26 (thai-rules.md §1.4). Column: a header naming it (DNA,
พันธุกรรม, ยีน, genotype) and a genetic value: a gene or allele (BRCA1, HLA-B*58:01, APOE), an rs
number, a genotype (AG, C/T), a DNA run, a carrier status (พาหะ…). Prose: "เป็นพาหะธาลัสซีเมีย", a
named person's BRCA1 or BRCA2 result. */
#include "scan_int.h"

#include <string.h>
#include <strings.h>

/* Column headers naming the category (Thai anywhere, English as whole words). */
static const char *const headers[] = {
    "dna",    "ดีเอ็นเอ", "พันธุกรรม", "ยีน",     "จีโนม",    "genetic", "genetics", "genotype",
    "genome", "gene",   "genes",   "allele", "alleles", "snp",     "hla",      NULL,
};

/* Values, sorted (strcmp), English in lower case. */
static const char *const values[] = {
    "apoe",       "brca1",    "brca2",        "carrier",
    "cyp2c19",    "cyp2c9",   "cyp2d6",       "g6pd",
    "hb e",       "hbe",      "heterozygous", "hla-a",
    "hla-b",      "hla-drb1", "homozygous",   "likely pathogenic",
    "mthfr",      "mutation", "pathogenic",   "tp53",
    "trisomy 21", "variant",  "wild type",    "กลายพันธุ์",
    "ธาลัสซีเมีย",   "พาหะ",     "ยีนกลายพันธุ์",    "ฮีโมโกลบินอี",
    "ไม่เป็นพาหะ",
};

/* Prose: `back` ends right before the trigger character, `fwd` starts at it. */
static const khm_sens_cue cues[] = {
    { "เป็นพาหะ", "ธาลัสซีเมีย", 0, NULL },
    { "พาหะ", "ธาลัสซีเมีย", KHM_CUE_PERSON, NULL },
    { "", "brca1", KHM_CUE_PERSON, NULL },
    { "", "brca2", KHM_CUE_PERSON, NULL },
};

static const char *const not_after[] = {
    "ที่", "ผู้ที่", "การ", "ไม่", "ไม่ได้", "ตรวจคัดกรอง", "of", "the", "for", NULL,
};

static const char *const not_near[] = {
    "ประชากร", "ร้อยละ", "ส่วนใหญ่", "ชาวบ้าน", "ประเทศ", "คนไทย", "%", NULL,
};

static int acgt(unsigned c)
{
    return c == 'A' || c == 'C' || c == 'G' || c == 'T';
}

/* By form: an rs number (rs1801133), a DNA run of 8+ bases, a genotype (AA, AG, C/T), an STR
 * marker (D8S1179), a star allele (*58:01). */
static size_t genetic_form(const unsigned char *s, size_t n)
{
    size_t k = 0;
    if (n >= 5 && s[0] == 'r' && s[1] == 's' && khm_isdigit(s[2])) {
        for (k = 2; k < n && khm_isdigit(s[k]); k++)
            ;
        return k >= 5 && (k == n || !khm_isalnum(s[k])) ? k : 0;
    }
    while (k < n && acgt(s[k]))
        k++;
    if (k >= 8 || (k == 2 && (k == n || !khm_isalnum(s[k]))))
        return k >= 8 && k < n && khm_isalnum(s[k]) ? 0 : k;
    if (n >= 3 && acgt(s[0]) && s[1] == '/' && acgt(s[2]) && (n == 3 || !khm_isalnum(s[3])))
        return 3;
    if (n >= 6 && s[0] == 'D' && khm_isdigit(s[1])) {
        for (k = 1; k < n && khm_isdigit(s[k]); k++)
            ;
        if (k < n && s[k] == 'S' && k + 1 < n && khm_isdigit(s[k + 1]))
            return k + 1;
    }
    if (n >= 3 && s[0] == '*' && khm_isdigit(s[1]) && khm_isdigit(s[2]))
        return 3;
    return 0;
}

const khm_sens_cat khm_sens_genetic = {
    KHM_SENS_GENETIC, headers,  values, sizeof(values) / sizeof(values[0]),
    genetic_form,     0,        cues,   sizeof(cues) / sizeof(cues[0]),
    not_after,        not_near, NULL,
};

int khm_det_genetic(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                    khm_match *m)
{
    return khm_sens_match(&khm_sens_genetic, p, lo, len, i, cx, m);
}
