/* bl_render.c: HTML responses: the layout filled with a page, an item, a list or 404.
 *
 * bl_render() turns a route into a view (title, body writer, the route for canonical
 * and hreflang links) and writes the layout with it; the layout's inserts and the
 * content's lists are answered here, while bl_html.c writes the markup around them.
 * Feeds, calendars and the sitemap are dispatched to their own writers. Everything
 * written is a pure function of the snapshot, the languages and the base URL, so the
 * bytes, and therefore the ETag, are the same on every server with the same content.
 */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "bl_html.h"
#include "bl_out.h"
#include "bl_render.h"
#include "bl_xml.h"

/** What the layout's inserts write for one response. */
typedef struct bl_view_t {
    const char *title;       /* plain text */
    const char *title_lang;  /* its real language when untranslated, else NULL */
    const char *description; /* for <meta name="description">, or NULL */
    xmlNodePtr body;         /* a page's <body>, or NULL */
    const char *body_lang;
    const bl_file_t *item; /* an event or press release, or NULL */
    bl_route_t route;      /* for canonical, hreflang and the switcher */
    int not_found;
} bl_view_t;

/* Returns the tag of the context's language. */
const char *bl_ctx_lang(const bl_ctx_t *ctx)
{
    return ctx->langs->tag[ctx->lang];
}

/* Selects site.xml's <name> in the context's language. */
const char *bl_ctx_site_name(const bl_ctx_t *ctx)
{
    xmlNodePtr n =
        ctx->site->info.root ? bl_ctx_child(ctx, ctx->site->info.root, "name", NULL) : NULL;

    return n ? bl_xml_text(n, ctx->pool) : "";
}

/* Prepends the base URL. */
const char *bl_ctx_abs(const bl_ctx_t *ctx, const char *path)
{
    return apr_pstrcat(ctx->pool, ctx->base, path, NULL);
}

/* Builds /LANG/events/SLUG or /LANG/press/SLUG. */
const char *bl_item_path(const bl_ctx_t *ctx, const bl_file_t *item, int lang)
{
    return apr_pstrcat(ctx->pool, "/", ctx->langs->tag[lang],
                       item->kind == BL_KIND_EVENT ? "/events/" : "/press/", item->name, NULL);
}

/* Returns the text of the kept child NAME of FILE's root, or NULL. */
static const char *child_text(const bl_ctx_t *ctx, const bl_file_t *file, const char *name,
                              const char **fallback)
{
    xmlNodePtr n = bl_ctx_child(ctx, file->root, name, fallback);

    return n ? bl_xml_text(n, ctx->pool) : NULL;
}

/* Returns the kept title. */
const char *bl_item_title(const bl_ctx_t *ctx, const bl_file_t *file, const char **fallback)
{
    const char *fb = NULL;
    const char *t = child_text(ctx, file, "title", &fb);

    if (fallback != NULL) {
        *fallback = fb;
    }
    return t ? t : file->name;
}

/* Appends the text of the children of NODE kept in the context's language to BB,
 * with a space between elements so paragraphs do not run together. */
static void kept_text(const bl_ctx_t *ctx, xmlNodePtr node, apr_bucket_brigade *bb)
{
    xmlNodePtr c;
    const char *fb;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content != NULL) {
            bl_out_puts(bb, (const char *)c->content);
        }
        else if (c->type == XML_ELEMENT_NODE
                 && bl_select_keep(c, bl_ctx_lang(ctx), ctx->langs->tag[0], &fb)) {
            bl_out_puts(bb, " ");
            kept_text(ctx, c, bb);
            bl_out_puts(bb, " ");
        }
    }
}

/* Returns the language-selected text of NODE with white space folded, from the
 * context's pool. */
static const char *select_text(const bl_ctx_t *ctx, xmlNodePtr node)
{
    apr_bucket_alloc_t *ba = apr_bucket_alloc_create(ctx->pool);
    apr_bucket_brigade *bb = apr_brigade_create(ctx->pool, ba);
    apr_size_t len, i, o = 0;
    char *s;
    int space = 0;

    kept_text(ctx, node, bb);
    s = bl_out_flatten(bb, &len, ctx->pool);
    apr_brigade_destroy(bb);
    apr_bucket_alloc_destroy(ba);
    for (i = 0; i < len; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
            space = o > 0;
            continue;
        }
        if (space) {
            s[o++] = ' ';
            space = 0;
        }
        s[o++] = s[i];
    }
    s[o] = '\0';
    return s;
}

/* Returns the kept summary, or the first 200 bytes of the body's language-selected
 * text (cut at a character boundary) followed by an ellipsis. */
const char *bl_item_summary(const bl_ctx_t *ctx, const bl_file_t *item, const char **fallback)
{
    const char *fb = NULL;
    const char *s = child_text(ctx, item, "summary", &fb);
    apr_size_t n;

    if (s == NULL) {
        xmlNodePtr body = bl_ctx_child(ctx, item->root, "body", &fb);
        s = body ? select_text(ctx, body) : NULL;
        if (s != NULL && strlen(s) > 200) {
            n = 200;
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

/* Returns the kept location of an event. */
const char *bl_item_location(const bl_ctx_t *ctx, const bl_file_t *item, const char **fallback)
{
    const char *fb = NULL;
    const char *s = child_text(ctx, item, "location", &fb);

    if (fallback != NULL) {
        *fallback = fb;
    }
    return s;
}

/* Returns the title's real language, or the context's. */
const char *bl_item_lang(const bl_ctx_t *ctx, const bl_file_t *item)
{
    const char *fb = NULL;

    bl_item_title(ctx, item, &fb);
    return fb ? fb : bl_ctx_lang(ctx);
}

/* Builds tag:AUTHORITY:LANG/events/SLUG: permanent, distinct per language. */
const char *bl_item_tag(const bl_ctx_t *ctx, const bl_file_t *item)
{
    return apr_pstrcat(ctx->pool, "tag:", ctx->site->info.authority, ":", bl_ctx_lang(ctx),
                       item->kind == BL_KIND_EVENT ? "/events/" : "/press/", item->name, NULL);
}

/* Starts a writer for CTX into BB. */
static void hw_init(bl_hw_t *w, const bl_ctx_t *ctx, apr_bucket_brigade *bb, const char *base_path,
                    int absolute, const bl_view_t *view)
{
    memset(w, 0, sizeof(*w));
    w->ctx = ctx;
    w->bb = bb;
    w->base_path = base_path;
    w->absolute = absolute;
    w->view = view;
}

/* Writes NODE's kept children, for feeds and callers outside this file. */
apr_status_t bl_html_children(const bl_ctx_t *ctx, xmlNodePtr node, const char *base_path,
                              int absolute, apr_bucket_brigade *bb)
{
    bl_hw_t w;

    hw_init(&w, ctx, bb, base_path, absolute, NULL);
    bl_hw_content(&w, node);
    return w.rv;
}

/* Renders the kept body of ITEM with absolute URLs into a string. */
const char *bl_item_body_html(const bl_ctx_t *ctx, const bl_file_t *item, const char **fallback)
{
    apr_bucket_alloc_t *ba = apr_bucket_alloc_create(ctx->pool);
    apr_bucket_brigade *bb = apr_brigade_create(ctx->pool, ba);
    xmlNodePtr body = bl_ctx_child(ctx, item->root, "body", fallback);
    apr_size_t len;
    char *s = "";

    if (body != NULL) {
        bl_html_children(ctx, body, bl_item_path(ctx, item, ctx->lang), 1, bb);
        s = bl_out_flatten(bb, &len, ctx->pool);
    }
    apr_brigade_destroy(bb);
    apr_bucket_alloc_destroy(ba);
    return s;
}

/* Writes `<TAG class="CLS"[ lang=L]>TEXT</TAG>`. */
static void text_el(bl_hw_t *w, const char *tag, const char *cls, const char *lang,
                    const char *text)
{
    bl_hw_puts(w, apr_pstrcat(w->ctx->pool, "<", tag, " class=\"", cls, "\"", NULL));
    if (lang != NULL) {
        bl_hw_puts(w, " lang=\"");
        bl_hw_attr(w, lang);
        bl_hw_puts(w, "\"");
    }
    bl_hw_puts(w, ">");
    bl_hw_text(w, text);
    bl_hw_puts(w, apr_pstrcat(w->ctx->pool, "</", tag, ">", NULL));
}

/* Writes <time datetime=...>WORDS</time> for T. */
static void time_el(bl_hw_t *w, const char *cls, const bl_time_t *t, const char *words)
{
    bl_hw_puts(w, apr_pstrcat(w->ctx->pool, "<time class=\"", cls, "\" datetime=\"",
                              bl_time_rfc3339(t, w->ctx->pool), "\">", NULL));
    bl_hw_text(w, words);
    bl_hw_puts(w, "</time>");
}

/* Writes one <li> of a list: link, cancelled mark, date, place, summary. */
static void list_item(bl_hw_t *w, const bl_file_t *f)
{
    const bl_ctx_t *ctx = w->ctx;
    const char *fb = NULL, *title, *loc, *path;
    int ev = f->kind == BL_KIND_EVENT;

    title = bl_item_title(ctx, f, &fb);
    bl_hw_puts(w, ev && f->item.cancelled ? "<li class=\"bl-item bl-cancelled\">"
                                          : "<li class=\"bl-item\">");
    path = bl_item_path(ctx, f, ctx->lang);
    bl_hw_puts(w, apr_pstrcat(ctx->pool, "<a href=\"", bl_escape(w->absolute ? bl_ctx_abs(ctx, path) : path, ctx->pool),
                              "\"", fb ? " lang=\"" : "", fb ? bl_escape(fb, ctx->pool) : "",
                              fb ? "\"" : "", ">", NULL));
    bl_hw_text(w, title);
    bl_hw_puts(w, "</a> ");
    if (ev && f->item.cancelled) {
        text_el(w, "strong", "bl-cancelled-mark", NULL, bl_ctx_string(ctx, "cancelled"));
        bl_hw_puts(w, " ");
    }
    time_el(w, "bl-date", ev ? &f->item.start : &f->item.published,
            ev ? bl_time_words(&f->item.start, bl_ctx_lang(ctx), 1, ctx->pool)
               : bl_time_date_words(&f->item.published, bl_ctx_lang(ctx), 0, ctx->pool));
    loc = ev ? bl_item_location(ctx, f, &fb) : NULL;
    if (loc != NULL) {
        bl_hw_puts(w, " ");
        text_el(w, "span", "bl-location", fb, loc);
    }
    title = bl_item_summary(ctx, f, &fb);
    if (*title) {
        text_el(w, "p", "bl-summary", fb, title);
    }
    bl_hw_puts(w, "</li>\n");
}

/* Writes a <ul> of at most COUNT items of ARR, or EMPTY's string when there is none. */
static void write_items(bl_hw_t *w, const apr_array_header_t *arr, int count, const char *cls,
                        const char *empty)
{
    int i;

    if (arr->nelts == 0) {
        text_el(w, "p", "bl-empty", NULL, bl_ctx_string(w->ctx, empty));
        return;
    }
    bl_hw_puts(w, apr_pstrcat(w->ctx->pool, "<ul class=\"bl-list ", cls, "\">\n", NULL));
    for (i = 0; i < arr->nelts && i < count; i++) {
        list_item(w, APR_ARRAY_IDX(arr, i, const bl_file_t *));
    }
    bl_hw_puts(w, "</ul>");
}

/* Answers <list kind when count/>. */
void bl_render_list(bl_hw_t *w, xmlNodePtr node)
{
    const bl_site_t *site = w->ctx->site;
    const char *kind = bl_xml_attr(node, "kind", w->ctx->pool);
    const char *when = bl_xml_attr(node, "when", w->ctx->pool);
    const char *count = bl_xml_attr(node, "count", w->ctx->pool);
    int n = count ? atoi(count) : 1000000;

    if (n < 1) {
        n = 1000000;
    }
    if (kind != NULL && strcmp(kind, "press") == 0) {
        write_items(w,
                    (when && !strcmp(when, "upcoming"))
                        ? apr_array_make(w->ctx->pool, 1, sizeof(void *))
                        : site->releases,
                    n, "bl-press", "no-press");
    }
    else if (when != NULL && strcmp(when, "upcoming") == 0) {
        write_items(w, site->upcoming, n, "bl-events", "no-events");
    }
    else if (when != NULL && strcmp(when, "past") == 0) {
        write_items(w, site->past, n, "bl-events", "no-events");
    }
    else {
        apr_array_header_t *all = apr_array_copy(w->ctx->pool, site->upcoming);
        apr_array_cat(all, site->past);
        write_items(w, all, n, "bl-events", "no-events");
    }
}

/* Writes a JSON string literal, escaping what could end a <script> too. */
static void json_str(bl_hw_t *w, const char *s)
{
    char buf[8];

    bl_hw_puts(w, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            buf[0] = '\\';
            buf[1] = (char)c;
            buf[2] = '\0';
        }
        else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            apr_snprintf(buf, sizeof(buf), "\\u%04x", c);
        }
        else {
            buf[0] = (char)c;
            buf[1] = '\0';
        }
        bl_hw_puts(w, buf);
    }
    bl_hw_puts(w, "\"");
}

/* Writes one "key": "value" member of a JSON object; LAST omits the comma. */
static void json_member(bl_hw_t *w, const char *key, const char *val, int last)
{
    json_str(w, key);
    bl_hw_puts(w, ":");
    json_str(w, val);
    bl_hw_puts(w, last ? "" : ",");
}

/* Writes schema.org Event data for an event page. */
static void write_jsonld(bl_hw_t *w, const bl_file_t *f)
{
    const bl_ctx_t *ctx = w->ctx;
    const char *loc = bl_item_location(ctx, f, NULL);

    bl_hw_puts(w, "<script type=\"application/ld+json\">{");
    json_member(w, "@context", "https://schema.org", 0);
    json_member(w, "@type", "Event", 0);
    json_member(w, "name", bl_item_title(ctx, f, NULL), 0);
    json_member(w, "startDate", bl_time_rfc3339(&f->item.start, ctx->pool), 0);
    if (f->item.has_end) {
        json_member(w, "endDate", bl_time_rfc3339(&f->item.end, ctx->pool), 0);
    }
    json_member(w, "eventStatus",
                f->item.cancelled ? "https://schema.org/EventCancelled"
                                  : "https://schema.org/EventScheduled",
                0);
    json_member(w, "eventAttendanceMode", "https://schema.org/OfflineEventAttendanceMode", 0);
    if (loc != NULL) {
        bl_hw_puts(w, "\"location\":{");
        json_member(w, "@type", "Place", 0);
        json_member(w, "name", loc, 0);
        json_member(w, "address", loc, 1);
        bl_hw_puts(w, "},");
    }
    bl_hw_puts(w, "\"organizer\":{");
    json_member(w, "@type", "Organization", 0);
    json_member(w, "name", bl_ctx_site_name(ctx), 0);
    json_member(w, "url", bl_ctx_abs(ctx, "/"), 1);
    bl_hw_puts(w, "},");
    json_member(w, "description", bl_item_summary(ctx, f, NULL), 0);
    json_member(w, "inLanguage", bl_item_lang(ctx, f), 0);
    json_member(w, "url", bl_ctx_abs(ctx, bl_item_path(ctx, f, ctx->lang)), 1);
    bl_hw_puts(w, "}</script>\n");
}

/* Writes <link rel=REL [hreflang=HL] [type=TYPE title=TITLE] href=HREF>. */
static void link_el(bl_hw_t *w, const char *rel, const char *hl, const char *type,
                    const char *title, const char *href)
{
    apr_pool_t *p = w->ctx->pool;

    bl_hw_puts(w, apr_pstrcat(p, "<link rel=\"", rel, "\"", NULL));
    if (hl != NULL) {
        bl_hw_puts(w, apr_pstrcat(p, " hreflang=\"", bl_escape(hl, p), "\"", NULL));
    }
    if (type != NULL) {
        bl_hw_puts(
            w, apr_pstrcat(p, " type=\"", type, "\" title=\"", bl_escape(title, p), "\"", NULL));
    }
    bl_hw_puts(w, apr_pstrcat(p, " href=\"", bl_escape(href, p), "\">\n", NULL));
}

/* Answers <insert name="head"/>: canonical, hreflang alternates, feeds, metadata. */
static void insert_head(bl_hw_t *w)
{
    const bl_ctx_t *ctx = w->ctx;
    const bl_view_t *v = w->view;
    const char *site = bl_ctx_site_name(ctx);
    const char *pre = apr_pstrcat(ctx->pool, "/", bl_ctx_lang(ctx), NULL);
    int i;

    if (!v->not_found) {
        link_el(w, "canonical", NULL, NULL, NULL,
                bl_ctx_abs(ctx, bl_route_path(&v->route, ctx->langs, ctx->lang, ctx->pool)));
        for (i = 0; i < ctx->langs->n; i++) {
            link_el(w, "alternate", ctx->langs->tag[i], NULL, NULL,
                    bl_ctx_abs(ctx, bl_route_path(&v->route, ctx->langs, i, ctx->pool)));
        }
        link_el(w, "alternate", "x-default", NULL, NULL,
                bl_ctx_abs(ctx, bl_route_path(&v->route, ctx->langs, -1, ctx->pool)));
    }
    link_el(w, "alternate", NULL, "application/atom+xml",
            apr_pstrcat(ctx->pool, site, " \xc2\xb7 ", bl_ctx_string(ctx, "feed"), NULL),
            bl_ctx_abs(ctx, apr_pstrcat(ctx->pool, pre, "/feed.atom", NULL)));
    link_el(w, "alternate", NULL, "application/atom+xml",
            apr_pstrcat(ctx->pool, site, " \xc2\xb7 ", bl_ctx_string(ctx, "events"), NULL),
            bl_ctx_abs(ctx, apr_pstrcat(ctx->pool, pre, "/events/feed.atom", NULL)));
    link_el(w, "alternate", NULL, "application/atom+xml",
            apr_pstrcat(ctx->pool, site, " \xc2\xb7 ", bl_ctx_string(ctx, "press"), NULL),
            bl_ctx_abs(ctx, apr_pstrcat(ctx->pool, pre, "/press/feed.atom", NULL)));
    if (v->description != NULL) {
        bl_hw_puts(w, "<meta name=\"description\" content=\"");
        bl_hw_attr(w, v->description);
        bl_hw_puts(w, "\">\n");
    }
    if (v->item != NULL && v->item->kind == BL_KIND_EVENT) {
        write_jsonld(w, v->item);
    }
}

/* Answers <insert name="languages"/>: a link per other language through ?lang=. */
static void insert_languages(bl_hw_t *w)
{
    const bl_ctx_t *ctx = w->ctx;
    bl_ctx_t other = *ctx;
    bl_route_t home = { BL_R_HOME, -1, NULL, NULL };
    /* a 404 page links to the home page: the same unknown path would only 404 again,
     * and a 404 whose bytes do not depend on the path is cached once per language */
    const char *path = bl_route_path(w->view->not_found ? &home : &w->view->route,
                                     ctx->langs, -1, ctx->pool);
    int i;

    bl_hw_puts(w, "<nav class=\"bl-languages\" aria-label=\"");
    bl_hw_attr(w, bl_ctx_string(ctx, "languages"));
    bl_hw_puts(w, "\">");
    for (i = 0; i < ctx->langs->n; i++) {
        if (i == ctx->lang) {
            continue;
        }
        other.lang = i;
        bl_hw_puts(w, apr_pstrcat(ctx->pool, "<a href=\"", bl_escape(path, ctx->pool), "?lang=",
                                  bl_escape(ctx->langs->tag[i], ctx->pool), "\" hreflang=\"",
                                  bl_escape(ctx->langs->tag[i], ctx->pool), "\" lang=\"",
                                  bl_escape(ctx->langs->tag[i], ctx->pool), "\">", NULL));
        bl_hw_text(w, bl_ctx_string(&other, "language-name"));
        bl_hw_puts(w, "</a>");
    }
    bl_hw_puts(w, "</nav>");
}

/* Writes an event's cancelled notice, its date and time, and its place. */
static void event_when_where(bl_hw_t *w, const bl_file_t *f)
{
    const bl_ctx_t *ctx = w->ctx;
    const char *fb = NULL, *loc;

    if (f->item.cancelled) {
        text_el(w, "p", "bl-cancelled", NULL, bl_ctx_string(ctx, "cancelled"));
    }
    bl_hw_puts(w, "<p class=\"bl-when\"><strong>");
    bl_hw_text(w, bl_ctx_string(ctx, "when"));
    bl_hw_puts(w, ":</strong> ");
    time_el(w, "bl-date", &f->item.start,
            bl_time_span_words(&f->item.start, f->item.has_end ? &f->item.end : NULL,
                               bl_ctx_lang(ctx), ctx->pool));
    bl_hw_puts(w, "</p>\n");
    loc = bl_item_location(ctx, f, &fb);
    if (loc != NULL) {
        bl_hw_puts(w, "<p class=\"bl-where\"><strong>");
        bl_hw_text(w, bl_ctx_string(ctx, "where"));
        bl_hw_puts(w, ":</strong> ");
        text_el(w, "span", "bl-location", fb, loc);
        bl_hw_puts(w, "</p>\n");
    }
}

/* Writes a press release's publication date, and its update date when later. */
static void release_dates(bl_hw_t *w, const bl_file_t *f)
{
    const bl_ctx_t *ctx = w->ctx;
    const char *lang = bl_ctx_lang(ctx);

    bl_hw_puts(w, "<p class=\"bl-published\">");
    bl_hw_text(w, bl_ctx_string(ctx, "published"));
    bl_hw_puts(w, ": ");
    time_el(w, "bl-date", &f->item.published,
            bl_time_date_words(&f->item.published, lang, 0, ctx->pool));
    if (f->item.updated.t > f->item.published.t) {
        bl_hw_puts(w, " \xc2\xb7 ");
        bl_hw_text(w, bl_ctx_string(ctx, "updated"));
        bl_hw_puts(w, ": ");
        time_el(w, "bl-date", &f->item.updated,
                bl_time_date_words(&f->item.updated, lang, 0, ctx->pool));
    }
    bl_hw_puts(w, "</p>\n");
}

/* Writes the dates, place and body of an item page, and for events a calendar link. */
static void item_body(bl_hw_t *w, const bl_file_t *f)
{
    const bl_ctx_t *ctx = w->ctx;
    const char *fb = NULL;
    xmlNodePtr body;

    if (f->kind == BL_KIND_EVENT) {
        event_when_where(w, f);
    }
    else {
        release_dates(w, f);
    }
    body = bl_ctx_child(ctx, f->root, "body", &fb);
    if (body != NULL) {
        bl_hw_puts(w, "<div class=\"bl-body\"");
        if (fb != NULL) {
            bl_hw_puts(w, apr_pstrcat(ctx->pool, " lang=\"", bl_escape(fb, ctx->pool), "\"", NULL));
        }
        bl_hw_puts(w, ">");
        bl_hw_content(w, body);
        bl_hw_puts(w, "</div>\n");
    }
    if (f->kind == BL_KIND_EVENT) {
        bl_hw_puts(w, apr_pstrcat(ctx->pool, "<p class=\"bl-calendar\"><a href=\"/",
                                  bl_ctx_lang(ctx), "/events.ics\">", NULL));
        bl_hw_text(w, bl_ctx_string(ctx, "add-to-calendar"));
        bl_hw_puts(w, "</a></p>\n");
    }
}

/* Writes a subscribe paragraph linking the feed at PATH (and the calendar). */
static void feed_links(bl_hw_t *w, const char *path, int calendar)
{
    const bl_ctx_t *ctx = w->ctx;

    bl_hw_puts(w, apr_pstrcat(ctx->pool, "<p class=\"bl-feeds\"><a href=\"", path, "\">", NULL));
    bl_hw_text(w, bl_ctx_string(ctx, "subscribe"));
    bl_hw_puts(w, " (Atom)</a>");
    if (calendar) {
        bl_hw_puts(w, apr_pstrcat(ctx->pool, " \xc2\xb7 <a href=\"/", bl_ctx_lang(ctx),
                                  "/events.ics\">", NULL));
        bl_hw_text(w, bl_ctx_string(ctx, "add-to-calendar"));
        bl_hw_puts(w, "</a>");
    }
    bl_hw_puts(w, "</p>\n");
}

/* Writes the events or press list page body. */
static void list_body(bl_hw_t *w, bl_route_kind_t kind)
{
    const bl_ctx_t *ctx = w->ctx;
    const char *lang = bl_ctx_lang(ctx);

    if (kind == BL_R_PRESS) {
        write_items(w, ctx->site->releases, 1000000, "bl-press", "no-press");
        feed_links(w, apr_pstrcat(ctx->pool, "/", lang, "/press/feed.atom", NULL), 0);
        return;
    }
    text_el(w, "h2", "bl-upcoming", NULL, bl_ctx_string(ctx, "upcoming"));
    write_items(w, ctx->site->upcoming, 1000000, "bl-events", "no-events");
    text_el(w, "h2", "bl-past", NULL, bl_ctx_string(ctx, "past"));
    write_items(w, ctx->site->past, 1000000, "bl-events", "no-events");
    feed_links(w, apr_pstrcat(ctx->pool, "/", lang, "/events/feed.atom", NULL), 1);
}

/* Writes the body of the view: a page's, an item's, a list's or the 404 text. */
static void insert_body(bl_hw_t *w, const bl_view_t *v)
{
    bl_file_t *nf;

    if (v->body != NULL) {
        if (v->body_lang != NULL) {
            bl_hw_puts(w, "<div lang=\"");
            bl_hw_attr(w, v->body_lang);
            bl_hw_puts(w, "\">");
        }
        bl_hw_content(w, v->body);
        bl_hw_puts(w, v->body_lang ? "</div>" : "");
    }
    else if (v->item != NULL) {
        item_body(w, v->item);
    }
    else if (v->route.kind != BL_R_EVENTS && v->route.kind != BL_R_PRESS && !v->not_found) {
        return;   /* a page without a <body>: nothing to write */
    }
    else if (v->not_found) {
        nf = bl_site_get(w->ctx->site, BL_KIND_FRAGMENT, "not-found");
        if (nf != NULL) {
            bl_hw_content(w, nf->root);
        }
        else {
            text_el(w, "p", "bl-not-found", NULL, bl_ctx_string(w->ctx, "not-found-text"));
        }
    }
    else {
        list_body(w, v->route.kind);
    }
}

/* Answers an <insert/> of the layout (or of a fragment the layout includes). */
void bl_render_insert(bl_hw_t *w, xmlNodePtr node, const char *name)
{
    const bl_view_t *v = w->view;

    (void)node;
    if (v == NULL || name == NULL) {
        return; /* inserts mean nothing inside bodies and feeds */
    }
    if (strcmp(name, "title") == 0) {
        if (v->title_lang != NULL && !w->in_title) {
            bl_hw_puts(w, "<span lang=\"");
            bl_hw_attr(w, v->title_lang);
            bl_hw_puts(w, "\">");
        }
        bl_hw_text(w, v->title);
        bl_hw_puts(w, v->title_lang != NULL && !w->in_title ? "</span>" : "");
    }
    else if (strcmp(name, "site-name") == 0) {
        bl_hw_text(w, bl_ctx_site_name(w->ctx));
    }
    else if (strcmp(name, "head") == 0) {
        insert_head(w);
    }
    else if (strcmp(name, "languages") == 0) {
        insert_languages(w);
    }
    else if (strcmp(name, "body") == 0) {
        w->view = NULL; /* a body cannot insert itself */
        insert_body(w, v);
        w->view = v;
    }
}

/* Writes the layout's root <html> with lang, or a minimal skeleton when layout.xml
 * has never loaded, so pages stay readable while an editor fixes it. */
static void write_layout(bl_hw_t *w)
{
    const bl_file_t *layout = w->ctx->site->layout;
    xmlAttrPtr a;

    bl_hw_puts(w, "<!DOCTYPE html>\n<html lang=\"");
    bl_hw_attr(w, bl_ctx_lang(w->ctx));
    bl_hw_puts(w, "\"");
    if (layout == NULL) {
        bl_hw_puts(w, "><head><meta charset=\"utf-8\"><title>");
        bl_render_insert(w, NULL, "title");
        bl_hw_puts(w, "</title>\n");
        bl_render_insert(w, NULL, "head");
        bl_hw_puts(w, "</head><body><main><h1>");
        bl_render_insert(w, NULL, "title");
        bl_hw_puts(w, "</h1>\n");
        bl_render_insert(w, NULL, "body");
        bl_hw_puts(w, "</main></body></html>\n");
        return;
    }
    for (a = layout->root->properties; a != NULL; a = a->next) {
        if (a->ns == NULL && strcmp((const char *)a->name, "lang") != 0 && a->children
            && a->children->content) {
            bl_hw_puts(w, apr_pstrcat(w->ctx->pool, " ", (const char *)a->name, "=\"",
                                      bl_escape((const char *)a->children->content, w->ctx->pool),
                                      "\"", NULL));
        }
    }
    bl_hw_puts(w, ">");
    bl_hw_children(w, layout->root);
    bl_hw_puts(w, "</html>\n");
}

/* Fills V for a page, an item or a list; returns 0 when the name is unknown. */
static int make_view(const bl_ctx_t *ctx, const bl_route_t *route, bl_view_t *v)
{
    const bl_file_t *f = NULL;
    xmlNodePtr n;

    memset(v, 0, sizeof(*v));
    v->route = *route;
    switch (route->kind) {
    case BL_R_HOME: f = bl_site_get(ctx->site, BL_KIND_PAGE, "index"); break;
    case BL_R_PAGE: f = bl_site_get(ctx->site, BL_KIND_PAGE, route->name); break;
    case BL_R_EVENT: f = v->item = bl_site_get(ctx->site, BL_KIND_EVENT, route->name); break;
    case BL_R_RELEASE: f = v->item = bl_site_get(ctx->site, BL_KIND_PRESS, route->name); break;
    case BL_R_EVENTS:
    case BL_R_PRESS:
        v->title = bl_ctx_string(ctx, route->kind == BL_R_EVENTS ? "events" : "press");
        return 1;
    default: return 0;
    }
    if (f == NULL) {
        return 0;
    }
    v->title = bl_item_title(ctx, f, &v->title_lang);
    n = bl_ctx_child(ctx, f->root, v->item ? "summary" : "description", NULL);
    v->description = n ? bl_xml_text(n, ctx->pool) : NULL;
    if (v->item == NULL) {
        v->body = bl_ctx_child(ctx, f->root, "body", &v->body_lang);
    }
    return 1;
}

/* Writes an HTML page for ROUTE: the view through the layout, or the 404 page. */
static apr_status_t render_html(bl_ctx_t *ctx, const bl_route_t *route, apr_bucket_brigade *bb,
                                bl_result_t *res)
{
    bl_view_t v;
    bl_hw_t w;
    const char *path;

    res->ctype = "text/html; charset=utf-8";
    res->status = 200;
    if (!make_view(ctx, route, &v)) {
        memset(&v, 0, sizeof(v));
        v.route = *route;
        v.not_found = 1;
        v.title = bl_ctx_string(ctx, "not-found");
        res->status = 404;
    }
    path = bl_route_path(route, ctx->langs, ctx->lang, ctx->pool);
    hw_init(&w, ctx, bb, path, 0, &v);
    write_layout(&w);
    return w.rv;
}

/* Parses nothing: dispatches on the route's kind to the right writer. */
apr_status_t bl_render(bl_ctx_t *ctx, const bl_route_t *route, int page, apr_bucket_brigade *bb,
                       bl_result_t *res)
{
    apr_status_t rv;
    bl_route_t nf;

    switch (route->kind) {
    case BL_R_FEED:
    case BL_R_EVENTS_FEED:
    case BL_R_PRESS_FEED:
        res->status = 200;
        res->ctype = "application/atom+xml; charset=utf-8";
        rv = bl_atom_write(ctx, route->kind, page < 1 ? 1 : page, bb);
        break;
    case BL_R_ICS:
        res->status = 200;
        res->ctype = "text/calendar; charset=utf-8";
        return bl_ics_write(ctx, bb);
    case BL_R_SITEMAP:
        res->status = 200;
        res->ctype = "application/xml; charset=utf-8";
        return bl_sitemap_write(ctx, bb);
    default: return render_html(ctx, route, bb, res);
    }
    if (rv == APR_NOTFOUND) {
        apr_brigade_cleanup(bb);
        nf = *route;
        nf.kind = BL_R_NOTFOUND;
        return render_html(ctx, &nf, bb, res);
    }
    return rv;
}
