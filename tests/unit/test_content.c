/* test_content.c: unit tests of loading a content folder (bl_content.c, bl_items.c,
 * bl_validate.c, bl_xml.c).
 *
 * Each test writes a content folder into a fresh directory under /tmp, loads it with
 * bl_site_load and a sink that keeps every diagnostic, and checks what is served and
 * what is reported: a good folder loads silently; hostile files (entities, XXE, deep
 * nesting) and broken ones (malformed XML, bad dates, missing titles, unknown children
 * and includes, include cycles) are refused with the right file, line and column;
 * a file that breaks keeps its last good version, is reported once, and a folder that
 * did not change gives back the same snapshot; drafts and embargoed items stay
 * invisible until their time; and the event and press lists come out in order.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include <apr_file_io.h>
#include <apr_strings.h>

#include "bl_content.h"
#include "bl_limits.h"
#include "bl_select.h"
#include "bl_xml.h"
#include "tests.h"
#include "testutil.h"

/* 2015-07-15T12:00:00Z: "now" for every load */
#define NOW apr_time_from_sec(1436961600)

/* Sets the mtime of REL to the epoch second SEC, so that its stamp surely changes. */
static void stamp(const char *rel, long sec)
{
    ck_assert_int_eq(apr_file_mtime_set(tu_full(rel), apr_time_from_sec(sec), pool), APR_SUCCESS);
}

/* Loads the folder at NOW with no previous snapshot. */
static bl_site_t *load(void)
{
    return tu_load_at(NULL, NOW, NULL);
}

/* Returns the number of diagnostics about REL whose message contains NEEDLE. */
static int count_diags(const char *rel, const char *needle)
{
    const char *path = tu_full(rel);
    int i, n = 0;
    bl_diag_t *d;

    for (i = 0; i < tu_diags->nelts; i++) {
        d = &APR_ARRAY_IDX(tu_diags, i, bl_diag_t);
        n += strcmp(d->path, path) == 0 && strstr(d->msg, needle) != NULL;
    }
    return n;
}

/* Returns the only error diagnostic about REL containing NEEDLE; fails otherwise. */
static const bl_diag_t *the_diag(const char *rel, const char *needle)
{
    const char *path = tu_full(rel);
    const bl_diag_t *found = NULL;
    bl_diag_t *d;
    int i;

    for (i = 0; i < tu_diags->nelts; i++) {
        d = &APR_ARRAY_IDX(tu_diags, i, bl_diag_t);
        if (strcmp(d->path, path) == 0 && strstr(d->msg, needle) != NULL) {
            ck_assert_msg(found == NULL, "reported twice: %s: %s", rel, needle);
            found = d;
        }
    }
    ck_assert_msg(found != NULL, "no diagnostic about %s containing \"%s\" (%d in all%s%s)", rel,
                  needle, tu_diags->nelts, tu_diags->nelts ? ", first: " : "",
                  tu_diags->nelts ? APR_ARRAY_IDX(tu_diags, 0, bl_diag_t).msg : "");
    ck_assert_int_eq(found->level, BL_LOG_ERR);
    return found;
}

/* Returns the text of FILE's title in LANG. */
static const char *title_of(const bl_file_t *file, const char *lang)
{
    xmlNodePtr t = bl_select_child(file->root, "title", lang, "es", NULL);

    ck_assert_ptr_nonnull(t);
    return bl_xml_text(t, pool);
}

/* Returns 1 when there is an include of fragment NAME anywhere under NODE. */
static int includes(xmlNodePtr node, const char *name)
{
    xmlNodePtr c;
    const char *f;

    for (c = node->children; c != NULL; c = c->next) {
        if (bl_xml_is(c, "include")) {
            f = bl_xml_attr(c, "fragment", pool);
            if (f != NULL && strcmp(f, name) == 0) {
                return 1;
            }
        }
        else if (c->type == XML_ELEMENT_NODE && includes(c, name)) {
            return 1;
        }
    }
    return 0;
}

/* Returns the names of the items [FROM, TO) of the bl_file_t* array ARR joined by
 * spaces. */
static const char *names_range(const apr_array_header_t *arr, int from, int to)
{
    const char *s = "";
    int i;

    for (i = from; i < to; i++) {
        s = apr_pstrcat(pool, s, i > from ? " " : "", APR_ARRAY_IDX(arr, i, bl_file_t *)->name,
                        NULL);
    }
    return s;
}

/* Returns the names of the bl_file_t* array ARR joined by spaces. */
static const char *names(const apr_array_header_t *arr)
{
    return names_range(arr, 0, arr->nelts);
}

/* Returns the visible events of SITE in list order (upcoming, then past). */
static const apr_array_header_t *events_of(const bl_site_t *site)
{
    return bl_site_list(site, BL_KIND_EVENT)->order;
}

/* Returns the visible press releases of SITE in list order. */
static const apr_array_header_t *releases_of(const bl_site_t *site)
{
    return bl_site_list(site, BL_KIND_PRESS)->order;
}

/* Returns the number of upcoming events of SITE. */
static int upcoming_count(const bl_site_t *site)
{
    return bl_site_list(site, BL_KIND_EVENT)->upcoming;
}

/* Returns the number of past events of SITE. */
static int past_count(const bl_site_t *site)
{
    return events_of(site)->nelts - upcoming_count(site);
}

/* Returns the names of the upcoming events of SITE, soonest first. */
static const char *upcoming_names(const bl_site_t *site)
{
    return names_range(events_of(site), 0, upcoming_count(site));
}

/* Returns the names of the past events of SITE, latest first. */
static const char *past_names(const bl_site_t *site)
{
    return names_range(events_of(site), upcoming_count(site), events_of(site)->nelts);
}

/* Writes a small folder that loads without a single error or warning. */
static void good_folder(void)
{
    tu_put("site.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<site>\n"
                       "  <name xml:lang=\"es\">Justicia</name>\n"
                       "  <name xml:lang=\"en\">Justice</name>\n"
                       "  <tag-authority>example.org,2015</tag-authority>\n"
                       "  <author><name>Ann</name></author>\n"
                       "</site>\n");
    tu_put("layout.xml", "<html>\n"
                         "  <head><title><insert name=\"title\"/></title>"
                         "<insert name=\"head\"/></head>\n"
                         "  <body><h1><insert name=\"title\"/></h1><insert name=\"body\"/>"
                         "<include fragment=\"footer\"/></body>\n"
                         "</html>\n");
    tu_put("fragments/footer.xml", "<fragment><p>Justicia / Justice</p></fragment>\n");
    tu_put("pages/index.xml",
           "<page>\n"
           "  <title xml:lang=\"es\">Inicio</title>\n"
           "  <title xml:lang=\"en\">Home</title>\n"
           "  <body><list kind=\"events\" when=\"upcoming\" count=\"3\"/></body>\n"
           "</page>\n");
    tu_put("pages/about.xml",
           "<page>\n"
           "  <title xml:lang=\"es\">Quienes somos</title>\n"
           "  <title xml:lang=\"en\">About us</title>\n"
           "  <body><p xml:lang=\"es\">Hola</p><p xml:lang=\"en\">Hello</p></body>\n"
           "</page>\n");
    tu_put("events/march.xml", "<event published=\"2015-06-01T12:00:00-04:00\"\n"
                               "       start=\"2015-07-01T09:00:00-04:00\""
                               " end=\"2015-07-01T12:00:00-04:00\">\n"
                               "  <title xml:lang=\"es\">Marcha</title>\n"
                               "  <title xml:lang=\"en\">March</title>\n"
                               "  <location xml:lang=\"es\">Plaza</location>\n"
                               "  <location xml:lang=\"en\">Square</location>\n"
                               "  <body xml:lang=\"es\"><p>Ven</p></body>\n"
                               "  <body xml:lang=\"en\"><p>Come</p></body>\n"
                               "</event>\n");
    tu_put("press/launch.xml", "<press-release published=\"2015-06-22T10:00:00-04:00\">\n"
                               "  <title xml:lang=\"es\">Lanzamiento</title>\n"
                               "  <title xml:lang=\"en\">Launch</title>\n"
                               "  <body xml:lang=\"es\"><p>Hoy</p></body>\n"
                               "  <body xml:lang=\"en\"><p>Today</p></body>\n"
                               "</press-release>\n");
}

/* Checks that a good minimal folder loads everything with no diagnostic. */
START_TEST(test_good_folder)
{
    bl_site_t *site;
    bl_file_t *f;
    int changed;

    good_folder();
    tu_sink.warnings = 1;
    site = tu_load_at(NULL, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert_int_eq(tu_diags->nelts, 0);
    ck_assert_int_eq(tu_sink.errors, 0);
    ck_assert_ptr_nonnull(site->site);
    ck_assert_ptr_nonnull(site->layout);
    ck_assert_str_eq(site->info.authority, "example.org,2015");
    ck_assert_str_eq(site->info.author_name, "Ann");
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_FRAGMENT, "footer"));
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_PAGE, "index"));
    f = bl_site_get(site, BL_KIND_PAGE, "about");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->kind, BL_KIND_PAGE);
    ck_assert_str_eq(f->name, "about");
    ck_assert_str_eq(title_of(f, "en"), "About us");
    f = bl_site_get(site, BL_KIND_EVENT, "march");
    ck_assert_ptr_nonnull(f);
    ck_assert(f->item.start.t == apr_time_from_sec(1435755600));
    ck_assert_int_eq(f->item.start.offset, -14400);
    ck_assert_int_eq(f->item.has_end, 1);
    ck_assert_int_eq(f->item.cancelled, 0);
    f = bl_site_get(site, BL_KIND_PRESS, "launch");
    ck_assert_ptr_nonnull(f);
    ck_assert(f->item.updated.t == f->item.published.t);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "nope"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_EVENT, "launch"));
    ck_assert_int_eq(site->items->nelts, 2);
    ck_assert_int_eq(past_count(site), 1);
    ck_assert_int_eq(upcoming_count(site), 0);
    ck_assert_int_eq(releases_of(site)->nelts, 1);
    ck_assert_uint_eq(bl_site_count(site, BL_KIND_PAGE), 2);
    ck_assert_uint_eq(bl_site_count(site, BL_KIND_FRAGMENT), 1);
    ck_assert_uint_eq(bl_site_count(site, BL_KIND_EVENT), 1);
    ck_assert_uint_eq(bl_site_count(site, BL_KIND_PRESS), 1);
    ck_assert(site->now == NOW);
    ck_assert(site->next_change == APR_INT64_MAX);
}
END_TEST

/* Checks that a missing folder is an error, not an empty site. */
START_TEST(test_missing_folder)
{
    bl_site_t *site = (bl_site_t *)1;
    int changed = -1;

    ck_assert_int_ne(bl_site_load(&site, &changed, tu_full("nope"), NULL, NOW, &tu_sink),
                     APR_SUCCESS);
    ck_assert_ptr_null(site);
}
END_TEST

/* Checks that an entity-expansion bomb is refused at its DOCTYPE's line. */
START_TEST(test_billion_laughs)
{
    const char *ents = " <!ENTITY lol \"lol\">\n";
    const bl_diag_t *d;
    bl_site_t *site;
    int i;

    /* lolN is ten lol(N-1); "%.0d" writes nothing for 0, so lol1 is ten &lol; */
    for (i = 1; i <= 9; i++) {
        ents = apr_psprintf(pool, "%s <!ENTITY lol%d \"%s\">\n", ents, i,
                            tu_repeat(apr_psprintf(pool, "&lol%.0d;", i - 1), 10));
    }
    good_folder();
    tu_put("pages/lol.xml",
           apr_pstrcat(pool, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n", ents, "]>\n",
                       "<page><title>&lol9;</title><body><p>&lol9;</p></body></page>\n", NULL));
    site = load();
    d = the_diag("pages/lol.xml", "DOCTYPE");
    ck_assert_int_eq(d->line, 2);
    ck_assert_int_eq(d->col, 1);
    ck_assert_int_eq(tu_errors(), 1);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "lol"));
    /* the rest of the site is untouched */
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_PAGE, "about"));
}
END_TEST

/* Checks that external entities are refused and nothing of the file they name leaks. */
START_TEST(test_xxe)
{
    bl_site_t *site;
    const bl_diag_t *d;
    int i;

    good_folder();
    tu_put("pages/xxe.xml", "<?xml version=\"1.0\"?>\n"
                            "<!DOCTYPE page [\n"
                            "<!ENTITY x SYSTEM \"file:///etc/passwd\">\n"
                            "]>\n"
                            "<page><title>&x;</title><body><p>&x;</p></body></page>\n");
    tu_put("pages/xxe-dtd.xml", "<!DOCTYPE page SYSTEM \"file:///etc/passwd\">"
                                "<page><title>t</title></page>\n");
    tu_put("pages/xxe-net.xml", "<?xml version=\"1.0\"?>\n\n\n"
                                "<!DOCTYPE page [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]>\n"
                                "<page><title>&x;</title></page>\n");
    site = load();
    d = the_diag("pages/xxe.xml", "DOCTYPE");
    ck_assert_int_eq(d->line, 2);
    d = the_diag("pages/xxe-dtd.xml", "DOCTYPE");
    ck_assert_int_eq(d->line, 1);
    d = the_diag("pages/xxe-net.xml", "DOCTYPE");
    ck_assert_int_eq(d->line, 4);
    ck_assert_int_eq(tu_errors(), 3);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "xxe"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "xxe-dtd"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "xxe-net"));
    for (i = 0; i < tu_diags->nelts; i++) {
        d = &APR_ARRAY_IDX(tu_diags, i, bl_diag_t);
        ck_assert_ptr_null(strstr(d->msg, "root:"));
        ck_assert_ptr_null(strstr(d->msg, "/bin/"));
    }
}
END_TEST

/* Checks that a file nested 100 levels deep is refused where it passes 64. */
START_TEST(test_deep_nesting)
{
    const bl_diag_t *d;
    bl_site_t *site;
    char *xml = "<page>\n<title>t</title>\n<body>\n";
    int i;

    good_folder();
    for (i = 0; i < 100; i++) {
        xml = apr_pstrcat(pool, xml, "<div>\n", NULL);
    }
    for (i = 0; i < 100; i++) {
        xml = apr_pstrcat(pool, xml, "</div>", NULL);
    }
    tu_put("pages/deep.xml", apr_pstrcat(pool, xml, "</body></page>\n", NULL));
    site = load();
    d = the_diag("pages/deep.xml", "nested deeper than 64");
    /* page is level 1, body 2, the 63rd div is level 65, on line 3 + 63 */
    ck_assert_int_eq(d->line, 66);
    ck_assert_int_eq(tu_errors(), 1);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "deep"));
}
END_TEST

/* Checks that malformed XML is reported at its real line and column. */
START_TEST(test_malformed)
{
    const bl_diag_t *d;
    bl_site_t *site;

    good_folder();
    /* the end tag </titl> spans columns 11 to 17 of line 2 */
    tu_put("pages/bad.xml", "<page>\n  <title>x</titl>\n</page>\n");
    tu_put("pages/bad2.xml",
           "<page>\n<title>x</title>\n<body><p a=\"1\" a=\"2\">y</p></body>\n</page>\n");
    tu_put("pages/bad3.xml", "<page>\n<title>Tom & Jerry</title>\n</page>\n");
    tu_put("pages/empty.xml", "");
    /* the cause is the end tag on line 4; the end of the file (line 5) comes after */
    tu_put("pages/unclosed.xml",
           "<page>\n<title xml:lang=\"en\">Broken</title>\n<body>\n</page>\n");
    site = load();
    d = the_diag("pages/bad.xml", "");
    ck_assert_int_eq(d->line, 2);
    ck_assert_msg(d->col >= 11 && d->col <= 18, "column %d", d->col);
    ck_assert_ptr_nonnull(strstr(d->msg, "titl"));
    d = the_diag("pages/bad2.xml", "");
    ck_assert_int_eq(d->line, 3);
    ck_assert_msg(d->col > 0 && d->col <= 26, "column %d", d->col);
    d = the_diag("pages/bad3.xml", "");
    ck_assert_int_eq(d->line, 2);
    /* the bare & is at column 12 */
    ck_assert_msg(d->col >= 12 && d->col <= 14, "column %d", d->col);
    d = the_diag("pages/empty.xml", "empty");
    ck_assert_int_eq(d->line, 1);
    ck_assert_int_eq(tu_errors(), 5);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "bad"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "bad2"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "bad3"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "empty"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "unclosed"));
    d = the_diag("pages/unclosed.xml", "");
    ck_assert_msg(d->line == 4, "line %d: %s", d->line, d->msg);
    ck_assert_ptr_nonnull(strstr(d->msg, "mismatch"));
    ck_assert_msg(d->col >= 1 && d->col <= 8, "column %d", d->col);
}
END_TEST

/* Checks that dates without an offset, and an end before the start, are errors that
 * name the attribute. */
START_TEST(test_bad_dates)
{
    const bl_diag_t *d;
    bl_site_t *site;

    good_folder();
    tu_put("events/no-offset.xml", "<?xml version=\"1.0\"?>\n"
                                   "<event published=\"2015-06-01T12:00:00-04:00\""
                                   " start=\"2015-07-01T09:00:00\">\n"
                                   "  <title>x</title>\n"
                                   "</event>\n");
    tu_put("events/backwards.xml",
           "<event published=\"2015-06-01T12:00:00-04:00\""
           " start=\"2015-07-01T09:00:00-04:00\" end=\"2015-07-01T08:59:59-04:00\">\n"
           "  <title>x</title>\n"
           "</event>\n");
    tu_put("press/no-published.xml", "<press-release>\n<title>x</title>\n</press-release>\n");
    tu_put("press/bad-updated.xml",
           "<press-release published=\"2015-06-01T12:00:00Z\" updated=\"2015-06-01\">\n"
           "<title>x</title>\n</press-release>\n");
    site = load();
    d = the_diag("events/no-offset.xml", "'start'");
    ck_assert_int_eq(d->line, 2);
    ck_assert_ptr_nonnull(strstr(d->msg, "2015-07-01T09:00:00"));
    d = the_diag("events/backwards.xml", "'end'");
    ck_assert_ptr_nonnull(strstr(d->msg, "before"));
    ck_assert_int_eq(d->line, 1);
    the_diag("press/no-published.xml", "'published'");
    the_diag("press/bad-updated.xml", "'updated'");
    ck_assert_int_eq(tu_errors(), 4);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_EVENT, "no-offset"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_EVENT, "backwards"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PRESS, "no-published"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PRESS, "bad-updated"));
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_EVENT, "march"));
}
END_TEST

/* Checks that missing titles and unknown children are errors at their lines. */
START_TEST(test_bad_structure)
{
    const bl_diag_t *d;
    bl_site_t *site;

    good_folder();
    tu_put("pages/untitled.xml", "<page>\n<body><p>x</p></body>\n</page>\n");
    tu_put("pages/blank-title.xml", "<page>\n<title>  </title>\n</page>\n");
    tu_put("press/untitled.xml",
           "<press-release published=\"2015-06-01T12:00:00Z\">\n<body><p>x</p></body>\n"
           "</press-release>\n");
    tu_put("events/odd-child.xml", "<event published=\"2015-06-01T12:00:00-04:00\"\n"
                                   "       start=\"2015-07-01T09:00:00-04:00\">\n"
                                   "  <title>x</title>\n"
                                   "  <foo/>\n"
                                   "</event>\n");
    tu_put("pages/wrong-root.xml", "<event>\n<title>x</title>\n</event>\n");
    site = load();
    the_diag("pages/untitled.xml", "<title>");
    the_diag("pages/blank-title.xml", "<title>");
    the_diag("press/untitled.xml", "<title>");
    d = the_diag("events/odd-child.xml", "<foo>");
    ck_assert_int_eq(d->line, 4);
    the_diag("pages/wrong-root.xml", "root");
    ck_assert_int_eq(tu_errors(), 5);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "untitled"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "blank-title"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PRESS, "untitled"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_EVENT, "odd-child"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "wrong-root"));
}
END_TEST

/* Checks that an include of a fragment that does not exist is an error at its line. */
START_TEST(test_unknown_include)
{
    const bl_diag_t *d;
    bl_site_t *site;
    int changed;

    good_folder();
    tu_put("pages/inc.xml", "<page>\n<title>x</title>\n"
                            "<body><include fragment=\"nope\"/></body>\n</page>\n");
    site = load();
    d = the_diag("pages/inc.xml", "nope");
    ck_assert_int_eq(d->line, 3);
    ck_assert_int_eq(tu_errors(), 1);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "inc"));
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_PAGE, "about"));
    /* another file changes: the error is not reported again */
    tu_put("pages/about.xml", "<page><title>Other</title></page>\n");
    stamp("pages/about.xml", 1500000000);
    site = tu_load_at(site, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert_int_eq(tu_errors(), 1);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "inc"));
    /* the fragment appears: the page is served */
    tu_put("fragments/nope.xml", "<fragment><p>Now here</p></fragment>\n");
    site = tu_load_at(site, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert_int_eq(tu_errors(), 1);
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_PAGE, "inc"));
}
END_TEST

/* Checks that two fragments including each other are reported as a cycle once and
 * are not both served. */
START_TEST(test_include_cycle)
{
    bl_site_t *site;
    int i, n = 0;

    good_folder();
    tu_put("fragments/a.xml", "<fragment>\n<p>A</p>\n<include fragment=\"b\"/>\n</fragment>\n");
    tu_put("fragments/b.xml", "<fragment>\n<p>B</p>\n<include fragment=\"a\"/>\n</fragment>\n");
    tu_put("fragments/self.xml", "<fragment><include fragment=\"self\"/></fragment>\n");
    site = load();
    for (i = 0; i < tu_diags->nelts; i++) {
        const bl_diag_t *d = &APR_ARRAY_IDX(tu_diags, i, bl_diag_t);
        if (strstr(d->msg, "cycle") != NULL) {
            n++;
            /* the include that closes the cycle: line 1 of self.xml, 3 of a or b */
            ck_assert_int_eq(d->line, strstr(d->path, "self") != NULL ? 1 : 3);
        }
    }
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(count_diags("fragments/self.xml", "cycle"), 1);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_FRAGMENT, "self"));
    ck_assert(bl_site_get(site, BL_KIND_FRAGMENT, "a") == NULL
              || bl_site_get(site, BL_KIND_FRAGMENT, "b") == NULL);
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_FRAGMENT, "footer"));
}
END_TEST

/* Checks that an edit which closes an include cycle between two good fragments does
 * not get a cycle served: the last good, acyclic versions stay. */
START_TEST(test_cycle_closed_by_edit)
{
    bl_site_t *one, *two;
    bl_file_t *a, *b;
    int changed;

    good_folder();
    tu_put("fragments/a.xml", "<fragment>\n<p>A</p>\n</fragment>\n");
    tu_put("fragments/b.xml", "<fragment>\n<p>B</p>\n<include fragment=\"a\"/>\n</fragment>\n");
    one = load();
    ck_assert_int_eq(tu_errors(), 0);
    tu_put("fragments/a.xml", "<fragment>\n<p>A2</p>\n<include fragment=\"b\"/>\n</fragment>\n");
    stamp("fragments/a.xml", 1500000000);
    two = tu_load_at(one, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert_int_eq(tu_errors(), 1);
    a = bl_site_get(two, BL_KIND_FRAGMENT, "a");
    b = bl_site_get(two, BL_KIND_FRAGMENT, "b");
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_msg(!(includes(a->root, "b") && includes(b->root, "a")),
                  "a cycle is served: a includes b and b includes a");
}
END_TEST

/* Checks the last-good-version rule: a broken edit keeps the old version served,
 * is reported once, and a load with nothing changed changes nothing. */
START_TEST(test_last_good_version)
{
    bl_site_t *one, *two, *three, *four;
    bl_file_t *old, *f;
    int changed;

    good_folder();
    one = load();
    ck_assert_int_eq(tu_diags->nelts, 0);
    old = bl_site_get(one, BL_KIND_PAGE, "about");
    ck_assert_ptr_nonnull(old);

    /* a broken edit: the old version stays, the error is reported */
    tu_put("pages/about.xml", "<page>\n<title xml:lang=\"en\">Broken</title>\n<body>\n</page>\n");
    stamp("pages/about.xml", 1500000000);
    two = tu_load_at(one, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert(two != one);
    f = bl_site_get(two, BL_KIND_PAGE, "about");
    ck_assert_ptr_nonnull(f);
    ck_assert(f == old);
    ck_assert_str_eq(title_of(f, "en"), "About us");
    ck_assert_int_eq(tu_diags->nelts, 1);
    the_diag("pages/about.xml", "");
    ck_assert_ptr_nonnull(bl_site_get(two, BL_KIND_PAGE, "index"));

    /* nothing changed: the same snapshot, nothing reported again */
    three = tu_load_at(two, NOW, &changed);
    ck_assert_int_eq(changed, 0);
    ck_assert(three == two);
    ck_assert_int_eq(tu_diags->nelts, 1);

    /* another file changes: a new snapshot, still no second report */
    tu_put("pages/index.xml", "<page><title>Index</title></page>\n");
    stamp("pages/index.xml", 1500000001);
    four = tu_load_at(three, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert_int_eq(tu_diags->nelts, 1);
    ck_assert(bl_site_get(four, BL_KIND_PAGE, "about") == old);
    ck_assert_str_eq(title_of(bl_site_get(four, BL_KIND_PAGE, "index"), "en"), "Index");

    /* fixed: the new version is served */
    tu_put("pages/about.xml", "<page><title>Fixed</title></page>\n");
    stamp("pages/about.xml", 1500000002);
    four = tu_load_at(four, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert_int_eq(tu_diags->nelts, 1);
    ck_assert_str_eq(title_of(bl_site_get(four, BL_KIND_PAGE, "about"), "en"), "Fixed");
}
END_TEST

/* Checks that a new file that never parsed is not served, and is reported once. */
START_TEST(test_never_parsed)
{
    bl_site_t *one, *two;
    int changed;

    good_folder();
    one = load();
    tu_put("pages/new.xml", "<page><title>New</title>\n");
    two = tu_load_at(one, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert_ptr_null(bl_site_get(two, BL_KIND_PAGE, "new"));
    ck_assert_int_eq(count_diags("pages/new.xml", ""), 1);
    two = tu_load_at(two, NOW, &changed);
    ck_assert_int_eq(changed, 0);
    ck_assert_ptr_null(bl_site_get(two, BL_KIND_PAGE, "new"));
    ck_assert_int_eq(count_diags("pages/new.xml", ""), 1);
}
END_TEST

/* Checks that a removed file disappears, whether it was good or held. */
START_TEST(test_removed)
{
    bl_site_t *one, *two, *three;
    int changed;

    good_folder();
    one = load();
    ck_assert_ptr_nonnull(bl_site_get(one, BL_KIND_PRESS, "launch"));
    ck_assert_int_eq(apr_file_remove(tu_full("press/launch.xml"), pool), APR_SUCCESS);
    two = tu_load_at(one, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert_ptr_null(bl_site_get(two, BL_KIND_PRESS, "launch"));
    ck_assert_int_eq(releases_of(two)->nelts, 0);
    ck_assert_int_eq(two->items->nelts, 1);
    /* the one kept only as a last good version goes too */
    tu_put("pages/about.xml", "<page>");
    stamp("pages/about.xml", 1500000000);
    three = tu_load_at(two, NOW, &changed);
    ck_assert_ptr_nonnull(bl_site_get(three, BL_KIND_PAGE, "about"));
    ck_assert_int_eq(apr_file_remove(tu_full("pages/about.xml"), pool), APR_SUCCESS);
    three = tu_load_at(three, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert_ptr_null(bl_site_get(three, BL_KIND_PAGE, "about"));
    ck_assert_ptr_nonnull(bl_site_get(three, BL_KIND_PAGE, "index"));
}
END_TEST

/* Returns 1 when FILE is in the bl_file_t* array ARR. */
static int in_array(const apr_array_header_t *arr, const bl_file_t *file)
{
    int i;

    for (i = 0; i < arr->nelts; i++) {
        if (APR_ARRAY_IDX(arr, i, bl_file_t *) == file) {
            return 1;
        }
    }
    return 0;
}

/* Returns 1 when an item named NAME is in the bl_file_t* array ARR. */
static int named_in(const apr_array_header_t *arr, const char *name)
{
    int i;

    for (i = 0; i < arr->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(arr, i, bl_file_t *)->name, name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Checks that drafts and embargoed items are invisible until their time, and that
 * the snapshot says when that time is. */
START_TEST(test_draft_and_embargo)
{
    bl_site_t *one, *two, *three;
    bl_time_t embargo;
    int changed;

    good_folder();
    tu_put("events/draft.xml",
           "<event published=\"2015-06-01T12:00:00-04:00\" draft=\"true\"\n"
           "       start=\"2015-09-01T09:00:00-04:00\"><title>Draft</title></event>\n");
    tu_put("press/draft.xml",
           "<press-release published=\"2015-07-20T12:00:00-04:00\" draft=\"true\">"
           "<title>Draft</title></press-release>\n");
    tu_put("press/embargo.xml", "<press-release published=\"2015-08-01T10:00:00-04:00\">"
                                "<title>Embargo</title></press-release>\n");
    ck_assert_int_eq(bl_time_parse("2015-08-01T10:00:00-04:00", &embargo), APR_SUCCESS);
    one = load();
    ck_assert_int_eq(tu_errors(), 0);
    ck_assert_ptr_null(bl_site_get(one, BL_KIND_EVENT, "draft"));
    ck_assert_ptr_null(bl_site_get(one, BL_KIND_PRESS, "draft"));
    ck_assert_ptr_null(bl_site_get(one, BL_KIND_PRESS, "embargo"));
    ck_assert(!named_in(one->items, "draft") && !named_in(one->items, "embargo"));
    ck_assert(!named_in(events_of(one), "draft") && !named_in(releases_of(one), "embargo"));
    ck_assert(!named_in(releases_of(one), "draft"));
    ck_assert_int_eq(one->items->nelts, 2);
    /* the draft's date changes nothing: the embargo is the next change */
    ck_assert(one->next_change == embargo.t);

    /* a moment before: the same snapshot */
    two = tu_load_at(one, embargo.t - 1, &changed);
    ck_assert_int_eq(changed, 0);
    ck_assert(two == one);

    /* at the embargo: visible, first of the items, and nothing else changes */
    three = tu_load_at(one, embargo.t, &changed);
    ck_assert_int_eq(changed, 1);
    ck_assert_ptr_nonnull(bl_site_get(three, BL_KIND_PRESS, "embargo"));
    ck_assert_str_eq(APR_ARRAY_IDX(three->items, 0, bl_file_t *)->name, "embargo");
    ck_assert(in_array(releases_of(three), bl_site_get(three, BL_KIND_PRESS, "embargo")));
    ck_assert_ptr_null(bl_site_get(three, BL_KIND_PRESS, "draft"));
    ck_assert_ptr_null(bl_site_get(three, BL_KIND_EVENT, "draft"));
    ck_assert(three->next_change == APR_INT64_MAX);
    /* the press list changed at the embargo: its Last-Modified moves with it */
    ck_assert(bl_site_list(three, BL_KIND_PRESS)->changed >= embargo.t);
    ck_assert(bl_site_list(three, BL_KIND_EVENT)->changed < embargo.t);
    ck_assert_int_eq(tu_errors(), 0);
}
END_TEST

/* Writes an event SLUG published at PUB, starting at START and ending at END (may be
 * NULL). */
static void put_event(const char *slug, const char *pub, const char *start, const char *end)
{
    tu_put(apr_pstrcat(pool, "events/", slug, ".xml", NULL),
           apr_pstrcat(pool, "<event published=\"", pub, "\" start=\"", start, "\"",
                       end ? " end=\"" : "", end ? end : "", end ? "\"" : "", "><title>", slug,
                       "</title></event>\n", NULL));
}

/* Writes a press release SLUG published at PUB. */
static void put_release(const char *slug, const char *pub)
{
    tu_put(apr_pstrcat(pool, "press/", slug, ".xml", NULL),
           apr_pstrcat(pool, "<press-release published=\"", pub, "\"><title>", slug,
                       "</title></press-release>\n", NULL));
}

/* Checks the upcoming and past split of events and the order of every list. */
START_TEST(test_lists_order)
{
    bl_site_t *site;
    bl_time_t t;
    int i;

    good_folder();
    ck_assert_int_eq(apr_file_remove(tu_full("events/march.xml"), pool), APR_SUCCESS);
    ck_assert_int_eq(apr_file_remove(tu_full("press/launch.xml"), pool), APR_SUCCESS);
    put_event("past-old", "2015-04-01T10:00:00Z", "2015-05-01T10:00:00-04:00", NULL);
    put_event("past-new", "2015-04-02T10:00:00Z", "2015-06-01T10:00:00-04:00",
              "2015-06-01T12:00:00-04:00");
    /* started this morning, no end: over */
    put_event("past-today", "2015-04-03T10:00:00Z", "2015-07-15T07:00:00-04:00", NULL);
    /* started yesterday, ends tomorrow: still upcoming */
    put_event("running", "2015-04-04T10:00:00Z", "2015-07-14T10:00:00-04:00",
              "2015-07-16T10:00:00-04:00");
    put_event("soon", "2015-04-05T10:00:00Z", "2015-07-20T10:00:00-04:00", NULL);
    put_event("later", "2015-04-06T10:00:00Z", "2015-08-01T10:00:00-04:00",
              "2015-08-01T11:00:00-04:00");
    put_release("pr-mid", "2015-06-01T10:00:00-04:00");
    put_release("pr-new", "2015-07-01T10:00:00-04:00");
    put_release("pr-old", "2015-05-01T10:00:00-04:00");
    site = load();
    ck_assert_int_eq(tu_errors(), 0);
    ck_assert_str_eq(upcoming_names(site), "running soon later");
    ck_assert_str_eq(past_names(site), "past-today past-new past-old");
    ck_assert_str_eq(names(releases_of(site)), "pr-new pr-mid pr-old");
    ck_assert_str_eq(names(site->items), "pr-new pr-mid pr-old later soon running "
                                         "past-today past-new past-old");
    for (i = 1; i < site->items->nelts; i++) {
        ck_assert(APR_ARRAY_IDX(site->items, i - 1, bl_file_t *)->item.published.t
                  >= APR_ARRAY_IDX(site->items, i, bl_file_t *)->item.published.t);
    }
    /* the next change is when "running" ends and becomes past */
    ck_assert_int_eq(bl_time_parse("2015-07-16T10:00:00-04:00", &t), APR_SUCCESS);
    ck_assert(site->next_change == t.t);
    site = tu_load_at(site, t.t, NULL);
    ck_assert_str_eq(upcoming_names(site), "soon later");
    /* past events are ordered by start, latest first */
    ck_assert_str_eq(past_names(site), "past-today running past-new past-old");
}
END_TEST

/* Checks that files not named [a-z0-9][a-z0-9-]*.xml are ignored, with a warning
 * unless they are hidden files or editor backups. */
START_TEST(test_ignored_names)
{
    bl_site_t *site;

    good_folder();
    tu_put("pages/About.xml", "<page><title>About</title></page>\n");
    tu_put("pages/my page.xml", "<page><title>Mine</title></page>\n");
    tu_put("pages/.#index.xml", "<page><title>Lock</title></page>\n");
    tu_put("pages/index.xml~", "<page><title>Backup</title></page>\n");
    tu_sink.warnings = 1;
    site = load();
    ck_assert_int_eq(tu_errors(), 0);
    ck_assert_int_eq(tu_diags->nelts, 2);
    ck_assert_int_eq(count_diags("pages/About.xml", "ignored"), 1);
    ck_assert_int_eq(count_diags("pages/my page.xml", "ignored"), 1);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "About"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "about.xml"));
    ck_assert_str_eq(title_of(bl_site_get(site, BL_KIND_PAGE, "index"), "en"), "Home");
}
END_TEST

/* Checks that a file over 4 MiB is refused before it is parsed. */
START_TEST(test_too_big)
{
    apr_size_t n = BL_MAX_FILE_BYTES + 1;
    char *xml = apr_palloc(pool, n + 1);
    const char *head = "<page><title>Big</title></page>";
    bl_site_t *site;

    memset(xml, ' ', n);
    memcpy(xml, head, strlen(head));
    xml[n - 1] = '\n';
    xml[n] = '\0';
    good_folder();
    tu_put("pages/big.xml", xml);
    site = load();
    the_diag("pages/big.xml", "too big");
    ck_assert_int_eq(tu_errors(), 1);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "big"));
}
END_TEST

/* Checks that a content file which is a symbolic link to a file outside the content
 * folder is not served (SPEC 7: files outside the content folder are refused). */
START_TEST(test_symlink_outside)
{
    const char *outside = apr_pstrcat(pool, tu_dir, "-outside.xml", NULL);
    bl_site_t *site;
    FILE *f;

    good_folder();
    f = fopen(outside, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<page><title>Outside</title></page>\n", f);
    fclose(f);
    ck_assert_int_eq(symlink(outside, tu_full("pages/outside.xml")), 0);
    site = load();
    unlink(outside);
    ck_assert_msg(bl_site_get(site, BL_KIND_PAGE, "outside") == NULL,
                  "a file outside the content folder is served through a symlink");
}
END_TEST

/* Returns the suite of content loading. */
Suite *content_suite(void)
{
    Suite *s = suite_create("content");
    TCase *bad = tu_folder_tcase(s, "bad-content", tu_folder_setup);
    TCase *reload = tu_folder_tcase(s, "reload", tu_folder_setup);

    tcase_add_test(bad, test_good_folder);
    tcase_add_test(bad, test_missing_folder);
    tcase_add_test(bad, test_billion_laughs);
    tcase_add_test(bad, test_xxe);
    tcase_add_test(bad, test_deep_nesting);
    tcase_add_test(bad, test_malformed);
    tcase_add_test(bad, test_bad_dates);
    tcase_add_test(bad, test_bad_structure);
    tcase_add_test(bad, test_unknown_include);
    tcase_add_test(bad, test_include_cycle);
    tcase_add_test(bad, test_ignored_names);
    tcase_add_test(bad, test_too_big);
    tcase_add_test(bad, test_symlink_outside);
    tcase_add_test(reload, test_last_good_version);
    tcase_add_test(reload, test_never_parsed);
    tcase_add_test(reload, test_removed);
    tcase_add_test(reload, test_cycle_closed_by_edit);
    tcase_add_test(reload, test_draft_and_embargo);
    tcase_add_test(reload, test_lists_order);
    return s;
}
