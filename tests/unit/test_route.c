/* test_route.c: unit tests of the URL space of SPEC 2 (bl_route.c).
 *
 * Every URL the contract lists is parsed with the languages es en and must give its
 * kind, language and name; every language-neutral form must give the same kind with
 * language -1; every trailing-slash variant must redirect to the canonical path; and
 * everything else, including paths built to escape the content folder, must be a
 * 404. bl_route_path must give back the canonical path of each kind.
 */
#include <string.h>

#include <check.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "bl_limits.h"
#include "bl_name.h"
#include "bl_route.h"
#include "tests.h"
#include "testutil.h"

/* Checks that PATH parses to KIND of item kind ITEM (-1: none) in language LANG with
 * name NAME (may be NULL). */
static void expect_item(const char *path, bl_route_kind_t kind, int item, int lang,
                        const char *name)
{
    bl_route_t r;

    bl_route_parse(path, &tu_es_en, &r, pool);
    ck_assert_msg(r.kind == kind, "%s: kind %d, want %d", path ? path : "(null)", (int)r.kind,
                  (int)kind);
    ck_assert_msg(r.item == item, "%s: item %d, want %d", path ? path : "(null)", r.item, item);
    ck_assert_msg(r.lang == lang, "%s: lang %d, want %d", path ? path : "(null)", r.lang, lang);
    if (name == NULL) {
        ck_assert_msg(r.name == NULL, "%s: name %s, want none", path, r.name);
    }
    else {
        ck_assert_msg(r.name != NULL && strcmp(r.name, name) == 0, "%s: name %s, want %s", path,
                      r.name ? r.name : "(null)", name);
    }
}

/* Checks that PATH parses to KIND (no item kind) in language LANG with name NAME. */
static void expect(const char *path, bl_route_kind_t kind, int lang, const char *name)
{
    expect_item(path, kind, -1, lang, name);
}

/* Checks that PATH redirects to TARGET. */
static void expect_redirect(const char *path, const char *target)
{
    bl_route_t r;

    bl_route_parse(path, &tu_es_en, &r, pool);
    ck_assert_msg(r.kind == BL_R_REDIRECT, "%s: kind %d, want a redirect", path, (int)r.kind);
    ck_assert_ptr_nonnull(r.target);
    ck_assert_str_eq(r.target, target);
}

/* Checks that PATH is not found. */
static void expect_404(const char *path)
{
    bl_route_t r;

    bl_route_parse(path, &tu_es_en, &r, pool);
    ck_assert_msg(r.kind == BL_R_NOTFOUND, "%s: kind %d, want not found", path ? path : "(null)",
                  (int)r.kind);
}

/* Checks every prefixed URL of SPEC 2's table. */
START_TEST(test_prefixed)
{
    expect("/es/", BL_R_HOME, 0, NULL);
    expect("/en/", BL_R_HOME, 1, NULL);
    expect("/en/about", BL_R_PAGE, 1, "about");
    expect("/es/get-involved", BL_R_PAGE, 0, "get-involved");
    expect("/es/2015", BL_R_PAGE, 0, "2015");
    expect_item("/es/events/", BL_R_LIST, BL_KIND_EVENT, 0, NULL);
    expect_item("/es/events/march-1", BL_R_ITEM, BL_KIND_EVENT, 0, "march-1");
    expect_item("/en/events/march-1", BL_R_ITEM, BL_KIND_EVENT, 1, "march-1");
    expect_item("/es/press/", BL_R_LIST, BL_KIND_PRESS, 0, NULL);
    expect_item("/es/press/x", BL_R_ITEM, BL_KIND_PRESS, 0, "x");
    expect("/es/feed.atom", BL_R_FEED, 0, NULL);
    expect_item("/en/events/feed.atom", BL_R_FEED, BL_KIND_EVENT, 1, NULL);
    expect_item("/es/events/feed.atom", BL_R_FEED, BL_KIND_EVENT, 0, NULL);
    expect_item("/es/press/feed.atom", BL_R_FEED, BL_KIND_PRESS, 0, NULL);
    expect_item("/es/events.ics", BL_R_CALENDAR, BL_KIND_EVENT, 0, NULL);
    expect_item("/en/events.ics", BL_R_CALENDAR, BL_KIND_EVENT, 1, NULL);
    expect("/sitemap.xml", BL_R_SITEMAP, -1, NULL);
}
END_TEST

/* Checks the language-neutral addresses printed on flyers. */
START_TEST(test_neutral)
{
    expect("/", BL_R_HOME, -1, NULL);
    expect("/about", BL_R_PAGE, -1, "about");
    expect("/about/", BL_R_PAGE, -1, "about");
    expect_item("/events/", BL_R_LIST, BL_KIND_EVENT, -1, NULL);
    expect_item("/events", BL_R_LIST, BL_KIND_EVENT, -1, NULL);
    expect_item("/events/march-1", BL_R_ITEM, BL_KIND_EVENT, -1, "march-1");
    expect_item("/press/", BL_R_LIST, BL_KIND_PRESS, -1, NULL);
    expect_item("/press", BL_R_LIST, BL_KIND_PRESS, -1, NULL);
    expect_item("/press/x", BL_R_ITEM, BL_KIND_PRESS, -1, "x");
    expect("/feed.atom", BL_R_FEED, -1, NULL);
    expect_item("/events/feed.atom", BL_R_FEED, BL_KIND_EVENT, -1, NULL);
    expect_item("/press/feed.atom", BL_R_FEED, BL_KIND_PRESS, -1, NULL);
    expect_item("/events.ics", BL_R_CALENDAR, BL_KIND_EVENT, -1, NULL);
    expect("/index", BL_R_HOME, -1, NULL);
}
END_TEST

/* Checks that trailing-slash variants redirect to the canonical forms. */
START_TEST(test_redirects)
{
    expect_redirect("/es", "/es/");
    expect_redirect("/en", "/en/");
    expect_redirect("/es/about/", "/es/about");
    expect_redirect("/es/events", "/es/events/");
    expect_redirect("/en/press", "/en/press/");
    expect_redirect("/es/events/x/", "/es/events/x");
    expect_redirect("/en/press/x/", "/en/press/x");
    expect_redirect("/es/index", "/es/");
    expect_redirect("/en/index/", "/en/");
    expect_redirect("/es/feed.atom/", "/es/feed.atom");
    expect_redirect("/es/events/feed.atom/", "/es/events/feed.atom");
    expect_redirect("/en/press/feed.atom/", "/en/press/feed.atom");
    expect_redirect("/es/events.ics/", "/es/events.ics");
    expect_redirect("/sitemap.xml/", "/sitemap.xml");
}
END_TEST

/* Checks paths that name nothing, including ones built to escape the folder. */
START_TEST(test_not_found)
{
    char *big = apr_palloc(pool, 601);
    bl_route_t r;

    memset(big, 'a', 600);
    memcpy(big, "/es/", 4);
    big[600] = '\0';
    expect_404("/es/About");
    expect_404("/es/a.b");
    expect_404("/es/../etc/passwd");
    expect_404("/es/./about");
    expect_404("/es/..");
    expect_404("/es/-x");
    expect_404("/es//x");
    expect_404("//es/");
    expect_404("/ES/");
    expect_404("/es/a/b/c/d/e");
    expect_404("/es/a/b");
    expect_404("/es/events/a/b");
    expect_404(big);
    expect_404("/es/events/feed.atom/x");
    expect_404("/es/sitemap.xml");
    expect_404("/es/pages/about");
    expect_404("/es/events/March");
    expect_404("/es/press/x y");
    expect_404("/es/x%2f..");
    expect_404("/es/\xc3\xa9");
    expect_404("");
    expect_404("es/");
    expect_404(NULL);
    /* a 404 under a prefix keeps the URL's language for its page */
    bl_route_parse("/en/About", &tu_es_en, &r, pool);
    ck_assert_int_eq(r.lang, 1);
    bl_route_parse("/es/events/March", &tu_es_en, &r, pool);
    ck_assert_int_eq(r.lang, 0);
}
END_TEST

/* Checks that an unconfigured prefix ("/fr/") is read as the neutral, trailing-slash
 * form of a page named "fr": the handler then answers 404 in the default language,
 * since no such page exists (docs/decisions.md). */
START_TEST(test_unconfigured_prefix)
{
    expect("/fr/", BL_R_PAGE, -1, "fr");
    expect("/fr/x", BL_R_NOTFOUND, -1, NULL);
}
END_TEST

/* Checks the length cap of names: 100 characters. */
START_TEST(test_name_length)
{
    char name[BL_MAX_NAME + 2];

    ck_assert_int_eq(BL_MAX_NAME, 100);
    memset(name, 'a', sizeof(name) - 1);
    name[BL_MAX_NAME] = '\0';
    expect(apr_pstrcat(pool, "/es/", name, NULL), BL_R_PAGE, 0, name);
    expect_item(apr_pstrcat(pool, "/es/events/", name, NULL), BL_R_ITEM, BL_KIND_EVENT, 0, name);
    ck_assert_int_eq(bl_name_valid(name, BL_MAX_NAME), 1);
    name[BL_MAX_NAME] = 'a';
    name[BL_MAX_NAME + 1] = '\0';
    expect_404(apr_pstrcat(pool, "/es/", name, NULL));
    expect_404(apr_pstrcat(pool, "/es/events/", name, NULL));
    ck_assert_int_eq(bl_name_valid(name, BL_MAX_NAME + 1), 0);
}
END_TEST

/* Checks that bl_route_set fills every field, and which routes wait for site.xml. */
START_TEST(test_route_set)
{
    bl_route_t r;

    memset(&r, 0x5a, sizeof(r));
    bl_route_set(&r, BL_R_ITEM, 1, BL_KIND_PRESS, "x");
    ck_assert_int_eq(r.kind, BL_R_ITEM);
    ck_assert_int_eq(r.lang, 1);
    ck_assert_int_eq(r.item, BL_KIND_PRESS);
    ck_assert_str_eq(r.name, "x");
    ck_assert_ptr_null(r.target);
    ck_assert_int_eq(bl_route_needs_site(&r), 0);
    bl_route_set(&r, BL_R_FEED, 0, -1, NULL);
    ck_assert_int_eq(bl_route_needs_site(&r), 1);
    bl_route_set(&r, BL_R_CALENDAR, 0, BL_KIND_EVENT, NULL);
    ck_assert_int_eq(bl_route_needs_site(&r), 1);
    bl_route_set(&r, BL_R_SITEMAP, -1, -1, NULL);
    ck_assert_int_eq(bl_route_needs_site(&r), 0);
    /* a press release has no calendar: /es/press.ics names nothing */
    expect_404("/es/press.ics");
}
END_TEST

/* Returns the canonical path of KIND of item kind ITEM (-1: none) named NAME in LANG. */
static const char *path_of(bl_route_kind_t kind, int item, const char *name, int lang)
{
    bl_route_t r;

    bl_route_set(&r, kind, lang, item, name);
    return bl_route_path(&r, &tu_es_en, lang, pool);
}

/* Checks the canonical path of each kind in a language and neutral. */
START_TEST(test_path)
{
    ck_assert_str_eq(path_of(BL_R_HOME, -1, NULL, 0), "/es/");
    ck_assert_str_eq(path_of(BL_R_HOME, -1, NULL, -1), "/");
    ck_assert_str_eq(path_of(BL_R_PAGE, -1, "about", 1), "/en/about");
    ck_assert_str_eq(path_of(BL_R_PAGE, -1, "about", -1), "/about");
    ck_assert_str_eq(path_of(BL_R_LIST, BL_KIND_EVENT, NULL, 0), "/es/events/");
    ck_assert_str_eq(path_of(BL_R_LIST, BL_KIND_EVENT, NULL, -1), "/events/");
    ck_assert_str_eq(path_of(BL_R_ITEM, BL_KIND_EVENT, "march", 0), "/es/events/march");
    ck_assert_str_eq(path_of(BL_R_ITEM, BL_KIND_EVENT, "march", -1), "/events/march");
    ck_assert_str_eq(path_of(BL_R_LIST, BL_KIND_PRESS, NULL, 1), "/en/press/");
    ck_assert_str_eq(path_of(BL_R_LIST, BL_KIND_PRESS, NULL, -1), "/press/");
    ck_assert_str_eq(path_of(BL_R_ITEM, BL_KIND_PRESS, "x", 1), "/en/press/x");
    ck_assert_str_eq(path_of(BL_R_ITEM, BL_KIND_PRESS, "x", -1), "/press/x");
    ck_assert_str_eq(path_of(BL_R_FEED, -1, NULL, 0), "/es/feed.atom");
    ck_assert_str_eq(path_of(BL_R_FEED, -1, NULL, -1), "/feed.atom");
    ck_assert_str_eq(path_of(BL_R_FEED, BL_KIND_EVENT, NULL, 1), "/en/events/feed.atom");
    ck_assert_str_eq(path_of(BL_R_FEED, BL_KIND_EVENT, NULL, -1), "/events/feed.atom");
    ck_assert_str_eq(path_of(BL_R_FEED, BL_KIND_PRESS, NULL, 0), "/es/press/feed.atom");
    ck_assert_str_eq(path_of(BL_R_FEED, BL_KIND_PRESS, NULL, -1), "/press/feed.atom");
    ck_assert_str_eq(path_of(BL_R_CALENDAR, BL_KIND_EVENT, NULL, 0), "/es/events.ics");
    ck_assert_str_eq(path_of(BL_R_CALENDAR, BL_KIND_EVENT, NULL, -1), "/events.ics");
    ck_assert_str_eq(path_of(BL_R_SITEMAP, -1, NULL, 0), "/sitemap.xml");
    ck_assert_str_eq(path_of(BL_R_SITEMAP, -1, NULL, -1), "/sitemap.xml");
}
END_TEST

/* Checks that parsing a canonical path and writing it back gives the same path. */
START_TEST(test_parse_path_round_trip)
{
    static const char *const paths[] = { "/es/",
                                         "/en/about",
                                         "/es/events/",
                                         "/en/events/march-1",
                                         "/es/press/",
                                         "/en/press/x",
                                         "/es/feed.atom",
                                         "/en/events/feed.atom",
                                         "/es/press/feed.atom",
                                         "/en/events.ics",
                                         NULL };
    bl_route_t r;
    int i;

    for (i = 0; paths[i] != NULL; i++) {
        bl_route_parse(paths[i], &tu_es_en, &r, pool);
        ck_assert_str_eq(bl_route_path(&r, &tu_es_en, r.lang, pool), paths[i]);
        /* the neutral form of the same route drops the prefix */
        ck_assert_str_eq(bl_route_path(&r, &tu_es_en, -1, pool), paths[i] + 3);
    }
}
END_TEST

/* Returns the suite of the URL space. */
Suite *route_suite(void)
{
    Suite *s = suite_create("route");
    TCase *tc = tu_tcase(s, "route", tu_setup, tu_teardown);

    tcase_add_test(tc, test_prefixed);
    tcase_add_test(tc, test_neutral);
    tcase_add_test(tc, test_redirects);
    tcase_add_test(tc, test_not_found);
    tcase_add_test(tc, test_unconfigured_prefix);
    tcase_add_test(tc, test_name_length);
    tcase_add_test(tc, test_route_set);
    tcase_add_test(tc, test_path);
    tcase_add_test(tc, test_parse_path_round_trip);
    return s;
}
