/* bl_atom.c: the Atom 1.0 feeds (RFC 4287), /xx/feed.atom, /xx/events/feed.atom and
 * /xx/press/feed.atom, paged by RFC 5005.
 *
 * A feed lists the visible items of its kind from the snapshot's `items` array, newest
 * `published` first, BilingualFeedSize entries per page; ?page=N (N > 1) selects a
 * later page and a page past the last is APR_NOTFOUND (the caller answers 404). Ids
 * are tag: URIs (RFC 4151) built from site.xml's authority, the language and the slug,
 * never from the text, so they survive every edit and differ between languages. The
 * feed's `updated` is the newest `updated` of all its entries (not only the page's);
 * for an empty feed the newest of the site's items, else the epoch: never a file time,
 * so the bytes depend on the content only and the ETag is stable. Every language's feed has every item: an entry whose title is not
 * translated carries xml:lang naming the language it is written in, and its summary
 * or content carry their own xml:lang where they differ from the entry's. Event
 * entries lead their title with the date in words and their content with a paragraph
 * of date, time and place. Text and attributes are escaped by bl_out_text/bl_out_attr;
 * content is type="html", the HTML escaped once more as text.
 */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "bl_atom.h"
#include "bl_out.h"
#include "bl_render.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define ATOM_TYPE "application/atom+xml"

/** What distinguishes the three feeds. */
typedef struct atom_kind_t {
    bl_route_kind_t route;
    const char *id_path;   /* after "tag:AUTHORITY:LANG/" */
    const char *label_key; /* the UI string in the title */
    bl_route_kind_t html;  /* the HTML page the feed mirrors */
    int only;              /* the bl_kind_t of its items, -1 for both */
} atom_kind_t;

static const atom_kind_t atom_kinds[] = {
    { BL_R_FEED, "feed.atom", "feed", BL_R_HOME, -1 },
    { BL_R_EVENTS_FEED, "events/feed.atom", "events", BL_R_EVENTS, BL_KIND_EVENT },
    { BL_R_PRESS_FEED, "press/feed.atom", "press", BL_R_PRESS, BL_KIND_PRESS }
};

/** The feed page being written. */
typedef struct atom_feed_t {
    const bl_ctx_t *ctx;
    const atom_kind_t *kind;
    apr_array_header_t *entries; /* const bl_file_t *: all of the feed, newest first */
    int page;                    /* 1-based */
    int pages;
    int from, to;    /* the page's entries: [from, to) */
    const char *url; /* the absolute URL of page 1 */
} atom_feed_t;

/** A brigade and the first error writing to it; writes after an error do nothing. */
typedef struct atom_out_t {
    apr_bucket_brigade *bb;
    apr_status_t rv;
} atom_out_t;

/* Returns the description of feed KIND, or NULL when KIND is no feed. */
static const atom_kind_t *kind_find(bl_route_kind_t kind)
{
    apr_size_t i;

    for (i = 0; i < sizeof(atom_kinds) / sizeof(atom_kinds[0]); i++) {
        if (atom_kinds[i].route == kind) {
            return &atom_kinds[i];
        }
    }
    return NULL;
}

/* Builds "tag:AUTHORITY:LANG/PATH". */
const char *bl_atom_feed_id(const char *authority, const char *lang, bl_route_kind_t kind,
                            apr_pool_t *p)
{
    const atom_kind_t *k = kind_find(kind);

    if (k == NULL) {
        return NULL;
    }
    if (authority == NULL || *authority == '\0') {
        authority = BL_ATOM_NO_AUTHORITY;
    }
    return apr_pstrcat(p, "tag:", authority, ":", lang, "/", k->id_path, NULL);
}

/* Joins with a middle dot between spaces. */
const char *bl_atom_feed_title(const char *site, const char *label, apr_pool_t *p)
{
    if (site == NULL || *site == '\0') {
        return apr_pstrdup(p, label);
    }
    return apr_pstrcat(p, site, " \xC2\xB7 ", label, NULL);
}

/* Prefixes the date, then the cancellation. */
const char *bl_atom_item_title(const char *cancelled, const char *date, const char *title,
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

/* Appends the page number as a query for pages after the first. */
const char *bl_atom_page_url(const char *url, int page, apr_pool_t *p)
{
    if (page <= 1) {
        return apr_pstrdup(p, url);
    }
    return apr_pstrcat(p, url, "?page=", apr_itoa(p, page), NULL);
}

/* Divides rounding up; page L holds the remainder. */
apr_status_t bl_atom_page_range(int n, int size, int page, int *pages, int *from, int *to)
{
    if (size < 1) {
        size = n > 0 ? n : 1;
    }
    *pages = n > 0 ? (n - 1) / size + 1 : 1;
    if (page < 1 || page > *pages) {
        return APR_NOTFOUND;
    }
    *from = (page - 1) * size;
    *to = *from + size < n ? *from + size : n;
    return APR_SUCCESS;
}

/* Appends S unescaped (markup of our own only). */
static void out_put(atom_out_t *o, const char *s)
{
    if (o->rv == APR_SUCCESS) {
        o->rv = bl_out_puts(o->bb, s);
    }
}

/* Appends S escaped as element text. */
static void out_text(atom_out_t *o, const char *s)
{
    if (o->rv == APR_SUCCESS) {
        o->rv = bl_out_text(o->bb, s);
    }
}

/* Appends ` NAME="VALUE"` with VALUE escaped; nothing when VALUE is NULL. */
static void out_attr(atom_out_t *o, const char *name, const char *value)
{
    if (value == NULL) {
        return;
    }
    out_put(o, " ");
    out_put(o, name);
    out_put(o, "=\"");
    if (o->rv == APR_SUCCESS) {
        o->rv = bl_out_attr(o->bb, value);
    }
    out_put(o, "\"");
}

/* Appends INDENT<NAME[ xml:lang="LANG"]>TEXT</NAME> and a newline; LANG may be NULL. */
static void out_elem(atom_out_t *o, const char *indent, const char *name, const char *lang,
                     const char *text)
{
    out_put(o, indent);
    out_put(o, "<");
    out_put(o, name);
    out_attr(o, "xml:lang", lang);
    out_put(o, ">");
    out_text(o, text);
    out_put(o, "</");
    out_put(o, name);
    out_put(o, ">\n");
}

/* Appends a link element; TYPE and HREFLANG may be NULL. */
static void out_link(atom_out_t *o, const char *indent, const char *rel, const char *type,
                     const char *hreflang, const char *href)
{
    out_put(o, indent);
    out_put(o, "<link");
    out_attr(o, "rel", rel);
    out_attr(o, "type", type);
    out_attr(o, "hreflang", hreflang);
    out_attr(o, "href", href);
    out_put(o, "/>\n");
}

/* Returns LANG when it names another language than OTHER, else NULL: the value of an
 * xml:lang attribute that is needed only where the language changes. */
static const char *lang_change(const char *lang, const char *other)
{
    if (lang == NULL || strcasecmp(lang, other) == 0) {
        return NULL;
    }
    return lang;
}

/* Returns the absolute URL of the route KIND in language LANG. */
static const char *route_url(const bl_ctx_t *ctx, bl_route_kind_t kind, int lang)
{
    bl_route_t route;

    route.kind = kind;
    route.lang = lang;
    route.name = NULL;
    route.target = NULL;
    return bl_ctx_abs(ctx, bl_route_path(&route, ctx->langs, lang, ctx->pool));
}

/* Returns the feed's items: the snapshot's items of the kind K keeps, in order. */
static apr_array_header_t *feed_entries(const bl_ctx_t *ctx, const atom_kind_t *k)
{
    const apr_array_header_t *items = ctx->site->items;
    apr_array_header_t *out;
    const bl_file_t *item;
    int i;

    out = apr_array_make(ctx->pool, items ? items->nelts : 0, sizeof(const bl_file_t *));
    for (i = 0; items != NULL && i < items->nelts; i++) {
        item = APR_ARRAY_IDX(items, i, const bl_file_t *);
        if (k->only < 0 || (int)item->kind == k->only) {
            APR_ARRAY_PUSH(out, const bl_file_t *) = item;
        }
    }
    return out;
}

/* Returns the feed's `updated`: the newest `updated` of all its entries; for an empty
 * feed the newest of the site's items, else the epoch (never a file time). */
static const char *feed_updated(const atom_feed_t *f)
{
    const bl_time_t *best = NULL;
    const bl_file_t *item;
    bl_time_t last;
    int i;

    for (i = 0; i < f->entries->nelts; i++) {
        item = APR_ARRAY_IDX(f->entries, i, const bl_file_t *);
        if (best == NULL || item->item.updated.t > best->t) {
            best = &item->item.updated;
        }
    }
    for (i = 0; f->entries->nelts == 0 && i < f->ctx->site->items->nelts; i++) {
        item = APR_ARRAY_IDX(f->ctx->site->items, i, const bl_file_t *);
        if (best == NULL || item->item.updated.t > best->t) {
            best = &item->item.updated;
        }
    }
    if (best == NULL) {
        /* no item at all: a date from the content, not from file times, so the bytes
         * (and the ETag) are the same on every server */
        last.t = 0;
        last.offset = 0;
        best = &last;
    }
    return bl_time_rfc3339(best, f->ctx->pool);
}

/* Fills F for page PAGE of feed KIND; returns APR_NOTFOUND for a page that does not
 * exist and APR_EINVAL for a KIND that is no feed. */
static apr_status_t feed_init(atom_feed_t *f, const bl_ctx_t *ctx, bl_route_kind_t kind, int page)
{
    f->ctx = ctx;
    f->kind = kind_find(kind);
    if (f->kind == NULL) {
        return APR_EINVAL;
    }
    f->entries = feed_entries(ctx, f->kind);
    f->page = page;
    f->url = route_url(ctx, kind, ctx->lang);
    return bl_atom_page_range(f->entries->nelts, ctx->feed_size, page, &f->pages, &f->from, &f->to);
}

/* Writes the feed's author from site.xml, falling back on the site's name. */
static void write_author(const atom_feed_t *f, atom_out_t *o)
{
    const bl_siteinfo_t *info = &f->ctx->site->info;
    const char *name = info->author_name;

    if (name == NULL || *name == '\0') {
        name = bl_ctx_site_name(f->ctx);
    }
    if (name == NULL || *name == '\0') {
        name = f->ctx->base;
    }
    out_put(o, "  <author>\n");
    out_elem(o, "    ", "name", NULL, name);
    if (info->author_email != NULL) {
        out_elem(o, "    ", "email", NULL, info->author_email);
    }
    if (info->author_uri != NULL) {
        out_elem(o, "    ", "uri", NULL, info->author_uri);
    }
    out_put(o, "  </author>\n");
}

/* Writes the XML declaration, the feed's start tag and its id, title and updated. */
static void write_head(const atom_feed_t *f, atom_out_t *o)
{
    const bl_ctx_t *ctx = f->ctx;
    const char *lang = bl_ctx_lang(ctx);

    out_put(o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed");
    out_attr(o, "xmlns", ATOM_NS);
    out_attr(o, "xml:lang", lang);
    out_put(o, ">\n");
    out_elem(o, "  ", "id", NULL,
             bl_atom_feed_id(ctx->site->info.authority, lang, f->kind->route, ctx->pool));
    out_elem(o, "  ", "title", NULL,
             bl_atom_feed_title(bl_ctx_site_name(ctx), bl_ctx_string(ctx, f->kind->label_key),
                                ctx->pool));
    out_elem(o, "  ", "updated", NULL, feed_updated(f));
    write_author(f, o);
    out_elem(o, "  ", "generator", NULL, "mod_bilingual");
}

/* Writes the feed's links: self, the HTML page, the feed in each other language,
 * and the RFC 5005 paging links when there is more than one page. */
static void write_feed_links(const atom_feed_t *f, atom_out_t *o)
{
    const bl_ctx_t *ctx = f->ctx;
    apr_pool_t *p = ctx->pool;
    int i;

    out_link(o, "  ", "self", ATOM_TYPE, NULL, bl_atom_page_url(f->url, f->page, p));
    out_link(o, "  ", "alternate", "text/html", NULL, route_url(ctx, f->kind->html, ctx->lang));
    for (i = 0; i < ctx->langs->n; i++) {
        if (i != ctx->lang) {
            out_link(o, "  ", "alternate", ATOM_TYPE, ctx->langs->tag[i],
                     route_url(ctx, f->kind->route, i));
        }
    }
    if (f->pages <= 1) {
        return;
    }
    out_link(o, "  ", "first", ATOM_TYPE, NULL, f->url);
    out_link(o, "  ", "last", ATOM_TYPE, NULL, bl_atom_page_url(f->url, f->pages, p));
    if (f->page > 1) {
        out_link(o, "  ", "previous", ATOM_TYPE, NULL, bl_atom_page_url(f->url, f->page - 1, p));
    }
    if (f->page < f->pages) {
        out_link(o, "  ", "next", ATOM_TYPE, NULL, bl_atom_page_url(f->url, f->page + 1, p));
    }
}

/* Returns the entry title of ITEM: for an event the date in words first, and the
 * cancellation before that. */
static const char *entry_title(const bl_ctx_t *ctx, const bl_file_t *item)
{
    const char *date = NULL;
    const char *cancelled = NULL;

    if (item->kind == BL_KIND_EVENT) {
        date = bl_time_date_words(&item->item.start, bl_ctx_lang(ctx), 0, ctx->pool);
        if (item->item.cancelled) {
            cancelled = bl_ctx_string(ctx, "cancelled");
        }
    }
    return bl_atom_item_title(cancelled, date, bl_item_title(ctx, item, NULL), ctx->pool);
}

/* Writes the entry's alternate links: its page in this language, then with hreflang
 * its page in each other language. */
static void write_entry_links(const bl_ctx_t *ctx, const bl_file_t *item, atom_out_t *o)
{
    int i;

    out_link(o, "    ", "alternate", "text/html", NULL,
             bl_ctx_abs(ctx, bl_item_path(ctx, item, ctx->lang)));
    for (i = 0; i < ctx->langs->n; i++) {
        if (i != ctx->lang) {
            out_link(o, "    ", "alternate", "text/html", ctx->langs->tag[i],
                     bl_ctx_abs(ctx, bl_item_path(ctx, item, i)));
        }
    }
}

/* Writes the category naming the item's kind, labelled in the context's language. */
static void write_category(const bl_ctx_t *ctx, const bl_file_t *item, atom_out_t *o)
{
    const char *term = item->kind == BL_KIND_EVENT ? "events" : "press";

    out_put(o, "    <category");
    out_attr(o, "term", term);
    out_attr(o, "label", bl_ctx_string(ctx, term));
    out_put(o, "/>\n");
}

/* Returns HTML wrapped in a TAG element with lang="LANG", or HTML itself when LANG
 * is NULL. */
static const char *html_lang(apr_pool_t *p, const char *tag, const char *lang, const char *html)
{
    if (lang == NULL) {
        return html;
    }
    return apr_pstrcat(p, "<", tag, " lang=\"", bl_escape(lang, p), "\">", html, "</", tag, ">",
                       NULL);
}

/* Returns the HTML paragraph that opens an event's content: the cancellation, when
 * and where, with the labels of the context's language. */
static const char *event_html(const bl_ctx_t *ctx, const bl_file_t *ev)
{
    apr_pool_t *p = ctx->pool;
    const bl_item_t *it = &ev->item;
    const char *lang = bl_ctx_lang(ctx);
    const char *fb = NULL;
    const char *where = bl_item_location(ctx, ev, &fb);
    const char *when = bl_time_span_words(&it->start, it->has_end ? &it->end : NULL, lang, p);
    const char *html = "<p>";

    if (it->cancelled) {
        html = apr_pstrcat(p, html, "<strong>", bl_escape(bl_ctx_string(ctx, "cancelled"), p),
                           "</strong><br>", NULL);
    }
    html = apr_pstrcat(p, html, "<strong>", bl_escape(bl_ctx_string(ctx, "when"), p), ":</strong> ",
                       bl_escape(when, p), NULL);
    if (where != NULL && *where != '\0') {
        html = apr_pstrcat(p, html, "<br><strong>", bl_escape(bl_ctx_string(ctx, "where"), p),
                           ":</strong> ",
                           html_lang(p, "span", lang_change(fb, lang), bl_escape(where, p)), NULL);
    }
    return apr_pstrcat(p, html, "</p>\n", NULL);
}

/* Writes the summary, if any, with xml:lang when its language differs from the
 * entry's ENTRY_LANG. */
static void write_summary(const bl_ctx_t *ctx, const bl_file_t *item, const char *entry_lang,
                          atom_out_t *o)
{
    const char *fb = NULL;
    const char *summary = bl_item_summary(ctx, item, &fb);

    if (summary == NULL || *summary == '\0') {
        return;
    }
    out_elem(o, "    ", "summary", lang_change(fb != NULL ? fb : bl_ctx_lang(ctx), entry_lang),
             summary);
}

/* Writes the content: for events the when-and-where paragraph, then the body; with
 * xml:lang when its language differs from the entry's ENTRY_LANG. */
static void write_content(const bl_ctx_t *ctx, const bl_file_t *item, const char *entry_lang,
                          atom_out_t *o)
{
    const char *lang = bl_ctx_lang(ctx);
    const char *fb = NULL;
    const char *body = bl_item_body_html(ctx, item, &fb);
    const char *html = "";
    const char *content_lang = fb != NULL ? fb : lang;

    if (item->kind == BL_KIND_EVENT) {
        html = event_html(ctx, item);
        content_lang = lang;
    }
    html = apr_pstrcat(ctx->pool, html,
                       html_lang(ctx->pool, "div", lang_change(fb, lang), body != NULL ? body : ""),
                       NULL);
    out_put(o, "    <content type=\"html\"");
    out_attr(o, "xml:lang", lang_change(content_lang, entry_lang));
    out_put(o, ">");
    out_text(o, html);
    out_put(o, "</content>\n");
}

/* Writes one entry; xml:lang names the title's language when it is untranslated. */
static void write_entry(const bl_ctx_t *ctx, const bl_file_t *item, atom_out_t *o)
{
    apr_pool_t *p = ctx->pool;
    const char *entry_lang = bl_item_lang(ctx, item);

    out_put(o, "  <entry");
    out_attr(o, "xml:lang", lang_change(entry_lang, bl_ctx_lang(ctx)));
    out_put(o, ">\n");
    out_elem(o, "    ", "id", NULL, bl_item_tag(ctx, item));
    out_elem(o, "    ", "title", NULL, entry_title(ctx, item));
    out_elem(o, "    ", "published", NULL, bl_time_rfc3339(&item->item.published, p));
    out_elem(o, "    ", "updated", NULL, bl_time_rfc3339(&item->item.updated, p));
    write_entry_links(ctx, item, o);
    write_category(ctx, item, o);
    write_summary(ctx, item, entry_lang, o);
    write_content(ctx, item, entry_lang, o);
    out_put(o, "  </entry>\n");
}

/* Writes page PAGE of the feed KIND. */
apr_status_t bl_atom_write(const bl_ctx_t *ctx, bl_route_kind_t kind, int page,
                           apr_bucket_brigade *bb)
{
    atom_feed_t f;
    atom_out_t o;
    apr_status_t rv;
    int i;

    rv = feed_init(&f, ctx, kind, page);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    o.bb = bb;
    o.rv = APR_SUCCESS;
    write_head(&f, &o);
    write_feed_links(&f, &o);
    for (i = f.from; i < f.to && o.rv == APR_SUCCESS; i++) {
        write_entry(ctx, APR_ARRAY_IDX(f.entries, i, const bl_file_t *), &o);
    }
    out_put(&o, "</feed>\n");
    return o.rv;
}
