/* bl_html.c: HTML pages: the layout filled with a page, an item, a page of a list or of
 * a year's archive, or the 404 page.
 *
 * bl_html_write() turns a route into a view (title, description, body, the route for
 * canonical and hreflang links) and writes layout.xml through bl_markup.c with two
 * hooks: one answers the layout's (and fragments') inserts from the view, the other
 * the content's <list/> elements. The head carries the canonical URL, the hreflang
 * alternates of the languages the page is written in, the feeds, the description,
 * Open Graph and Twitter card metadata, and schema.org data for events. A list is
 * shown a page of BilingualListSize entries at a time, written item by item, each
 * from a scratch pool cleared after it, so memory grows with the output only.
 * Everything written is a pure function of the snapshot, the languages, the base URL,
 * the list size and the page (the 404 page: also the address asked for), so the bytes,
 * and therefore the ETag, are the same on every server with the same content. The view
 * notes what it shows for Last-Modified: the page file and the fragments its body
 * includes, the items shown and their lists' membership; the layout, site.xml and the
 * fragments the layout includes are the site's frame, not its content, and are not
 * noted.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "bl_html.h"
#include "bl_limits.h"
#include "bl_locale.h"
#include "bl_markup.h"
#include "bl_validate.h"
#include "bl_xml.h"

/** What the layout's inserts write for one response. */
typedef struct view_t {
    const char *title;       /* plain text */
    const char *title_lang;  /* its real language when untranslated, else NULL */
    const char *description; /* for <meta name="description">, or NULL */
    xmlNodePtr body;         /* a page's <body>, or NULL */
    const char *body_lang;
    const bl_file_t *file; /* the page or item shown, or NULL */
    const bl_file_t *item; /* the item shown, or NULL */
    const char *only_in;   /* the real language of an untranslated page or item, else NULL */
    int own;               /* its index among the languages (its canonical URL's), else -1 */
    int pages;             /* a list or an archive: how many pages it has */
    bl_route_t route;      /* for canonical, hreflang and the switcher */
    int not_found;
    int in_body; /* the body is being written: inserts mean nothing there */
} view_t;

/** An image for link previews: an <image> of the content, or an <img> of a body. */
typedef struct image_t {
    const char *url; /* absolute */
    const char *width, *height, *alt;
} image_t;

/* Writes `<TAG class="CLS"[ lang=L]>TEXT</TAG>`. */
static void text_el(bl_out_t *o, const char *tag, const char *cls, const char *lang,
                    const char *text)
{
    bl_out_putv(o, "<", tag, " class=\"", cls, "\"", NULL);
    if (lang != NULL) {
        bl_out_puts(o, " lang=\"");
        bl_out_attr(o, lang);
        bl_out_puts(o, "\"");
    }
    bl_out_puts(o, ">");
    bl_out_text(o, text);
    bl_out_putv(o, "</", tag, ">", NULL);
}

/* Writes <time class=CLS datetime=...>WORDS</time> for T. */
static void time_el(const bl_ctx_t *ctx, bl_out_t *o, const char *cls, const bl_time_t *t,
                    const char *words)
{
    bl_out_putv(o, "<time class=\"", cls, "\" datetime=\"", bl_time_rfc3339(t, ctx->pool), "\">",
                NULL);
    bl_out_text(o, words);
    bl_out_puts(o, "</time>");
}

/* Returns the notice of a page or item only written in TAG, in the context's language:
 * the word "only-in-TAG", else "only-in-" and TAG's language ("es" for "es-MX"), else
 * "only-in" followed by the language's own name (site.xml's, else the built-in one,
 * else the tag). */
static const char *only_in_words(const bl_ctx_t *ctx, const char *tag)
{
    const char *w = bl_ctx_find_word(ctx, apr_pstrcat(ctx->pool, "only-in-", tag, NULL));
    bl_ctx_t other = *ctx;
    int i = bl_ctx_lang_index(ctx, tag);

    w = w ? w
          : bl_ctx_find_word(ctx, apr_pstrcat(ctx->pool, "only-in-",
                                              apr_pstrndup(ctx->pool, tag, strcspn(tag, "-")),
                                              NULL));
    if (w != NULL) {
        return w;
    }
    if (i >= 0) {
        other.lang = i; /* the name site.xml gives the language, if any */
        w = bl_ctx_site_word(&other, "language-name");
    }
    w = w ? w : bl_locale_word(tag, "language-name");
    return apr_pstrcat(ctx->pool, bl_ctx_word(ctx, "only-in"), " ", w ? w : tag, NULL);
}

/* Writes one <li> of a list: link, untranslated and cancelled marks, date, place,
 * summary. */
static void list_item(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *f, int absolute)
{
    const char *fb = NULL, *title, *loc, *path;
    int ranged = bl_kind(f->kind)->ranged;

    title = bl_ctx_title(ctx, f, &fb);
    bl_out_puts(o, ranged && f->item.cancelled ? "<li class=\"bl-item bl-cancelled\">"
                                               : "<li class=\"bl-item\">");
    path = bl_ctx_item_path(ctx, f, ctx->lang);
    bl_out_putv(o, "<a href=\"", bl_escape(absolute ? bl_ctx_abs(ctx, path) : path, ctx->pool),
                "\"", fb ? " lang=\"" : "", fb ? bl_escape(fb, ctx->pool) : "", fb ? "\"" : "", ">",
                NULL);
    bl_out_text(o, title);
    bl_out_puts(o, "</a> ");
    if (fb != NULL) {
        text_el(o, "span", "bl-only-in", NULL, only_in_words(ctx, fb));
        bl_out_puts(o, " ");
    }
    if (ranged && f->item.cancelled) {
        text_el(o, "strong", "bl-cancelled-mark", NULL, bl_ctx_word(ctx, "cancelled"));
        bl_out_puts(o, " ");
    }
    time_el(ctx, o, "bl-date", ranged ? &f->item.start : &f->item.published,
            ranged ? bl_locale_datetime(&f->item.start, bl_ctx_lang(ctx), 1, ctx->pool)
                   : bl_locale_date(&f->item.published, bl_ctx_lang(ctx), 0, ctx->pool));
    loc = ranged ? bl_ctx_location(ctx, f, &fb) : NULL;
    if (loc != NULL) {
        bl_out_puts(o, " ");
        text_el(o, "span", "bl-location", fb, loc);
    }
    title = bl_ctx_summary(ctx, f, &fb);
    if (*title) {
        text_el(o, "p", "bl-summary", fb, title);
    }
    bl_out_puts(o, "</li>\n");
}

/* Writes a <ul> of the N items from FROM of item kind KIND, or the kind's empty-list
 * words when there is none; each item is written from a scratch pool cleared after it,
 * and noted for Last-Modified with the list itself. */
static void write_items(const bl_ctx_t *ctx, bl_out_t *o, bl_kind_t kind, bl_file_t *const *from,
                        int n, int absolute)
{
    const bl_kind_info_t *k = bl_kind(kind);
    bl_ctx_t ic = *ctx;
    int i;

    bl_ctx_note_list(ctx, kind);
    if (n <= 0) {
        text_el(o, "p", "bl-empty", NULL, bl_ctx_word(ctx, k->empty));
        return;
    }
    bl_out_putv(o, "<ul class=\"bl-list bl-", k->segment, "\">\n", NULL);
    apr_pool_create(&ic.pool, ctx->pool);
    for (i = 0; i < n && bl_out_status(o) == APR_SUCCESS; i++) {
        bl_ctx_note_item(ctx, from[i]);
        list_item(&ic, o, from[i], absolute);
        apr_pool_clear(ic.pool);
    }
    apr_pool_destroy(ic.pool);
    bl_out_puts(o, "</ul>");
}

/* Returns the slice of the list of KIND that WHEN ("upcoming", "past", NULL for all)
 * names: *FROM and the count. */
static int list_slice(const bl_ctx_t *ctx, bl_kind_t kind, const char *when,
                      bl_file_t *const **from)
{
    const bl_list_t *l = bl_site_list(ctx->site, kind);
    int ranged = bl_kind(kind)->ranged;
    int up = ranged ? l->upcoming : 0;

    *from = (bl_file_t *const *)l->order->elts;
    if (when != NULL && strcmp(when, "upcoming") == 0) {
        return ranged ? up : 0;
    }
    if (when != NULL && strcmp(when, "past") == 0) {
        *from += up;
        return l->order->nelts - up;
    }
    return l->order->nelts;
}

/* Returns the entries per page of a list (bl_respond_resolve sets it; at least 1). */
static int entries_per_page(const bl_ctx_t *ctx)
{
    return ctx->list_size > 0 ? ctx->list_size : 1;
}

/* Writes a link to the list page of KIND, for a <list/> that shows only the start of
 * the list. */
static void more_link(const bl_ctx_t *ctx, bl_out_t *o, bl_kind_t kind, int absolute)
{
    bl_route_t list;
    const char *path;

    bl_route_set(&list, BL_R_LIST, ctx->lang, kind, NULL);
    path = bl_route_path(&list, ctx->langs, ctx->lang, ctx->pool);
    bl_out_putv(o, "<p class=\"bl-more\"><a href=\"",
                bl_escape(absolute ? bl_ctx_abs(ctx, path) : path, ctx->pool), "\">", NULL);
    bl_out_text(o, bl_ctx_word(ctx, bl_kind(kind)->label));
    bl_out_puts(o, " \xe2\x86\x92</a></p>");
}

/* Answers <list kind when count/> (validated when the file loaded); without a count,
 * the first BilingualListSize entries and a link to the list page when there are
 * more, so no page grows with the number of items. */
static void on_list(bl_markup_t *m, xmlNodePtr node)
{
    const char *kind = bl_xml_attr(node, "kind", m->ctx->pool);
    const char *count = bl_xml_attr(node, "count", m->ctx->pool);
    const bl_kind_info_t *k = kind ? bl_kind_by_segment(kind, strlen(kind)) : NULL;
    bl_file_t *const *from;
    int n, max = count ? atoi(count) : BL_LIST_ALL;

    if (k == NULL) {
        return;
    }
    n = list_slice(m->ctx, k->kind, bl_xml_attr(node, "when", m->ctx->pool), &from);
    if (max == BL_LIST_ALL) {
        max = entries_per_page(m->ctx);
    }
    write_items(m->ctx, m->out, k->kind, from, max > 0 && max < n ? max : n, m->absolute);
    if (count == NULL && max < n) {
        more_link(m->ctx, m->out, k->kind, m->absolute);
    }
}

/* Writes a JSON string literal, escaping what could end a <script> too. */
static void json_str(bl_out_t *o, const char *s)
{
    char buf[8];
    const char *run = s;

    bl_out_puts(o, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c != '"' && c != '\\' && c >= 0x20 && c != '<' && c != '>' && c != '&') {
            continue;
        }
        bl_out_write(o, run, (apr_size_t)(s - run));
        if (c == '"' || c == '\\') {
            apr_snprintf(buf, sizeof(buf), "\\%c", c);
        }
        else {
            apr_snprintf(buf, sizeof(buf), "\\u%04x", c);
        }
        bl_out_puts(o, buf);
        run = s + 1;
    }
    bl_out_write(o, run, (apr_size_t)(s - run));
    bl_out_puts(o, "\"");
}

/* Writes one "key": "value" member of a JSON object; LAST omits the comma. */
static void json_member(bl_out_t *o, const char *key, const char *val, int last)
{
    json_str(o, key);
    bl_out_puts(o, ":");
    json_str(o, val);
    bl_out_puts(o, last ? "" : ",");
}

/* Returns 1 when REF can be an image's address: an absolute path or an http(s) URL. */
static int image_ref(const char *ref)
{
    return ref != NULL
           && ((ref[0] == '/' && ref[1] != '/') || strncmp(ref, "https://", 8) == 0
               || strncmp(ref, "http://", 7) == 0);
}

/* Fills IMG from an <image src width height> with its <alt> in the context's language;
 * returns 0 when NODE is NULL or lacks one of them. */
static int image_el(const bl_ctx_t *ctx, xmlNodePtr node, image_t *img)
{
    xmlNodePtr alt;
    const char *src;

    if (node == NULL) {
        return 0;
    }
    src = bl_xml_attr(node, "src", ctx->pool);
    img->width = bl_xml_attr(node, "width", ctx->pool);
    img->height = bl_xml_attr(node, "height", ctx->pool);
    alt = bl_ctx_child(ctx, node, "alt", NULL);
    img->alt = alt ? bl_xml_text(alt, ctx->pool) : "";
    if (!image_ref(src) || img->width == NULL || img->height == NULL) {
        return 0;
    }
    img->url = src[0] == '/' ? bl_ctx_abs(ctx, src) : src;
    return 1;
}

/* Finds the first <img> with src, width, height and alt that BODY keeps in the
 * context's language, walking the tree without recursion (includes are not followed);
 * fills IMG and returns 1, or returns 0. */
static int body_img(const bl_ctx_t *ctx, xmlNodePtr body, image_t *img)
{
    xmlNodePtr n = body ? body->children : NULL;
    const char *fb;
    image_t found;

    while (n != NULL) {
        if (n->type == XML_ELEMENT_NODE && bl_ctx_keep(ctx, n, &fb)) {
            if (bl_xml_is(n, "img") && bl_xml_attr(n, "alt", ctx->pool) != NULL
                && image_el(ctx, n, &found) && bl_validate_pixels(found.width)
                && bl_validate_pixels(found.height)) {
                *img = found;
                img->alt = bl_xml_attr(n, "alt", ctx->pool);
                return 1;
            }
            if (n->children != NULL) {
                n = n->children;
                continue;
            }
        }
        while (n != body && n->next == NULL) {
            n = n->parent;
        }
        n = n == body ? NULL : n->next;
    }
    return 0;
}

/* Chooses the preview image of view V: the page's or item's <image>, else the first
 * <img> of its body with a size, else site.xml's <image>. Returns 0 when there is none. */
static int view_image(const bl_ctx_t *ctx, const view_t *v, image_t *img)
{
    xmlNodePtr site = ctx->site->info.root;

    memset(img, 0, sizeof(*img));
    if (v->file != NULL
        && (image_el(ctx, bl_ctx_child(ctx, v->file->root, "image", NULL), img)
            || body_img(ctx, bl_ctx_child(ctx, v->file->root, "body", NULL), img))) {
        return 1;
    }
    return site != NULL && image_el(ctx, bl_ctx_child(ctx, site, "image", NULL), img);
}

/* Writes the schema.org PostalAddress of an event's <address>, or its place's text. */
static void jsonld_address(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *f, const char *loc)
{
    static const char *const map[][2] = { { "street", "streetAddress" },
                                          { "locality", "addressLocality" },
                                          { "region", "addressRegion" },
                                          { "postal-code", "postalCode" },
                                          { "country", "addressCountry" } };
    xmlNodePtr a = bl_ctx_child(ctx, f->root, "address", NULL);
    const char *v;
    int i;

    if (a == NULL) {
        json_member(o, "address", loc, 1);
        return;
    }
    bl_out_puts(o, "\"address\":{");
    json_member(o, "@type", "PostalAddress", 0);
    for (i = 0; i < 5; i++) {
        v = bl_xml_attr(a, map[i][0], ctx->pool);
        if (v != NULL && *v != '\0') {
            json_member(o, map[i][1], v, 0);
        }
    }
    json_member(o, "name", loc, 1);
    bl_out_puts(o, "}");
}

/* Writes the place and organizer members of an event's JSON-LD. */
static void jsonld_parties(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *f)
{
    const char *loc = bl_ctx_location(ctx, f, NULL);
    const char *address = bl_ctx_address(ctx, f);

    if (loc != NULL || address != NULL) {
        loc = loc ? loc : address;
        bl_out_puts(o, "\"location\":{");
        json_member(o, "@type", "Place", 0);
        json_member(o, "name", loc, 0);
        jsonld_address(ctx, o, f, loc);
        bl_out_puts(o, "},");
    }
    bl_out_puts(o, "\"organizer\":{");
    json_member(o, "@type", "Organization", 0);
    json_member(o, "name", bl_ctx_site_name(ctx), 0);
    json_member(o, "url", bl_ctx_abs(ctx, "/"), 1);
    bl_out_puts(o, "},");
}

/* Writes schema.org Event data for the page of a ranged item. */
static void write_jsonld(const bl_ctx_t *ctx, bl_out_t *o, const view_t *v, const char *url)
{
    const bl_file_t *f = v->item;
    image_t img;

    bl_out_puts(o, "<script type=\"application/ld+json\">{");
    json_member(o, "@context", "https://schema.org", 0);
    json_member(o, "@type", "Event", 0);
    json_member(o, "name", bl_ctx_title(ctx, f, NULL), 0);
    json_member(o, "startDate", bl_time_rfc3339(&f->item.start, ctx->pool), 0);
    if (f->item.has_end) {
        json_member(o, "endDate", bl_time_rfc3339(&f->item.end, ctx->pool), 0);
    }
    json_member(o, "eventStatus",
                f->item.cancelled ? "https://schema.org/EventCancelled"
                                  : "https://schema.org/EventScheduled",
                0);
    json_member(o, "eventAttendanceMode", "https://schema.org/OfflineEventAttendanceMode", 0);
    jsonld_parties(ctx, o, f);
    if (view_image(ctx, v, &img)) {
        bl_out_puts(o, "\"image\":[");
        json_str(o, img.url);
        bl_out_puts(o, "],");
    }
    json_member(o, "description", bl_ctx_summary(ctx, f, NULL), 0);
    json_member(o, "inLanguage", bl_ctx_item_lang(ctx, f), 0);
    json_member(o, "url", url, 1);
    bl_out_puts(o, "}</script>\n");
}

/* Writes <link rel=REL [hreflang=HL] [type=TYPE title=TITLE] href=HREF>. */
static void link_el(const bl_ctx_t *ctx, bl_out_t *o, const char *rel, const char *hl,
                    const char *type, const char *title, const char *href)
{
    bl_out_putv(o, "<link rel=\"", rel, "\"", NULL);
    if (hl != NULL) {
        bl_out_putv(o, " hreflang=\"", bl_escape(hl, ctx->pool), "\"", NULL);
    }
    if (type != NULL) {
        bl_out_putv(o, " type=\"", type, "\" title=\"", bl_escape(title, ctx->pool), "\"", NULL);
    }
    bl_out_putv(o, " href=\"", bl_escape(href, ctx->pool), "\">\n", NULL);
}

/* Returns the path of ROUTE in language LANG (-1: neutral) at page PAGE of a list or
 * an archive: the first page has no query. */
static const char *paged_path(const bl_ctx_t *ctx, const bl_route_t *route, int lang, int page)
{
    const char *path = bl_route_path(route, ctx->langs, lang, ctx->pool);

    return page > 1 ? apr_psprintf(ctx->pool, "%s?page=%d", path, page) : path;
}

/* Returns the absolute URL of paged_path(). */
static const char *paged_url(const bl_ctx_t *ctx, const bl_route_t *route, int lang, int page)
{
    return bl_ctx_abs(ctx, paged_path(ctx, route, lang, page));
}

/* Returns the canonical URL of view V: its own language's address, which for an
 * untranslated page or item is the one in its real language. */
static const char *canonical_url(const bl_ctx_t *ctx, const view_t *v)
{
    return paged_url(ctx, &v->route, v->own >= 0 ? v->own : ctx->lang, ctx->page);
}

/* Writes the canonical link, the hreflang alternates of the languages the view is
 * written in, and for a page of a list its neighbours. */
static void head_alternates(const bl_ctx_t *ctx, bl_out_t *o, const view_t *v)
{
    int i, all = 1;

    link_el(ctx, o, "canonical", NULL, NULL, NULL, canonical_url(ctx, v));
    for (i = 0; i < ctx->langs->n; i++) {
        if (v->file != NULL && !bl_ctx_written_in(ctx, v->file, i)) {
            all = 0; /* no hreflang claims a language it is not written in */
            continue;
        }
        link_el(ctx, o, "alternate", ctx->langs->tag[i], NULL, NULL,
                paged_url(ctx, &v->route, i, ctx->page));
    }
    if (all) {
        link_el(ctx, o, "alternate", "x-default", NULL, NULL,
                paged_url(ctx, &v->route, -1, ctx->page));
    }
    if (ctx->page > 1) {
        link_el(ctx, o, "prev", NULL, NULL, NULL,
                paged_url(ctx, &v->route, ctx->lang, ctx->page - 1));
    }
    if (ctx->page >= 1 && ctx->page < v->pages) {
        link_el(ctx, o, "next", NULL, NULL, NULL,
                paged_url(ctx, &v->route, ctx->lang, ctx->page + 1));
    }
}

/* Writes the Atom autodiscovery links: the feed of every kind, then one per kind. */
static void head_feeds(const bl_ctx_t *ctx, bl_out_t *o)
{
    const char *site = bl_ctx_site_name(ctx);
    bl_route_t feed;
    int k;

    bl_route_set(&feed, BL_R_FEED, ctx->lang, -1, NULL);
    link_el(ctx, o, "alternate", NULL, "application/atom+xml",
            bl_ctx_join_title(site, bl_ctx_word(ctx, "feed"), ctx->pool),
            bl_ctx_route_url(ctx, &feed, ctx->lang));
    for (k = BL_KIND_FIRST_ITEM; k < BL_KIND_COUNT; k++) {
        feed.item = k;
        link_el(ctx, o, "alternate", NULL, "application/atom+xml",
                bl_ctx_join_title(site, bl_ctx_word(ctx, bl_kind(k)->label), ctx->pool),
                bl_ctx_route_url(ctx, &feed, ctx->lang));
    }
}

/* Writes <meta ATTR="KEY" content="VAL">; nothing when VAL is NULL. */
static void meta_el(bl_out_t *o, const char *attr, const char *key, const char *val)
{
    if (val == NULL) {
        return;
    }
    bl_out_putv(o, "<meta ", attr, "=\"", key, "\" content=\"", NULL);
    bl_out_attr(o, val);
    bl_out_puts(o, "\">\n");
}

/* Returns the text of site.xml's child NAME in the context's language, or NULL. */
static const char *site_text(const bl_ctx_t *ctx, const char *name)
{
    xmlNodePtr root = ctx->site->info.root;
    xmlNodePtr n = root ? bl_ctx_child(ctx, root, name, NULL) : NULL;
    const char *t = n ? bl_xml_text(n, ctx->pool) : NULL;

    return t && *t ? t : NULL;
}

/* Writes the Open Graph and Twitter card metadata of link previews (ogp.me): what is
 * shown, in which language and which others, with its image when there is one. */
static void head_previews(const bl_ctx_t *ctx, bl_out_t *o, const view_t *v, const char *url)
{
    const char *desc = v->description ? v->description : site_text(ctx, "description");
    const char *twitter = site_text(ctx, "twitter");
    int i, lang = v->own >= 0 ? v->own : ctx->lang, have;
    image_t img;

    desc = desc ? desc : bl_ctx_site_name(ctx);
    meta_el(o, "property", "og:type", v->item ? "article" : "website");
    meta_el(o, "property", "og:title", v->title);
    meta_el(o, "property", "og:description", desc);
    meta_el(o, "property", "og:url", url);
    meta_el(o, "property", "og:site_name", bl_ctx_site_name(ctx));
    meta_el(o, "property", "og:locale", bl_ctx_og_locale(ctx, lang));
    for (i = 0; i < ctx->langs->n; i++) {
        if (i != lang && (v->file == NULL || bl_ctx_written_in(ctx, v->file, i))) {
            meta_el(o, "property", "og:locale:alternate", bl_ctx_og_locale(ctx, i));
        }
    }
    if (v->item != NULL) {
        meta_el(o, "property", "article:published_time",
                bl_time_rfc3339(&v->item->item.published, ctx->pool));
        meta_el(o, "property", "article:modified_time",
                bl_time_rfc3339(&v->item->item.updated, ctx->pool));
    }
    have = view_image(ctx, v, &img);
    if (have) {
        meta_el(o, "property", "og:image", img.url);
        meta_el(o, "property", "og:image:width", img.width);
        meta_el(o, "property", "og:image:height", img.height);
        meta_el(o, "property", "og:image:alt", img.alt);
    }
    meta_el(o, "name", "twitter:card", have ? "summary_large_image" : "summary");
    meta_el(o, "name", "twitter:title", v->title);
    meta_el(o, "name", "twitter:description", desc);
    if (have) {
        meta_el(o, "name", "twitter:image", img.url);
        meta_el(o, "name", "twitter:image:alt", img.alt);
    }
    meta_el(o, "name", "twitter:site", twitter);
    meta_el(o, "name", "twitter:creator", twitter);
}

/* Answers <insert name="head"/>: canonical, hreflang alternates, feeds, description,
 * link previews, event data; the 404 page has no address of its own, so no canonical
 * and no previews. */
static void insert_head(const bl_ctx_t *ctx, bl_out_t *o, const view_t *v)
{
    const char *url = v->not_found ? NULL : canonical_url(ctx, v);

    if (url != NULL) {
        head_alternates(ctx, o, v);
    }
    head_feeds(ctx, o);
    if (v->description != NULL) {
        bl_out_puts(o, "<meta name=\"description\" content=\"");
        bl_out_attr(o, v->description);
        bl_out_puts(o, "\">\n");
    }
    if (url != NULL) {
        head_previews(ctx, o, v, url);
    }
    if (v->item != NULL && bl_kind(v->item->kind)->ranged) {
        write_jsonld(ctx, o, v, url);
    }
}

/* Answers <insert name="languages"/>: a link per other language through ?lang=, to
 * the same page of a list. */
static void insert_languages(const bl_ctx_t *ctx, bl_out_t *o, const view_t *v)
{
    bl_ctx_t other = *ctx;
    bl_route_t home;
    const char *path, *tag;
    int i;

    /* a 404 page links to the home page: the same unknown path would only 404 again */
    bl_route_set(&home, BL_R_HOME, -1, -1, NULL);
    path = bl_escape(paged_path(ctx, v->not_found ? &home : &v->route, -1, ctx->page), ctx->pool);
    bl_out_puts(o, "<nav class=\"bl-languages\" aria-label=\"");
    bl_out_attr(o, bl_ctx_word(ctx, "languages"));
    bl_out_puts(o, "\">");
    for (i = 0; i < ctx->langs->n; i++) {
        if (i == ctx->lang) {
            continue;
        }
        other.lang = i;
        tag = bl_escape(ctx->langs->tag[i], ctx->pool);
        bl_out_putv(o, "<a href=\"", path, strchr(path, '?') ? "&amp;lang=" : "?lang=", tag,
                    "\" hreflang=\"", tag, "\" lang=\"", tag, "\">", NULL);
        bl_out_text(o, bl_ctx_word(&other, "language-name"));
        bl_out_puts(o, "</a>");
    }
    bl_out_puts(o, "</nav>");
}

/* Writes a labelled paragraph: <p class=CLS><strong>LABEL:</strong> ... (left open). */
static void labelled(const bl_ctx_t *ctx, bl_out_t *o, const char *cls, const char *label)
{
    bl_out_putv(o, "<p class=\"", cls, "\"><strong>", NULL);
    bl_out_text(o, bl_ctx_word(ctx, label));
    bl_out_puts(o, ":</strong> ");
}

/* Writes a ranged item's cancelled notice, its date and time, and its place with its
 * postal address. */
static void item_when_where(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *f)
{
    const char *fb = NULL, *loc, *address;

    if (f->item.cancelled) {
        text_el(o, "p", "bl-cancelled", NULL, bl_ctx_word(ctx, "cancelled"));
    }
    labelled(ctx, o, "bl-when", "when");
    time_el(ctx, o, "bl-date", &f->item.start,
            bl_locale_span(&f->item.start, f->item.has_end ? &f->item.end : NULL, bl_ctx_lang(ctx),
                           ctx->pool));
    bl_out_puts(o, "</p>\n");
    loc = bl_ctx_location(ctx, f, &fb);
    address = bl_ctx_address(ctx, f);
    if (loc != NULL || address != NULL) {
        labelled(ctx, o, "bl-where", "where");
        if (loc != NULL) {
            text_el(o, "span", "bl-location", fb, loc);
        }
        if (address != NULL) {
            bl_out_puts(o, loc ? "<br>" : "");
            text_el(o, "span", "bl-address", NULL, address);
        }
        bl_out_puts(o, "</p>\n");
    }
}

/* Writes an item's publication date, and its update date when later. */
static void item_dates(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *f)
{
    const char *lang = bl_ctx_lang(ctx);

    bl_out_puts(o, "<p class=\"bl-published\">");
    bl_out_text(o, bl_ctx_word(ctx, "published"));
    bl_out_puts(o, ": ");
    time_el(ctx, o, "bl-date", &f->item.published,
            bl_locale_date(&f->item.published, lang, 0, ctx->pool));
    if (f->item.updated.t > f->item.published.t) {
        bl_out_puts(o, " \xc2\xb7 ");
        bl_out_text(o, bl_ctx_word(ctx, "updated"));
        bl_out_puts(o, ": ");
        time_el(ctx, o, "bl-date", &f->item.updated,
                bl_locale_date(&f->item.updated, lang, 0, ctx->pool));
    }
    bl_out_puts(o, "</p>\n");
}

/* Writes a link to ROUTE in the context's language with the UI word WORD. */
static void route_link(const bl_ctx_t *ctx, bl_out_t *o, const bl_route_t *route, const char *word)
{
    bl_out_putv(o, "<a href=\"",
                bl_escape(bl_route_path(route, ctx->langs, ctx->lang, ctx->pool), ctx->pool),
                "\">", NULL);
    bl_out_text(o, bl_ctx_word(ctx, word));
    bl_out_puts(o, "</a>");
}

/* Writes the link to subscribe to the calendar of the ranged kind KIND. */
static void calendar_link(const bl_ctx_t *ctx, bl_out_t *o, bl_kind_t kind)
{
    bl_route_t cal;

    bl_route_set(&cal, BL_R_CALENDAR, ctx->lang, kind, NULL);
    route_link(ctx, o, &cal, "subscribe-calendar");
}

/* Writes the "Add to calendar" link of ranged item F (its own calendar), then the link
 * to subscribe to every event. */
static void item_calendar_links(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *f)
{
    bl_route_t cal;

    bl_route_set(&cal, BL_R_ITEM_CALENDAR, ctx->lang, f->kind, f->name);
    bl_out_puts(o, "<p class=\"bl-calendar\">");
    route_link(ctx, o, &cal, "add-to-calendar");
    bl_out_puts(o, " \xc2\xb7 ");
    calendar_link(ctx, o, f->kind);
    bl_out_puts(o, "</p>\n");
}

/* Writes the notice of an untranslated page or item, in the page's language. */
static void only_in_notice(const bl_ctx_t *ctx, bl_out_t *o, const view_t *v)
{
    if (v->only_in != NULL) {
        text_el(o, "p", "bl-only-in", NULL, only_in_words(ctx, v->only_in));
    }
}

/* Writes the dates, place and body of an item page, and for ranged kinds its calendar
 * links. */
static void item_body(bl_markup_t *m, const bl_file_t *f)
{
    const bl_ctx_t *ctx = m->ctx;
    int ranged = bl_kind(f->kind)->ranged;
    const char *fb = NULL;
    xmlNodePtr body;

    if (ranged) {
        item_when_where(ctx, m->out, f);
    }
    else {
        item_dates(ctx, m->out, f);
    }
    body = bl_ctx_child(ctx, f->root, "body", &fb);
    if (body != NULL) {
        bl_out_puts(m->out, "<div class=\"bl-body\"");
        if (fb != NULL) {
            bl_out_putv(m->out, " lang=\"", bl_escape(fb, ctx->pool), "\"", NULL);
        }
        bl_out_puts(m->out, ">");
        bl_markup_content(m, body);
        bl_out_puts(m->out, "</div>\n");
    }
    if (ranged) {
        item_calendar_links(ctx, m->out, f);
    }
}

/* Returns the items list or archive ROUTE shows, in list order: *FROM, the count, and
 * in *UP how many of them (the first) are upcoming. */
static int route_items(const bl_ctx_t *ctx, const bl_route_t *route, bl_file_t *const **from,
                       int *up)
{
    const bl_list_t *l = bl_site_list(ctx->site, route->item);
    const bl_year_t *y;

    if (route->kind == BL_R_ARCHIVE) {
        y = bl_site_year(ctx->site, route->item, atoi(route->name));
        *from = y ? (bl_file_t *const *)y->items->elts : NULL;
        *up = y ? y->upcoming : 0;
        return y ? y->items->nelts : 0;
    }
    *from = (bl_file_t *const *)l->order->elts;
    *up = bl_kind(route->item)->ranged ? l->upcoming : 0;
    return l->order->nelts;
}

/* Writes the navigation between the PAGES pages of the list or archive ROUTE: the
 * previous page, where the visitor is, the next page. */
static void page_nav(const bl_ctx_t *ctx, bl_out_t *o, const bl_route_t *route, int page,
                     int pages)
{
    if (pages <= 1) {
        return;
    }
    bl_out_puts(o, "<nav class=\"bl-pages\" aria-label=\"");
    bl_out_attr(o, bl_ctx_word(ctx, "pages"));
    bl_out_puts(o, "\">");
    if (page > 1) {
        bl_out_putv(o, "<a rel=\"prev\" href=\"",
                    bl_escape(paged_path(ctx, route, ctx->lang, page - 1), ctx->pool), "\">",
                    NULL);
        bl_out_text(o, bl_ctx_word(ctx, "previous-page"));
        bl_out_puts(o, "</a> ");
    }
    bl_out_puts(o, "<span class=\"bl-page\" aria-current=\"page\">");
    bl_out_text(o, apr_psprintf(ctx->pool, "%s %d %s %d", bl_ctx_word(ctx, "page"), page,
                                bl_ctx_word(ctx, "of"), pages));
    bl_out_puts(o, "</span>");
    if (page < pages) {
        bl_out_putv(o, " <a rel=\"next\" href=\"",
                    bl_escape(paged_path(ctx, route, ctx->lang, page + 1), ctx->pool), "\">",
                    NULL);
        bl_out_text(o, bl_ctx_word(ctx, "next-page"));
        bl_out_puts(o, "</a>");
    }
    bl_out_puts(o, "</nav>\n");
}

/* Writes the links to every year of the archive of the list of ROUTE, newest first;
 * the year shown is marked as the current page. */
static void archive_nav(const bl_ctx_t *ctx, bl_out_t *o, const bl_route_t *route)
{
    const apr_array_header_t *years = bl_site_list(ctx->site, route->item)->years;
    int shown = route->kind == BL_R_ARCHIVE ? atoi(route->name) : 0;
    bl_route_t year;
    const bl_year_t *y;
    char num[16];
    int i;

    if (years == NULL || years->nelts == 0) {
        return;
    }
    bl_out_puts(o, "<nav class=\"bl-archive\" aria-label=\"");
    bl_out_attr(o, bl_ctx_word(ctx, "archive"));
    bl_out_puts(o, "\"><h2>");
    bl_out_text(o, bl_ctx_word(ctx, "archive"));
    bl_out_puts(o, "</h2>\n<ul>");
    for (i = 0; i < years->nelts && bl_out_status(o) == APR_SUCCESS; i++) {
        y = &APR_ARRAY_IDX(years, i, bl_year_t);
        apr_snprintf(num, sizeof(num), "%d", y->year);
        if (!bl_route_is_year(num, strlen(num))) {
            continue; /* a year before 1000 (a typo) has no archive address */
        }
        bl_route_set(&year, BL_R_ARCHIVE, ctx->lang, route->item, num);
        bl_out_putv(o, "<li><a href=\"", bl_route_path(&year, ctx->langs, ctx->lang, ctx->pool),
                    "\"", y->year == shown ? " aria-current=\"page\"" : "", ">", num, "</a> (",
                    apr_itoa(ctx->pool, y->items->nelts), ")</li>", NULL);
    }
    bl_out_puts(o, "</ul></nav>\n");
}

/* Writes a page of the list or archive ROUTE: its slice of the items (for a ranged
 * kind under Upcoming and Past; the first page of the list says when either is
 * empty), the page
 * navigation, the links to subscribe and the years of the archive. */
static void list_body(const bl_ctx_t *ctx, bl_out_t *o, const bl_route_t *route, int pages)
{
    const bl_kind_info_t *k = bl_kind(route->item);
    bl_file_t *const *from;
    bl_route_t feed;
    int up, n = route_items(ctx, route, &from, &up);
    int page = ctx->page < 1 ? 1 : ctx->page;
    int size = entries_per_page(ctx);
    int lo = (page - 1) * size, hi = lo + size < n ? lo + size : n;
    int whole = route->kind == BL_R_LIST && page == 1;

    if (!k->ranged) {
        write_items(ctx, o, k->kind, from + lo, hi - lo, 0);
    }
    else {
        /* an empty half says so on the first page of the list */
        if (lo < up || (whole && up == 0)) {
            text_el(o, "h2", "bl-upcoming", NULL, bl_ctx_word(ctx, "upcoming"));
            write_items(ctx, o, k->kind, from + lo, (hi < up ? hi : up) - lo, 0);
        }
        if (hi > up || (whole && n == up)) {
            text_el(o, "h2", "bl-past", NULL, bl_ctx_word(ctx, "past"));
            write_items(ctx, o, k->kind, from + (lo > up ? lo : up), hi - (lo > up ? lo : up), 0);
        }
    }
    page_nav(ctx, o, route, page, pages);
    bl_route_set(&feed, BL_R_FEED, ctx->lang, k->kind, NULL);
    bl_out_putv(o, "<p class=\"bl-feeds\"><a href=\"",
                bl_route_path(&feed, ctx->langs, ctx->lang, ctx->pool), "\">", NULL);
    bl_out_text(o, bl_ctx_word(ctx, "subscribe"));
    bl_out_puts(o, " (Atom)</a>");
    if (k->ranged) {
        bl_out_puts(o, " \xc2\xb7 ");
        calendar_link(ctx, o, k->kind);
    }
    bl_out_puts(o, "</p>\n");
    archive_nav(ctx, o, route);
}

/* Writes the 404 text: the not-found fragment, else the built-in words. */
static void not_found_body(bl_markup_t *m)
{
    bl_file_t *nf = bl_site_get(m->ctx->site, BL_KIND_FRAGMENT, "not-found");

    if (nf != NULL) {
        bl_markup_content(m, nf->root);
    }
    else {
        text_el(m->out, "p", "bl-not-found", NULL, bl_ctx_word(m->ctx, "not-found-text"));
    }
}

/* Writes the body of the view: a page's, an item's, a list's or the 404 text, after
 * the notice of an untranslated page or item; the fragments it includes are noted for
 * Last-Modified. */
static void insert_body(bl_markup_t *m, view_t *v)
{
    int depth = m->depth;

    v->in_body = 1;
    m->note_includes = !v->not_found;
    m->depth = 0; /* the body's includes nest from the body, wherever the layout puts it */
    only_in_notice(m->ctx, m->out, v);
    if (v->body != NULL) {
        if (v->body_lang != NULL) {
            bl_out_puts(m->out, "<div lang=\"");
            bl_out_attr(m->out, v->body_lang);
            bl_out_puts(m->out, "\">");
        }
        bl_markup_content(m, v->body);
        bl_out_puts(m->out, v->body_lang ? "</div>" : "");
    }
    else if (v->item != NULL) {
        item_body(m, v->item);
    }
    else if (v->not_found) {
        not_found_body(m);
    }
    else if (v->route.kind == BL_R_LIST || v->route.kind == BL_R_ARCHIVE) {
        list_body(m->ctx, m->out, &v->route, v->pages);
    }
    m->note_includes = 0;
    m->depth = depth;
    v->in_body = 0;
}

/* Writes the title insert: plain text inside <title>, else marked with its language
 * when untranslated. */
static void insert_title(bl_markup_t *m, const view_t *v)
{
    int mark = v->title_lang != NULL && !m->in_title;

    if (mark) {
        bl_out_puts(m->out, "<span lang=\"");
        bl_out_attr(m->out, v->title_lang);
        bl_out_puts(m->out, "\">");
    }
    bl_out_text(m->out, v->title);
    bl_out_puts(m->out, mark ? "</span>" : "");
}

/* Answers an <insert/> of the layout (or of a fragment the layout includes). */
static void on_insert(bl_markup_t *m, xmlNodePtr node)
{
    view_t *v = m->data;
    const char *name = bl_xml_attr(node, "name", m->ctx->pool);

    if (v->in_body || name == NULL) {
        return; /* inserts mean nothing inside bodies */
    }
    if (strcmp(name, "title") == 0) {
        insert_title(m, v);
    }
    else if (strcmp(name, "site-name") == 0) {
        bl_out_text(m->out, bl_ctx_site_name(m->ctx));
    }
    else if (strcmp(name, "head") == 0) {
        insert_head(m->ctx, m->out, v);
    }
    else if (strcmp(name, "languages") == 0) {
        insert_languages(m->ctx, m->out, v);
    }
    else if (strcmp(name, "body") == 0) {
        insert_body(m, v);
    }
}

/* Writes the built-in skeleton used while layout.xml has never loaded, so pages stay
 * readable while an editor fixes it. */
static void write_skeleton(bl_markup_t *m)
{
    view_t *v = m->data;

    bl_out_puts(m->out, "><head><meta charset=\"utf-8\"><title>");
    m->in_title = 1;
    insert_title(m, v);
    m->in_title = 0;
    bl_out_puts(m->out, "</title>\n");
    insert_head(m->ctx, m->out, v);
    bl_out_puts(m->out, "</head><body><main><h1>");
    insert_title(m, v);
    bl_out_puts(m->out, "</h1>\n");
    insert_body(m, v);
    bl_out_puts(m->out, "</main></body></html>\n");
}

/* Writes the doctype and the layout's root <html> with lang and its other attributes,
 * then its children. */
static void write_layout(bl_markup_t *m)
{
    const bl_file_t *layout = m->ctx->site->layout;
    xmlAttrPtr a;

    bl_out_puts(m->out, "<!DOCTYPE html>\n<html lang=\"");
    bl_out_attr(m->out, bl_ctx_lang(m->ctx));
    bl_out_puts(m->out, "\"");
    if (layout == NULL) {
        write_skeleton(m);
        return;
    }
    for (a = layout->root->properties; a != NULL; a = a->next) {
        if (a->ns == NULL && strcmp((const char *)a->name, "lang") != 0 && a->children
            && a->children->content) {
            bl_out_putv(m->out, " ", (const char *)a->name, "=\"",
                        bl_escape((const char *)a->children->content, m->ctx->pool), "\"", NULL);
        }
    }
    bl_out_puts(m->out, ">");
    bl_markup_children(m, layout->root);
    bl_out_puts(m->out, "</html>\n");
}

/* Fills V for a list or an archive: its title (with the year, and the page after the
 * first), its description and its number of pages; returns 0 for an archive without
 * items and for a page past the last. */
static int list_view(const bl_ctx_t *ctx, const bl_route_t *route, view_t *v)
{
    const bl_kind_info_t *k = bl_kind(route->item);
    bl_file_t *const *from;
    int up, n = route_items(ctx, route, &from, &up);

    v->pages = n == 0 ? 1 : (n - 1) / entries_per_page(ctx) + 1;
    v->title = bl_ctx_word(ctx, k->label);
    if (route->kind == BL_R_ARCHIVE) {
        v->title = apr_pstrcat(ctx->pool, v->title, " ", route->name, NULL);
    }
    if (ctx->page > 1) {
        v->title = bl_ctx_join_title(
            v->title, apr_psprintf(ctx->pool, "%s %d", bl_ctx_word(ctx, "page"), ctx->page),
            ctx->pool);
    }
    v->description = bl_ctx_word(ctx, k->about);
    return (n > 0 || route->kind == BL_R_LIST) && ctx->page <= v->pages;
}

/* Fills V for a page, an item, a list or an archive; returns 0 when the route shows
 * nothing. */
static int make_view(const bl_ctx_t *ctx, const bl_route_t *route, view_t *v)
{
    const bl_file_t *f = bl_ctx_route_file(ctx->site, route);
    xmlNodePtr n;

    memset(v, 0, sizeof(*v));
    v->route = *route;
    v->own = -1;
    if (route->kind == BL_R_LIST || route->kind == BL_R_ARCHIVE) {
        return list_view(ctx, route, v);
    }
    if (f == NULL) {
        return 0;
    }
    v->file = f;
    v->item = f->kind >= BL_KIND_FIRST_ITEM ? f : NULL;
    v->title = bl_ctx_title(ctx, f, &v->title_lang);
    v->only_in = bl_site_untranslated(f, bl_ctx_lang(ctx), ctx->langs->tag[0]);
    v->own = bl_ctx_lang_index(ctx, v->only_in);
    if (v->item == NULL) {
        n = bl_ctx_child(ctx, f->root, "description", NULL);
        v->description = n ? bl_xml_text(n, ctx->pool) : NULL;
        v->body = bl_ctx_child(ctx, f->root, "body", &v->body_lang);
        bl_ctx_note(ctx, f->changed);
    }
    else {
        v->description = bl_ctx_summary(ctx, f, NULL);
        v->description = *v->description ? v->description : NULL;
        bl_ctx_note_item(ctx, f);
    }
    return 1;
}

/* Writes the view through the layout, or the 404 page. */
apr_status_t bl_html_write(const bl_ctx_t *ctx, const bl_route_t *route, bl_out_t *out, int *status)
{
    bl_markup_t m;
    view_t v;

    *status = 200;
    if (!make_view(ctx, route, &v)) {
        memset(&v, 0, sizeof(v));
        v.route = *route;
        v.not_found = 1;
        v.title = bl_ctx_word(ctx, "not-found");
        *status = 404;
    }
    bl_markup_init(&m, ctx, out, bl_route_path(route, ctx->langs, ctx->lang, ctx->pool), 0);
    /* same-page links ("skip to content") stay on the document: the 404 page's on the
     * address asked for, a later page of a list's on that page */
    m.self = route->kind == BL_R_NOTFOUND ? ctx->self /* never cached, see bl_respond.c */
             : ctx->page > 1              ? paged_path(ctx, route, ctx->lang, ctx->page)
                                          : NULL;
    m.on_insert = on_insert;
    m.on_list = on_list;
    m.data = &v;
    write_layout(&m);
    return bl_out_status(out);
}
