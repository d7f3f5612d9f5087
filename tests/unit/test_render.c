/* test_render.c: unit tests of HTML rendering (bl_respond.c, bl_html.c, bl_markup.c,
 * bl_select.c, bl_out.c) and of the ETag and the render cache (bl_cache.c).
 *
 * A small content folder is written under /tmp and loaded with bl_site_load; pages
 * are resolved and rendered through bl_respond_render into a bl_out_t buffer,
 * flattened, and searched for the exact
 * markup SPEC 3 and 5 require: the doctype and html lang, language selection with
 * lang="..." on kept translations (with two and with three languages), escaping of
 * text and attributes, void elements, links resolved to absolute paths, the head and
 * languages inserts, and the 404 page. bl_url_resolve and bl_etag are checked directly,
 * and the cache on its own: hits, generations, eviction of the least recently used
 * entries past its cap while a holder keeps reading, and failed renderings.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <apr_general.h>
#include <apr_buckets.h>
#include <apr_strings.h>

#include "bl_cache.h"
#include "bl_content.h"
#include "bl_html.h"
#include "bl_markup.h"
#include "bl_out.h"
#include "bl_respond.h"
#include "tests.h"
#include "testutil.h"

#define BASE TU_BASE

static bl_site_t *site;

/* Entries per page of lists and archives in render(). */
static int list_size = 20;

/* The Last-Modified of the last response render() made. */
static apr_time_t last_modified;

static const bl_langs_t es_en_fr = { 3, { "es", "en", "fr" } };

/* Writes the folder every test renders from. */
static void write_folder(void)
{
    tu_put("site.xml", "<site>\n"
                       "  <name xml:lang=\"es\">Justicia</name>\n"
                       "  <name xml:lang=\"en\">Justice</name>\n"
                       "  <tag-authority>example.org,2015</tag-authority>\n"
                       "  <author><name>Ann</name></author>\n"
                       "  <string key=\"language-name\" xml:lang=\"fr\">Fran\xc3\xa7"
                       "ais</string>\n"
                       "</site>\n");
    tu_put("layout.xml", "<html class=\"site\">\n"
                         "<head><meta charset=\"utf-8\"/>"
                         "<title><insert name=\"title\"/> \xc2\xb7 "
                         "<insert name=\"site-name\"/></title>\n"
                         "<insert name=\"head\"/>\n"
                         "</head>\n"
                         "<body><insert name=\"languages\"/><main><h1><insert name=\"title\"/></h1>"
                         "<insert name=\"body\"/></main><include fragment=\"footer\"/></body>\n"
                         "</html>\n");
    tu_put("fragments/footer.xml", "<fragment><footer><p xml:lang=\"es\">Pie</p>"
                                   "<p xml:lang=\"en\">Foot</p></footer>"
                                   "</fragment>\n");
    tu_put("fragments/cyc-a.xml", "<fragment><i>AAA</i><include fragment=\"cyc-b\"/></fragment>\n");
    tu_put("fragments/cyc-b.xml", "<fragment><i>BBB</i></fragment>\n");
    tu_put("pages/cyc.xml", "<page><title>Cycle</title>"
                            "<body><include fragment=\"cyc-a\"/></body></page>\n");
    tu_put("pages/x.xml",
           "<page>\n"
           "<title xml:lang=\"es\">Equis &lt;es&gt;</title>"
           "<title xml:lang=\"en\">Ex &amp; co</title>\n"
           "<body>\n"
           "<p xml:lang=\"es\">Hola</p><p xml:lang=\"en\">Hello</p>\n"
           "<div class=\"solo\"><p xml:lang=\"es\">Solo en espa\xc3\xb1ol</p></div>\n"
           "<div class=\"three\"><span xml:lang=\"en\">EN only</span>"
           "<span xml:lang=\"fr\">FR only</span></div>\n"
           "<div class=\"def\"><em xml:lang=\"fr\">FR em</em>"
           "<em xml:lang=\"es\">ES em</em></div>\n"
           "<p class=\"esc\">Tom &amp; Jerry &lt;3 &gt; \"q\"</p>\n"
           "<p><a title=\"say &quot;hi&quot; &amp; &lt;go&gt;\" href=\"about\">"
           "About</a></p>\n"
           "<p><img src=\"../assets/a.png\" alt=\"A\"/><br/>line</p>\n"
           "<p></p>\n"
           "<p class=\"links\"><a href=\"#top\">Top</a>"
           "<a href=\"https://example.org/x?a=1&amp;b=2\">Ext</a>"
           "<a href=\"mailto:a@example.org\">Mail</a><a href=\"/assets/x.pdf\">Pdf</a>"
           "<a href=\"events/\">Ev</a></p>\n"
           "<script>var s = \"&lt;/script&gt;&lt;b&gt;\";</script>\n"
           "<!-- secret comment --><?php echo 'pi' ?>\n"
           "<p class=\"cdata\"><![CDATA[<b>raw</b> & more]]> caf&#233;</p>\n"
           "</body>\n"
           "</page>\n");
}

/* Runs tu_folder_setup, then writes the folder and loads it. */
static void setup(void)
{
    tu_folder_setup();
    write_folder();
    site = tu_load_at(NULL, apr_time_now(), NULL);
}

/* Renders PATH with LANGS, resolved as the handler resolves it, and returns the bytes;
 * *STATUS gets the status. */
static const char *render(const bl_langs_t *langs, const char *path, int *status)
{
    bl_out_t *out = tu_out();
    const char *ctype = NULL;
    apr_time_t lm = -1;
    const char *query;
    bl_req_t req;
    int st = 0;

    memset(&req, 0, sizeof(req));
    req.langs = langs;
    req.langs_key = bl_lang_join(langs, pool);
    req.base = BASE;
    req.feed_size = 20;
    req.list_size = list_size;
    query = strchr(path, '?');
    bl_route_parse(query ? apr_pstrndup(pool, path, (apr_size_t)(query - path)) : path, langs,
                   &req.route, pool);
    ck_assert_msg(req.route.lang >= 0, "%s has no language", path);
    /* as the handler does: lists, archives and feeds take ?page=N */
    req.page = bl_respond_paged(&req.route) ? bl_respond_page(query ? query + 1 : NULL) : 0;
    bl_respond_resolve(site, &req);
    ck_assert_int_eq(bl_respond_render(site, &req, out, &st, &ctype, &lm, pool), APR_SUCCESS);
    ck_assert_ptr_nonnull(ctype);
    ck_assert_str_eq(ctype, "text/html; charset=utf-8");
    ck_assert_msg(st == 200 || lm == 0, "%s: status %d, Last-Modified %" APR_TIME_T_FMT, path,
                  st, lm);
    last_modified = lm;
    if (status != NULL) {
        *status = st;
    }
    return tu_flat(out);
}

/* Renders PATH with es and en and checks it is a 200. */
static const char *page(const char *path)
{
    int status;
    const char *out = render(&tu_es_en, path, &status);

    ck_assert_int_eq(status, 200);
    return out;
}

/* Checks that OUT contains NEEDLE. */
#define HAS(out, needle) ck_assert_msg(strstr((out), (needle)) != NULL, "missing: %s", (needle))

/* Checks that OUT does not contain NEEDLE. */
#define HASNT(out, needle) ck_assert_msg(strstr((out), (needle)) == NULL, "present: %s", (needle))

/* Returns the number of times NEEDLE occurs in S. */
static int occurrences(const char *s, const char *needle)
{
    int n = 0;

    while ((s = strstr(s, needle)) != NULL) {
        n++;
        s += strlen(needle);
    }
    return n;
}

/* Checks that the folder loaded cleanly, which every other test relies on. */
START_TEST(test_folder_loads)
{
    ck_assert_int_eq(tu_errors(), 0);
    ck_assert_ptr_nonnull(site->layout);
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_PAGE, "x"));
}
END_TEST

/* Checks the doctype and the html element's lang. */
START_TEST(test_doctype_and_lang)
{
    const char *en = page("/en/x");
    const char *es = page("/es/x");

    ck_assert_int_eq(strncmp(en, "<!DOCTYPE html>\n<html lang=\"en\"", 31), 0);
    ck_assert_int_eq(strncmp(es, "<!DOCTYPE html>\n<html lang=\"es\"", 31), 0);
    HAS(en, "<html lang=\"en\" class=\"site\">");
    ck_assert_int_eq(occurrences(en, "<html"), 1);
    ck_assert_int_eq(occurrences(en, "</html>"), 1);
    HAS(en, "<title>Ex &amp; co \xc2\xb7 Justice</title>");
    HAS(es, "<title>Equis &lt;es&gt; \xc2\xb7 Justicia</title>");
    HAS(en, "<h1>Ex &amp; co</h1>");
}
END_TEST

/* Checks that translated pairs keep only the page's language, unmarked. */
START_TEST(test_select_pairs)
{
    const char *en = page("/en/x");
    const char *es = page("/es/x");

    HAS(en, "<p>Hello</p>");
    HASNT(en, "Hola");
    HAS(es, "<p>Hola</p>");
    HASNT(es, "Hello");
    HAS(en, "<footer><p>Foot</p></footer>");
    HAS(es, "<footer><p>Pie</p></footer>");
    HASNT(en, "xml:lang");
    HASNT(es, "xml:lang");
}
END_TEST

/* Checks that an untranslated element is kept, marked with its real language. */
START_TEST(test_select_untranslated)
{
    const char *en = page("/en/x");
    const char *es = page("/es/x");

    HAS(en, "<div class=\"solo\"><p lang=\"es\">Solo en espa\xc3\xb1ol</p></div>");
    HAS(es, "<div class=\"solo\"><p>Solo en espa\xc3\xb1ol</p></div>");
    /* en and fr only, on the es page: no default, so the first, en */
    HAS(es, "<div class=\"three\"><span lang=\"en\">EN only</span></div>");
    HAS(en, "<div class=\"three\"><span>EN only</span></div>");
    /* fr and es only, on the en page: the default language's, es, not the first */
    HAS(en, "<div class=\"def\"><em lang=\"es\">ES em</em></div>");
    HAS(es, "<div class=\"def\"><em>ES em</em></div>");
}
END_TEST

/* Checks language selection with three languages. */
START_TEST(test_select_three_languages)
{
    int status;
    const char *fr = render(&es_en_fr, "/fr/x", &status);
    const char *es = render(&es_en_fr, "/es/x", &status);
    const char *en = render(&es_en_fr, "/en/x", &status);

    ck_assert_int_eq(status, 200);
    HAS(fr, "<html lang=\"fr\"");
    HAS(fr, "<div class=\"three\"><span>FR only</span></div>");
    HAS(fr, "<div class=\"def\"><em>FR em</em></div>");
    HAS(es, "<div class=\"three\"><span lang=\"en\">EN only</span></div>");
    HAS(en, "<div class=\"three\"><span>EN only</span></div>");
    HAS(en, "<div class=\"def\"><em lang=\"es\">ES em</em></div>");
    /* the pair es/en on the fr page: the default language's, marked */
    HAS(fr, "<p lang=\"es\">Hola</p>");
    HASNT(fr, "Hello");
    /* the title falls back to Spanish too, plain inside <title>, marked in <h1> */
    HAS(fr, "<title>Equis &lt;es&gt; \xc2\xb7 ");
    HAS(fr, "<h1><span lang=\"es\">Equis &lt;es&gt;</span></h1>");
}
END_TEST

/* Checks that text and attribute values are escaped. */
START_TEST(test_escaping)
{
    const char *en = page("/en/x");

    HAS(en, "<p class=\"esc\">Tom &amp; Jerry &lt;3 &gt; \"q\"</p>");
    HAS(en, "<a title=\"say &quot;hi&quot; &amp; &lt;go&gt;\" href=\"/en/about\">"
            "About</a>");
    HAS(en, "href=\"https://example.org/x?a=1&amp;b=2\"");
    HASNT(en, "Jerry <3");
    HASNT(en, "<go>");
    /* CDATA is text like any other; character references become characters */
    HAS(en, "<p class=\"cdata\">&lt;b&gt;raw&lt;/b&gt; &amp; more caf\xc3\xa9</p>");
    /* a script cannot be ended early from its own text */
    HAS(en, "<script>var s = \"<\\/script><b>\";</script>");
    ck_assert_int_eq(occurrences(en, "</script>"), 1);
    /* comments and processing instructions are dropped */
    HASNT(en, "secret");
    HASNT(en, "<?php");
}
END_TEST

/* Checks that void elements get no end tag and empty ones do. */
START_TEST(test_void_elements)
{
    const char *en = page("/en/x");

    HAS(en, "<meta charset=\"utf-8\">");
    HAS(en, "<p><img src=\"/assets/a.png\" alt=\"A\"><br>line</p>");
    HAS(en, "<p></p>");
    HASNT(en, "</br>");
    HASNT(en, "</img>");
    HASNT(en, "</meta>");
    HASNT(en, "</link>");
    HASNT(en, "/>");
}
END_TEST

/* Checks that links in content are written as absolute paths or kept URLs. */
START_TEST(test_links)
{
    const char *en = page("/en/x");
    const char *es = page("/es/x");

    HAS(en, "href=\"/en/about\"");
    HAS(es, "href=\"/es/about\"");
    HAS(en, "src=\"/assets/a.png\"");
    HAS(en, "<a href=\"/en/x#top\">Top</a>");
    HAS(en, "<a href=\"https://example.org/x?a=1&amp;b=2\">Ext</a>");
    HAS(en, "<a href=\"mailto:a@example.org\">Mail</a>");
    HAS(en, "<a href=\"/assets/x.pdf\">Pdf</a>");
    HAS(en, "<a href=\"/en/events/\">Ev</a>");
    HASNT(en, "href=\"about\"");
    HASNT(en, "href=\"#");
    HASNT(en, "../");
}
END_TEST

/* Checks the head insert: canonical, hreflang alternates and Atom autodiscovery. */
START_TEST(test_head)
{
    const char *en = page("/en/x");

    HAS(en, "<link rel=\"canonical\" href=\"" BASE "/en/x\">");
    HAS(en, "<link rel=\"alternate\" hreflang=\"es\" href=\"" BASE "/es/x\">");
    HAS(en, "<link rel=\"alternate\" hreflang=\"en\" href=\"" BASE "/en/x\">");
    HAS(en, "<link rel=\"alternate\" hreflang=\"x-default\" href=\"" BASE "/x\">");
    HAS(en, "<link rel=\"alternate\" type=\"application/atom+xml\" "
            "title=\"Justice \xc2\xb7 Events and press releases\" href=\"" BASE "/en/feed.atom\">");
    HAS(en, "type=\"application/atom+xml\" title=\"Justice \xc2\xb7 Events\" href=\"" BASE
            "/en/events/feed.atom\">");
    HAS(en, "type=\"application/atom+xml\" title=\"Justice \xc2\xb7 Press\" href=\"" BASE
            "/en/press/feed.atom\">");
    ck_assert_int_eq(occurrences(en, "rel=\"canonical\""), 1);
    ck_assert_int_eq(occurrences(en, "hreflang=\"x-default\""), 1);
    /* inside head */
    ck_assert(strstr(en, "rel=\"canonical\"") < strstr(en, "</head>"));
    /* a list page: its neutral address keeps the trailing slash */
    en = page("/en/events/");
    HAS(en, "<link rel=\"canonical\" href=\"" BASE "/en/events/\">");
    HAS(en, "<link rel=\"alternate\" hreflang=\"x-default\" href=\"" BASE "/events/\">");
}
END_TEST

/* Checks the Open Graph locale of tags with and without regions and scripts. */
START_TEST(test_og_locale)
{
    static const bl_langs_t langs = { 6, { "es", "en", "pt-BR", "zh-Hant-TW", "zh-Hant", "FR" } };
    bl_ctx_t ctx;

    memset(&ctx, 0, sizeof(ctx));
    ctx.pool = pool;
    ctx.site = site;
    ctx.langs = &langs;
    ck_assert_str_eq(bl_ctx_og_locale(&ctx, 0), "es_ES"); /* built in */
    ck_assert_str_eq(bl_ctx_og_locale(&ctx, 1), "en_US");
    ck_assert_str_eq(bl_ctx_og_locale(&ctx, 2), "pt_BR"); /* the tag's region */
    ck_assert_str_eq(bl_ctx_og_locale(&ctx, 3), "zh_TW"); /* past the script */
    ck_assert_str_eq(bl_ctx_og_locale(&ctx, 4), "zh_ZH"); /* no region: doubled */
    ck_assert_str_eq(bl_ctx_og_locale(&ctx, 5), "fr_FR");
}
END_TEST

/* Checks the head of paged lists and year archives with two entries a page: the
 * canonical names the page, rel prev/next, the visible navigation, and past the last
 * page a 404. */
START_TEST(test_paged_list)
{
    int status;
    const char *p1, *p2;

    tu_put("press/a.xml", "<press-release published=\"2015-01-02T10:00:00-05:00\">"
                          "<title>A</title></press-release>\n");
    tu_put("press/b.xml", "<press-release published=\"2015-03-02T10:00:00-05:00\">"
                          "<title>B</title></press-release>\n");
    tu_put("press/c.xml", "<press-release published=\"2016-01-01T00:30:00+01:00\">"
                          "<title>C</title></press-release>\n");
    site = tu_load_at(site, apr_time_now(), NULL);
    list_size = 2;
    p1 = page("/en/press/");
    p2 = page("/en/press/?page=2");
    HAS(p1, "<link rel=\"canonical\" href=\"" BASE "/en/press/\">");
    HAS(p1, "<link rel=\"next\" href=\"" BASE "/en/press/?page=2\">");
    ck_assert_int_eq(occurrences(p1, "rel=\"prev\""), 0);
    HAS(p2, "<link rel=\"canonical\" href=\"" BASE "/en/press/?page=2\">");
    HAS(p2, "<link rel=\"prev\" href=\"" BASE "/en/press/\">");
    HAS(p2, "<a rel=\"prev\" href=\"/en/press/\">");
    HAS(p2, "Page 2 of 2");
    HAS(p1, ">C</a>");
    HAS(p1, ">B</a>");
    HAS(p2, ">A</a>");
    ck_assert_int_eq(occurrences(p2, ">B</a>"), 0);
    render(&tu_es_en, "/en/press/?page=3", &status);
    ck_assert_int_eq(status, 404);
    /* C was published on 2015-12-31 at 23:30 UTC but on 2016-01-01 at its offset */
    p1 = page("/en/press/2016/");
    HAS(p1, ">C</a>");
    ck_assert_int_eq(occurrences(p1, ">A</a>") + occurrences(p1, ">B</a>"), 0);
    HAS(p1, "<a href=\"/en/press/2015/\">2015</a> (2)");
    HAS(p1, "<a href=\"/en/press/2016/\" aria-current=\"page\">2016</a> (1)");
    render(&tu_es_en, "/en/press/2017/", &status);
    ck_assert_int_eq(status, 404);
    list_size = 20;
}
END_TEST

/* Checks the languages insert: links through ?lang= with hreflang and lang. */
START_TEST(test_languages)
{
    const char *en = page("/en/x");
    const char *es = page("/es/x");
    int status;
    const char *fr;

    HAS(en, "<a href=\"/x?lang=es\" hreflang=\"es\" lang=\"es\">Espa\xc3\xb1ol</a>");
    HASNT(en, "?lang=en");
    HAS(es, "<a href=\"/x?lang=en\" hreflang=\"en\" lang=\"en\">English</a>");
    HASNT(es, "?lang=es");
    fr = render(&es_en_fr, "/fr/x", &status);
    HAS(fr, "<a href=\"/x?lang=es\" hreflang=\"es\" lang=\"es\">Espa\xc3\xb1ol</a>");
    HAS(fr, "<a href=\"/x?lang=en\" hreflang=\"en\" lang=\"en\">English</a>");
    HASNT(fr, "?lang=fr");
    es = render(&es_en_fr, "/es/x", &status);
    HAS(es, "<a href=\"/x?lang=fr\" hreflang=\"fr\" lang=\"fr\">Fran\xc3\xa7"
            "ais</a>");
}
END_TEST

/* Checks the 404 page: status, language and text. */
START_TEST(test_not_found)
{
    int status = 0;
    const char *en = render(&tu_es_en, "/en/nope", &status);
    const char *es;

    ck_assert_int_eq(status, 404);
    HAS(en, "<html lang=\"en\"");
    HAS(en, "We could not find that page.");
    HAS(en, "<h1>Page not found</h1>");
    HASNT(en, "rel=\"canonical\"");
    status = 0;
    es = render(&tu_es_en, "/es/events/nope", &status);
    ck_assert_int_eq(status, 404);
    HAS(es, "<html lang=\"es\"");
    HAS(es, "No encontramos esa p\xc3\xa1gina.");
    HAS(es, "<h1>P\xc3\xa1gina no encontrada</h1>");
    status = 0;
    render(&tu_es_en, "/es/press/nope", &status);
    ck_assert_int_eq(status, 404);
    status = 0;
    render(&tu_es_en, "/es/About", &status);
    ck_assert_int_eq(status, 404);
}
END_TEST

/* Checks that every unknown name of a language resolves to one 404 route, and that the
 * HTML writer answers an unresolved unknown name with the same page. */
START_TEST(test_not_found_resolved)
{
    bl_req_t req;
    bl_route_t route;
    bl_out_t *direct = tu_out();
    const bl_ctx_t *ctx = tu_make_ctx(site, &tu_es_en, 1, 20);
    int status = 0;

    memset(&req, 0, sizeof(req));
    req.langs = &tu_es_en;
    req.feed_size = 20;
    bl_route_parse("/en/events/nope", &tu_es_en, &req.route, pool);
    bl_respond_resolve(site, &req);
    ck_assert_int_eq(req.route.kind, BL_R_NOTFOUND);
    ck_assert_int_eq(req.route.lang, 1);
    ck_assert_ptr_null(req.route.name);
    /* a page that exists is left alone */
    bl_route_parse("/en/x", &tu_es_en, &req.route, pool);
    bl_respond_resolve(site, &req);
    ck_assert_int_eq(req.route.kind, BL_R_PAGE);
    ck_assert_str_eq(req.route.name, "x");
    /* unresolved, straight to the writer: still the 404 page, byte for byte */
    bl_route_set(&route, BL_R_PAGE, 1, -1, "nope");
    ck_assert_int_eq(bl_html_write(ctx, &route, direct, &status), APR_SUCCESS);
    ck_assert_int_eq(status, 404);
    ck_assert_str_eq(tu_flat(direct), render(&tu_es_en, "/en/nope", NULL));
}
END_TEST

/* Checks that an include cycle that reaches the writer ends, each fragment written
 * once. */
START_TEST(test_include_cycle_terminates)
{
    bl_file_t *b = bl_site_get(site, BL_KIND_FRAGMENT, "cyc-b");
    xmlNodePtr inc;
    const char *out;

    ck_assert_ptr_nonnull(b);
    HAS(page("/en/cyc"), "<i>AAA</i><i>BBB</i>");
    /* close the cycle b -> a behind the validator's back */
    inc = xmlNewChild(b->root, NULL, BAD_CAST "include", NULL);
    xmlNewProp(inc, BAD_CAST "fragment", BAD_CAST "cyc-a");
    inc = xmlNewChild(b->root, NULL, BAD_CAST "include", NULL);
    xmlNewProp(inc, BAD_CAST "fragment", BAD_CAST "cyc-b");
    out = page("/en/cyc");
    ck_assert_int_lt((int)strlen(out), 16384);
    ck_assert_int_eq(occurrences(out, "AAA"), 1);
    ck_assert_int_eq(occurrences(out, "BBB"), 1);
    HAS(out, "<i>AAA</i><i>BBB</i>");
    HAS(out, "</html>\n");
}
END_TEST

/* Checks the Last-Modified a page notes: its own file's, not the layout's or the
 * fragments the layout includes; the cycle page's adds the fragments its body
 * includes. */
START_TEST(test_last_modified)
{
    const bl_file_t *x = bl_site_get(site, BL_KIND_PAGE, "x");
    const bl_file_t *cyc = bl_site_get(site, BL_KIND_PAGE, "cyc");
    apr_time_t frags;

    ck_assert_ptr_nonnull(x);
    ck_assert(x->changed > 0);
    page("/en/x");
    ck_assert(last_modified == x->changed);
    page("/en/cyc");
    frags = bl_site_get(site, BL_KIND_FRAGMENT, "cyc-a")->changed;
    if (bl_site_get(site, BL_KIND_FRAGMENT, "cyc-b")->changed > frags) {
        frags = bl_site_get(site, BL_KIND_FRAGMENT, "cyc-b")->changed;
    }
    ck_assert(last_modified == (cyc->changed > frags ? cyc->changed : frags));
}
END_TEST

/* Checks that the same content renders to the same bytes. */
START_TEST(test_deterministic)
{
    ck_assert_str_eq(page("/en/x"), page("/en/x"));
    ck_assert_str_ne(page("/en/x"), page("/es/x"));
}
END_TEST

/* Checks reference resolution against a page's path. */
START_TEST(test_url_resolve)
{
    ck_assert_str_eq(bl_url_resolve("about", "/en/x", BASE, 0, pool), "/en/about");
    ck_assert_str_eq(bl_url_resolve("../assets/a.png", "/en/x", BASE, 0, pool), "/assets/a.png");
    ck_assert_str_eq(bl_url_resolve("../assets/a.png", "/en/events/march", BASE, 0, pool),
                     "/en/assets/a.png");
    ck_assert_str_eq(bl_url_resolve("#top", "/en/x", BASE, 0, pool), "/en/x#top");
    ck_assert_str_eq(bl_url_resolve("?a=1", "/en/x", BASE, 0, pool), "/en/x?a=1");
    ck_assert_str_eq(bl_url_resolve("", "/en/x", BASE, 0, pool), "/en/x");
    ck_assert_str_eq(bl_url_resolve("events/", "/en/", BASE, 0, pool), "/en/events/");
    ck_assert_str_eq(bl_url_resolve("march", "/en/events/", BASE, 0, pool), "/en/events/march");
    ck_assert_str_eq(bl_url_resolve("./a/./b/../c", "/en/x", BASE, 0, pool), "/en/a/c");
    ck_assert_str_eq(bl_url_resolve("..", "/en/events/march", BASE, 0, pool), "/en/");
    ck_assert_str_eq(bl_url_resolve(".", "/en/events/march", BASE, 0, pool), "/en/events/");
    ck_assert_str_eq(bl_url_resolve("../../../../etc/passwd", "/en/x", BASE, 0, pool),
                     "/etc/passwd");
    ck_assert_str_eq(bl_url_resolve("a?x=../y#../z", "/en/x", BASE, 0, pool), "/en/a?x=../y#../z");
    ck_assert_str_eq(bl_url_resolve("/assets/site.css", "/en/x", BASE, 0, pool),
                     "/assets/site.css");
    ck_assert_str_eq(bl_url_resolve("https://example.org/a/../b", "/en/x", BASE, 0, pool),
                     "https://example.org/a/../b");
    ck_assert_str_eq(bl_url_resolve("mailto:a@example.org", "/en/x", BASE, 0, pool),
                     "mailto:a@example.org");
    ck_assert_str_eq(bl_url_resolve("//cdn.example/x.js", "/en/x", BASE, 0, pool),
                     "//cdn.example/x.js");
    /* absolute URLs for feeds */
    ck_assert_str_eq(bl_url_resolve("about", "/en/x", BASE, 1, pool), BASE "/en/about");
    ck_assert_str_eq(bl_url_resolve("/assets/a.png", "/en/x", BASE, 1, pool), BASE "/assets/a.png");
    ck_assert_str_eq(bl_url_resolve("#top", "/en/x", BASE, 1, pool), BASE "/en/x#top");
    ck_assert_str_eq(bl_url_resolve("https://example.org/", "/en/x", BASE, 1, pool),
                     "https://example.org/");
}
END_TEST

/* Returns the ETag of the LEN bytes at DATA, from the pool. */
static const char *etag(const char *data, apr_size_t len)
{
    char *out = apr_palloc(pool, 35);

    memset(out, 'x', 35);
    bl_etag(data, len, out);
    return out;
}

/* Checks that the ETag is a quoted hash of exactly the bytes given. */
START_TEST(test_etag)
{
    const char *a = etag("<p>hello</p>", 12);
    const char *b = etag("<p>hello</p>", 12);
    const char *c = etag("<p>hellO</p>", 12);
    const char *d = etag("<p>hello</p>", 11);
    const char *e = etag("a\0b", 3);
    const char *f = etag("a\0c", 3);
    int i;

    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    ck_assert_str_ne(a, d);
    ck_assert_str_ne(e, f);
    ck_assert_int_eq((int)strlen(a), 34);
    ck_assert_int_eq(a[0], '"');
    ck_assert_int_eq(a[33], '"');
    for (i = 1; i < 33; i++) {
        ck_assert_msg((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'),
                      "not lower-case hex: %s", a);
    }
    /* SHA-1 of "abc" starts a9993e364706816aba3e25717850c26c */
    ck_assert_str_eq(etag("abc", 3), "\"a9993e364706816aba3e25717850c26c\"");
    ck_assert_int_eq((int)strlen(etag("", 0)), 34);
}
END_TEST

/* Returns a malloc'ed copy of N bytes of C, as a cache entry takes them. */
static char *bytes(char c, apr_size_t n)
{
    char *s = malloc(n + 1);

    ck_assert_ptr_nonnull(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* Gets KEY of generation GEN from CACHE, which must be a miss, and fills it with N
 * bytes of C; returns the entry with the filler's reference. */
static bl_entry_t *put(bl_cache_t *cache, const char *key, unsigned long gen, char c,
                       apr_size_t n)
{
    int fill = -1;
    bl_entry_t *e = bl_cache_get(cache, key, gen, &fill);

    ck_assert_ptr_nonnull(e);
    ck_assert_msg(fill == 1, "%s: a hit, want a miss", key);
    bl_cache_fill(cache, e, bytes(c, n), n, 200, "text/html; charset=utf-8",
                  apr_time_from_sec(1435752000));
    return e;
}

/* Returns 1 when KEY of generation GEN is in CACHE (a hit); a miss is filled with
 * nothing (a 500) and released, so the cache is left usable. */
static int cached(bl_cache_t *cache, const char *key, unsigned long gen)
{
    int fill = -1;
    bl_entry_t *e = bl_cache_get(cache, key, gen, &fill);

    ck_assert_ptr_nonnull(e);
    if (fill) {
        bl_cache_fill(cache, e, NULL, 0, 200, "text/html; charset=utf-8", 0);
    }
    bl_cache_release(e);
    return !fill;
}

/* Checks that a hit after a fill returns the same entry and bytes, with its ETag. */
START_TEST(test_cache_hit)
{
    bl_cache_t *cache = bl_cache_create(1024 * 1024, pool);
    bl_cache_stats_t st;
    bl_entry_t *e, *again;
    char tag[35];
    int fill = -1;

    ck_assert_ptr_nonnull(cache);
    e = put(cache, "/en/x", 1, 'h', 100);
    ck_assert_int_eq(e->status, 200);
    bl_cache_release(e);
    again = bl_cache_get(cache, "/en/x", 1, &fill);
    ck_assert_int_eq(fill, 0);
    ck_assert_ptr_eq(again, e);
    ck_assert_int_eq((int)again->len, 100);
    ck_assert_int_eq(memcmp(again->data, tu_repeat("h", 100), 100), 0);
    ck_assert_int_eq(again->status, 200);
    ck_assert_str_eq(again->ctype, "text/html; charset=utf-8");
    ck_assert(again->lm == apr_time_from_sec(1435752000));
    bl_etag(again->data, again->len, tag);
    ck_assert_str_eq(again->etag, tag);
    bl_cache_release(again);
    /* another key is another entry */
    ck_assert_int_eq(cached(cache, "/es/x", 1), 0);
    bl_cache_stats(cache, &st);
    ck_assert_uint_eq(st.hits, 1);
    ck_assert_uint_eq(st.misses, 2);
    ck_assert_uint_eq(st.entries, 2);
    ck_assert_uint_eq(st.evictions, 0);
}
END_TEST

/* Checks that a newer generation empties the cache and an older one is not cached. */
START_TEST(test_cache_generation)
{
    bl_cache_t *cache = bl_cache_create(1024 * 1024, pool);
    bl_cache_stats_t st;
    bl_entry_t *e;
    int fill = -1;

    bl_cache_release(put(cache, "a", 1, 'a', 10));
    bl_cache_release(put(cache, "b", 1, 'b', 10));
    ck_assert_int_eq(cached(cache, "a", 1), 1);
    /* generation 2: nothing of generation 1 is served again */
    e = bl_cache_get(cache, "a", 2, &fill);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(fill, 1);
    bl_cache_stats(cache, &st);
    ck_assert_uint_eq(st.entries, 1); /* the pending one of generation 2 */
    bl_cache_fill(cache, e, bytes('2', 5), 5, 200, "text/html; charset=utf-8", 0);
    bl_cache_release(e);
    ck_assert_int_eq(cached(cache, "b", 2), 0);
    ck_assert_int_eq(cached(cache, "a", 2), 1);
    /* a request still on generation 1 renders for itself */
    fill = -1;
    ck_assert_ptr_null(bl_cache_get(cache, "a", 1, &fill));
    ck_assert_int_eq(fill, 0);
    ck_assert_int_eq(cached(cache, "a", 2), 1);
}
END_TEST

/* Checks that past the byte cap the least recently used entries go first, and that an
 * evicted entry a request still holds stays readable until it is released. */
START_TEST(test_cache_eviction)
{
    /* each entry costs its 1,000 bytes, its key and some bookkeeping: two fit */
    bl_cache_t *cache = bl_cache_create(2600, pool);
    bl_cache_stats_t st;
    bl_entry_t *held;

    bl_cache_release(put(cache, "a", 1, 'a', 1000));
    held = put(cache, "b", 1, 'b', 1000); /* a request still sends b */
    ck_assert_int_eq(cached(cache, "a", 1), 1); /* a is now the most recently used */
    bl_cache_release(put(cache, "c", 1, 'c', 1000));
    bl_cache_stats(cache, &st);
    ck_assert_uint_eq(st.evictions, 1);
    ck_assert_uint_eq(st.entries, 2);
    ck_assert_msg(st.bytes <= 2600, "%lu bytes kept", (unsigned long)st.bytes);
    /* b, the least recently used, went; its holder still reads all of it */
    ck_assert_int_eq((int)held->len, 1000);
    ck_assert_int_eq(memcmp(held->data, tu_repeat("b", 1000), 1000), 0);
    ck_assert_int_eq(held->status, 200);
    bl_cache_release(held);
    ck_assert_int_eq(cached(cache, "a", 1), 1);
    ck_assert_int_eq(cached(cache, "c", 1), 1);
    ck_assert_int_eq(cached(cache, "b", 1), 0);
    /* an entry bigger than the cap is handed out whole but not kept */
    held = put(cache, "big", 1, 'g', 5000);
    ck_assert_int_eq((int)held->len, 5000);
    ck_assert_int_eq(memcmp(held->data, tu_repeat("g", 5000), 5000), 0);
    bl_cache_release(held);
    ck_assert_int_eq(cached(cache, "big", 1), 0);
    bl_cache_stats(cache, &st);
    ck_assert_msg(st.bytes <= 2600, "%lu bytes kept", (unsigned long)st.bytes);
}
END_TEST

/* Checks that a failed rendering (no bytes) is a 500, kept for its generation. */
START_TEST(test_cache_failed_fill)
{
    bl_cache_t *cache = bl_cache_create(1024 * 1024, pool);
    bl_entry_t *e, *again;
    int fill = -1;

    e = bl_cache_get(cache, "/en/broken", 1, &fill);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(fill, 1);
    bl_cache_fill(cache, e, NULL, 0, 200, "text/html; charset=utf-8", apr_time_now());
    ck_assert_int_eq(e->status, 500);
    ck_assert_ptr_null(e->data);
    ck_assert_int_eq((int)e->len, 0);
    ck_assert(e->lm == 0);
    bl_cache_release(e);
    again = bl_cache_get(cache, "/en/broken", 1, &fill);
    ck_assert_int_eq(fill, 0);
    ck_assert_ptr_eq(again, e);
    ck_assert_int_eq(again->status, 500);
    bl_cache_release(again);
    /* a private entry follows the same contract */
    e = bl_cache_private(NULL, 0, 200, "text/html; charset=utf-8", 0);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(e->status, 500);
    bl_cache_release(e);
    e = bl_cache_private(bytes('p', 3), 3, 404, "text/html; charset=utf-8", 0);
    ck_assert_int_eq(e->status, 404);
    ck_assert_str_eq(e->etag, etag("ppp", 3));
    bl_cache_release(e);
}
END_TEST

/* Checks that bytes lent to APR heap buckets (as HTTP/2 streams send them) outlive the
 * request's reference and the entry's eviction, are read in place, and are freed when
 * the last bucket goes; that a private entry is not lent. The sanitizer build of this
 * test (scripts/sanitize.sh) catches a use after free, a double free or a leak. */
START_TEST(test_cache_lend)
{
    bl_cache_t *cache = bl_cache_create(2600, pool);
    apr_bucket_alloc_t *list = apr_bucket_alloc_create(pool);
    const bl_variant_t *v;
    bl_entry_t *e;
    apr_bucket *b, *copy, *other;
    bl_cache_stats_t st;
    const char *data;
    apr_size_t len;

    e = put(cache, "b", 1, 'b', 1000);
    v = bl_cache_variant(e, BL_ENC_IDENTITY);
    ck_assert_int_eq(bl_cache_lend(e, v), 1);
    b = apr_bucket_heap_create(v->data, v->len, bl_cache_unlend, list);
    ck_assert_int_eq(bl_cache_lend(e, v), 1); /* a second stream of the same page */
    other = apr_bucket_heap_create(v->data, v->len, bl_cache_unlend, list);
    bl_cache_release(e); /* the request is done; its buckets are not */
    ck_assert_int_eq(apr_bucket_copy(b, &copy), APR_SUCCESS);
    bl_cache_release(put(cache, "a", 1, 'a', 1000));
    bl_cache_release(put(cache, "c", 1, 'c', 1000));
    bl_cache_stats(cache, &st);
    ck_assert_uint_eq(st.evictions, 1); /* b went */
    ck_assert_int_eq(apr_bucket_read(copy, &data, &len, APR_BLOCK_READ), APR_SUCCESS);
    ck_assert_ptr_eq(data, v->data); /* in place, not a copy */
    ck_assert_int_eq((int)len, 1000);
    ck_assert_int_eq(memcmp(data, tu_repeat("b", 1000), 1000), 0);
    apr_bucket_destroy(b);
    apr_bucket_destroy(copy);
    ck_assert_int_eq(apr_bucket_read(other, &data, &len, APR_BLOCK_READ), APR_SUCCESS);
    ck_assert_int_eq(memcmp(data, tu_repeat("b", 1000), 1000), 0);
    apr_bucket_destroy(other); /* the last holder: b's bytes are freed now */
    ck_assert_int_eq(cached(cache, "b", 1), 0);
    /* a private entry (a 404 made for one request) is copied, never lent */
    e = bl_cache_private(bytes('p', 3), 3, 404, "text/html; charset=utf-8", 0);
    ck_assert_int_eq(bl_cache_lend(e, bl_cache_variant(e, BL_ENC_IDENTITY)), 0);
    bl_cache_release(e);
}
END_TEST

/* Returns the suite of HTML rendering. */
Suite *render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *html = tu_folder_tcase(s, "html", setup);
    TCase *pure = tu_folder_tcase(s, "helpers", setup);

    tcase_add_test(html, test_folder_loads);
    tcase_add_test(html, test_doctype_and_lang);
    tcase_add_test(html, test_select_pairs);
    tcase_add_test(html, test_select_untranslated);
    tcase_add_test(html, test_select_three_languages);
    tcase_add_test(html, test_escaping);
    tcase_add_test(html, test_void_elements);
    tcase_add_test(html, test_links);
    tcase_add_test(html, test_head);
    tcase_add_test(html, test_og_locale);
    tcase_add_test(html, test_paged_list);
    tcase_add_test(html, test_languages);
    tcase_add_test(html, test_not_found);
    tcase_add_test(html, test_not_found_resolved);
    tcase_add_test(html, test_include_cycle_terminates);
    tcase_add_test(html, test_deterministic);
    tcase_add_test(html, test_last_modified);
    tcase_add_test(pure, test_url_resolve);
    tcase_add_test(pure, test_etag);
    tcase_add_test(pure, test_cache_hit);
    tcase_add_test(pure, test_cache_generation);
    tcase_add_test(pure, test_cache_eviction);
    tcase_add_test(pure, test_cache_failed_fill);
    tcase_add_test(pure, test_cache_lend);
    return s;
}
