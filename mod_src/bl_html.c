/* bl_html.c: content trees written out as HTML5.
 *
 * Elements are written with their attributes escaped and their xml:lang dropped (a
 * kept translation gets lang="..." only when it stands in for a missing one); void
 * elements (br, img, meta, ...) get no end tag, every other element gets one even
 * when empty, script and style keep their text raw with "</" broken up. Comments and
 * processing instructions are dropped. href, src and friends are resolved against the
 * page's path so every generated link is an absolute path or an absolute URL.
 * Control elements are handed to bl_render.c; includes are followed with a depth cap
 * and a stack check, so even a cycle that slipped past validation cannot loop.
 */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "bl_html.h"
#include "bl_out.h"
#include "bl_xml.h"

static const char *const void_names[] = { "area",  "base", "br",   "col",    "embed", "hr",  "img",
                                          "input", "link", "meta", "source", "track", "wbr", NULL };

static const char *const url_attrs[] = { "href",   "src",        "action",     "cite",
                                         "poster", "formaction", "background", NULL };

/* Returns 1 when NAME is in the NULL-terminated LIST. */
static int in_list(const char *name, const char *const *list)
{
    int i;

    for (i = 0; list[i] != NULL; i++) {
        if (strcmp(list[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Appends S as is, keeping the first error. */
void bl_hw_puts(bl_hw_t *w, const char *s)
{
    if (w->rv == APR_SUCCESS) {
        w->rv = bl_out_puts(w->bb, s);
    }
}

/* Appends S escaped as text. */
void bl_hw_text(bl_hw_t *w, const char *s)
{
    if (w->rv == APR_SUCCESS) {
        w->rv = bl_out_text(w->bb, s);
    }
}

/* Appends S escaped as an attribute value. */
void bl_hw_attr(bl_hw_t *w, const char *s)
{
    if (w->rv == APR_SUCCESS) {
        w->rv = bl_out_attr(w->bb, s);
    }
}

/* Returns 1 when REF starts with a URI scheme ("https:", "mailto:"). */
static int has_scheme(const char *ref)
{
    const char *c = ref;

    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z'))) {
        return 0;
    }
    for (c++; *c && *c != ':' && *c != '/' && *c != '?' && *c != '#'; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
              || *c == '+' || *c == '-' || *c == '.')) {
            return 0;
        }
    }
    return *c == ':';
}

/* Removes "." and ".." segments from the absolute path PATH in place (RFC 3986 5.2.4);
 * PATH ends at the first '?' or '#', which are kept. */
static char *remove_dots(char *path, apr_pool_t *p)
{
    char *out = apr_palloc(p, strlen(path) + 2);
    char *o = out, *s = path, *tail;
    apr_size_t n;

    tail = s + strcspn(s, "?#");
    while (s < tail) {
        n = strcspn(s + 1, "/?#") + 1; /* one "/segment" */
        if (n == 2 && s[1] == '.') {
            if (s + n >= tail) {
                *o++ = '/';
            }
        }
        else if (n == 3 && s[1] == '.' && s[2] == '.') {
            while (o > out && *--o != '/') {
            }
            if (s + n >= tail) {
                *o++ = '/';
            }
        }
        else {
            memcpy(o, s, n);
            o += n;
        }
        s += n;
    }
    if (o == out) {
        *o++ = '/';
    }
    strcpy(o, tail);
    return out;
}

/* Merges REF with BASE_PATH per RFC 3986 5.2, for the path forms a page can hold. */
const char *bl_url_resolve(const char *ref, const char *base_path, const char *base, int absolute,
                           apr_pool_t *p)
{
    const char *path;
    const char *slash;

    if (has_scheme(ref) || (ref[0] == '/' && ref[1] == '/')) {
        return ref;
    }
    if (ref[0] == '/') {
        path = ref;
    }
    else if (ref[0] == '\0' || ref[0] == '#' || ref[0] == '?') {
        apr_size_t n = strcspn(base_path, ref[0] == '?' ? "?#" : "#");
        path = apr_pstrcat(p, apr_pstrndup(p, base_path, n), ref, NULL);
    }
    else {
        slash = strrchr(base_path, '/');
        path = apr_pstrcat(
            p, apr_pstrndup(p, base_path, slash ? (apr_size_t)(slash - base_path) + 1 : 1), ref,
            NULL);
    }
    path = remove_dots(apr_pstrdup(p, path), p);
    return absolute ? apr_pstrcat(p, base, path, NULL) : path;
}

/* Writes one attribute, resolving URL-valued ones. */
static void write_attr(bl_hw_t *w, xmlNodePtr node, xmlAttrPtr a)
{
    const char *name = (const char *)a->name;
    const char *val = bl_xml_attr(node, name, w->ctx->pool);

    if (a->ns != NULL) {
        if (a->ns->prefix == NULL || strcmp((const char *)a->ns->prefix, "xml") == 0) {
            return;
        }
        name = apr_pstrcat(w->ctx->pool, (const char *)a->ns->prefix, ":", name, NULL);
        val = a->children && a->children->content ? (const char *)a->children->content : "";
    }
    if (val == NULL) {
        val = "";
    }
    if (a->ns == NULL && in_list(name, url_attrs)) {
        val = bl_url_resolve(val, w->base_path, w->ctx->base, w->absolute, w->ctx->pool);
    }
    bl_hw_puts(w, " ");
    bl_hw_puts(w, name);
    bl_hw_puts(w, "=\"");
    bl_hw_attr(w, val);
    bl_hw_puts(w, "\"");
}

/* Writes the text of a script or style element raw, with "</" broken up. */
static void write_raw(bl_hw_t *w, xmlNodePtr node)
{
    xmlNodePtr c;
    const char *s, *lt;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_TEXT_NODE || c->content == NULL) {
            continue;
        }
        for (s = (const char *)c->content; (lt = strstr(s, "</")) != NULL; s = lt + 2) {
            if (w->rv == APR_SUCCESS) {
                w->rv = bl_out_write(w->bb, s, (apr_size_t)(lt - s));
            }
            bl_hw_puts(w, "<\\/");
        }
        bl_hw_puts(w, s);
    }
}

/* Follows <include fragment=NAME/>, unless it would loop or nest too deep. */
static void write_include(bl_hw_t *w, xmlNodePtr node)
{
    const char *name = bl_xml_attr(node, "fragment", w->ctx->pool);
    bl_file_t *frag;
    int i;

    if (name == NULL || w->depth >= BL_MAX_INCLUDE_DEPTH) {
        return;
    }
    for (i = 0; i < w->depth; i++) {
        if (strcmp(w->stack[i], name) == 0) {
            return;
        }
    }
    frag = bl_site_get(w->ctx->site, BL_KIND_FRAGMENT, name);
    if (frag == NULL) {
        return;
    }
    w->stack[w->depth++] = name;
    bl_hw_content(w, frag->root);
    w->depth--;
}

/* Writes an HTML element, or dispatches a control element. */
void bl_hw_element(bl_hw_t *w, xmlNodePtr node, const char *fallback)
{
    const char *name = (const char *)node->name;
    xmlAttrPtr a;
    int title;

    if (node->ns == NULL && strcmp(name, "include") == 0) {
        write_include(w, node);
        return;
    }
    if (node->ns == NULL && strcmp(name, "insert") == 0) {
        bl_render_insert(w, node, bl_xml_attr(node, "name", w->ctx->pool));
        return;
    }
    if (node->ns == NULL && strcmp(name, "list") == 0) {
        bl_render_list(w, node);
        return;
    }
    bl_hw_puts(w, "<");
    bl_hw_puts(w, name);
    for (a = node->properties; a != NULL; a = a->next) {
        if (!(fallback != NULL && a->ns == NULL && strcmp((const char *)a->name, "lang") == 0)) {
            write_attr(w, node, a);
        }
    }
    if (fallback != NULL) {
        bl_hw_puts(w, " lang=\"");
        bl_hw_attr(w, fallback);
        bl_hw_puts(w, "\"");
    }
    bl_hw_puts(w, ">");
    if (in_list(name, void_names)) {
        return;
    }
    if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0) {
        write_raw(w, node);
    }
    else {
        title = w->in_title;
        w->in_title = strcmp(name, "title") == 0;
        bl_hw_children(w, node);
        w->in_title = title;
    }
    bl_hw_puts(w, "</");
    bl_hw_puts(w, name);
    bl_hw_puts(w, ">");
}

/* Returns 1 when text node T holds white space only. */
static int is_blank(xmlNodePtr t)
{
    const unsigned char *s;

    for (s = t->content; s != NULL && *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
            return 0;
        }
    }
    return 1;
}

/* Returns 1 when text node T is white space only and the next element after it is
 * one that language selection drops: writing T would leave a blank line behind. */
static int indents_dropped(xmlNodePtr t, const char *lang, const char *deflang)
{
    const char *fallback;
    xmlNodePtr n = t->next;

    if (!is_blank(t)) {
        return 0;
    }
    while (n != NULL && n->type != XML_ELEMENT_NODE && n->type != XML_TEXT_NODE) {
        n = n->next;   /* comments and processing instructions are not written */
    }
    return n != NULL && n->type == XML_ELEMENT_NODE
        && !bl_select_keep(n, lang, deflang, &fallback);
}

/* Writes text and the kept elements among NODE's children; with TRIM, leading and
 * trailing white space (the indentation of a fragment or a body) is left out. */
static void write_children(bl_hw_t *w, xmlNodePtr node, int trim)
{
    const char *lang = w->ctx->langs->tag[w->ctx->lang];
    const char *deflang = w->ctx->langs->tag[0];
    const char *fallback;
    xmlNodePtr c;

    for (c = node->children; c != NULL && w->rv == APR_SUCCESS; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content != NULL) {
            if (!indents_dropped(c, lang, deflang)
                && !(trim && is_blank(c) && (c->prev == NULL || c->next == NULL))) {
                bl_hw_text(w, (const char *)c->content);
            }
        }
        else if (c->type == XML_ELEMENT_NODE && bl_select_keep(c, lang, deflang, &fallback)) {
            bl_hw_element(w, c, fallback);
        }
    }
}

/* Writes the kept children of NODE. */
void bl_hw_children(bl_hw_t *w, xmlNodePtr node)
{
    write_children(w, node, 0);
}

/* Writes the kept children of NODE without its leading and trailing white space. */
void bl_hw_content(bl_hw_t *w, xmlNodePtr node)
{
    write_children(w, node, 1);
}
