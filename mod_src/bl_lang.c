/* bl_lang.c: language tags and Accept-Language negotiation.
 *
 * Negotiation follows SPEC 4: a range matches a language when one is a prefix of the
 * other at a '-' boundary, case-insensitively; a language's weight is the highest q
 * among its matching ranges; a range equal to the language with q=0 excludes it; '*'
 * gives its q to the languages no other range matched; ties go to the language whose
 * best range comes first. The header is read once, left to right, and each element
 * updates a fixed table of at most BL_MAX_LANGS entries, so the cost is linear in the
 * header's length. q-values are parsed digit by digit (no atof, no locale).
 */
#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "bl_lang.h"

/* Returns 1 when the LEN bytes at S are all ASCII letters. */
static int all_alpha(const char *s, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (!apr_isalpha(s[i]) || (unsigned char)s[i] > 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* Returns 1 when the LEN bytes at S are all ASCII digits. */
static int all_digit(const char *s, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/* Returns 1 when the LEN bytes at S are all ASCII letters or digits. */
static int all_alnum(const char *s, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || all_alpha(s + i, 1))) {
            return 0;
        }
    }
    return 1;
}

/* Classifies subtag S of length LEN at position STATE of the langtag grammar and
 * returns the next state, or -1 when the subtag cannot stand there.
 * States: 1 after language (and extlangs), 3 after script, 4 after region or
 * variant, 5 in an extension, 6 in private use, 7 just after a singleton. */
static int next_state(int state, int *extlangs, const char *s, apr_size_t len)
{
    if (state == 6) {
        return (len >= 1 && len <= 8 && all_alnum(s, len)) ? 6 : -1;
    }
    if (state == 7) {
        return (len >= 2 && len <= 8 && all_alnum(s, len)) ? 5 : -1;
    }
    if (len == 1) {
        if (s[0] == 'x' || s[0] == 'X') {
            return 6;
        }
        return all_alnum(s, 1) ? 7 : -1; /* singleton: an extension follows */
    }
    if (state == 5) {
        return (len >= 2 && len <= 8 && all_alnum(s, len)) ? 5 : -1;
    }
    if (state == 1 && len == 3 && all_alpha(s, len) && *extlangs < 3) {
        (*extlangs)++;
        return 1;
    }
    if (state <= 2 && len == 4 && all_alpha(s, len)) {
        return 3;
    }
    if (state <= 3 && ((len == 2 && all_alpha(s, len)) || (len == 3 && all_digit(s, len)))) {
        return 4;
    }
    if ((len >= 5 && len <= 8 && all_alnum(s, len))
        || (len == 4 && all_digit(s, 1) && all_alnum(s, len))) {
        return 4;
    }
    return -1;
}

/* The irregular grandfathered tags of RFC 5646, which the grammar does not cover. */
static const char *const irregular[] = { "en-GB-oed",  "i-ami",    "i-bnn",     "i-default",
                                         "i-enochian", "i-hak",    "i-klingon", "i-lux",
                                         "i-mingo",    "i-navajo", "i-pwn",     "i-tao",
                                         "i-tay",      "i-tsu",    "sgn-BE-FR", "sgn-BE-NL",
                                         "sgn-CH-DE",  NULL };

/* Returns 1 when TAG is one of the irregular grandfathered tags, ignoring case. */
static int is_irregular(const char *tag)
{
    int i;

    for (i = 0; irregular[i] != NULL; i++) {
        if (strcasecmp(irregular[i], tag) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Returns the state after the first subtag S of LEN bytes: 6 for "x" (private use),
 * 1 for a language subtag, -1 for anything else. */
static int first_state(const char *s, apr_size_t len)
{
    if (len == 1 && (s[0] == 'x' || s[0] == 'X')) {
        return 6;
    }
    return (len >= 2 && len <= 8 && len != 4 && all_alpha(s, len)) ? 1 : -1;
}

/* Checks the syntax of RFC 5646: language [-extlang] [-script] [-region] *(-variant)
 * *(-extension) [-privateuse], a private-use tag x-..., or a grandfathered tag. */
int bl_lang_tag_valid(const char *tag)
{
    const char *s = tag;
    const char *dash;
    apr_size_t len;
    int state = 0;
    int prev = 0;
    int extlangs = 0;

    if (tag == NULL || *tag == '\0' || strlen(tag) > BL_MAX_TAG) {
        return 0;
    }
    if (is_irregular(tag)) {
        return 1;
    }
    while (*s) {
        dash = strchr(s, '-');
        len = dash ? (apr_size_t)(dash - s) : strlen(s);
        if (len == 0 || len > 8) {
            return 0;
        }
        prev = state;
        state = state == 0 ? first_state(s, len) : next_state(state, &extlangs, s, len);
        if (state < 0) {
            return 0;
        }
        if (state == 6 && prev != 6) {
            prev = -6; /* "x" just read: a subtag must follow */
        }
        if (dash == NULL) {
            break;
        }
        s = dash + 1;
        if (*s == '\0') {
            return 0;
        }
    }
    /* a singleton ("x", "u") must be followed by at least one subtag */
    return !(state == 7 || prev == -6);
}

const bl_langs_t bl_lang_defaults = { 2, { "es", "en" } };
const char bl_lang_defaults_key[] = "es en";

/* Joins the tags with spaces. */
const char *bl_lang_join(const bl_langs_t *langs, apr_pool_t *p)
{
    const char *s = langs->n > 0 ? langs->tag[0] : "";
    int i;

    for (i = 1; i < langs->n; i++) {
        s = apr_pstrcat(p, s, " ", langs->tag[i], NULL);
    }
    return s;
}

/* Compares the family's letters, then wants the end or a '-' after them. */
int bl_lang_in_family(const char *tag, const char *family)
{
    apr_size_t n = strlen(family);

    return strncasecmp(tag, family, n) == 0 && (tag[n] == '\0' || tag[n] == '-');
}

/* Compares the first LEN bytes of TAG with the configured tags, ignoring case. */
int bl_lang_findn(const bl_langs_t *langs, const char *tag, apr_size_t len)
{
    int i;

    for (i = 0; i < langs->n; i++) {
        if (strlen(langs->tag[i]) == len && strncasecmp(langs->tag[i], tag, len) == 0) {
            return i;
        }
    }
    return -1;
}

/* Compares TAG with the configured tags, ignoring case. */
int bl_lang_find(const bl_langs_t *langs, const char *tag)
{
    return bl_lang_findn(langs, tag, strlen(tag));
}

/* Parses a qvalue digit by digit (no atof, no locale). */
int bl_lang_qvalue(const char *s, apr_size_t len)
{
    int q;
    int scale = 100;
    apr_size_t i;

    if (len == 0 || (s[0] != '0' && s[0] != '1')) {
        return -1;
    }
    q = (s[0] - '0') * 1000;
    if (len == 1) {
        return q;
    }
    if (s[1] != '.' || len > 5) {
        return -1;
    }
    for (i = 2; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        q += (s[i] - '0') * scale;
        scale /= 10;
    }
    return q > 1000 ? -1 : q;
}

/* Returns 1 when language range R (length RLEN) matches TAG: equal, or one a
 * prefix of the other at a '-' boundary, ignoring case. */
static int range_matches(const char *r, apr_size_t rlen, const char *tag)
{
    apr_size_t tlen = strlen(tag);
    apr_size_t n = rlen < tlen ? rlen : tlen;

    if (strncasecmp(r, tag, n) != 0) {
        return 0;
    }
    if (rlen == tlen) {
        return 1;
    }
    return (rlen > tlen) ? r[tlen] == '-' : tag[rlen] == '-';
}

/* Returns 1 when the LEN bytes at R form a language range: '*' or
 * 1*8ALPHA *("-" 1*8alphanum). */
static int range_valid(const char *r, apr_size_t len)
{
    apr_size_t i = 0;
    apr_size_t start;

    if (len == 1 && r[0] == '*') {
        return 1;
    }
    while (i < len) {
        start = i;
        while (i < len && r[i] != '-') {
            i++;
        }
        if (i - start < 1 || i - start > 8 || !all_alnum(r + start, i - start)
            || (start == 0 && !all_alpha(r, i))) {
            return 0;
        }
        if (i < len) {
            i++;
            if (i == len) {
                return 0;
            }
        }
    }
    return len > 0;
}

/* Per-language state of one negotiation. */
typedef struct {
    int q;        /* best q in thousandths, -1 when no range matched */
    int pos;      /* index in the header of the element that gave q */
    int excluded; /* an exact range with q=0 named it */
} lang_weight_t;

/* Returns the index of the first byte at or after I in the LEN bytes at S that is not
 * optional white space (space or tab). */
static apr_size_t skip_ows(const char *s, apr_size_t i, apr_size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    return i;
}

/* Reads one parameter, the bytes START..END (trimmed) of S: a q-value ("q=0.5",
 * "Q = 0.5") goes to *Q; any other parameter is ignored. Returns 0 when the
 * parameter is empty or its q-value is bad, which skips the whole element. */
static int parse_param(const char *s, apr_size_t start, apr_size_t end, int *q)
{
    apr_size_t v;

    if (end == start) {
        return 0;
    }
    if (s[start] != 'q' && s[start] != 'Q') {
        return 1;
    }
    v = skip_ows(s, start + 1, end);
    if (v == end || s[v] != '=') {
        return 1;
    }
    v = skip_ows(s, v + 1, end);
    *q = bl_lang_qvalue(s + v, end - v);
    return *q >= 0;
}

/* Reads one element (range and parameters) from the LEN bytes at S into RANGE,
 * RLEN and Q (thousandths); returns 0 when the element is to be skipped. */
static int parse_element(const char *s, apr_size_t len, const char **range, apr_size_t *rlen,
                         int *q)
{
    apr_size_t i = skip_ows(s, 0, len);
    apr_size_t start = i, end;

    while (i < len && s[i] != ';' && s[i] != ' ' && s[i] != '\t') {
        i++;
    }
    *range = s + start;
    *rlen = i - start;
    *q = 1000;
    if (!range_valid(*range, *rlen)) {
        return 0;
    }
    for (i = skip_ows(s, i, len); i < len; i = skip_ows(s, i, len)) {
        if (s[i] != ';') {
            return 0;
        }
        start = skip_ows(s, i + 1, len);
        for (i = start; i < len && s[i] != ';'; i++) {
        }
        for (end = i; end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'); end--) {
        }
        if (!parse_param(s, start, end, q)) {
            return 0;
        }
    }
    return 1;
}

/* Applies one element (RANGE of RLEN, weight Q, at POS) to the weights W;
 * a wildcard is remembered in STAR and STAR_POS for the end. */
static void apply_element(const bl_langs_t *langs, lang_weight_t *w, const char *range,
                          apr_size_t rlen, int q, int pos, int *star, int *star_pos)
{
    int i;

    if (rlen == 1 && range[0] == '*') {
        if (q > *star) {
            *star = q;
            *star_pos = pos;
        }
        return;
    }
    for (i = 0; i < langs->n; i++) {
        if (!range_matches(range, rlen, langs->tag[i])) {
            continue;
        }
        if (q == 0 && rlen == strlen(langs->tag[i])) {
            w[i].excluded = 1;
        }
        if (q > w[i].q) {
            w[i].q = q;
            w[i].pos = pos;
        }
    }
}

/* Walks the header element by element, then picks the best weight above 0. */
int bl_lang_negotiate(const bl_langs_t *langs, const char *header)
{
    lang_weight_t w[BL_MAX_LANGS];
    const char *s = header;
    const char *comma, *range;
    apr_size_t rlen;
    int i, q, pos = 0, best = -1, star = -1, star_pos = 0;

    if (header == NULL) {
        return -1;
    }
    for (i = 0; i < langs->n; i++) {
        w[i].q = -1;
        w[i].pos = 0;
        w[i].excluded = 0;
    }
    while (*s) {
        comma = strchr(s, ',');
        if (comma == NULL) {
            comma = s + strlen(s);
        }
        if (parse_element(s, (apr_size_t)(comma - s), &range, &rlen, &q)) {
            apply_element(langs, w, range, rlen, q, pos, &star, &star_pos);
        }
        pos++;
        s = *comma ? comma + 1 : comma;
    }
    for (i = 0; i < langs->n; i++) {
        if (w[i].q < 0 && star >= 0) {
            w[i].q = star;
            w[i].pos = star_pos;
        }
        if (w[i].excluded || w[i].q <= 0) {
            continue;
        }
        if (best < 0 || w[i].q > w[best].q || (w[i].q == w[best].q && w[i].pos < w[best].pos)) {
            best = i;
        }
    }
    return best;
}

/* Finds NAME=value among the ';'-separated pairs of a Cookie header. */
int bl_lang_from_cookie(const bl_langs_t *langs, const char *header, const char *name)
{
    apr_size_t nlen = strlen(name);
    const char *s = header;
    const char *end;

    while (s != NULL && *s) {
        while (*s == ' ' || *s == '\t' || *s == ';') {
            s++;
        }
        end = strchr(s, ';');
        if (end == NULL) {
            end = s + strlen(s);
        }
        if ((apr_size_t)(end - s) > nlen && strncmp(s, name, nlen) == 0 && s[nlen] == '=') {
            const char *v = s + nlen + 1;
            apr_size_t vlen = (apr_size_t)(end - v);
            while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) {
                vlen--;
            }
            if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                v++;
                vlen -= 2;
            }
            return bl_lang_findn(langs, v, vlen);
        }
        s = end;
    }
    return -1;
}

/* Finds lang=value among the '&'-separated parameters of a query string. */
int bl_lang_from_query(const bl_langs_t *langs, const char *args)
{
    const char *s = args;
    const char *end;

    while (s != NULL && *s) {
        end = strchr(s, '&');
        if (end == NULL) {
            end = s + strlen(s);
        }
        if (end - s > 5 && strncmp(s, "lang=", 5) == 0) {
            return bl_lang_findn(langs, s + 5, (apr_size_t)(end - s - 5));
        }
        s = *end ? end + 1 : end;
    }
    return -1;
}

/* Copies every '&'-separated parameter but lang= into one buffer sized for all. */
const char *bl_lang_query_without(const char *args, apr_pool_t *p)
{
    const char *s = args;
    const char *end;
    char *out, *o;
    apr_size_t n;

    if (args == NULL) {
        return NULL;
    }
    out = o = apr_palloc(p, strlen(args) + 1);
    while (*s) {
        end = strchr(s, '&');
        if (end == NULL) {
            end = s + strlen(s);
        }
        n = (apr_size_t)(end - s);
        if (n > 0 && strncmp(s, "lang=", 5) != 0 && !(n == 4 && strncmp(s, "lang", 4) == 0)) {
            if (o > out) {
                *o++ = '&';
            }
            memcpy(o, s, n);
            o += n;
        }
        s = *end ? end + 1 : end;
    }
    *o = '\0';
    return o > out ? out : NULL;
}
