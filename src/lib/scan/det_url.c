/* URL: an http or https URL, scheme://host[:port][/path][?query][#fragment], the host a domain
 * name (a last label of two or more letters) or localhost. It ends at white space, a control
 * byte, non-ASCII text (Thai), or one of " < > \ ^ ` { | }, and trailing punctuation
 * (. , ; : ! ? ' and an unbalanced ")" or "]") is not part of it. A URL names a resource, not a
 * person: PDPA category none. Personal data inside it stays visible to the other detectors:
 * a URL with an '@' in its authority (user@host) is not reported, one with an e-mail in its
 * path or query ends before the e-mail, and one whose host is an IP address is left to
 * IP_ADDRESS. */
#include "scan_int.h"

static int lower(unsigned c)
{
    return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

static int url_char(unsigned c)
{
    return c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^' &&
           c != '`' && c != '{' && c != '|' && c != '}';
}

static int local_char(unsigned c)
{
    return khm_isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

int khm_det_url(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                khm_match *m)
{
    (void)cx;
    static const char http[] = "http";
    size_t j = i;
    (void)lo;
    for (size_t k = 0; k < 4; k++, j++)
        if (j >= len || lower(p[j]) != (unsigned char)http[k])
            return 0;
    if (j < len && lower(p[j]) == 's')
        j++;
    if (j + 3 > len || p[j] != ':' || p[j + 1] != '/' || p[j + 2] != '/')
        return 0;
    j += 3;
    /* host: labels of letters, digits and '-', the last alphabetic, or localhost */
    size_t host = j, labels = 0;
    int tld = 0;
    for (;;) {
        size_t l = j;
        while (j < len && (khm_isalnum(p[j]) || p[j] == '-'))
            j++;
        if (j == l || p[l] == '-' || p[j - 1] == '-')
            return 0;
        labels++;
        tld = j - l >= 2;
        for (size_t t = l; t < j; t++)
            if (!khm_isalpha(p[t]))
                tld = 0;
        if (j + 1 < len && p[j] == '.' && khm_isalnum(p[j + 1]))
            j++;
        else
            break;
    }
    int localhost = labels == 1 && j - host == 9;
    for (size_t t = 0; localhost && t < 9; t++)
        if (lower(p[host + t]) != (unsigned char)"localhost"[t])
            localhost = 0;
    if (!(labels >= 2 && tld) && !localhost)
        return 0;
    if (j < len && (p[j] == '_' || p[j] == '@' || (p[j] == '.' && j + 1 < len && p[j + 1] == '@')))
        return 0; /* not a host after all, or user@host */
    if (j + 1 < len && p[j] == ':' && khm_isdigit(p[j + 1])) { /* port */
        size_t s = ++j;
        while (j < len && khm_isdigit(p[j]) && j - s < 6)
            j++;
        if (j - s > 5 || (j < len && khm_isword(p[j])))
            return 0;
    }
    size_t end = j;
    if (j < len && (p[j] == '/' || p[j] == '?' || p[j] == '#')) {
        while (j < len && url_char(p[j])) {
            if (p[j] == '@') { /* an e-mail: the URL ends before its local part */
                while (j > end && local_char(p[j - 1]))
                    j--;
                break;
            }
            j++;
        }
        /* trailing punctuation, and closing brackets without an opening one */
        for (;;) {
            unsigned c = p[j - 1];
            if (j > end && (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' ||
                            c == '\'')) {
                j--;
                continue;
            }
            if (j > end && (c == ')' || c == ']')) {
                unsigned open = c == ')' ? '(' : '[';
                int depth = 0;
                for (size_t t = host; t < j; t++)
                    depth += p[t] == open ? 1 : p[t] == c ? -1 : 0;
                if (depth < 0) {
                    j--;
                    continue;
                }
            }
            break;
        }
        end = j;
    }
    m->start = i;
    m->end = end;
    m->score = 0.85;
    return 1;
}
