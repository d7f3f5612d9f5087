/* test_atom.c: unit tests of the Atom writer (bl_atom.c).
 *
 * The pure pieces (feed ids, titles, page URLs, RFC 5005 page arithmetic) are checked
 * directly; bl_atom_write is run on a snapshot of two events and two press releases
 * built in memory, with two entries per page, and its output is parsed back with
 * libxml2 and searched for the ids, links, order, languages and escaping it must have:
 * the feed and each entry have exactly one rel="alternate" type="text/html" (its page
 * in the feed's language), and one rel="related" with hreflang and the language's
 * name for each other language.
 */
#include <string.h>

#include <check.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <libxml/parser.h>

#include "bl_atom.h"
#include "bl_items.h"
#include "bl_name.h"
#include "bl_out.h"
#include "tests.h"
#include "testutil.h"

#define BASE TU_BASE

/* Checks the tag: ids of the three feeds, and that no entry id can ever equal one. */
START_TEST(test_feed_id)
{
    ck_assert_str_eq(bl_atom_feed_id("example.org,2015", "es", -1, pool),
                     "tag:example.org,2015:es/feed.atom");
    ck_assert_str_eq(bl_atom_feed_id("example.org,2015", "en", BL_KIND_EVENT, pool),
                     "tag:example.org,2015:en/events/feed.atom");
    ck_assert_str_eq(bl_atom_feed_id("example.org,2015", "en", BL_KIND_PRESS, pool),
                     "tag:example.org,2015:en/press/feed.atom");
    ck_assert_str_eq(bl_atom_feed_id(NULL, "es", -1, pool), "tag:" BL_NO_AUTHORITY ":es/feed.atom");
    ck_assert_str_eq(bl_atom_feed_id("", "es", BL_KIND_EVENT, pool),
                     "tag:" BL_NO_AUTHORITY ":es/events/feed.atom");
    /* each feed and language has its own id */
    ck_assert_str_ne(bl_atom_feed_id("example.org,2015", "es", -1, pool),
                     bl_atom_feed_id("example.org,2015", "en", -1, pool));
    ck_assert_str_ne(bl_atom_feed_id("example.org,2015", "es", BL_KIND_EVENT, pool),
                     bl_atom_feed_id("example.org,2015", "es", BL_KIND_PRESS, pool));
    /* entry ids end in a slug, and no slug can be "feed.atom" */
    ck_assert_int_eq(bl_name_valid("feed.atom", 9), 0);
}
END_TEST

/* Checks feed titles and item titles with date and cancellation. */
START_TEST(test_titles)
{
    ck_assert_str_eq(bl_ctx_join_title("Justicia Migrante", "Eventos", pool),
                     "Justicia Migrante \xC2\xB7 Eventos");
    ck_assert_str_eq(bl_ctx_join_title("", "Events", pool), "Events");
    ck_assert_str_eq(bl_ctx_join_title(NULL, "Events", pool), "Events");
    ck_assert_str_eq(bl_ctx_join_heading(NULL, NULL, "March", pool), "March");
    ck_assert_str_eq(bl_ctx_join_heading(NULL, "1 de julio de 2015", "Marcha", pool),
                     "1 de julio de 2015: Marcha");
    ck_assert_str_eq(bl_ctx_join_heading("Cancelled", "July 1, 2015", "March", pool),
                     "Cancelled: July 1, 2015: March");
    ck_assert_str_eq(bl_ctx_join_heading("Cancelado", NULL, "Marcha", pool), "Cancelado: Marcha");
}
END_TEST

/* Checks that only pages after the first carry ?page=N. */
START_TEST(test_page_url)
{
    ck_assert_str_eq(bl_atom_page_url(BASE "/es/feed.atom", 1, pool), BASE "/es/feed.atom");
    ck_assert_str_eq(bl_atom_page_url(BASE "/es/feed.atom", 2, pool), BASE "/es/feed.atom?page=2");
    ck_assert_str_eq(bl_atom_page_url(BASE "/es/feed.atom", 137, pool),
                     BASE "/es/feed.atom?page=137");
}
END_TEST

/* Checks the RFC 5005 page arithmetic at its edges. */
START_TEST(test_page_range)
{
    int pages = -1, from = -1, to = -1;

    /* an empty feed has one, empty, page */
    ck_assert_int_eq(bl_atom_page_range(0, 20, 1, &pages, &from, &to), APR_SUCCESS);
    ck_assert_int_eq(pages, 1);
    ck_assert_int_eq(from, 0);
    ck_assert_int_eq(to, 0);
    ck_assert_int_eq(bl_atom_page_range(0, 20, 2, &pages, &from, &to), APR_NOTFOUND);
    ck_assert_int_eq(bl_atom_page_range(5, 20, 0, &pages, &from, &to), APR_NOTFOUND);
    ck_assert_int_eq(bl_atom_page_range(5, 20, -3, &pages, &from, &to), APR_NOTFOUND);
    /* exactly one page full, then one entry more */
    ck_assert_int_eq(bl_atom_page_range(20, 20, 1, &pages, &from, &to), APR_SUCCESS);
    ck_assert_int_eq(pages, 1);
    ck_assert_int_eq(to, 20);
    ck_assert_int_eq(bl_atom_page_range(21, 20, 2, &pages, &from, &to), APR_SUCCESS);
    ck_assert_int_eq(pages, 2);
    ck_assert_int_eq(from, 20);
    ck_assert_int_eq(to, 21);
    ck_assert_int_eq(bl_atom_page_range(45, 20, 2, &pages, &from, &to), APR_SUCCESS);
    ck_assert_int_eq(pages, 3);
    ck_assert_int_eq(from, 20);
    ck_assert_int_eq(to, 40);
    ck_assert_int_eq(bl_atom_page_range(45, 20, 4, &pages, &from, &to), APR_NOTFOUND);
    /* no page size: everything on page 1 */
    ck_assert_int_eq(bl_atom_page_range(45, 0, 1, &pages, &from, &to), APR_SUCCESS);
    ck_assert_int_eq(pages, 1);
    ck_assert_int_eq(to, 45);
}
END_TEST

/* Returns an item of KIND named NAME parsed from XML, with the times given in
 * RFC 3339 (START only for events; NULL for none); freed with the pool. */
static bl_file_t *make_item(bl_kind_t kind, const char *name, const char *xml,
                            const char *published, const char *updated, const char *start)
{
    bl_file_t *f = tu_make_file(kind, name, xml);

    ck_assert_int_eq(bl_time_parse(published, &f->item.published), APR_SUCCESS);
    ck_assert_int_eq(bl_time_parse(updated, &f->item.updated), APR_SUCCESS);
    if (start != NULL) {
        ck_assert_int_eq(bl_time_parse(start, &f->item.start), APR_SUCCESS);
    }
    return f;
}

/* Returns the four items, newest published first: press "p-new", event "march",
 * cancelled event "vigil" (title in Spanish only), press "p-old" (updated last). */
static apr_array_header_t *make_items(void)
{
    apr_array_header_t *items = apr_array_make(pool, 4, sizeof(bl_file_t *));
    bl_file_t *f;

    APR_ARRAY_PUSH(items, bl_file_t *) =
        make_item(BL_KIND_PRESS, "p-new",
                  "<press-release><title xml:lang='es'>Nuevo</title>"
                  "<title xml:lang='en'>New &amp; &lt;better&gt;</title>"
                  "<body><p xml:lang='en'>See <a href='../events/march'>it</a></p></body>"
                  "</press-release>",
                  "2015-06-20T10:00:00Z", "2015-06-20T10:00:00Z", NULL);
    f = make_item(BL_KIND_EVENT, "march",
                  "<event><title xml:lang='es'>Marcha</title><title xml:lang='en'>March</title>"
                  "<location xml:lang='en'>Square</location><summary>S</summary>"
                  "<body><p>b</p></body></event>",
                  "2015-06-10T12:00:00-04:00", "2015-06-10T12:00:00-04:00",
                  "2015-07-01T09:00:00-04:00");
    bl_time_parse("2015-07-01T12:00:00-04:00", &f->item.end);
    f->item.has_end = 1;
    APR_ARRAY_PUSH(items, bl_file_t *) = f;
    f = make_item(BL_KIND_EVENT, "vigil",
                  "<event><title xml:lang='es'>Vigilia</title><body><p>v</p></body></event>",
                  "2015-05-15T12:00:00Z", "2015-05-15T12:00:00Z", "2015-01-10T18:00:00-05:00");
    f->item.cancelled = 1;
    APR_ARRAY_PUSH(items, bl_file_t *) = f;
    APR_ARRAY_PUSH(items, bl_file_t *) =
        make_item(BL_KIND_PRESS, "p-old",
                  "<press-release><title>Old</title><body><p>o</p></body></press-release>",
                  "2015-05-01T10:00:00Z", "2015-06-30T00:00:00Z", NULL);
    return items;
}

/* 2015-07-01T12:00:00Z: the instant the snapshots are derived at */
#define NOW apr_time_from_sec(1435752000)

/* Returns a context in language LANG (0 es, 1 en), two entries per page, over a
 * snapshot serving ITEMS (and a page changed at NOW, whose time no feed shows). */
static bl_ctx_t *make_ctx(int lang, apr_array_header_t *items)
{
    bl_site_t *site = tu_make_site();
    bl_file_t *page = tu_make_file(BL_KIND_PAGE, "about", "<page><title>About</title></page>");
    int i;

    page->changed = NOW;
    tu_site_add(site, page);
    for (i = 0; i < items->nelts; i++) {
        tu_site_add(site, APR_ARRAY_IDX(items, i, bl_file_t *));
    }
    site->info.author_name = "Ana & Co";
    tu_site_derive(site, NOW);
    ck_assert_int_eq(site->items->nelts, items->nelts);
    return tu_make_ctx(site, &tu_es_en, lang, 2);
}

/* Returns attribute NAME of NODE as a string from the pool, or NULL. */
static const char *attr(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, BAD_CAST name);
    const char *s = v ? apr_pstrdup(pool, (const char *)v) : NULL;

    xmlFree(v);
    return s;
}

/* Checks the links of PARENT (the feed or an entry) in a feed in language LANG of
 * LANGS: exactly one rel="alternate" type="text/html", without hreflang, and for each
 * other language exactly one rel="related" with its hreflang and its name as title,
 * of the alternate's TYPE for entries (text/html) or the feed's (Atom). */
static void check_links(xmlNodePtr parent, const bl_langs_t *langs, int lang,
                        const char *related_type)
{
    static const char *const names[] = { "Espa\xC3\xB1ol", "English" };
    int related[BL_MAX_LANGS] = { 0 };
    int alternates = 0, i;
    const char *rel, *hl;
    xmlNodePtr c;

    for (c = parent->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "link") != 0) {
            continue;
        }
        rel = attr(c, "rel");
        hl = attr(c, "hreflang");
        ck_assert_ptr_nonnull(rel);
        if (strcmp(rel, "alternate") == 0) {
            ck_assert_str_eq(attr(c, "type"), "text/html");
            ck_assert_ptr_null(hl);
            alternates++;
        }
        else if (strcmp(rel, "related") == 0) {
            ck_assert_ptr_nonnull(hl);
            i = bl_lang_find(langs, hl);
            ck_assert_int_ge(i, 0);
            ck_assert_int_ne(i, lang);
            ck_assert_str_eq(attr(c, "type"), related_type);
            ck_assert_str_eq(attr(c, "title"), names[i]);
            related[i]++;
        }
    }
    ck_assert_int_eq(alternates, 1);
    for (i = 0; i < langs->n; i++) {
        ck_assert_int_eq(related[i], i == lang ? 0 : 1);
    }
}

/* Returns page PAGE of the feed of item kind ITEM (-1: every kind) for CTX, after
 * checking that it is well-formed XML with an Atom feed at its root, and the links of
 * the feed and of each entry. */
static const char *feed(const bl_ctx_t *ctx, int item, int page)
{
    bl_out_t *o = tu_out();
    const char *out;
    xmlDocPtr doc;
    xmlNodePtr root, c;

    ck_assert_int_eq(bl_atom_write(ctx, item, page, o), APR_SUCCESS);
    out = tu_flat(o);
    doc = xmlReadMemory(out, (int)strlen(out), "feed.atom", NULL, XML_PARSE_NONET);
    ck_assert_msg(doc != NULL, "not well-formed: %s", out);
    root = xmlDocGetRootElement(doc);
    ck_assert_str_eq((const char *)root->name, "feed");
    ck_assert_str_eq((const char *)root->ns->href, "http://www.w3.org/2005/Atom");
    check_links(root, ctx->langs, ctx->lang, "application/atom+xml");
    for (c = root->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "entry") == 0) {
            check_links(c, ctx->langs, ctx->lang, "text/html");
        }
    }
    xmlFreeDoc(doc);
    return out;
}

/* Returns the number of times NEEDLE occurs in S. */
static int occurrences(const char *s, const char *needle)
{
    int n = 0;

    for (s = strstr(s, needle); s != NULL; s = strstr(s + 1, needle)) {
        n++;
    }
    return n;
}

/* Returns the number of entries in OUT. */
static int entries(const char *out)
{
    int n = 0;

    for (out = strstr(out, "<entry"); out != NULL; out = strstr(out + 1, "<entry")) {
        n++;
    }
    return n;
}

/* Checks the feed head and paging links of page 1 of the combined feed. */
START_TEST(test_write_first_page)
{
    const char *out = feed(make_ctx(1, make_items()), -1, 1);

    ck_assert_ptr_nonnull(strstr(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                                      "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
                                      "xml:lang=\"en\">"));
    ck_assert_ptr_nonnull(strstr(out, "<id>tag:example.org,2015:en/feed.atom</id>"));
    ck_assert_ptr_nonnull(strstr(out, "<title>Events and press releases</title>"));
    /* the newest update of the whole feed, which is on page 2 */
    ck_assert_ptr_nonnull(strstr(out, "<updated>2015-06-30T00:00:00Z</updated>"));
    ck_assert_ptr_nonnull(strstr(out, "<name>Ana &amp; Co</name>"));
    ck_assert_ptr_nonnull(
        strstr(out, "rel=\"self\" type=\"application/atom+xml\" href=\"" BASE "/en/feed.atom\""));
    ck_assert_ptr_nonnull(
        strstr(out, "rel=\"alternate\" type=\"text/html\" href=\"" BASE "/en/\""));
    ck_assert_ptr_nonnull(strstr(out, "<link rel=\"related\" type=\"application/atom+xml\" "
                                      "hreflang=\"es\" title=\"Espa\xC3\xB1ol\" href=\"" BASE
                                      "/es/feed.atom\"/>"));
    /* the feed's own page is its one HTML alternate; no other alternate at all */
    ck_assert_int_eq(occurrences(out, "rel=\"alternate\""), 1 + 2);
    ck_assert(strstr(out, "rel=\"alternate\"") < strstr(out, "<entry"));
    ck_assert_ptr_nonnull(
        strstr(out, "rel=\"first\" type=\"application/atom+xml\" href=\"" BASE "/en/feed.atom\""));
    ck_assert_ptr_nonnull(strstr(out, "rel=\"last\" type=\"application/atom+xml\" href=\"" BASE
                                      "/en/feed.atom?page=2\""));
    ck_assert_ptr_nonnull(strstr(out, "rel=\"next\" type=\"application/atom+xml\" href=\"" BASE
                                      "/en/feed.atom?page=2\""));
    ck_assert_ptr_null(strstr(out, "rel=\"previous\""));
    /* hreflang links go to the other languages only */
    ck_assert_ptr_null(strstr(out, "hreflang=\"en\""));
    ck_assert_int_eq(entries(out), 2);
    ck_assert_ptr_nonnull(strstr(out, "tag:example.org,2015:en/press/p-new</id>"));
    ck_assert_ptr_nonnull(strstr(out, "tag:example.org,2015:en/events/march</id>"));
    ck_assert(strstr(out, "/press/p-new</id>") < strstr(out, "/events/march</id>"));
}
END_TEST

/* Checks the entries of page 1: titles, dates, links, categories, content. */
START_TEST(test_write_entries)
{
    const char *out = feed(make_ctx(1, make_items()), -1, 1);

    ck_assert_ptr_nonnull(strstr(out, "<title>New &amp; &lt;better&gt;</title>"));
    ck_assert_ptr_nonnull(strstr(out, "<title>July 1, 2015: March</title>"));
    ck_assert_ptr_nonnull(strstr(out, "<published>2015-06-10T12:00:00-04:00</published>"));
    ck_assert_ptr_nonnull(
        strstr(out, "rel=\"alternate\" type=\"text/html\" href=\"" BASE "/en/events/march\""));
    ck_assert_ptr_nonnull(strstr(out, "<link rel=\"related\" type=\"text/html\" hreflang=\"es\" "
                                      "title=\"Espa\xC3\xB1ol\" href=\"" BASE "/es/events/march\"/>"));
    ck_assert_int_eq(occurrences(out, "rel=\"related\" type=\"text/html\""), 2);
    ck_assert_ptr_null(strstr(out, "rel=\"alternate\" type=\"text/html\" hreflang"));
    ck_assert_ptr_nonnull(strstr(out, "<category term=\"events\" label=\"Events\"/>"));
    ck_assert_ptr_nonnull(strstr(out, "<category term=\"press\" label=\"Press\"/>"));
    ck_assert_ptr_nonnull(strstr(out, "<summary>S</summary>"));
    /* the event's content opens with when and where, escaped once as HTML text */
    ck_assert_ptr_nonnull(strstr(out, "&lt;strong&gt;When:&lt;/strong&gt; Wednesday, "
                                      "July 1, 2015, 9:00 AM"));
    ck_assert_ptr_nonnull(strstr(out, "&lt;strong&gt;Where:&lt;/strong&gt; Square"));
    /* relative links in bodies become absolute URLs */
    ck_assert_ptr_nonnull(strstr(out, "href=\"" BASE "/en/events/march\"&gt;it"));
    ck_assert_ptr_null(strstr(out, "<entry xml:lang"));
}
END_TEST

/* Checks the last page: paging links, the untranslated entry, pages past the end. */
START_TEST(test_write_last_page)
{
    const bl_ctx_t *ctx = make_ctx(1, make_items());
    const char *out = feed(ctx, -1, 2);
    bl_out_t *o = tu_out();

    ck_assert_ptr_nonnull(strstr(out, "rel=\"self\" type=\"application/atom+xml\" href=\"" BASE
                                      "/en/feed.atom?page=2\""));
    ck_assert_ptr_nonnull(strstr(out, "rel=\"previous\" type=\"application/atom+xml\" "
                                      "href=\"" BASE "/en/feed.atom\""));
    ck_assert_ptr_null(strstr(out, "rel=\"next\""));
    ck_assert_int_eq(entries(out), 2);
    /* untranslated: the entry names its real language; cancelled and dated title */
    ck_assert_ptr_nonnull(strstr(out, "<entry xml:lang=\"es\">\n    <id>tag:example.org,"
                                      "2015:en/events/vigil</id>\n    <title>Cancelled: "
                                      "January 10, 2015: Vigilia</title>"));
    ck_assert_int_eq(bl_atom_write(ctx, -1, 3, o), APR_NOTFOUND);
    ck_assert_int_eq(bl_atom_write(ctx, -1, 0, o), APR_NOTFOUND);
    ck_assert_int_eq((int)bl_out_length(o), 0);
}
END_TEST

/* Checks that the events and press feeds hold only their own kind. */
START_TEST(test_write_kinds)
{
    const bl_ctx_t *ctx = make_ctx(0, make_items());
    const char *ev = feed(ctx, BL_KIND_EVENT, 1);
    const char *pr = feed(ctx, BL_KIND_PRESS, 1);

    ck_assert_ptr_nonnull(strstr(ev, "<id>tag:example.org,2015:es/events/feed.atom</id>"));
    ck_assert_ptr_nonnull(strstr(ev, "<title>Eventos</title>"));
    ck_assert_ptr_nonnull(strstr(ev, "href=\"" BASE "/es/events/feed.atom\""));
    ck_assert_ptr_nonnull(strstr(ev, "type=\"text/html\" href=\"" BASE "/es/events/\""));
    ck_assert_ptr_nonnull(strstr(ev, "rel=\"related\" type=\"application/atom+xml\" hreflang=\"en\" "
                                     "title=\"English\" href=\"" BASE "/en/events/feed.atom\""));
    ck_assert_ptr_nonnull(strstr(ev, "<title>1 de julio de 2015: Marcha</title>"));
    ck_assert_ptr_nonnull(strstr(ev, "<title>Cancelado: 10 de enero de 2015: Vigilia"));
    ck_assert_ptr_null(strstr(ev, "/press/"));
    ck_assert_ptr_null(strstr(ev, "rel=\"first\""));
    ck_assert_int_eq(entries(ev), 2);
    ck_assert_ptr_nonnull(strstr(pr, "<id>tag:example.org,2015:es/press/feed.atom</id>"));
    ck_assert_ptr_nonnull(strstr(pr, "type=\"text/html\" href=\"" BASE "/es/press/\""));
    ck_assert_ptr_null(strstr(pr, "/events/march<"));
    ck_assert_int_eq(entries(pr), 2);
    /* the same snapshot always gives the same bytes */
    ck_assert_str_eq(ev, feed(ctx, BL_KIND_EVENT, 1));
}
END_TEST

/* Checks that a feed without entries has a valid page 1 and no other. */
START_TEST(test_write_empty)
{
    const bl_ctx_t *ctx = make_ctx(0, apr_array_make(pool, 1, sizeof(bl_file_t *)));
    const char *out = feed(ctx, -1, 1);
    bl_out_t *o = tu_out();

    ck_assert_int_eq(entries(out), 0);
    /* no item at all: the epoch, never a file time (a page of the snapshot changed at
     * 2015-07-01T12:00:00Z here), so every server writes the same bytes */
    ck_assert_ptr_nonnull(strstr(out, "<updated>1970-01-01T00:00:00Z</updated>"));
    ck_assert_ptr_null(strstr(out, "2015-07-01T12:00:00Z"));
    ck_assert_ptr_null(strstr(out, "rel=\"first\""));
    ck_assert_int_eq(bl_atom_write(ctx, -1, 2, o), APR_NOTFOUND);
    /* the feeds of each kind are empty too, with a page 1 and no other */
    ck_assert_int_eq(entries(feed(ctx, BL_KIND_EVENT, 1)), 0);
    ck_assert_int_eq(entries(feed(ctx, BL_KIND_PRESS, 1)), 0);
    ck_assert_int_eq(bl_atom_write(ctx, BL_KIND_EVENT, 2, o), APR_NOTFOUND);
    ck_assert_int_eq(bl_atom_count(ctx, -1), 0);
    ck_assert_int_eq(bl_atom_count(ctx, BL_KIND_EVENT), 0);
}
END_TEST

/* Checks the entry counts and the Last-Modified a feed notes: the newest `updated`
 * of its entries, or when its list last changed, whichever is later. */
START_TEST(test_write_count_and_last_modified)
{
    bl_ctx_t *ctx = make_ctx(1, make_items());
    apr_time_t lm = 0;
    bl_time_t t;

    ck_assert_int_eq(bl_atom_count(ctx, -1), 4);
    ck_assert_int_eq(bl_atom_count(ctx, BL_KIND_EVENT), 2);
    ck_assert_int_eq(bl_atom_count(ctx, BL_KIND_PRESS), 2);
    ctx->lm = &lm;
    feed(ctx, -1, 2);
    ck_assert_int_eq(bl_time_parse("2015-06-30T00:00:00Z", &t), APR_SUCCESS);
    ck_assert(lm == t.t);
    lm = 0;
    feed(ctx, BL_KIND_EVENT, 1);
    ck_assert_int_eq(bl_time_parse("2015-06-10T12:00:00-04:00", &t), APR_SUCCESS);
    ck_assert(lm == t.t);
}
END_TEST

/* Returns the suite of the Atom writer. */
Suite *atom_suite(void)
{
    Suite *s = suite_create("atom");
    TCase *pure = tu_tcase(s, "pure", tu_setup, tu_teardown);
    TCase *writer = tu_tcase(s, "write", tu_setup, tu_teardown);

    tcase_add_test(pure, test_feed_id);
    tcase_add_test(pure, test_titles);
    tcase_add_test(pure, test_page_url);
    tcase_add_test(pure, test_page_range);
    tcase_add_test(writer, test_write_first_page);
    tcase_add_test(writer, test_write_entries);
    tcase_add_test(writer, test_write_last_page);
    tcase_add_test(writer, test_write_kinds);
    tcase_add_test(writer, test_write_empty);
    tcase_add_test(writer, test_write_count_and_last_modified);
    return s;
}
