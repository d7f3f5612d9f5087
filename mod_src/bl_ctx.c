/* bl_ctx.c: one snapshot seen in one language.
 *
 * Writers ask here for everything they print that depends on the language: UI words
 * (site.xml's <string> first, then the built-in locale table), the site's name, the
 * language-selected title, summary and place of an item, its path and its permanent
 * tag: URI. Every answer is a pure function of the snapshot, the languages and the base
 * URL, so the bytes, and therefore the ETag, are the same on every server with the same
 * content. Writers also note here the instants of what they show, which become the
 * response's Last-Modified.
 */
#include <assert.h>
#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "bl_ctx.h"
#include "bl_limits.h"
#include "bl_locale.h"
#include "bl_out.h"
#include "bl_select.h"
#include "bl_xml.h"

/* Returns the tag of the context's language. */
const char *bl_ctx_lang(const bl_ctx_t *ctx)
{
    assert(ctx->lang >= 0 && ctx->lang < ctx->langs->n);
    return ctx->langs->tag[ctx->lang];
}

/* Selects against the configured default language. */
int bl_ctx_keep(const bl_ctx_t *ctx, xmlNodePtr node, const char **fallback)
{
    return bl_select_keep(node, bl_ctx_lang(ctx), ctx->langs->tag[0], fallback);
}

/* Selects a child against the configured default language. */
xmlNodePtr bl_ctx_child(const bl_ctx_t *ctx, xmlNodePtr parent, const char *name,
                        const char **fallback)
{
    return bl_select_child(parent, name, bl_ctx_lang(ctx), ctx->langs->tag[0], fallback);
}

/* Appends the text of the children of NODE kept in the context's language to O, with
 * a space between elements so paragraphs do not run together. */
static void kept_text(const bl_ctx_t *ctx, xmlNodePtr node, bl_out_t *o)
{
    const char *fb;
    xmlNodePtr c;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content != NULL) {
            bl_out_puts(o, (const char *)c->content);
        }
        else if (c->type == XML_ELEMENT_NODE && bl_ctx_keep(ctx, c, &fb)) {
            bl_out_puts(o, " ");
            kept_text(ctx, c, o);
            bl_out_puts(o, " ");
        }
    }
}

/* Collects the kept text, then folds white space in place. */
const char *bl_ctx_text(const bl_ctx_t *ctx, xmlNodePtr node)
{
    bl_out_t *o = bl_out_create(BL_MAX_RESPONSE_BYTES, ctx->pool);
    apr_size_t len = 0, i, n = 0;
    char *s;
    int space = 0;

    kept_text(ctx, node, o);
    s = bl_out_flatten(o, &len, ctx->pool);
    bl_out_reset(o);
    if (s == NULL) {
        return "";
    }
    for (i = 0; i < len; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
            space = n > 0;
            continue;
        }
        if (space) {
            s[n++] = ' ';
            space = 0;
        }
        s[n++] = s[i];
    }
    s[n] = '\0';
    return s;
}

/* Finds site.xml's <string key=KEY> in LANG (exact tag, ignoring case). */
static const char *site_word(const bl_ctx_t *ctx, const char *key, const char *lang)
{
    xmlNodePtr c;
    const char *k, *l;

    for (c = ctx->site->info.root ? ctx->site->info.root->children : NULL; c; c = c->next) {
        if (!bl_xml_is(c, "string")) {
            continue;
        }
        k = bl_xml_attr(c, "key", ctx->pool);
        l = bl_xml_lang(c);
        if (k != NULL && strcmp(k, key) == 0 && (l == NULL || strcasecmp(l, lang) == 0)) {
            return bl_xml_text(c, ctx->pool);
        }
    }
    return NULL;
}

/* Looks in site.xml only, in the context's language. */
const char *bl_ctx_site_word(const bl_ctx_t *ctx, const char *key)
{
    return site_word(ctx, key, bl_ctx_lang(ctx));
}

/* Tries site.xml then the locale table, in the page's language, then the default's. */
const char *bl_ctx_find_word(const bl_ctx_t *ctx, const char *key)
{
    const char *w = site_word(ctx, key, bl_ctx_lang(ctx));

    w = w ? w : bl_locale_word(bl_ctx_lang(ctx), key);
    w = w ? w : site_word(ctx, key, ctx->langs->tag[0]);
    w = w ? w : bl_locale_word(ctx->langs->tag[0], key);
    return w ? w : bl_locale_word("en", key);
}

/* Falls back on the key itself, so a page always has some text. */
const char *bl_ctx_word(const bl_ctx_t *ctx, const char *key)
{
    const char *w = bl_ctx_find_word(ctx, key);

    return w ? w : key;
}

/* Asks the model, with the context's default language. */
int bl_ctx_written_in(const bl_ctx_t *ctx, const bl_file_t *file, int lang)
{
    return bl_site_untranslated(file, ctx->langs->tag[lang], ctx->langs->tag[0]) == NULL;
}

/* Compares tags without case. */
int bl_ctx_lang_index(const bl_ctx_t *ctx, const char *tag)
{
    int i;

    for (i = 0; tag != NULL && i < ctx->langs->n; i++) {
        if (strcasecmp(ctx->langs->tag[i], tag) == 0) {
            return i;
        }
    }
    return -1;
}

/* Looks the name up in the kind the route names. */
const bl_file_t *bl_ctx_route_file(const bl_site_t *site, const bl_route_t *route)
{
    switch (route->kind) {
    case BL_R_HOME: return bl_site_get(site, BL_KIND_PAGE, "index");
    case BL_R_PAGE: return bl_site_get(site, BL_KIND_PAGE, route->name);
    case BL_R_ITEM: return bl_site_get(site, route->item, route->name);
    default: return NULL;
    }
}

/* Joins the parts the editor gave, in postal order: street, locality, "region postal
 * code", country. */
const char *bl_ctx_address(const bl_ctx_t *ctx, const bl_file_t *item)
{
    static const char *const parts[] = { "street", "locality", "region", "postal-code",
                                         "country" };
    xmlNodePtr a = bl_ctx_child(ctx, item->root, "address", NULL);
    const char *s = "", *v;
    int i, last = -1;

    if (a == NULL) {
        return NULL;
    }
    for (i = 0; i < 5; i++) {
        v = bl_xml_attr(a, parts[i], ctx->pool);
        if (v == NULL || *v == '\0') {
            continue;
        }
        /* "VT 05633": the postal code follows the region with a space */
        s = apr_pstrcat(ctx->pool, s, last < 0 ? "" : (i == 3 && last == 2) ? " " : ", ", v,
                        NULL);
        last = i;
    }
    return *s ? s : NULL;
}

/* Takes site.xml's word in that exact language, then the tag's region, then the row. */
const char *bl_ctx_og_locale(const bl_ctx_t *ctx, int lang)
{
    const char *tag = ctx->langs->tag[lang];
    const char *w = site_word(ctx, "og-locale", tag);
    apr_size_t n = strcspn(tag, "-"), i;
    const char *sub, *region = NULL;
    char *s;

    if (w != NULL) {
        return w;
    }
    /* the first subtag of two letters after the language is its region ("zh-Hant-TW") */
    for (sub = tag + n; *sub == '-' && region == NULL; sub += 1 + strcspn(sub + 1, "-")) {
        if (strcspn(sub + 1, "-") == 2 && apr_isalpha(sub[1]) && apr_isalpha(sub[2])) {
            region = sub + 1;
        }
    }
    if (region == NULL && (w = bl_locale_word(tag, "og-locale")) != NULL) {
        return w;
    }
    region = region ? region : tag; /* "fr": fr_FR */
    s = apr_pstrcat(ctx->pool, apr_pstrndup(ctx->pool, tag, n), "_",
                    apr_pstrndup(ctx->pool, region, region == tag ? n : 2), NULL);
    for (i = 0; i < n; i++) {
        s[i] = (char)apr_tolower(s[i]);
    }
    for (i = n + 1; s[i]; i++) {
        s[i] = (char)apr_toupper(s[i]); /* the territory */
    }
    return s;
}

/* Selects site.xml's <name> in the context's language. */
const char *bl_ctx_site_name(const bl_ctx_t *ctx)
{
    xmlNodePtr n =
        ctx->site->info.root ? bl_ctx_child(ctx, ctx->site->info.root, "name", NULL) : NULL;

    return n ? bl_xml_text(n, ctx->pool) : "";
}

/* Joins with a middle dot between spaces. */
const char *bl_ctx_join_title(const char *site, const char *label, apr_pool_t *p)
{
    if (site == NULL || *site == '\0') {
        return apr_pstrdup(p, label);
    }
    return apr_pstrcat(p, site, " \xC2\xB7 ", label, NULL);
}

/* Prepends the base URL. */
const char *bl_ctx_abs(const bl_ctx_t *ctx, const char *path)
{
    return apr_pstrcat(ctx->pool, ctx->base, path, NULL);
}

/* Prepends the base URL to the route's path. */
const char *bl_ctx_route_url(const bl_ctx_t *ctx, const bl_route_t *route, int lang)
{
    return bl_ctx_abs(ctx, bl_route_path(route, ctx->langs, lang, ctx->pool));
}

/* Builds /LANG/SEGMENT/SLUG from the kinds table. */
const char *bl_ctx_item_path(const bl_ctx_t *ctx, const bl_file_t *item, int lang)
{
    return apr_pstrcat(ctx->pool, "/", ctx->langs->tag[lang], "/", bl_kind(item->kind)->segment,
                       "/", item->name, NULL);
}

/* Builds tag:AUTHORITY:LANG/SEGMENT/SLUG: permanent, distinct per language. */
const char *bl_ctx_item_tag(const bl_ctx_t *ctx, const bl_file_t *item)
{
    return apr_pstrcat(ctx->pool, "tag:", ctx->site->info.authority, ":", bl_ctx_lang(ctx), "/",
                       bl_kind(item->kind)->segment, "/", item->name, NULL);
}

/* Returns the text of the kept child NAME of FILE's root, or NULL. */
static const char *child_text(const bl_ctx_t *ctx, const bl_file_t *file, const char *name,
                              const char **fallback)
{
    const char *fb = NULL;
    xmlNodePtr n = bl_ctx_child(ctx, file->root, name, &fb);

    if (fallback != NULL) {
        *fallback = fb;
    }
    return n ? bl_xml_text(n, ctx->pool) : NULL;
}

/* Returns the kept title, or the file's name. */
const char *bl_ctx_title(const bl_ctx_t *ctx, const bl_file_t *file, const char **fallback)
{
    const char *t = child_text(ctx, file, "title", fallback);

    return t ? t : file->name;
}

/* Returns the kept summary, or the start of the body's kept text, cut at a character
 * boundary and followed by an ellipsis. */
const char *bl_ctx_summary(const bl_ctx_t *ctx, const bl_file_t *item, const char **fallback)
{
    const char *fb = NULL;
    const char *s = child_text(ctx, item, "summary", &fb);
    xmlNodePtr body;
    apr_size_t n = BL_SUMMARY_FROM_BODY;

    if (s == NULL) {
        body = bl_ctx_child(ctx, item->root, "body", &fb);
        s = body ? bl_ctx_text(ctx, body) : NULL;
        if (s != NULL && strlen(s) > n) {
            while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) {
                n--;
            }
            s = apr_pstrcat(ctx->pool, apr_pstrndup(ctx->pool, s, n), "\xe2\x80\xa6", NULL);
        }
    }
    if (fallback != NULL) {
        *fallback = fb;
    }
    return s ? s : "";
}

/* Returns the kept location. */
const char *bl_ctx_location(const bl_ctx_t *ctx, const bl_file_t *item, const char **fallback)
{
    return child_text(ctx, item, "location", fallback);
}

/* Returns the title's real language, or the context's. */
const char *bl_ctx_item_lang(const bl_ctx_t *ctx, const bl_file_t *item)
{
    const char *fb = NULL;

    bl_ctx_title(ctx, item, &fb);
    return fb ? fb : bl_ctx_lang(ctx);
}

/* Prefixes the date, then the cancellation. */
const char *bl_ctx_join_heading(const char *cancelled, const char *date, const char *title,
                                apr_pool_t *p)
{
    const char *s = title;

    if (date != NULL) {
        s = apr_pstrcat(p, date, ": ", s, NULL);
    }
    if (cancelled != NULL) {
        s = apr_pstrcat(p, cancelled, ": ", s, NULL);
    }
    return apr_pstrdup(p, s);
}

/* Joins the cancellation, the date (when DATED) and the title of a ranged item. */
const char *bl_ctx_heading(const bl_ctx_t *ctx, const bl_file_t *item, int dated)
{
    int ranged = bl_kind(item->kind)->ranged;
    const char *date =
        ranged && dated ? bl_locale_date(&item->item.start, bl_ctx_lang(ctx), 0, ctx->pool) : NULL;
    const char *cancelled = ranged && item->item.cancelled ? bl_ctx_word(ctx, "cancelled") : NULL;

    return bl_ctx_join_heading(cancelled, date, bl_ctx_title(ctx, item, NULL), ctx->pool);
}

/* Raises *lm. */
void bl_ctx_note(const bl_ctx_t *ctx, apr_time_t t)
{
    if (ctx->lm != NULL && t > *ctx->lm) {
        *ctx->lm = t;
    }
}

/* Notes the later of the item's dates; an `updated` still in the future at the
 * snapshot's instant (an editor's slip) is not noted: httpd would clamp it to the
 * request's time, and Last-Modified would move every second without the bytes. */
void bl_ctx_note_item(const bl_ctx_t *ctx, const bl_file_t *item)
{
    if (item->item.updated.t <= ctx->site->now) {
        bl_ctx_note(ctx, item->item.updated.t);
    }
    bl_ctx_note(ctx, item->item.published.t);
}

/* Notes the list's membership time. */
void bl_ctx_note_list(const bl_ctx_t *ctx, bl_kind_t kind)
{
    bl_ctx_note(ctx, bl_site_list(ctx->site, kind)->changed);
}
