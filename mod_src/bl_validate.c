/* bl_validate.c: the content format's rules and the render budget.
 *
 * bl_validate_file() checks what one file can show by itself: the root element, the
 * attributes and children of items, pages and site.xml, RFC 3339 dates with offsets,
 * every control element (include, insert, list) in markup, and that no sibling group
 * is written in more languages than BL_MAX_GROUP_LANGS; it also measures the file
 * (its own bytes and nodes, and its includes), once per version. Errors make the file
 * unusable (the loader keeps its last good version); warnings (unknown HTML names,
 * missing translations) only inform bilingual-check. bl_validate_site() checks what
 * spans files, on the versions that would actually be served: every include names a
 * fragment that is served, fragments include no cycle, and no file's expansion
 * (includes multiplied out, memoized per fragment, so the check is linear in the
 * number of includes) passes the budget of bl_limits.h: a page that would expand to
 * megabytes is refused when it loads, never discovered by a request. Each diagnostic
 * carries the file's path, line and column.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "bl_lang.h"
#include "bl_limits.h"
#include "bl_name.h"
#include "bl_select.h"
#include "bl_validate.h"
#include "bl_xml.h"

/* One check's state: the file, where diagnostics go, how many errors so far. */
typedef struct vctx_t {
    bl_file_t *file;
    const char *buf; /* the bytes the file was parsed from, or NULL */
    apr_size_t len;
    const bl_langs_t *langs;
    bl_diag_cb *cb;
    void *baton;
    apr_pool_t *p;
    int errors;
    int in_layout;
    apr_array_header_t *includes; /* xmlNodePtr, while measuring */
    const char *suffix;           /* appended to messages ("" or a note) */
} vctx_t;

static const char *const html_names[] = {
    "a",       "abbr",     "address",    "area",       "article",  "aside",    "audio",    "b",
    "base",    "bdi",      "bdo",        "blockquote", "body",     "br",       "button",   "canvas",
    "caption", "cite",     "code",       "col",        "colgroup", "data",     "datalist", "dd",
    "del",     "details",  "dfn",        "dialog",     "div",      "dl",       "dt",       "em",
    "embed",   "fieldset", "figcaption", "figure",     "footer",   "form",     "h1",       "h2",
    "h3",      "h4",       "h5",         "h6",         "head",     "header",   "hgroup",   "hr",
    "html",    "i",        "iframe",     "img",        "input",    "ins",      "kbd",      "label",
    "legend",  "li",       "link",       "main",       "map",      "mark",     "menu",     "meta",
    "meter",   "nav",      "noscript",   "object",     "ol",       "optgroup", "option",   "output",
    "p",       "picture",  "pre",        "progress",   "q",        "rp",       "rt",       "ruby",
    "s",       "samp",     "script",     "search",     "section",  "select",   "slot",     "small",
    "source",  "span",     "strong",     "style",      "sub",      "summary",  "sup",      "svg",
    "table",   "tbody",    "td",         "template",   "textarea", "tfoot",    "th",       "thead",
    "time",    "title",    "tr",         "track",      "u",        "ul",       "var",      "video",
    "wbr",     NULL
};

/* Looks NAME up in the table of HTML element names. */
static int html_name(const char *name)
{
    int i;

    for (i = 0; html_names[i] != NULL; i++) {
        if (strcmp(html_names[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Returns MSG with its control characters written as \xNN: messages quote content,
 * and one diagnostic is one line of the error log or of bilingual-check's output. */
static const char *one_line(const char *msg, apr_pool_t *p)
{
    const char *c;
    char *out, *o;

    for (c = msg; *c && (unsigned char)*c >= 0x20 && *c != 0x7f; c++) {
    }
    if (*c == '\0') {
        return msg;
    }
    o = out = apr_palloc(p, strlen(msg) * 4 + 1);
    for (c = msg; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            o += apr_snprintf(o, 5, "\\x%02x", (unsigned char)*c);
        }
        else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

/* Sends one diagnostic about NODE (or its attribute ATTR, may be NULL), located at
 * the element's (or attribute's) line and column in the file, and counts errors. */
static void vdiag(vctx_t *v, xmlNodePtr node, const char *attr, bl_log_level_t level,
                  const char *fmt, va_list ap)
{
    bl_diag_t d;

    memset(&d, 0, sizeof(d));
    d.path = v->file->path;
    d.level = level;
    d.version = v->file->stamp.mtime;
    d.msg = one_line(apr_pstrcat(v->p, apr_pvsprintf(v->p, fmt, ap), v->suffix, NULL), v->p);
    if (node != NULL && attr != NULL) {
        bl_xml_attr_pos(v->buf, v->len, node, attr, &d.line, &d.col);
    }
    else if (node != NULL) {
        bl_xml_pos(node, &d.line, &d.col);
    }
    if (level == BL_LOG_ERR) {
        v->errors++;
    }
    v->cb(v->baton, &d);
}

/* Formats and sends a diagnostic about element NODE. */
static void diag(vctx_t *v, xmlNodePtr node, bl_log_level_t level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Formats and sends an error about attribute ATTR of NODE. */
static void diag_attr(vctx_t *v, xmlNodePtr node, const char *attr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Passes a diagnostic about an element on to vdiag. */
static void diag(vctx_t *v, xmlNodePtr node, bl_log_level_t level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(v, node, NULL, level, fmt, ap);
    va_end(ap);
}

/* Passes an error about an attribute on to vdiag. */
static void diag_attr(vctx_t *v, xmlNodePtr node, const char *attr, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(v, node, attr, BL_LOG_ERR, fmt, ap);
    va_end(ap);
}

/* Returns "events or press": the URL segments of the item kinds, from P. */
static const char *item_segments(apr_pool_t *p)
{
    const char *s = "";
    int k;

    for (k = BL_KIND_FIRST_ITEM; k < BL_KIND_COUNT; k++) {
        s = apr_pstrcat(p, s,
                        k == BL_KIND_FIRST_ITEM ? ""
                        : k + 1 < BL_KIND_COUNT ? ", "
                                                : " or ",
                        bl_kind(k)->segment, NULL);
    }
    return s;
}

/* Checks the attributes of a <list>. */
static void check_list(vctx_t *v, xmlNodePtr node)
{
    const char *kind = bl_xml_attr(node, "kind", v->p);
    const char *when = bl_xml_attr(node, "when", v->p);
    const char *count = bl_xml_attr(node, "count", v->p);
    char *end = NULL;
    long n = count ? strtol(count, &end, 10) : 1;

    if (kind == NULL || bl_kind_by_segment(kind, strlen(kind)) == NULL) {
        diag_attr(v, node, "kind", "<list>: kind='%s' is not %s", kind ? kind : "",
                  item_segments(v->p));
    }
    if (when != NULL && strcmp(when, "upcoming") && strcmp(when, "past") && strcmp(when, "all")) {
        diag_attr(v, node, "when", "<list>: when='%s' is not upcoming, past or all", when);
    }
    if (count != NULL
        && (*count < '0' || *count > '9' || *end != '\0' || n < 1 || n > BL_MAX_LIST_COUNT)) {
        diag_attr(v, node, "count", "<list>: count='%s' is not a number from 1 to %d", count,
                  BL_MAX_LIST_COUNT);
    }
}

/* Checks an <insert>: a known name, and title, body and head only in the layout. */
static void check_insert(vctx_t *v, xmlNodePtr node)
{
    const char *a = bl_xml_attr(node, "name", v->p);

    if (a == NULL
        || (strcmp(a, "title") && strcmp(a, "body") && strcmp(a, "head") && strcmp(a, "languages")
            && strcmp(a, "site-name"))) {
        diag_attr(v, node, "name",
                  "<insert>: name='%s' is not one of title, body, head, languages, site-name",
                  a ? a : "");
    }
    else if (!v->in_layout && (!strcmp(a, "body") || !strcmp(a, "title") || !strcmp(a, "head"))) {
        diag(v, node, BL_LOG_ERR, "<insert name=\"%s\"/> belongs in layout.xml", a);
    }
}

/* Checks one control element; returns 1 when NODE is one. */
static int check_control(vctx_t *v, xmlNodePtr node)
{
    const char *a;

    if (bl_xml_is(node, "include")) {
        a = bl_xml_attr(node, "fragment", v->p);
        if (a == NULL || !bl_name_valid(a, strlen(a))) {
            diag_attr(v, node, "fragment", "<include>: fragment='%s' is not a fragment name",
                      a ? a : "");
        }
        return 1;
    }
    if (bl_xml_is(node, "insert")) {
        check_insert(v, node);
        return 1;
    }
    if (bl_xml_is(node, "list")) {
        check_list(v, node);
        return 1;
    }
    return 0;
}

/* Refuses an xml:lang that is no language tag (it names pages' languages in headers
 * and markup), then warns when the group NODE opens lacks a configured language. */
static void check_translations(vctx_t *v, xmlNodePtr node)
{
    const char *missing = NULL, *tag = bl_xml_lang(node);
    int i;

    if (tag != NULL && *tag != '\0' && !bl_lang_tag_valid(tag)) {
        diag_attr(v, node, "xml:lang", "xml:lang: '%s' is not a BCP 47 language tag", tag);
    }
    if (v->langs == NULL || !bl_select_group_first(node)) {
        return;
    }
    for (i = 0; i < v->langs->n; i++) {
        if (!bl_select_group_has(node, v->langs->tag[i])) {
            missing = missing ? apr_pstrcat(v->p, missing, ", ", v->langs->tag[i], NULL)
                              : v->langs->tag[i];
        }
    }
    if (missing != NULL) {
        diag(v, node, BL_LOG_WARNING, "<%s xml:lang=\"%s\"> has no %s translation",
             (const char *)node->name, bl_xml_lang(node), missing);
    }
}

/* Walks markup under NODE: control elements, HTML names, translations. */
static void check_markup(vctx_t *v, xmlNodePtr node)
{
    xmlNodePtr c;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (bl_xml_lang(c) != NULL) {
            check_translations(v, c);
        }
        if (check_control(v, c)) {
            continue;
        }
        if (c->ns == NULL && !html_name((const char *)c->name)) {
            diag(v, c, BL_LOG_WARNING, "<%s> is not an HTML element name; it is written out as is",
                 (const char *)c->name);
        }
        check_markup(v, c);
    }
}

/* Checks that NODE has no attribute outside ALLOWED (NULL-terminated). */
static void check_attrs(vctx_t *v, xmlNodePtr node, const char *const *allowed)
{
    xmlAttrPtr a;
    int i, ok;

    for (a = node->properties; a != NULL; a = a->next) {
        if (a->ns != NULL) {
            continue;
        }
        for (ok = 0, i = 0; allowed[i] != NULL && !ok; i++) {
            ok = strcmp(allowed[i], (const char *)a->name) == 0;
        }
        if (!ok) {
            diag_attr(v, node, (const char *)a->name, "<%s>: unknown attribute '%s'",
                      (const char *)node->name, (const char *)a->name);
        }
    }
}

/* Returns 1 when NAME is in the NULL-terminated LIST. */
static int named_in(const char *const *list, xmlNodePtr node)
{
    int i;

    for (i = 0; list[i] != NULL; i++) {
        if (bl_xml_is(node, list[i])) {
            return 1;
        }
    }
    return 0;
}

/* Reports the first element inside C, which must hold text only. */
static void check_text_only(vctx_t *v, xmlNodePtr c)
{
    xmlNodePtr e;

    for (e = c->children; e != NULL; e = e->next) {
        if (e->type == XML_ELEMENT_NODE) {
            diag(v, e, BL_LOG_ERR, "<%s> holds text only, not <%s>", (const char *)c->name,
                 (const char *)e->name);
            return;
        }
    }
}

/* Reads the digits, stopping past the largest side. */
int bl_validate_pixels(const char *s)
{
    const char *c;
    long n = 0;

    for (c = s; *c >= '0' && *c <= '9' && n <= BL_MAX_IMAGE_SIDE; c++) {
        n = n * 10 + (*c - '0');
    }
    return *s != '0' && *c == '\0' && c != s && n >= 1 && n <= BL_MAX_IMAGE_SIDE;
}

/* Returns 1 when S is an image address a link preview can use: an absolute path or
 * an http(s) URL, without spaces or control characters. */
static int image_src_valid(const char *s)
{
    const char *c;

    if (!((s[0] == '/' && s[1] != '/') || strncmp(s, "https://", 8) == 0
          || strncmp(s, "http://", 7) == 0)) {
        return 0;
    }
    for (c = s; *c; c++) {
        if ((unsigned char)*c <= 0x20 || *c == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* Checks an <image src width height> with its <alt> texts (link previews). */
static void check_image(vctx_t *v, xmlNodePtr node)
{
    static const char *const attrs[] = { "src", "width", "height", NULL };
    static const char *const dims[] = { "width", "height" };
    const char *src = bl_xml_attr(node, "src", v->p), *d;
    xmlNodePtr c;
    int i, alts = 0;

    check_attrs(v, node, attrs);
    if (src == NULL || !image_src_valid(src)) {
        diag_attr(v, node, src ? "src" : NULL,
                  "<image>: 'src' must be an absolute path (/assets/x.png) or an http(s) URL");
    }
    for (i = 0; i < 2; i++) {
        d = bl_xml_attr(node, dims[i], v->p);
        if (d == NULL || !bl_validate_pixels(d)) {
            diag_attr(v, node, d ? dims[i] : NULL,
                      "<image>: '%s' must be a number of pixels from 1 to %d", dims[i],
                      BL_MAX_IMAGE_SIDE);
        }
    }
    for (c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c) == 0) {
            diag(v, c, BL_LOG_ERR, "text outside any element in <image>; put it in an <alt>");
        }
        else if (c->type == XML_ELEMENT_NODE && !bl_xml_is(c, "alt")) {
            diag(v, c, BL_LOG_ERR, "<image> may contain <alt> only, not <%s>",
                 (const char *)c->name);
        }
        else if (c->type == XML_ELEMENT_NODE) {
            check_text_only(v, c);
            alts += *bl_xml_text(c, v->p) != '\0';
            if (bl_xml_lang(c) != NULL) {
                check_translations(v, c);
            }
        }
    }
    if (alts == 0) {
        diag(v, node, BL_LOG_ERR,
             "<image> needs an <alt> describing it (one per language, with xml:lang)");
    }
}

/* Checks an event's <address street locality region postal-code country/>. */
static void check_address(vctx_t *v, xmlNodePtr node)
{
    static const char *const attrs[] = { "street", "locality", "region", "postal-code",
                                         "country", NULL };
    const char *country = bl_xml_attr(node, "country", v->p);
    xmlNodePtr c;
    int i, given = 0;

    check_attrs(v, node, attrs);
    for (i = 0; attrs[i] != NULL; i++) {
        const char *a = bl_xml_attr(node, attrs[i], v->p);
        given += a != NULL && *a != '\0';
    }
    if (given == 0) {
        diag(v, node, BL_LOG_ERR,
             "<address> needs at least one of street, locality, region, postal-code, country");
    }
    if (country != NULL
        && !(strlen(country) == 2 && apr_isalpha(country[0]) && apr_isalpha(country[1]))) {
        diag_attr(v, node, "country",
                  "<address>: 'country' must be a two-letter ISO 3166 code (US), not '%s'",
                  country);
    }
    for (c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE || (c->type == XML_TEXT_NODE && !xmlIsBlankNode(c))) {
            diag(v, c, BL_LOG_ERR, "<address> is empty: its parts are attributes");
            break;
        }
    }
}

/* Checks the children that hold no text of their own: <image>, <address>. */
static void check_special(vctx_t *v, xmlNodePtr c, int *seen_image, int *seen_address)
{
    int *seen = bl_xml_is(c, "image") ? seen_image : seen_address;

    if (*seen) {
        diag(v, c, BL_LOG_ERR, "<%s> appears twice; a file has one", (const char *)c->name);
    }
    *seen = 1;
    if (bl_xml_is(c, "image")) {
        check_image(v, c);
    }
    else {
        check_address(v, c);
    }
}

/* Checks the children of a page or item root against ALLOWED names; TEXT_ONLY names
 * must hold text; returns the number of titles with text. */
static int check_children(vctx_t *v, const char *const *allowed, const char *const *text_only)
{
    const char *root = (const char *)v->file->root->name;
    xmlNodePtr c;
    int titles = 0, image = 0, address = 0;

    for (c = v->file->root->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c) == 0) {
            diag(v, c, BL_LOG_ERR, "text outside any element in <%s>", root);
        }
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (!named_in(allowed, c)) {
            diag(v, c, BL_LOG_ERR, "<%s> may not contain <%s>", root, (const char *)c->name);
            continue;
        }
        if (named_in(text_only, c)) {
            check_text_only(v, c);
        }
        if (bl_xml_is(c, "image") || bl_xml_is(c, "address")) {
            check_special(v, c, &image, &address);
            continue;
        }
        titles += bl_xml_is(c, "title") && *bl_xml_text(c, v->p) != '\0';
        if (bl_xml_lang(c) != NULL) {
            check_translations(v, c);
        }
        if (bl_xml_is(c, "body")) {
            check_markup(v, c);
        }
    }
    return titles;
}

/* Parses the date attribute NAME of the root into *T; returns 0 when absent or bad. */
static int check_date(vctx_t *v, const char *name, int required, bl_time_t *t)
{
    const char *s = bl_xml_attr(v->file->root, name, v->p);
    apr_status_t rv;

    if (s == NULL) {
        if (required) {
            diag(v, v->file->root, BL_LOG_ERR, "<%s>: attribute '%s' is required",
                 (const char *)v->file->root->name, name);
        }
        return 0;
    }
    rv = bl_time_parse(s, t);
    if (rv == BL_TIME_ERANGE) {
        diag_attr(v, v->file->root, name,
                  "attribute '%s': '%s' lies outside the years 1 to 9999 once its offset is "
                  "applied, or has a 60th second that was no leap second",
                  name, s);
    }
    else if (rv != APR_SUCCESS) {
        diag_attr(v, v->file->root, name,
                  "attribute '%s': '%s' is not an RFC 3339 date-time with an offset (like "
                  "2015-07-01T09:00:00-04:00)",
                  name, s);
    }
    return rv == APR_SUCCESS;
}

/* Checks the date range of a ranged item: start, end after it, status. */
static void check_range(vctx_t *v, bl_item_t *it)
{
    int has_start = check_date(v, "start", 1, &it->start);
    const char *s;

    it->has_end = check_date(v, "end", 0, &it->end);
    if (it->has_end && has_start && it->end.t < it->start.t) {
        diag_attr(v, v->file->root, "end", "attribute 'end' is before 'start'");
    }
    s = bl_xml_attr(v->file->root, "status", v->p);
    if (s != NULL && strcmp(s, "cancelled") != 0) {
        diag_attr(v, v->file->root, "status", "attribute 'status': '%s' is not cancelled", s);
    }
    it->cancelled = s != NULL;
}

/* Checks the root attributes of an item and fills file->item. */
static void check_item_attrs(vctx_t *v, int ranged)
{
    static const char *const ranged_attrs[] = { "published", "updated", "start", "end",
                                                "status",    "draft",   NULL };
    static const char *const plain_attrs[] = { "published", "updated", "draft", NULL };
    bl_item_t *it = &v->file->item;
    const char *s;

    check_attrs(v, v->file->root, ranged ? ranged_attrs : plain_attrs);
    check_date(v, "published", 1, &it->published);
    if (!check_date(v, "updated", 0, &it->updated)) {
        it->updated = it->published;
    }
    s = bl_xml_attr(v->file->root, "draft", v->p);
    if (s != NULL && strcmp(s, "true") && strcmp(s, "false")) {
        diag_attr(v, v->file->root, "draft", "attribute 'draft': '%s' is not true or false", s);
    }
    it->draft = s != NULL && strcmp(s, "true") == 0;
    if (ranged) {
        check_range(v, it);
    }
}

/* Checks that the root is ROOT; returns 0 (and reports) when it is not. */
static int check_root(vctx_t *v, const char *root)
{
    if (bl_xml_is(v->file->root, root)) {
        return 1;
    }
    diag(v, v->file->root, BL_LOG_ERR, "the root element must be <%s>, not <%s>", root,
         (const char *)v->file->root->name);
    return 0;
}

/* Checks an item of the kind in the kinds table. */
static void check_item(vctx_t *v)
{
    static const char *const ranged_children[] = { "title", "summary", "body", "location",
                                                   "address", "image", NULL };
    static const char *const plain_children[] = { "title", "summary", "body", "image", NULL };
    static const char *const text_only[] = { "title", "summary", "location", NULL };
    const bl_kind_info_t *k = bl_kind(v->file->kind);

    if (!check_root(v, k->root)) {
        return;
    }
    check_item_attrs(v, k->ranged);
    if (check_children(v, k->ranged ? ranged_children : plain_children, text_only) == 0) {
        diag(v, v->file->root, BL_LOG_ERR, "<%s> needs a <title> with text", k->root);
    }
}

/* Checks a page. */
static void check_page(vctx_t *v)
{
    static const char *const children[] = { "title", "description", "body", "image", NULL };
    static const char *const text_only[] = { "title", "description", NULL };
    static const char *const none[] = { NULL };

    if (!check_root(v, "page")) {
        return;
    }
    check_attrs(v, v->file->root, none);
    if (check_children(v, children, text_only) == 0) {
        diag(v, v->file->root, BL_LOG_ERR, "<page> needs a <title> with text");
    }
}

/* Checks "DOMAIN-or-EMAIL,YYYY[-MM[-DD]]" (RFC 4151 taggingEntity). */
static int authority_valid(const char *s)
{
    const char *comma = strrchr(s, ',');
    const char *c;
    apr_size_t n;

    if (comma == NULL || comma == s) {
        return 0;
    }
    for (c = s; c < comma; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
              || *c == '-' || *c == '.' || *c == '@' || *c == '_')) {
            return 0;
        }
    }
    c = comma + 1;
    n = strlen(c);
    if (n != 4 && n != 7 && n != 10) {
        return 0;
    }
    for (; *c; c++) {
        int pos = (int)(c - comma - 1);
        if ((pos == 4 || pos == 7) ? *c != '-' : (*c < '0' || *c > '9')) {
            return 0;
        }
    }
    return 1;
}

/* Returns 1 when S is "@" and 1 to 15 letters, digits or underscores. */
static int handle_valid(const char *s)
{
    apr_size_t n = strlen(s), i;

    for (i = 1; i < n; i++) {
        if (!apr_isalnum(s[i]) && s[i] != '_') {
            return 0;
        }
    }
    return s[0] == '@' && n >= 2 && n <= 16;
}

/* Returns 1 when an earlier sibling of C has C's name: a second one. */
static int repeated(xmlNodePtr c)
{
    xmlNodePtr e;

    for (e = c->prev; e != NULL; e = e->prev) {
        if (e->type == XML_ELEMENT_NODE && bl_xml_same_name(e, c)) {
            return 1;
        }
    }
    return 0;
}

/* Checks one child C of <site>; returns 1 when it is a <name>. */
static int check_site_child(vctx_t *v, xmlNodePtr c)
{
    const char *auth;
    xmlNodePtr a;

    if (bl_xml_is(c, "name")) {
        return 1;
    }
    if (bl_xml_is(c, "tag-authority")) {
        auth = bl_xml_text(c, v->p);
        if (!authority_valid(auth)) {
            diag(v, c, BL_LOG_ERR, "<tag-authority>: '%s' is not DOMAIN,YYYY[-MM[-DD]]", auth);
        }
    }
    else if (bl_xml_is(c, "author")) {
        a = bl_select_child(c, "name", "", "", NULL);
        if (a == NULL || *bl_xml_text(a, v->p) == '\0') {
            diag(v, c, BL_LOG_ERR, "<author> needs a <name>");
        }
    }
    else if ((bl_xml_is(c, "image") || bl_xml_is(c, "twitter")) && repeated(c)) {
        diag(v, c, BL_LOG_ERR, "<%s> appears twice; site.xml has one", (const char *)c->name);
    }
    else if (bl_xml_is(c, "image")) {
        check_image(v, c);
    }
    else if (bl_xml_is(c, "description")) {
        check_text_only(v, c);
    }
    else if (bl_xml_is(c, "twitter")) {
        auth = bl_xml_text(c, v->p);
        if (!handle_valid(auth)) {
            diag(v, c, BL_LOG_ERR,
                 "<twitter>: '%s' is not an account name like @example (letters, digits, _)",
                 auth);
        }
    }
    else if (bl_xml_is(c, "string")) {
        if (bl_xml_attr(c, "key", v->p) == NULL) {
            diag(v, c, BL_LOG_ERR, "<string> needs a key attribute");
        }
    }
    else {
        diag(v, c, BL_LOG_ERR, "<site> may not contain <%s>", (const char *)c->name);
    }
    return 0;
}

/* Checks site.xml: names, the tag authority, the author, the description, the preview
 * image, the Twitter account, strings; image and twitter at most once. */
static void check_site(vctx_t *v)
{
    xmlNodePtr root = v->file->root, c;
    int names = 0;

    if (!check_root(v, "site")) {
        return;
    }
    for (c = root->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            names += check_site_child(v, c);
        }
    }
    if (names == 0 || bl_select_child(root, "tag-authority", "", "", NULL) == NULL
        || bl_select_child(root, "author", "", "", NULL) == NULL) {
        diag(v, root, BL_LOG_ERR, "<site> needs <name>, <tag-authority> and <author>");
    }
}

/* Returns 1 when an <insert name=NAME/> or any <include> is under NODE, and sets
 * *FOUND_IN_HEAD when such an insert sits inside a <head>. */
static int find_insert(xmlNodePtr node, const char *name, int in_head, int *found_in_head,
                       apr_pool_t *p)
{
    xmlNodePtr c;
    const char *a;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (bl_xml_is(c, "include")) {
            return 1; /* it may be in the fragment */
        }
        a = bl_xml_is(c, "insert") ? bl_xml_attr(c, "name", p) : NULL;
        if (a != NULL && strcmp(a, name) == 0) {
            *found_in_head = in_head;
            return 1;
        }
        if (find_insert(c, name, in_head || bl_xml_is(c, "head"), found_in_head, p)) {
            return 1;
        }
    }
    return 0;
}

/* Warns when the layout lacks an insert pages need, or puts head's outside <head>. */
static void check_inserts(vctx_t *v)
{
    static const char *const needed[] = { "title", "body", "head", NULL };
    int i, in_head;

    for (i = 0; needed[i] != NULL; i++) {
        in_head = 0;
        if (!find_insert(v->file->root, needed[i], 0, &in_head, v->p)) {
            diag(v, v->file->root, BL_LOG_WARNING, "layout.xml has no <insert name=\"%s\"/>",
                 needed[i]);
        }
    }
    in_head = 1;
    if (find_insert(v->file->root, "head", 0, &in_head, v->p) && !in_head) {
        diag(v, v->file->root, BL_LOG_WARNING, "<insert name=\"head\"/> belongs inside <head>");
    }
}

/* Checks layout.xml: html with head and body, and the inserts it must have. */
static void check_layout(vctx_t *v)
{
    xmlNodePtr root = v->file->root;

    if (!check_root(v, "html")) {
        return;
    }
    if (bl_select_child(root, "head", "", "", NULL) == NULL
        || bl_select_child(root, "body", "", "", NULL) == NULL) {
        diag(v, root, BL_LOG_ERR, "<html> needs <head> and <body>");
    }
    v->in_layout = 1;
    check_markup(v, root);
    check_inserts(v);
}

/* Returns the bytes S takes once escaped for text or an attribute: each special
 * character counted at its longest entity. */
static apr_size_t escaped_size(const char *s)
{
    apr_size_t n = 0;

    for (; *s; s++) {
        n += (*s == '&' || *s == '<' || *s == '>' || *s == '"' || *s == '\'') ? 6 : 1;
    }
    return n;
}

/* Adds the size of NODE and everything under it to the file's own counts, and notes
 * every <include> in document order. */
static void measure(vctx_t *v, xmlNodePtr node)
{
    bl_file_t *f = v->file;
    xmlNodePtr c;
    xmlAttrPtr a;

    f->own_nodes++;
    if (node->type != XML_ELEMENT_NODE) {
        f->own_bytes += node->content ? escaped_size((const char *)node->content) : 0;
        return;
    }
    if (bl_xml_is(node, "include")) {
        APR_ARRAY_PUSH(v->includes, xmlNodePtr) = node;
    }
    f->own_bytes += 2 * strlen((const char *)node->name) + 5;
    for (a = node->properties; a != NULL; a = a->next) {
        f->own_nodes++;
        f->own_bytes += strlen((const char *)a->name) + 4;
        f->own_bytes += a->children && a->children->content
                            ? escaped_size((const char *)a->children->content)
                            : 0;
    }
    for (c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE || c->type == XML_TEXT_NODE) {
            measure(v, c);
        }
    }
}

/* Measures the file and keeps its includes in its arena. */
static apr_status_t measure_file(vctx_t *v)
{
    bl_file_t *f = v->file;

    v->includes = apr_array_make(v->p, 8, sizeof(xmlNodePtr));
    f->own_bytes = f->own_nodes = 0;
    measure(v, f->root);
    f->nincludes = v->includes->nelts;
    if (f->nincludes == 0) {
        return APR_SUCCESS;
    }
    f->includes = bl_arena_alloc(f->arena, sizeof(xmlNodePtr) * (apr_size_t)f->nincludes);
    if (f->includes == NULL) {
        return APR_ENOMEM;
    }
    memcpy(f->includes, v->includes->elts, sizeof(xmlNodePtr) * (apr_size_t)f->nincludes);
    return APR_SUCCESS;
}

/* Indexes the file's language groups, reporting a group in too many languages. */
static void index_groups(vctx_t *v)
{
    xmlNodePtr bad = NULL;
    apr_status_t rv = bl_select_index(v->file->root, v->file->arena, &bad, v->p);

    if (rv == APR_EINVAL && bad != NULL) {
        diag(v, bad, BL_LOG_ERR,
             "<%s> and its same-name siblings are written in more than %d "
             "languages",
             (const char *)bad->name, BL_MAX_GROUP_LANGS);
    }
    else if (rv != APR_SUCCESS) {
        diag(v, v->file->root, BL_LOG_ERR, "out of memory");
    }
}

/* Reports a file that passes the budget by itself: it can never be served, so it
 * fails its own checks (and its tree is not kept). */
static void check_own_size(vctx_t *v)
{
    if (v->file->own_bytes > BL_MAX_EXPANDED_BYTES || v->file->own_nodes > BL_MAX_EXPANDED_NODES) {
        diag(v, v->file->root, BL_LOG_ERR,
             "this file passes the budget by itself: %lu bytes of markup and text and %lu "
             "elements, attributes and texts, every language counted (at most %d and %d)",
             (unsigned long)v->file->own_bytes, (unsigned long)v->file->own_nodes,
             BL_MAX_EXPANDED_BYTES, BL_MAX_EXPANDED_NODES);
    }
}

/* Indexes, measures, then dispatches on the file's kind. */
apr_status_t bl_validate_file(bl_file_t *file, const char *buf, apr_size_t len,
                              const bl_langs_t *langs, bl_diag_cb *cb, void *baton, apr_pool_t *p)
{
    vctx_t v;

    memset(&v, 0, sizeof(v));
    v.file = file;
    v.buf = buf;
    v.len = len;
    v.langs = langs;
    v.cb = cb;
    v.baton = baton;
    v.p = p;
    v.suffix = "";
    index_groups(&v);
    if (measure_file(&v) != APR_SUCCESS) {
        return APR_ENOMEM;
    }
    check_own_size(&v);
    switch (file->kind) {
    case BL_KIND_SITE: check_site(&v); break;
    case BL_KIND_LAYOUT: check_layout(&v); break;
    case BL_KIND_PAGE: check_page(&v); break;
    case BL_KIND_FRAGMENT:
        if (check_root(&v, "fragment")) {
            v.in_layout = 1; /* fragments may carry the layout's inserts */
            check_markup(&v, file->root);
        }
        break;
    default: check_item(&v); break;
    }
    return v.errors ? APR_EINVAL : APR_SUCCESS;
}

/* ---- across files: includes, cycles, depth, budget ---- */

/* What the cross-file checks know of one fragment. */
typedef struct frag_t {
    bl_file_t *file;
    int color;        /* 0 unvisited, 1 on the search stack, 2 done */
    int depth;        /* fragments nested in it, itself counted */
    apr_size_t bytes; /* its expanded size, saturated past the budget */
    apr_size_t nodes;
} frag_t;

/* State of the cross-file checks. */
typedef struct sctx_t {
    apr_hash_t *cand;          /* rel -> bl_file_t*: what would be served */
    apr_hash_t *seen;          /* rel -> bl_seen_t* */
    apr_hash_t *frags;         /* NAME -> frag_t* */
    apr_hash_t *failed;        /* rel -> "" */
    apr_array_header_t *stack; /* frag_t*: the fragments being visited */
    vctx_t v;
} sctx_t;

/* Reports an error about NODE of FILE and marks FILE as failing. */
static void fail_at(sctx_t *s, bl_file_t *file, xmlNodePtr node, const char *fmt, const char *arg)
{
    s->v.file = file;
    diag(&s->v, node, BL_LOG_ERR, fmt, arg);
    apr_hash_set(s->failed, file->rel, APR_HASH_KEY_STRING, "");
}

/* Returns the fragment an <include> names, or NULL. */
static frag_t *target(sctx_t *s, xmlNodePtr inc)
{
    const char *name = bl_xml_attr(inc, "fragment", s->v.p);

    return name ? apr_hash_get(s->frags, name, APR_HASH_KEY_STRING) : NULL;
}

/* Reports every include of FILE whose fragment does not exist, and the first whose
 * fragment exists but is not served (the fragment's own error says why; one line per
 * file keeps a broken chain of fragments from flooding the log). */
static void check_includes(sctx_t *s, bl_file_t *file)
{
    const char *name, *rel;
    int i, unserved = 0;

    for (i = 0; i < file->nincludes; i++) {
        if (target(s, file->includes[i]) != NULL) {
            continue;
        }
        name = bl_xml_attr(file->includes[i], "fragment", s->v.p);
        rel = apr_pstrcat(s->v.p, "fragments/", name ? name : "", ".xml", NULL);
        if (apr_hash_get(s->seen, rel, APR_HASH_KEY_STRING) == NULL) {
            fail_at(s, file, file->includes[i], "<include>: there is no fragments/%s.xml",
                    name ? name : "");
        }
        else if (!unserved++) {
            fail_at(s, file, file->includes[i],
                    "<include>: fragments/%s.xml is not served: it has errors and no good "
                    "version to fall back on",
                    name ? name : "");
        }
    }
}

/* Marks every fragment of the cycle as failed: those on the search stack from TO to
 * the top. Whichever edit closed the cycle, each keeps its last good version. */
static void fail_cycle(sctx_t *s, const frag_t *to)
{
    int i;
    frag_t *f;

    for (i = s->stack->nelts - 1; i >= 0; i--) {
        f = APR_ARRAY_IDX(s->stack, i, frag_t *);
        apr_hash_set(s->failed, f->file->rel, APR_HASH_KEY_STRING, "");
        if (f == to) {
            break;
        }
    }
}

/* Returns the include of F that reaches the deepest fragment, and sets F's depth. */
static xmlNodePtr deepest(sctx_t *s, frag_t *f)
{
    xmlNodePtr at = NULL;
    frag_t *to;
    int i;

    f->depth = 1;
    for (i = 0; i < f->file->nincludes; i++) {
        to = target(s, f->file->includes[i]);
        if (to != NULL && to->color == 2 && to->depth + 1 > f->depth) {
            f->depth = to->depth + 1;
            at = f->file->includes[i];
        }
    }
    return at;
}

/* Depth-first search from fragment F: reports a back edge (a cycle) and nesting deeper
 * than BL_MAX_INCLUDE_DEPTH, measured from F down (memoized); a search that would go
 * deeper stops and reports there, so the recursion is never deeper than that either. */
static void visit(sctx_t *s, frag_t *f)
{
    xmlNodePtr at, too_deep = NULL;
    frag_t *to;
    int i;

    f->color = 1;
    APR_ARRAY_PUSH(s->stack, frag_t *) = f;
    for (i = 0; i < f->file->nincludes; i++) {
        to = target(s, f->file->includes[i]);
        if (to != NULL && to->color == 1) {
            fail_at(s, f->file, f->file->includes[i],
                    "<include>: fragments/%s.xml includes itself through this include (a cycle)",
                    to->file->name);
            fail_cycle(s, to);
        }
        else if (to != NULL && to->color == 0 && s->stack->nelts >= BL_MAX_INCLUDE_DEPTH) {
            too_deep = too_deep ? too_deep : f->file->includes[i];
        }
        else if (to != NULL && to->color == 0) {
            visit(s, to);
        }
    }
    apr_array_pop(s->stack);
    f->color = 2;
    at = deepest(s, f);
    if (too_deep != NULL || f->depth > BL_MAX_INCLUDE_DEPTH) {
        fail_at(s, f->file, too_deep ? too_deep : at,
                "<include>: fragments nest deeper than %s levels from here",
                apr_itoa(s->v.p, BL_MAX_INCLUDE_DEPTH));
    }
}

/* Adds A to *SUM, saturating one past LIMIT so no sum can overflow. */
static void add_capped(apr_size_t *sum, apr_size_t a, apr_size_t limit)
{
    *sum = (a > limit || *sum + a > limit) ? limit + 1 : *sum + a;
}

/* Computes the expansion of fragment F (memoized; the graph has no cycle and is at
 * most BL_MAX_INCLUDE_DEPTH deep by now). */
static void expand_frag(sctx_t *s, frag_t *f)
{
    frag_t *to;
    int i;

    if (f->color == 3) {
        return;
    }
    f->bytes = f->file->own_bytes;
    f->nodes = f->file->own_nodes;
    for (i = 0; i < f->file->nincludes; i++) {
        to = target(s, f->file->includes[i]);
        expand_frag(s, to);
        add_capped(&f->bytes, to->bytes, BL_MAX_EXPANDED_BYTES);
        add_capped(&f->nodes, to->nodes, BL_MAX_EXPANDED_NODES);
    }
    f->color = 3;
}

/* Reports FILE when its expansion passes the budget, at the include that passes it
 * (or at its root when the file alone does). */
static void check_budget(sctx_t *s, bl_file_t *file)
{
    apr_size_t bytes = file->own_bytes, nodes = file->own_nodes;
    xmlNodePtr at = file->root;
    frag_t *to;
    int i;

    for (i = 0;
         i < file->nincludes && bytes <= BL_MAX_EXPANDED_BYTES && nodes <= BL_MAX_EXPANDED_NODES;
         i++) {
        to = target(s, file->includes[i]);
        expand_frag(s, to);
        add_capped(&bytes, to->bytes, BL_MAX_EXPANDED_BYTES);
        add_capped(&nodes, to->nodes, BL_MAX_EXPANDED_NODES);
        at = file->includes[i];
    }
    if (bytes > BL_MAX_EXPANDED_BYTES || nodes > BL_MAX_EXPANDED_NODES) {
        fail_at(s, file, at, "%s",
                apr_psprintf(s->v.p,
                             "%s: the expanded size (includes multiplied out, every language "
                             "counted) passes the budget of %d bytes or %d elements, attributes "
                             "and texts",
                             at == file->root ? "this file" : "this <include>",
                             BL_MAX_EXPANDED_BYTES, BL_MAX_EXPANDED_NODES));
    }
}

/* Orders files by path, so diagnostics come out in a stable order. */
static int by_path(const void *a, const void *b)
{
    return strcmp((*(bl_file_t *const *)a)->path, (*(bl_file_t *const *)b)->path);
}

/* Returns the candidates sorted by path, and fills the fragment table. */
static apr_array_header_t *collect(sctx_t *s)
{
    apr_array_header_t *all = apr_array_make(s->v.p, 64, sizeof(bl_file_t *));
    apr_hash_index_t *hi;
    bl_file_t *f;
    frag_t *fr;

    for (hi = apr_hash_first(s->v.p, s->cand); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&f);
        APR_ARRAY_PUSH(all, bl_file_t *) = f;
        if (f->kind == BL_KIND_FRAGMENT) {
            fr = apr_pcalloc(s->v.p, sizeof(*fr));
            fr->file = f;
            apr_hash_set(s->frags, f->name, APR_HASH_KEY_STRING, fr);
        }
    }
    qsort(all->elts, (size_t)all->nelts, sizeof(bl_file_t *), by_path);
    return all;
}

/* Runs includes, then cycles and depth, then (on a sound graph only) the budget. */
apr_array_header_t *bl_validate_site(apr_hash_t *candidates, apr_hash_t *seen, bl_diag_cb *cb,
                                     void *baton, apr_pool_t *p)
{
    apr_array_header_t *out = apr_array_make(p, 4, sizeof(const char *)), *all;
    apr_hash_index_t *hi;
    bl_file_t *f;
    sctx_t s;
    frag_t *fr;
    int i, sound;

    memset(&s, 0, sizeof(s));
    s.cand = candidates;
    s.seen = seen;
    s.frags = apr_hash_make(p);
    s.failed = apr_hash_make(p);
    s.stack = apr_array_make(p, BL_MAX_INCLUDE_DEPTH + 1, sizeof(frag_t *));
    s.v.cb = cb;
    s.v.baton = baton;
    s.v.p = p;
    s.v.suffix = "";
    all = collect(&s);
    for (i = 0; i < all->nelts; i++) {
        check_includes(&s, APR_ARRAY_IDX(all, i, bl_file_t *));
    }
    sound = apr_hash_count(s.failed) == 0;
    for (i = 0; sound && i < all->nelts; i++) {
        f = APR_ARRAY_IDX(all, i, bl_file_t *);
        fr = f->kind == BL_KIND_FRAGMENT ? apr_hash_get(s.frags, f->name, APR_HASH_KEY_STRING)
                                         : NULL;
        if (fr != NULL && fr->color == 0) {
            visit(&s, fr);
        }
    }
    sound = sound && apr_hash_count(s.failed) == 0;
    for (i = 0; sound && i < all->nelts; i++) {
        check_budget(&s, APR_ARRAY_IDX(all, i, bl_file_t *));
    }
    for (hi = apr_hash_first(p, s.failed); hi; hi = apr_hash_next(hi)) {
        const void *key;
        apr_hash_this(hi, &key, NULL, NULL);
        APR_ARRAY_PUSH(out, const char *) = key;
    }
    return out;
}
