/* bl_html.c: HTML pages: the layout filled with a page, an item, a list or the 404 page.
 *
 * bl_html_write() turns a route into a view (title, description, body, the route for
 * canonical and hreflang links) and writes layout.xml through bl_markup.c with two
 * hooks: one answers the layout's (and fragments') inserts from the view, the other
 * the content's <list/> elements. A list is written item by item, each from a scratch
 * pool cleared after it, so memory grows with the output only. Everything written is
 * a pure function of the snapshot, the languages and the base URL, so the bytes, and
 * therefore the ETag, are the same on every server with the same content. The view
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
#include "bl_xml.h"

/** What the layout's inserts write for one response. */
typedef struct view_t {
    const char *title;       /* plain text */
    const char *title_lang;  /* its real language when untranslated, else NULL */
    const char *description; /* for <meta name="description">, or NULL */
    xmlNodePtr body;         /* a page's <body>, or NULL */
    const char *body_lang;
    const bl_file_t *item; /* an item, or NULL */
    bl_route_t route;      /* for canonical, hreflang and the switcher */
    int not_found;
    int in_body; /* the body is being written: inserts mean nothing there */
} view_t;

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

/* Writes one <li> of a list: link, cancelled mark, date, place, summary. */
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

/* Answers <list kind when count/> (validated when the file loaded). */
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
    if (max != BL_LIST_ALL && max > 0 && max < n) {
        n = max;
    }
    write_items(m->ctx, m->out, k->kind, from, n, m->absolute);
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

/* Writes the place and organizer members of an event's JSON-LD. */
static void jsonld_parties(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *f)
{
    const char *loc = bl_ctx_location(ctx, f, NULL);

    if (loc != NULL) {
        bl_out_puts(o, "\"location\":{");
        json_member(o, "@type", "Place", 0);
        json_member(o, "name", loc, 0);
        json_member(o, "address", loc, 1);
        bl_out_puts(o, "},");
    }
    bl_out_puts(o, "\"organizer\":{");
    json_member(o, "@type", "Organization", 0);
    json_member(o, "name", bl_ctx_site_name(ctx), 0);
    json_member(o, "url", bl_ctx_abs(ctx, "/"), 1);
    bl_out_puts(o, "},");
}

/* Writes schema.org Event data for the page of a ranged item. */
static void write_jsonld(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *f)
{
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
    json_member(o, "description", bl_ctx_summary(ctx, f, NULL), 0);
    json_member(o, "inLanguage", bl_ctx_item_lang(ctx, f), 0);
    json_member(o, "url", bl_ctx_abs(ctx, bl_ctx_item_path(ctx, f, ctx->lang)), 1);
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

/* Writes the canonical link and the hreflang alternates of ROUTE. */
static void head_alternates(const bl_ctx_t *ctx, bl_out_t *o, const bl_route_t *route)
{
    int i;

    link_el(ctx, o, "canonical", NULL, NULL, NULL, bl_ctx_route_url(ctx, route, ctx->lang));
    for (i = 0; i < ctx->langs->n; i++) {
        link_el(ctx, o, "alternate", ctx->langs->tag[i], NULL, NULL,
                bl_ctx_route_url(ctx, route, i));
    }
    link_el(ctx, o, "alternate", "x-default", NULL, NULL, bl_ctx_route_url(ctx, route, -1));
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

/* Answers <insert name="head"/>: canonical, hreflang alternates, feeds, metadata. */
static void insert_head(const bl_ctx_t *ctx, bl_out_t *o, const view_t *v)
{
    if (!v->not_found) {
        head_alternates(ctx, o, &v->route);
    }
    head_feeds(ctx, o);
    if (v->description != NULL) {
        bl_out_puts(o, "<meta name=\"description\" content=\"");
        bl_out_attr(o, v->description);
        bl_out_puts(o, "\">\n");
    }
    if (v->item != NULL && bl_kind(v->item->kind)->ranged) {
        write_jsonld(ctx, o, v->item);
    }
}

/* Answers <insert name="languages"/>: a link per other language through ?lang=. */
static void insert_languages(const bl_ctx_t *ctx, bl_out_t *o, const view_t *v)
{
    bl_ctx_t other = *ctx;
    bl_route_t home;
    const char *path, *tag;
    int i;

    /* a 404 page links to the home page: the same unknown path would only 404 again,
     * and a 404 whose bytes do not depend on the path is cached once per language */
    bl_route_set(&home, BL_R_HOME, -1, -1, NULL);
    path = bl_escape(bl_route_path(v->not_found ? &home : &v->route, ctx->langs, -1, ctx->pool),
                     ctx->pool);
    bl_out_puts(o, "<nav class=\"bl-languages\" aria-label=\"");
    bl_out_attr(o, bl_ctx_word(ctx, "languages"));
    bl_out_puts(o, "\">");
    for (i = 0; i < ctx->langs->n; i++) {
        if (i == ctx->lang) {
            continue;
        }
        other.lang = i;
        tag = bl_escape(ctx->langs->tag[i], ctx->pool);
        bl_out_putv(o, "<a href=\"", path, "?lang=", tag, "\" hreflang=\"", tag, "\" lang=\"", tag,
                    "\">", NULL);
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

/* Writes a ranged item's cancelled notice, its date and time, and its place. */
static void item_when_where(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *f)
{
    const char *fb = NULL, *loc;

    if (f->item.cancelled) {
        text_el(o, "p", "bl-cancelled", NULL, bl_ctx_word(ctx, "cancelled"));
    }
    labelled(ctx, o, "bl-when", "when");
    time_el(ctx, o, "bl-date", &f->item.start,
            bl_locale_span(&f->item.start, f->item.has_end ? &f->item.end : NULL, bl_ctx_lang(ctx),
                           ctx->pool));
    bl_out_puts(o, "</p>\n");
    loc = bl_ctx_location(ctx, f, &fb);
    if (loc != NULL) {
        labelled(ctx, o, "bl-where", "where");
        text_el(o, "span", "bl-location", fb, loc);
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

/* Writes the link to the calendar of the ranged kind KIND. */
static void calendar_link(const bl_ctx_t *ctx, bl_out_t *o, bl_kind_t kind)
{
    bl_route_t cal;

    bl_route_set(&cal, BL_R_CALENDAR, ctx->lang, kind, NULL);
    bl_out_putv(o, "<a href=\"", bl_route_path(&cal, ctx->langs, ctx->lang, ctx->pool), "\">",
                NULL);
    bl_out_text(o, bl_ctx_word(ctx, "add-to-calendar"));
    bl_out_puts(o, "</a>");
}

/* Writes the dates, place and body of an item page, and for ranged kinds a calendar
 * link. */
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
        bl_out_puts(m->out, "<p class=\"bl-calendar\">");
        calendar_link(ctx, m->out, f->kind);
        bl_out_puts(m->out, "</p>\n");
    }
}

/* Writes the body of the list page of KIND: its items (split into upcoming and past for
 * a ranged kind), then the links to subscribe. */
static void list_body(const bl_ctx_t *ctx, bl_out_t *o, bl_kind_t kind)
{
    const bl_kind_info_t *k = bl_kind(kind);
    bl_file_t *const *from;
    bl_route_t feed;
    int n;

    if (k->ranged) {
        text_el(o, "h2", "bl-upcoming", NULL, bl_ctx_word(ctx, "upcoming"));
        n = list_slice(ctx, kind, "upcoming", &from);
        write_items(ctx, o, kind, from, n, 0);
        text_el(o, "h2", "bl-past", NULL, bl_ctx_word(ctx, "past"));
        n = list_slice(ctx, kind, "past", &from);
        write_items(ctx, o, kind, from, n, 0);
    }
    else {
        n = list_slice(ctx, kind, NULL, &from);
        write_items(ctx, o, kind, from, n, 0);
    }
    bl_route_set(&feed, BL_R_FEED, ctx->lang, kind, NULL);
    bl_out_putv(o, "<p class=\"bl-feeds\"><a href=\"",
                bl_route_path(&feed, ctx->langs, ctx->lang, ctx->pool), "\">", NULL);
    bl_out_text(o, bl_ctx_word(ctx, "subscribe"));
    bl_out_puts(o, " (Atom)</a>");
    if (k->ranged) {
        bl_out_puts(o, " \xc2\xb7 ");
        calendar_link(ctx, o, kind);
    }
    bl_out_puts(o, "</p>\n");
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

/* Writes the body of the view: a page's, an item's, a list's or the 404 text; the
 * fragments it includes are noted for Last-Modified. */
static void insert_body(bl_markup_t *m, view_t *v)
{
    int depth = m->depth;

    v->in_body = 1;
    m->note_includes = !v->not_found;
    m->depth = 0; /* the body's includes nest from the body, wherever the layout puts it */
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
    else if (v->route.kind == BL_R_LIST) {
        list_body(m->ctx, m->out, v->route.item);
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

/* Returns the file ROUTE shows (the home page, a page, an item), or NULL. */
static const bl_file_t *route_file(const bl_ctx_t *ctx, const bl_route_t *route)
{
    switch (route->kind) {
    case BL_R_HOME: return bl_site_get(ctx->site, BL_KIND_PAGE, "index");
    case BL_R_PAGE: return bl_site_get(ctx->site, BL_KIND_PAGE, route->name);
    case BL_R_ITEM: return bl_site_get(ctx->site, route->item, route->name);
    default: return NULL;
    }
}

/* Fills V for a page, an item or a list; returns 0 when the route shows nothing. */
static int make_view(const bl_ctx_t *ctx, const bl_route_t *route, view_t *v)
{
    const bl_file_t *f = route_file(ctx, route);
    xmlNodePtr n;

    memset(v, 0, sizeof(*v));
    v->route = *route;
    if (route->kind == BL_R_LIST) {
        v->title = bl_ctx_word(ctx, bl_kind(route->item)->label);
        return 1;
    }
    if (f == NULL) {
        return 0;
    }
    v->item = f->kind >= BL_KIND_FIRST_ITEM ? f : NULL;
    v->title = bl_ctx_title(ctx, f, &v->title_lang);
    n = bl_ctx_child(ctx, f->root, v->item ? "summary" : "description", NULL);
    v->description = n ? bl_xml_text(n, ctx->pool) : NULL;
    if (v->item == NULL) {
        v->body = bl_ctx_child(ctx, f->root, "body", &v->body_lang);
        bl_ctx_note(ctx, f->changed);
    }
    else {
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
    m.on_insert = on_insert;
    m.on_list = on_list;
    m.data = &v;
    write_layout(&m);
    return bl_out_status(out);
}
