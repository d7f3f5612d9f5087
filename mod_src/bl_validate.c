/* bl_validate.c: the content format's rules, checked once per file version.
 *
 * bl_validate_file() checks what one file can show by itself: the root element, the
 * attributes and children of items, pages and site.xml, RFC 3339 dates with offsets,
 * and every control element (include, insert, list) in markup. Errors make the file
 * unusable (the loader keeps its last good version); warnings (unknown HTML names,
 * missing translations) only inform bilingual-check. bl_validate_site() checks what
 * spans files: every include names an existing fragment, and fragments include no
 * cycle. Each diagnostic carries the file's path, line and column.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "bl_render.h"
#include "bl_validate.h"
#include "bl_xml.h"

/* One check's state: the file, where diagnostics go, how many errors so far. */
typedef struct vctx_t {
    bl_file_t *file;
    const bl_langs_t *langs;
    bl_diag_cb *cb;
    void *baton;
    apr_pool_t *p;
    int errors;
    int in_layout;
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
int bl_validate_html_name(const char *name)
{
    int i;

    for (i = 0; html_names[i] != NULL; i++) {
        if (strcmp(html_names[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Sends one diagnostic about NODE (or its attribute ATTR, may be NULL), located at
 * the element's (or attribute's) line and column in the file, and counts errors. */
static void vdiag(vctx_t *v, xmlNodePtr node, const char *attr, bl_log_level_t level,
                  const char *fmt, va_list ap)
{
    bl_diag_t d;
    const char *needle = NULL;

    memset(&d, 0, sizeof(d));
    d.path = v->file->path;
    d.line = node ? bl_xml_line(node) : 0;
    d.level = level;
    d.version = v->file->stamp.mtime;
    d.msg = apr_pvsprintf(v->p, fmt, ap);
    if (node != NULL && node->type == XML_ELEMENT_NODE) {
        needle = attr ? apr_pstrcat(v->p, attr, "=", NULL)
                      : apr_pstrcat(v->p, "<", (const char *)node->name, NULL);
    }
    if (needle != NULL) {
        bl_xml_locate(d.path, needle, &d.line, &d.col);
    }
    else if (d.line > 0) {
        d.col = 1;
    }
    if (level == BL_LOG_ERR) {
        v->errors++;
    }
    v->cb(v->baton, &d);
}

/* Formats and sends a diagnostic about element NODE. */
static void diag(vctx_t *v, xmlNodePtr node, bl_log_level_t level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Formats and sends a diagnostic about attribute ATTR of NODE. */
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

static void check_list(vctx_t *v, xmlNodePtr node);

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
        a = bl_xml_attr(node, "name", v->p);
        if (a == NULL
            || (strcmp(a, "title") && strcmp(a, "body") && strcmp(a, "head")
                && strcmp(a, "languages") && strcmp(a, "site-name"))) {
            diag_attr(v, node, "name",
                      "<insert>: name='%s' is not one of title, body, head,"
                      " languages, site-name",
                      a ? a : "");
        }
        else if (!v->in_layout
                 && (!strcmp(a, "body") || !strcmp(a, "title") || !strcmp(a, "head"))) {
            diag(v, node, BL_LOG_ERR, "<insert name=\"%s\"/> belongs in layout.xml", a);
        }
        return 1;
    }
    if (bl_xml_is(node, "list")) {
        check_list(v, node);
        return 1;
    }
    return 0;
}

/* Checks the attributes of a <list>. */
static void check_list(vctx_t *v, xmlNodePtr node)
{
    const char *kind = bl_xml_attr(node, "kind", v->p);
    const char *when = bl_xml_attr(node, "when", v->p);
    const char *count = bl_xml_attr(node, "count", v->p);
    char *end = NULL;
    long n = count ? strtol(count, &end, 10) : 1;

    if (kind == NULL || (strcmp(kind, "events") && strcmp(kind, "press"))) {
        diag_attr(v, node, "kind", "<list>: kind='%s' is not events or press", kind ? kind : "");
    }
    if (when != NULL && strcmp(when, "upcoming") && strcmp(when, "past") && strcmp(when, "all")) {
        diag_attr(v, node, "when", "<list>: when='%s' is not upcoming, past or all", when);
    }
    if (count != NULL && (*count < '0' || *count > '9' || *end != '\0' || n < 1 || n > 1000)) {
        diag_attr(v, node, "count", "<list>: count='%s' is not a number from 1 to 1000", count);
    }
}

/* Warns when the xml:lang group NODE starts lacks a configured language. */
static void check_translations(vctx_t *v, xmlNodePtr node)
{
    const char *l = bl_xml_lang(node);
    const char *missing = NULL;
    const char *sl;
    xmlNodePtr s;
    int i, found;

    if (l == NULL || v->langs == NULL) {
        return;
    }
    for (i = 0; i < v->langs->n; i++) {
        for (found = 0, s = node; s != NULL && !found; s = s->next) {
            sl = s->type == XML_ELEMENT_NODE
                         && !strcmp((const char *)s->name, (const char *)node->name)
                     ? bl_xml_lang(s)
                     : NULL;
            found = sl != NULL && strcasecmp(sl, v->langs->tag[i]) == 0;
        }
        if (!found) {
            missing = missing ? apr_pstrcat(v->p, missing, ", ", v->langs->tag[i], NULL)
                              : v->langs->tag[i];
        }
    }
    if (missing != NULL) {
        diag(v, node, BL_LOG_WARNING, "<%s xml:lang=\"%s\"> has no %s translation",
             (const char *)node->name, l, missing);
    }
}

/* Returns 1 when NODE is the first sibling with xml:lang of its name (so a group is
 * checked for translations once). */
static int first_of_group(xmlNodePtr node)
{
    xmlNodePtr s;

    for (s = node->prev; s != NULL; s = s->prev) {
        if (s->type == XML_ELEMENT_NODE
            && strcmp((const char *)s->name, (const char *)node->name) == 0
            && bl_xml_lang(s) != NULL) {
            return 0;
        }
    }
    return 1;
}

/* Walks markup under NODE: control elements, HTML names, translations. */
static void check_markup(vctx_t *v, xmlNodePtr node)
{
    xmlNodePtr c;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (bl_xml_lang(c) != NULL && first_of_group(c)) {
            check_translations(v, c);
        }
        if (check_control(v, c)) {
            continue;
        }
        if (c->ns == NULL && !bl_validate_html_name((const char *)c->name)) {
            diag(v, c, BL_LOG_WARNING,
                 "<%s> is not an HTML element name; it is written "
                 "out as is",
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

/* Checks the children of a page or item root against ALLOWED names; TEXT_ONLY names
 * must hold text; returns the number of titles with text. */
static int check_children(vctx_t *v, const char *const *allowed, const char *const *text_only)
{
    xmlNodePtr c;
    int i, titles = 0, known;

    for (c = v->file->root->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c) == 0) {
            diag(v, c, BL_LOG_ERR, "text outside any element in <%s>",
                 (const char *)v->file->root->name);
        }
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        for (known = 0, i = 0; allowed[i] != NULL && !known; i++) {
            known = bl_xml_is(c, allowed[i]);
        }
        if (!known) {
            diag(v, c, BL_LOG_ERR, "<%s> may not contain <%s>", (const char *)v->file->root->name,
                 (const char *)c->name);
            continue;
        }
        for (i = 0; text_only[i] != NULL; i++) {
            xmlNodePtr e;
            for (e = c->children; bl_xml_is(c, text_only[i]) && e != NULL; e = e->next) {
                if (e->type == XML_ELEMENT_NODE) {
                    diag(v, e, BL_LOG_ERR, "<%s> holds text only, not <%s>", (const char *)c->name,
                         (const char *)e->name);
                    break;
                }
            }
        }
        if (bl_xml_is(c, "title") && *bl_xml_text(c, v->p) != '\0') {
            titles++;
        }
        if (bl_xml_lang(c) != NULL && first_of_group(c)) {
            check_translations(v, c);
        }
        if (bl_xml_is(c, "body")) {
            check_markup(v, c);
        }
    }
    return titles;
}

/* Parses the date attribute NAME of the root into *T; returns 0 when absent. */
static int check_date(vctx_t *v, const char *name, int required, bl_time_t *t)
{
    const char *s = bl_xml_attr(v->file->root, name, v->p);

    if (s == NULL) {
        if (required) {
            diag(v, v->file->root, BL_LOG_ERR, "<%s>: attribute '%s' is required",
                 (const char *)v->file->root->name, name);
        }
        return 0;
    }
    if (bl_time_parse(s, t) != APR_SUCCESS) {
        diag_attr(v, v->file->root, name,
                  "attribute '%s': '%s' is not an RFC 3339 "
                  "date-time with an offset (like 2015-07-01T09:00:00-04:00)",
                  name, s);
        return 0;
    }
    return 1;
}

/* Checks the root attributes of an item and fills file->item. */
static void check_item_attrs(vctx_t *v, int event)
{
    static const char *const ev_attrs[] = { "published", "updated", "start", "end",
                                            "status",    "draft",   NULL };
    static const char *const pr_attrs[] = { "published", "updated", "draft", NULL };
    bl_item_t *it = &v->file->item;
    const char *s;

    check_attrs(v, v->file->root, event ? ev_attrs : pr_attrs);
    check_date(v, "published", 1, &it->published);
    if (!check_date(v, "updated", 0, &it->updated)) {
        it->updated = it->published;
    }
    s = bl_xml_attr(v->file->root, "draft", v->p);
    if (s != NULL && strcmp(s, "true") && strcmp(s, "false")) {
        diag_attr(v, v->file->root, "draft", "attribute 'draft': '%s' is not true or false", s);
    }
    it->draft = s != NULL && strcmp(s, "true") == 0;
    if (!event) {
        return;
    }
    check_date(v, "start", 1, &it->start);
    it->has_end = check_date(v, "end", 0, &it->end);
    if (it->has_end && it->start.t != 0 && it->end.t < it->start.t) {
        diag_attr(v, v->file->root, "end", "attribute 'end' is before 'start'");
    }
    s = bl_xml_attr(v->file->root, "status", v->p);
    if (s != NULL && strcmp(s, "cancelled") != 0) {
        diag_attr(v, v->file->root, "status", "attribute 'status': '%s' is not cancelled", s);
    }
    it->cancelled = s != NULL;
}

/* Checks an event or press release. */
static void check_item(vctx_t *v, int event)
{
    static const char *const ev_children[] = { "title", "summary", "body", "location", NULL };
    static const char *const pr_children[] = { "title", "summary", "body", NULL };
    static const char *const text_only[] = { "title", "summary", "location", NULL };
    const char *root = event ? "event" : "press-release";

    if (!bl_xml_is(v->file->root, root)) {
        diag(v, v->file->root, BL_LOG_ERR, "the root element must be <%s>, not <%s>", root,
             (const char *)v->file->root->name);
        return;
    }
    check_item_attrs(v, event);
    if (check_children(v, event ? ev_children : pr_children, text_only) == 0) {
        diag(v, v->file->root, BL_LOG_ERR, "<%s> needs a <title> with text", root);
    }
}

/* Checks a page. */
static void check_page(vctx_t *v)
{
    static const char *const children[] = { "title", "description", "body", NULL };
    static const char *const text_only[] = { "title", "description", NULL };
    static const char *const none[] = { NULL };

    if (!bl_xml_is(v->file->root, "page")) {
        diag(v, v->file->root, BL_LOG_ERR, "the root element must be <page>, not <%s>",
             (const char *)v->file->root->name);
        return;
    }
    check_attrs(v, v->file->root, none);
    if (check_children(v, children, text_only) == 0) {
        diag(v, v->file->root, BL_LOG_ERR, "<page> needs a <title> with text");
    }
}

/* Checks site.xml: names, the tag authority, the author, strings. */
static void check_site(vctx_t *v)
{
    xmlNodePtr root = v->file->root, c, a;
    const char *auth;
    int names = 0;

    if (!bl_xml_is(root, "site")) {
        diag(v, root, BL_LOG_ERR, "the root element must be <site>, not <%s>",
             (const char *)root->name);
        return;
    }
    for (c = root->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (bl_xml_is(c, "name")) {
            names++;
        }
        else if (bl_xml_is(c, "tag-authority")) {
            auth = bl_xml_text(c, v->p);
            if (!bl_validate_authority(auth)) {
                diag(v, c, BL_LOG_ERR, "<tag-authority>: '%s' is not DOMAIN,YYYY[-MM[-DD]]", auth);
            }
        }
        else if (bl_xml_is(c, "author")) {
            a = bl_select_child(c, "name", "", "", NULL);
            if (a == NULL || *bl_xml_text(a, v->p) == '\0') {
                diag(v, c, BL_LOG_ERR, "<author> needs a <name>");
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
    }
    if (names == 0 || bl_select_child(root, "tag-authority", "", "", NULL) == NULL
        || bl_select_child(root, "author", "", "", NULL) == NULL) {
        diag(v, root, BL_LOG_ERR, "<site> needs <name>, <tag-authority> and <author>");
    }
}

/* Returns 1 when an <insert name=NAME/> or any <include> is under NODE, and sets
 * *IN_HEAD when such an insert sits inside a <head>. */
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

    if (!bl_xml_is(root, "html")) {
        diag(v, root, BL_LOG_ERR, "the root element must be <html>, not <%s>",
             (const char *)root->name);
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

/* Dispatches on the file's kind. */
apr_status_t bl_validate_file(bl_file_t *file, const bl_langs_t *langs, bl_diag_cb *cb, void *baton,
                              apr_pool_t *p)
{
    vctx_t v;

    memset(&v, 0, sizeof(v));
    v.file = file;
    v.langs = langs;
    v.cb = cb;
    v.baton = baton;
    v.p = p;
    switch (file->kind) {
    case BL_KIND_SITE: check_site(&v); break;
    case BL_KIND_LAYOUT: check_layout(&v); break;
    case BL_KIND_PAGE: check_page(&v); break;
    case BL_KIND_EVENT: check_item(&v, 1); break;
    case BL_KIND_PRESS: check_item(&v, 0); break;
    case BL_KIND_FRAGMENT:
        if (!bl_xml_is(file->root, "fragment")) {
            diag(&v, file->root, BL_LOG_ERR, "the root element must be <fragment>, not <%s>",
                 (const char *)file->root->name);
        }
        v.in_layout = 1; /* fragments may carry the layout's inserts */
        check_markup(&v, file->root);
        break;
    }
    return v.errors ? APR_EINVAL : APR_SUCCESS;
}

/* Checks "DOMAIN-or-EMAIL,YYYY[-MM[-DD]]" (RFC 4151 taggingEntity). */
int bl_validate_authority(const char *s)
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

/* State of the cross-file checks. */
typedef struct sctx_t {
    bl_site_t *site;
    apr_hash_t *frags;         /* NAME -> bl_file_t*, newest good fragment versions */
    apr_hash_t *color;         /* NAME -> "grey" while on the DFS stack, "black" after */
    apr_hash_t *failed;        /* rel -> "" */
    apr_array_header_t *stack; /* bl_file_t*: the fragments being visited */
    vctx_t v;
} sctx_t;

/* Returns the relative path of FILE, from P. */
static const char *rel_of(sctx_t *s, const bl_file_t *file)
{
    apr_size_t n = strlen(s->site->dir);

    return apr_pstrdup(s->v.p, file->path + n + 1);
}

/* Reports every include under NODE whose fragment does not exist. */
static void check_includes(sctx_t *s, bl_file_t *file, xmlNodePtr node)
{
    xmlNodePtr c;
    const char *name;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (bl_xml_is(c, "include")) {
            name = bl_xml_attr(c, "fragment", s->v.p);
            if (name != NULL && apr_hash_get(s->frags, name, APR_HASH_KEY_STRING) == NULL) {
                s->v.file = file;
                diag(&s->v, c, BL_LOG_ERR, "<include>: there is no fragments/%s.xml", name);
                apr_hash_set(s->failed, rel_of(s, file), APR_HASH_KEY_STRING, "");
            }
            continue;
        }
        check_includes(s, file, c);
    }
}

static void visit(sctx_t *s, bl_file_t *frag);

/* Marks every fragment of the cycle as failed: those on the search stack from the one
 * named NAME to the top. Whichever edit closed the cycle, each keeps its last good
 * version, so the cycle is never published. */
static void fail_cycle(sctx_t *s, const char *name)
{
    int i;
    bl_file_t *f;

    for (i = s->stack->nelts - 1; i >= 0; i--) {
        f = APR_ARRAY_IDX(s->stack, i, bl_file_t *);
        apr_hash_set(s->failed, rel_of(s, f), APR_HASH_KEY_STRING, "");
        if (strcmp(f->name, name) == 0) {
            break;
        }
    }
}

/* Follows the includes under NODE of fragment FRAG, reporting a back edge. */
static void visit_includes(sctx_t *s, bl_file_t *frag, xmlNodePtr node)
{
    xmlNodePtr c;
    const char *name, *color;
    bl_file_t *to;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (!bl_xml_is(c, "include")) {
            visit_includes(s, frag, c);
            continue;
        }
        name = bl_xml_attr(c, "fragment", s->v.p);
        to = name ? apr_hash_get(s->frags, name, APR_HASH_KEY_STRING) : NULL;
        if (to == NULL) {
            continue;
        }
        color = apr_hash_get(s->color, name, APR_HASH_KEY_STRING);
        if (color != NULL && strcmp(color, "grey") == 0) {
            s->v.file = frag;
            diag(&s->v, c, BL_LOG_ERR,
                 "<include>: fragments/%s.xml includes itself "
                 "through this include (a cycle)",
                 name);
            fail_cycle(s, name);
        }
        else if (color == NULL) {
            visit(s, to);
        }
    }
}

/* Depth-first search from fragment FRAG. */
static void visit(sctx_t *s, bl_file_t *frag)
{
    apr_hash_set(s->color, frag->name, APR_HASH_KEY_STRING, "grey");
    APR_ARRAY_PUSH(s->stack, bl_file_t *) = frag;
    visit_includes(s, frag, frag->root);
    apr_array_pop(s->stack);
    apr_hash_set(s->color, frag->name, APR_HASH_KEY_STRING, "black");
}

/* Orders files by path, so diagnostics come out in a stable order. */
static int by_path(const void *a, const void *b)
{
    return strcmp((*(bl_file_t *const *)a)->path, (*(bl_file_t *const *)b)->path);
}

/* Collects the files, checks includes in each, then cycles among fragments. */
apr_array_header_t *bl_validate_site(bl_site_t *site, bl_diag_cb *cb, void *baton, apr_pool_t *p)
{
    sctx_t s;
    apr_hash_index_t *hi;
    apr_array_header_t *all = apr_array_make(p, 64, sizeof(bl_file_t *));
    apr_array_header_t *out = apr_array_make(p, 4, sizeof(const char *));
    bl_file_t *f;
    int i;

    memset(&s, 0, sizeof(s));
    s.site = site;
    s.frags = apr_hash_make(p);
    s.color = apr_hash_make(p);
    s.failed = apr_hash_make(p);
    s.stack = apr_array_make(p, 8, sizeof(bl_file_t *));
    s.v.cb = cb;
    s.v.baton = baton;
    s.v.p = p;
    for (hi = apr_hash_first(p, site->files); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&f);
        APR_ARRAY_PUSH(all, bl_file_t *) = f;
        if (f->kind == BL_KIND_FRAGMENT) {
            apr_hash_set(s.frags, f->name, APR_HASH_KEY_STRING, f);
        }
    }
    qsort(all->elts, (size_t)all->nelts, sizeof(bl_file_t *), by_path);
    for (i = 0; i < all->nelts; i++) {
        f = APR_ARRAY_IDX(all, i, bl_file_t *);
        if (f->kind != BL_KIND_SITE) {
            check_includes(&s, f, f->root);
        }
    }
    for (i = 0; i < all->nelts; i++) {
        f = APR_ARRAY_IDX(all, i, bl_file_t *);
        if (f->kind == BL_KIND_FRAGMENT
            && apr_hash_get(s.color, f->name, APR_HASH_KEY_STRING) == NULL) {
            visit(&s, f);
        }
    }
    for (hi = apr_hash_first(p, s.failed); hi; hi = apr_hash_next(hi)) {
        const void *key;
        apr_hash_this(hi, &key, NULL, NULL);
        APR_ARRAY_PUSH(out, const char *) = key;
    }
    return out;
}
