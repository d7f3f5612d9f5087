/* bl_markup.c: content trees written out as HTML5 in the context's language.
 *
 * Elements are written with their attributes escaped and their xml:lang dropped (a
 * kept translation gets lang="..." only when it stands in for a missing one); void
 * elements (br, img, meta, ...) get no end tag, every other element gets one even
 * when empty, script and style keep their text raw with "</" broken up. Comments and
 * processing instructions are dropped. href, src and friends are resolved against the
 * page's path so every generated link is an absolute path or an absolute URL.
 * Includes are followed with a depth cap and a stack check (validation refuses cycles
 * and deep nesting when content loads; this only guards); inserts and lists are
 * handed to the hooks of the writer that started the walk (the HTML page writer), so
 * this layer knows nothing of pages.
 */
#include <assert.h>
#include <string.h>

#include <apr_strings.h>

#include "bl_markup.h"
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

/* Fills the state with no hooks and no include on the stack. */
void bl_markup_init(bl_markup_t *m, const bl_ctx_t *ctx, bl_out_t *out, const char *base_path,
                    int absolute)
{
    memset(m, 0, sizeof(*m));
    m->ctx = ctx;
    m->out = out;
    m->base_path = base_path;
    m->absolute = absolute;
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
static void write_attr(bl_markup_t *m, xmlNodePtr node, xmlAttrPtr a)
{
    const char *name = (const char *)a->name;
    const char *val = bl_xml_attr(node, name, m->ctx->pool);

    if (a->ns != NULL) {
        if (a->ns->prefix == NULL || strcmp((const char *)a->ns->prefix, "xml") == 0) {
            return;
        }
        name = apr_pstrcat(m->ctx->pool, (const char *)a->ns->prefix, ":", name, NULL);
        val = a->children && a->children->content ? (const char *)a->children->content : "";
    }
    if (val == NULL) {
        val = "";
    }
    if (a->ns == NULL && in_list(name, url_attrs)) {
        val = bl_url_resolve(val, m->self && val[0] == '#' ? m->self : m->base_path,
                             m->ctx->base, m->absolute, m->ctx->pool);
    }
    bl_out_putv(m->out, " ", name, "=\"", NULL);
    bl_out_attr(m->out, val);
    bl_out_puts(m->out, "\"");
}

/* Writes the text of a script or style element raw, with "</" broken up. */
static void write_raw(bl_markup_t *m, xmlNodePtr node)
{
    xmlNodePtr c;
    const char *s, *lt;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_TEXT_NODE || c->content == NULL) {
            continue;
        }
        for (s = (const char *)c->content; (lt = strstr(s, "</")) != NULL; s = lt + 2) {
            bl_out_write(m->out, s, (apr_size_t)(lt - s));
            bl_out_puts(m->out, "<\\/");
        }
        bl_out_puts(m->out, s);
    }
}

/* Follows <include fragment=NAME/>, unless it would loop or nest too deep. */
static void write_include(bl_markup_t *m, xmlNodePtr node)
{
    const char *name = bl_xml_attr(node, "fragment", m->ctx->pool);
    bl_file_t *frag;
    int i;

    if (name == NULL || m->depth >= BL_MAX_INCLUDE_DEPTH) {
        return;
    }
    for (i = 0; i < m->depth; i++) {
        if (strcmp(m->stack[i], name) == 0) {
            return;
        }
    }
    frag = bl_site_get(m->ctx->site, BL_KIND_FRAGMENT, name);
    if (frag == NULL) {
        return;
    }
    if (m->note_includes) {
        bl_ctx_note(m->ctx, frag->changed);
    }
    assert(m->depth < BL_MAX_INCLUDE_DEPTH);
    m->stack[m->depth++] = name;
    bl_markup_content(m, frag->root);
    m->depth--;
}

/* Writes the start tag, content and end tag of an HTML element. */
static void write_element(bl_markup_t *m, xmlNodePtr node, const char *fallback)
{
    const char *name = (const char *)node->name;
    xmlAttrPtr a;
    int title;

    bl_out_putv(m->out, "<", name, NULL);
    for (a = node->properties; a != NULL; a = a->next) {
        if (!(fallback != NULL && a->ns == NULL && strcmp((const char *)a->name, "lang") == 0)) {
            write_attr(m, node, a);
        }
    }
    if (fallback != NULL) {
        bl_out_puts(m->out, " lang=\"");
        bl_out_attr(m->out, fallback);
        bl_out_puts(m->out, "\"");
    }
    bl_out_puts(m->out, ">");
    if (in_list(name, void_names)) {
        return;
    }
    if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0) {
        write_raw(m, node);
    }
    else {
        title = m->in_title;
        m->in_title = strcmp(name, "title") == 0;
        bl_markup_children(m, node);
        m->in_title = title;
    }
    bl_out_putv(m->out, "</", name, ">", NULL);
}

/* Dispatches a control element, or writes an HTML element. */
static void write_node(bl_markup_t *m, xmlNodePtr node, const char *fallback)
{
    if (bl_xml_is(node, "include")) {
        write_include(m, node);
    }
    else if (bl_xml_is(node, "insert")) {
        if (m->on_insert != NULL) {
            m->on_insert(m, node);
        }
    }
    else if (bl_xml_is(node, "list")) {
        if (m->on_list != NULL) {
            m->on_list(m, node);
        }
    }
    else {
        write_element(m, node, fallback);
    }
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
static int indents_dropped(const bl_ctx_t *ctx, xmlNodePtr t)
{
    const char *fallback;
    xmlNodePtr n = t->next;

    if (!is_blank(t)) {
        return 0;
    }
    while (n != NULL && n->type != XML_ELEMENT_NODE && n->type != XML_TEXT_NODE) {
        n = n->next; /* comments and processing instructions are not written */
    }
    return n != NULL && n->type == XML_ELEMENT_NODE && !bl_ctx_keep(ctx, n, &fallback);
}

/* Writes text and the kept elements among NODE's children; with TRIM, leading and
 * trailing white space (the indentation of a fragment or a body) is left out. */
static void write_children(bl_markup_t *m, xmlNodePtr node, int trim)
{
    const char *fallback;
    xmlNodePtr c;

    for (c = node->children; c != NULL && bl_out_status(m->out) == APR_SUCCESS; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content != NULL) {
            if (!indents_dropped(m->ctx, c)
                && !(trim && is_blank(c) && (c->prev == NULL || c->next == NULL))) {
                bl_out_text(m->out, (const char *)c->content);
            }
        }
        else if (c->type == XML_ELEMENT_NODE && bl_ctx_keep(m->ctx, c, &fallback)) {
            write_node(m, c, fallback);
        }
    }
}

/* Writes the kept children of NODE. */
void bl_markup_children(bl_markup_t *m, xmlNodePtr node)
{
    write_children(m, node, 0);
}

/* Writes the kept children of NODE without its leading and trailing white space. */
void bl_markup_content(bl_markup_t *m, xmlNodePtr node)
{
    write_children(m, node, 1);
}

/* Writes into a buffer of its own, then copies it into the context's pool. */
const char *bl_markup_string(const bl_ctx_t *ctx, xmlNodePtr node, const char *base_path)
{
    bl_out_t *o = bl_out_create(BL_MAX_RESPONSE_BYTES, ctx->pool);
    bl_markup_t m;
    const char *s;

    bl_markup_init(&m, ctx, o, base_path, 1);
    bl_markup_content(&m, node);
    s = bl_out_flatten(o, NULL, ctx->pool);
    bl_out_reset(o);
    return s ? s : "";
}
