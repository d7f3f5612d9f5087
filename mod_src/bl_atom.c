/* bl_atom.c: the Atom 1.0 feeds (RFC 4287), /xx/feed.atom and /xx/SEGMENT/feed.atom,
 * paged by RFC 5005.
 *
 * A feed lists the visible items of its kind (or of every kind) from the snapshot's
 * `items` array, newest `published` first, BilingualFeedSize entries per page; ?page=N
 * selects a later page and a page past the last is APR_NOTFOUND (the caller answers
 * 404). Ids are tag: URIs (RFC 4151) built from site.xml's authority, the language and
 * the slug, never from the text, so they survive every edit and differ between
 * languages. The feed's `updated` is the newest `updated` of all its entries (not only
 * the page's); for an empty feed the newest of the site's items, else the epoch: never
 * a file time, so the bytes depend on the content only and the ETag is stable. Every
 * feed and entry has exactly one rel="alternate" type="text/html", to its page in the
 * feed's language (feed readers such as newsboat and feedparser open the last
 * alternate they see); the other languages are rel="related" with hreflang and a title
 * naming the language. Every language's feed has every item: an entry whose title is
 * not translated carries xml:lang naming the language it is written in, and its
 * summary or content carry their own xml:lang where they differ from the entry's.
 * Entries of ranged kinds lead their title with the date in words and their content
 * with a paragraph of date, time and place. Each entry is written from a scratch pool
 * cleared after it, so memory grows with the output only.
 */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "bl_atom.h"
#include "bl_locale.h"
#include "bl_markup.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define ATOM_TYPE "application/atom+xml"

/** The feed page being written. */
typedef struct atom_feed_t {
    const bl_ctx_t *ctx;
    bl_out_t *o;
    int item;                    /* the item kind, -1 for every kind */
    apr_array_header_t *entries; /* const bl_file_t *: all of the feed, newest first */
    int page;                    /* 1-based */
    int pages;
    int from, to;    /* the page's entries: [from, to) */
    const char *url; /* the absolute URL of page 1 */
} atom_feed_t;

/* Builds "tag:AUTHORITY:LANG/[SEGMENT/]feed.atom". */
const char *bl_atom_feed_id(const char *authority, const char *lang, int item, apr_pool_t *p)
{
    if (authority == NULL || *authority == '\0') {
        authority = BL_NO_AUTHORITY;
    }
    return apr_pstrcat(p, "tag:", authority, ":", lang, "/",
                       item >= 0 ? bl_kind(item)->segment : "", item >= 0 ? "/" : "", "feed.atom",
                       NULL);
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

/* Counts the items of one kind, or all of them. */
int bl_atom_count(const bl_ctx_t *ctx, int item)
{
    return item >= 0 ? bl_site_list(ctx->site, item)->order->nelts : ctx->site->items->nelts;
}

/* Appends ` NAME="VALUE"` with VALUE escaped; nothing when VALUE is NULL. */
static void out_attr(bl_out_t *o, const char *name, const char *value)
{
    if (value != NULL) {
        bl_out_putv(o, " ", name, "=\"", NULL);
        bl_out_attr(o, value);
        bl_out_puts(o, "\"");
    }
}

/* Appends INDENT<NAME[ xml:lang="LANG"]>TEXT</NAME> and a newline; LANG may be NULL. */
static void out_elem(bl_out_t *o, const char *indent, const char *name, const char *lang,
                     const char *text)
{
    bl_out_putv(o, indent, "<", name, NULL);
    out_attr(o, "xml:lang", lang);
    bl_out_puts(o, ">");
    bl_out_text(o, text);
    bl_out_putv(o, "</", name, ">\n", NULL);
}

/* Appends a link element; TYPE, HREFLANG and TITLE may be NULL. */
static void out_link(bl_out_t *o, const char *indent, const char *rel, const char *type,
                     const char *hreflang, const char *title, const char *href)
{
    bl_out_putv(o, indent, "<link", NULL);
    out_attr(o, "rel", rel);
    out_attr(o, "type", type);
    out_attr(o, "hreflang", hreflang);
    out_attr(o, "title", title);
    out_attr(o, "href", href);
    bl_out_puts(o, "/>\n");
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

/* Returns the name of language LANG in that language ("English"). */
static const char *language_name(const bl_ctx_t *ctx, int lang)
{
    bl_ctx_t other = *ctx;

    other.lang = lang;
    return bl_ctx_word(&other, "language-name");
}

/* Returns the feed's items in order: the snapshot's items of its kind. */
static apr_array_header_t *feed_entries(const bl_ctx_t *ctx, int item)
{
    const apr_array_header_t *items = ctx->site->items;
    apr_array_header_t *out = apr_array_make(ctx->pool, items->nelts, sizeof(const bl_file_t *));
    const bl_file_t *f;
    int i;

    for (i = 0; i < items->nelts; i++) {
        f = APR_ARRAY_IDX(items, i, const bl_file_t *);
        if (item < 0 || (int)f->kind == item) {
            APR_ARRAY_PUSH(out, const bl_file_t *) = f;
        }
    }
    return out;
}

/* Returns the newest `updated` of the N items at ITEMS, or NULL when N is 0. */
static const bl_time_t *newest_updated(bl_file_t *const *items, int n)
{
    const bl_time_t *best = NULL;
    int i;

    for (i = 0; i < n; i++) {
        if (best == NULL || items[i]->item.updated.t > best->t) {
            best = &items[i]->item.updated;
        }
    }
    return best;
}

/* Returns the feed's `updated`: the newest `updated` of all its entries; for an empty
 * feed the newest of the site's items, else the epoch (never a file time). The same
 * items, and the time the list last changed, date the feed's Last-Modified. */
static const char *feed_updated(const atom_feed_t *f)
{
    const apr_array_header_t *all = f->entries->nelts ? f->entries : f->ctx->site->items;
    const bl_time_t *best = newest_updated((bl_file_t *const *)all->elts, all->nelts);
    bl_time_t epoch;
    int i, k;

    if (best == NULL) {
        epoch.t = 0;
        epoch.offset = 0;
        best = &epoch;
    }
    for (i = 0; i < all->nelts; i++) {
        /* Last-Modified: as on the items' pages (an `updated` ahead of the clock is not
         * noted), so it never becomes the time of each request */
        bl_ctx_note_item(f->ctx, APR_ARRAY_IDX(all, i, const bl_file_t *));
    }
    for (k = BL_KIND_FIRST_ITEM; k < BL_KIND_COUNT; k++) {
        if (f->item < 0 || f->item == k) {
            bl_ctx_note_list(f->ctx, k);
        }
    }
    return bl_time_rfc3339(best, f->ctx->pool);
}

/* Writes the feed's author from site.xml, falling back on the site's name. */
static void write_author(const atom_feed_t *f)
{
    const bl_siteinfo_t *info = &f->ctx->site->info;
    const char *name = info->author_name;

    if (name == NULL || *name == '\0') {
        name = bl_ctx_site_name(f->ctx);
    }
    if (name == NULL || *name == '\0') {
        name = f->ctx->base;
    }
    bl_out_puts(f->o, "  <author>\n");
    out_elem(f->o, "    ", "name", NULL, name);
    if (info->author_email != NULL) {
        out_elem(f->o, "    ", "email", NULL, info->author_email);
    }
    if (info->author_uri != NULL) {
        out_elem(f->o, "    ", "uri", NULL, info->author_uri);
    }
    bl_out_puts(f->o, "  </author>\n");
}

/* Writes the XML declaration, the feed's start tag and its id, title and updated. */
static void write_head(const atom_feed_t *f)
{
    const bl_ctx_t *ctx = f->ctx;
    const char *lang = bl_ctx_lang(ctx);
    const char *label = f->item >= 0 ? bl_kind(f->item)->label : "feed";

    bl_out_puts(f->o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed");
    out_attr(f->o, "xmlns", ATOM_NS);
    out_attr(f->o, "xml:lang", lang);
    bl_out_puts(f->o, ">\n");
    out_elem(f->o, "  ", "id", NULL,
             bl_atom_feed_id(ctx->site->info.authority, lang, f->item, ctx->pool));
    out_elem(f->o, "  ", "title", NULL,
             bl_ctx_join_title(bl_ctx_site_name(ctx), bl_ctx_word(ctx, label), ctx->pool));
    out_elem(f->o, "  ", "updated", NULL, feed_updated(f));
    write_author(f);
    out_elem(f->o, "  ", "generator", NULL, "mod_bilingual");
}

/* Writes the RFC 5005 paging links when there is more than one page. */
static void write_paging(const atom_feed_t *f)
{
    apr_pool_t *p = f->ctx->pool;

    if (f->pages <= 1) {
        return;
    }
    out_link(f->o, "  ", "first", ATOM_TYPE, NULL, NULL, f->url);
    out_link(f->o, "  ", "last", ATOM_TYPE, NULL, NULL, bl_atom_page_url(f->url, f->pages, p));
    if (f->page > 1) {
        out_link(f->o, "  ", "previous", ATOM_TYPE, NULL, NULL,
                 bl_atom_page_url(f->url, f->page - 1, p));
    }
    if (f->page < f->pages) {
        out_link(f->o, "  ", "next", ATOM_TYPE, NULL, NULL,
                 bl_atom_page_url(f->url, f->page + 1, p));
    }
}

/* Writes the feed's links: self, its HTML page (the one alternate), the same feed in
 * each other language (related), and the paging links. */
static void write_feed_links(const atom_feed_t *f)
{
    const bl_ctx_t *ctx = f->ctx;
    bl_route_t page, feed;
    int i;

    bl_route_set(&page, f->item >= 0 ? BL_R_LIST : BL_R_HOME, ctx->lang, f->item, NULL);
    bl_route_set(&feed, BL_R_FEED, ctx->lang, f->item, NULL);
    out_link(f->o, "  ", "self", ATOM_TYPE, NULL, NULL,
             bl_atom_page_url(f->url, f->page, ctx->pool));
    out_link(f->o, "  ", "alternate", "text/html", NULL, NULL,
             bl_ctx_route_url(ctx, &page, ctx->lang));
    for (i = 0; i < ctx->langs->n; i++) {
        if (i != ctx->lang) {
            out_link(f->o, "  ", "related", ATOM_TYPE, ctx->langs->tag[i], language_name(ctx, i),
                     bl_ctx_route_url(ctx, &feed, i));
        }
    }
    write_paging(f);
}

/* Writes the entry's links: its page in this language (the one alternate), then its
 * page in each other language (related, with hreflang and the language's name). */
static void write_entry_links(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *item)
{
    int i;

    out_link(o, "    ", "alternate", "text/html", NULL, NULL,
             bl_ctx_abs(ctx, bl_ctx_item_path(ctx, item, ctx->lang)));
    for (i = 0; i < ctx->langs->n; i++) {
        if (i != ctx->lang) {
            out_link(o, "    ", "related", "text/html", ctx->langs->tag[i], language_name(ctx, i),
                     bl_ctx_abs(ctx, bl_ctx_item_path(ctx, item, i)));
        }
    }
}

/* Writes the category naming the item's kind, labelled in the context's language. */
static void write_category(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *item)
{
    const bl_kind_info_t *k = bl_kind(item->kind);

    bl_out_puts(o, "    <category");
    out_attr(o, "term", k->segment);
    out_attr(o, "label", bl_ctx_word(ctx, k->label));
    bl_out_puts(o, "/>\n");
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

/* Returns the HTML paragraph that opens a ranged item's content: the cancellation,
 * when and where, with the labels of the context's language. */
static const char *when_where_html(const bl_ctx_t *ctx, const bl_file_t *ev)
{
    apr_pool_t *p = ctx->pool;
    const bl_item_t *it = &ev->item;
    const char *lang = bl_ctx_lang(ctx);
    const char *fb = NULL;
    const char *where = bl_ctx_location(ctx, ev, &fb);
    const char *when = bl_locale_span(&it->start, it->has_end ? &it->end : NULL, lang, p);
    const char *html = "<p>";

    if (it->cancelled) {
        html = apr_pstrcat(p, html, "<strong>", bl_escape(bl_ctx_word(ctx, "cancelled"), p),
                           "</strong><br>", NULL);
    }
    html = apr_pstrcat(p, html, "<strong>", bl_escape(bl_ctx_word(ctx, "when"), p), ":</strong> ",
                       bl_escape(when, p), NULL);
    if (where != NULL && *where != '\0') {
        html = apr_pstrcat(p, html, "<br><strong>", bl_escape(bl_ctx_word(ctx, "where"), p),
                           ":</strong> ",
                           html_lang(p, "span", lang_change(fb, lang), bl_escape(where, p)), NULL);
    }
    return apr_pstrcat(p, html, "</p>\n", NULL);
}

/* Writes the summary, if any, with xml:lang when its language differs from the
 * entry's ENTRY_LANG. */
static void write_summary(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *item,
                          const char *entry_lang)
{
    const char *fb = NULL;
    const char *summary = bl_ctx_summary(ctx, item, &fb);

    if (*summary != '\0') {
        out_elem(o, "    ", "summary", lang_change(fb != NULL ? fb : bl_ctx_lang(ctx), entry_lang),
                 summary);
    }
}

/* Writes the content: for ranged items the when-and-where paragraph, then the body;
 * with xml:lang when its language differs from the entry's ENTRY_LANG. */
static void write_content(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *item,
                          const char *entry_lang)
{
    const char *lang = bl_ctx_lang(ctx);
    const char *fb = NULL, *html = "", *content_lang;
    xmlNodePtr node = bl_ctx_child(ctx, item->root, "body", &fb);
    const char *body =
        node ? bl_markup_string(ctx, node, bl_ctx_item_path(ctx, item, ctx->lang)) : "";

    content_lang = fb != NULL ? fb : lang;
    if (bl_kind(item->kind)->ranged) {
        html = when_where_html(ctx, item);
        content_lang = lang;
    }
    html = apr_pstrcat(ctx->pool, html, html_lang(ctx->pool, "div", lang_change(fb, lang), body),
                       NULL);
    bl_out_puts(o, "    <content type=\"html\"");
    out_attr(o, "xml:lang", lang_change(content_lang, entry_lang));
    bl_out_puts(o, ">");
    bl_out_text(o, html);
    bl_out_puts(o, "</content>\n");
}

/* Writes one entry; xml:lang names the title's language when it is untranslated. */
static void write_entry(const bl_ctx_t *ctx, bl_out_t *o, const bl_file_t *item)
{
    const char *entry_lang = bl_ctx_item_lang(ctx, item);

    bl_out_puts(o, "  <entry");
    out_attr(o, "xml:lang", lang_change(entry_lang, bl_ctx_lang(ctx)));
    bl_out_puts(o, ">\n");
    out_elem(o, "    ", "id", NULL, bl_ctx_item_tag(ctx, item));
    out_elem(o, "    ", "title", NULL, bl_ctx_heading(ctx, item, 1));
    out_elem(o, "    ", "published", NULL, bl_time_rfc3339(&item->item.published, ctx->pool));
    out_elem(o, "    ", "updated", NULL, bl_time_rfc3339(&item->item.updated, ctx->pool));
    write_entry_links(ctx, o, item);
    write_category(ctx, o, item);
    write_summary(ctx, o, item, entry_lang);
    write_content(ctx, o, item, entry_lang);
    bl_out_puts(o, "  </entry>\n");
}

/* Writes the page's entries, each from a scratch pool cleared after it. */
static void write_entries(const atom_feed_t *f)
{
    bl_ctx_t ec = *f->ctx;
    int i;

    apr_pool_create(&ec.pool, f->ctx->pool);
    for (i = f->from; i < f->to && bl_out_status(f->o) == APR_SUCCESS; i++) {
        write_entry(&ec, f->o, APR_ARRAY_IDX(f->entries, i, const bl_file_t *));
        apr_pool_clear(ec.pool);
    }
    apr_pool_destroy(ec.pool);
}

/* Writes page PAGE of the feed of ITEM. */
apr_status_t bl_atom_write(const bl_ctx_t *ctx, int item, int page, bl_out_t *out)
{
    atom_feed_t f;
    bl_route_t feed;
    apr_status_t rv;

    memset(&f, 0, sizeof(f));
    f.ctx = ctx;
    f.o = out;
    f.item = item;
    f.entries = feed_entries(ctx, item);
    f.page = page;
    bl_route_set(&feed, BL_R_FEED, ctx->lang, item, NULL);
    f.url = bl_ctx_route_url(ctx, &feed, ctx->lang);
    rv = bl_atom_page_range(f.entries->nelts, ctx->feed_size, page, &f.pages, &f.from, &f.to);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    write_head(&f);
    write_feed_links(&f);
    write_entries(&f);
    bl_out_puts(out, "</feed>\n");
    return bl_out_status(out);
}
