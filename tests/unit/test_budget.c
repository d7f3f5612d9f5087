/* test_budget.c: unit tests of the load-time render budget and of the output buffer
 * (bl_validate.c, bl_content.c, bl_select.c, bl_out.c).
 *
 * Content folders are written under /tmp and loaded with bl_site_load: a page whose
 * includes multiply out past BL_MAX_EXPANDED_BYTES or BL_MAX_EXPANDED_NODES, fragments
 * nested deeper than BL_MAX_INCLUDE_DEPTH, an include of a fragment that never parsed,
 * a page of hundreds of thousands of siblings and a sibling group in more than
 * BL_MAX_GROUP_LANGS languages are each refused when they load, at the right file,
 * line and column, and are never served; a cycle closed between a new version and an
 * old one that is still served is refused too, and the old versions stay. Language
 * selection over 180,000 siblings of one group is timed (it was quadratic), and a
 * 10 MB response is written through bl_out in small writes: its length, its bytes,
 * the memory it holds (about the output, never a copy per write), and its cap.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "bl_content.h"
#include "bl_html.h"
#include "bl_limits.h"
#include "bl_markup.h"
#include "bl_out.h"
#include "bl_select.h"
#include "bl_xml.h"
#include "tests.h"
#include "testutil.h"

/* 2015-07-15T12:00:00Z: "now" for every load */
#define NOW apr_time_from_sec(1436961600)

/* Writes site.xml and layout.xml, so that a folder of nothing else loads cleanly. */
static void base_folder(void)
{
    tu_put("site.xml", "<site>\n"
                       "  <name xml:lang=\"es\">Justicia</name>\n"
                       "  <name xml:lang=\"en\">Justice</name>\n"
                       "  <tag-authority>example.org,2015</tag-authority>\n"
                       "  <author><name>Ann</name></author>\n"
                       "</site>\n");
    tu_put("layout.xml", "<html>\n"
                         "<head><title><insert name=\"title\"/></title><insert name=\"head\"/></head>\n"
                         "<body><insert name=\"body\"/></body>\n"
                         "</html>\n");
}

/* Writes page NAME whose body is BODY. */
static void put_page(const char *name, const char *body)
{
    tu_put(apr_pstrcat(pool, "pages/", name, ".xml", NULL),
           apr_pstrcat(pool, "<page>\n<title>", name, "</title>\n<body>", body, "</body>\n</page>\n",
                       NULL));
}

/* Sets the mtime of REL to the epoch second SEC, so that its stamp surely changes. */
static void stamp(const char *rel, long sec)
{
    ck_assert_int_eq(apr_file_mtime_set(tu_full(rel), apr_time_from_sec(sec), pool), APR_SUCCESS);
}

/* Returns the only error diagnostic about REL containing NEEDLE; fails otherwise. */
static const bl_diag_t *the_error(const char *rel, const char *needle)
{
    const char *path = tu_full(rel);
    const bl_diag_t *found = NULL;
    bl_diag_t *d;
    int i;

    for (i = 0; i < tu_diags->nelts; i++) {
        d = &APR_ARRAY_IDX(tu_diags, i, bl_diag_t);
        if (d->level == BL_LOG_ERR && strcmp(d->path, path) == 0 && strstr(d->msg, needle) != NULL) {
            ck_assert_msg(found == NULL, "reported twice: %s: %s", rel, needle);
            found = d;
        }
    }
    ck_assert_msg(found != NULL, "no error about %s containing \"%s\" (%d diagnostics%s%s)", rel,
                  needle, tu_diags->nelts, tu_diags->nelts ? ", first: " : "",
                  tu_diags->nelts ? APR_ARRAY_IDX(tu_diags, 0, bl_diag_t).msg : "");
    return found;
}

/* Returns the number of error diagnostics (about any file) containing NEEDLE. */
static int count_errors(const char *needle)
{
    int i, n = 0;
    const bl_diag_t *d;

    for (i = 0; i < tu_diags->nelts; i++) {
        d = &APR_ARRAY_IDX(tu_diags, i, bl_diag_t);
        n += d->level == BL_LOG_ERR && strstr(d->msg, needle) != NULL;
    }
    return n;
}

/* Returns the text of fragment NAME as SITE serves it, or NULL when it is not served. */
static const char *fragment_text(const bl_site_t *site, const char *name)
{
    bl_file_t *f = bl_site_get(site, BL_KIND_FRAGMENT, name);

    return f ? bl_xml_text(f->root, pool) : NULL;
}

/* Writes fragment NAME whose root holds BODY. */
static void put_fragment(const char *name, const char *body)
{
    tu_put(apr_pstrcat(pool, "fragments/", name, ".xml", NULL),
           apr_pstrcat(pool, "<fragment>", body, "</fragment>\n", NULL));
}

/* Checks that fragments which multiply each other out past the budget are refused at
 * the include that passes it, and that what includes them is not served. */
START_TEST(test_expanded_size)
{
    const bl_diag_t *d;
    bl_site_t *site;
    int k;

    base_folder();
    /* b0..b4 each include the next ten times, one include a line; b5 is a paragraph.
     * b1 expands to about 700 KB and 74,000 nodes, within the budget; b0 passes it at
     * its second include, on line 3, and so does the page at its one include of b0. */
    for (k = 0; k < 5; k++) {
        put_fragment(apr_psprintf(pool, "b%d", k),
                     apr_pstrcat(pool, "\n",
                                 tu_repeat(apr_psprintf(pool, "<include fragment=\"b%d\"/>\n", k + 1),
                                           10),
                                 NULL));
    }
    put_fragment("b5", "\n<p>x</p>\n");
    put_page("big", "<p>Big</p><include fragment=\"b0\"/>");
    /* a page that passes the budget by itself: b1 twice, at its second include */
    put_page("twice", "\n<include fragment=\"b1\"/>\n  <include fragment=\"b1\"/>\n");
    put_page("once", "<include fragment=\"b1\"/>");
    site = tu_load_at(NULL, NOW, NULL);
    d = the_error("fragments/b0.xml", "expanded size");
    ck_assert_int_eq(d->line, 3);
    ck_assert_int_eq(d->col, 1);
    d = the_error("pages/twice.xml", "expanded size");
    ck_assert_int_eq(d->line, 5);
    ck_assert_int_eq(d->col, 3);
    ck_assert_ptr_nonnull(strstr(d->msg, "<include>"));
    /* the page that includes b0 passes the budget too, at that include */
    d = the_error("pages/big.xml", "expanded size");
    ck_assert_int_eq(d->line, 3);
    ck_assert_int_eq(d->col, 17);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_FRAGMENT, "b0"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "big"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "twice"));
    /* within the budget: served */
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_FRAGMENT, "b1"));
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_PAGE, "once"));
    ck_assert_int_eq(tu_errors(), 3);
}
END_TEST

/* Writes a chain of N fragments PREFIX00.. each including the next, the last holding a
 * paragraph, and page NAME including the first. */
static void put_chain(const char *prefix, int n, const char *name)
{
    int k;

    for (k = 0; k < n; k++) {
        put_fragment(apr_psprintf(pool, "%s%02d", prefix, k),
                     k + 1 < n ? apr_psprintf(pool, "<i>%d</i>\n<include fragment=\"%s%02d\"/>", k,
                                              prefix, k + 1)
                               : apr_psprintf(pool, "<i>%d</i>", k));
    }
    put_page(name, apr_psprintf(pool, "<include fragment=\"%s00\"/>", prefix));
}

/* Checks that a chain of 18 fragments is refused as nesting too deep, and one of 16,
 * the most a page may nest, is served and written whole. */
START_TEST(test_include_depth)
{
    const bl_diag_t *d = NULL;
    bl_site_t *site;
    int i, status = 0;
    bl_out_t *out = tu_out();
    bl_ctx_t *ctx;
    bl_route_t route;
    const char *html;

    base_folder();
    put_chain("c", 18, "deep");
    put_chain("d", BL_MAX_INCLUDE_DEPTH, "ok");
    site = tu_load_at(NULL, NOW, NULL);
    ck_assert_int_eq(count_errors("nest deeper"), 1);
    for (i = 0; i < tu_diags->nelts; i++) {
        if (strstr(APR_ARRAY_IDX(tu_diags, i, bl_diag_t).msg, "nest deeper") != NULL) {
            d = &APR_ARRAY_IDX(tu_diags, i, bl_diag_t);
        }
    }
    /* at an include of the c chain: line 2, column 1 of its fragment */
    ck_assert_ptr_nonnull(strstr(d->path, "/fragments/c"));
    ck_assert_int_eq(d->line, 2);
    ck_assert_int_eq(d->col, 1);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_FRAGMENT, "c00"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "deep"));
    /* no other chain is refused, and the deepest allowed renders every level */
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_FRAGMENT, "d00"));
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_PAGE, "ok"));
    ctx = tu_make_ctx(site, &tu_es_en, 0, 20);
    bl_route_set(&route, BL_R_PAGE, 0, -1, "ok");
    ck_assert_int_eq(bl_html_write(ctx, &route, out, &status), APR_SUCCESS);
    ck_assert_int_eq(status, 200);
    html = tu_flat(out);
    for (i = 0; i < BL_MAX_INCLUDE_DEPTH; i++) {
        ck_assert_msg(strstr(html, apr_psprintf(pool, "<i>%d</i>", i)) != NULL, "level %d missing",
                      i);
    }
}
END_TEST

/* Checks that an include of a fragment that exists but never parsed keeps the page
 * from being served, with an error that names the fragment. */
START_TEST(test_include_broken)
{
    const bl_diag_t *d;
    bl_site_t *site;

    base_folder();
    tu_put("fragments/broken.xml", "<fragment><p>x</fragment>\n");
    put_page("uses", "\n<p>Before</p>\n<include fragment=\"broken\"/>\n");
    site = tu_load_at(NULL, NOW, NULL);
    the_error("fragments/broken.xml", "");
    d = the_error("pages/uses.xml", "fragments/broken.xml");
    ck_assert_int_eq(d->line, 5);
    ck_assert_int_eq(d->col, 1);
    ck_assert_ptr_nonnull(strstr(d->msg, "not served"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_FRAGMENT, "broken"));
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "uses"));
    ck_assert_int_eq(tu_errors(), 2);
}
END_TEST

/* Checks that pages of too many siblings are refused: 200,000 paragraphs (4.4 MB, so
 * the file-size cap of the budget refuses it before it is parsed), and 60,000 (120,000
 * elements and texts in a file small enough to parse) by the expanded-size budget. */
START_TEST(test_many_siblings_refused)
{
    bl_site_t *site;
    const bl_diag_t *d;

    base_folder();
    put_page("huge", tu_repeat("<p xml:lang=\"fr\">x</p>", 200000));
    put_page("many", tu_repeat("<p xml:lang=\"fr\">x</p>", 120000));
    put_page("wide", tu_repeat("<p xml:lang=\"fr\">xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                               "xxxxxxxxxxxxxxxx</p>", 20000)); /* 60,000 nodes, 1.7 MB */
    put_page("fine", tu_repeat("<p xml:lang=\"fr\">x</p>", 1000));
    site = tu_load_at(NULL, NOW, NULL);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "huge"));
    d = the_error("pages/huge.xml", "");
    ck_assert_msg(strstr(d->msg, "too big") != NULL || strstr(d->msg, "expanded size") != NULL,
                  "refused for another reason: %s", d->msg);
    /* the parser stops at the element past the budget: the tree never grows beyond it */
    d = the_error("pages/many.xml", "more than 100000 elements, attributes and texts");
    ck_assert_int_eq(d->line, 3); /* the body's line, past the 33,330th paragraph (3 nodes) */
    ck_assert_int_gt(d->col, 33300 * 22);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "many"));
    /* a file over the budget by itself fails its own checks: its tree is not kept */
    d = the_error("pages/wide.xml", "passes the budget by itself");
    ck_assert_int_eq(d->line, 1);
    ck_assert_int_eq(d->col, 1);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "wide"));
    ck_assert_ptr_null(apr_hash_get(site->files, "pages/wide.xml", APR_HASH_KEY_STRING));
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_PAGE, "fine"));
    ck_assert_int_eq(tu_errors(), 3);
}
END_TEST

/* Checks that selection over 33,000 siblings of one group (3 nodes each: the parser lets
 * through BL_MAX_EXPANDED_NODES elements, attributes and texts), indexed once, is
 * linear: every one is kept (its group has French only) and written in a small fraction
 * of a second (20,000 took 15 s when each selection scanned the siblings). */
START_TEST(test_many_siblings_linear)
{
    const char *one = "<p xml:lang=\"fr\">x</p>";
    const char *want = "<p lang=\"fr\">x</p>";
    const int n = 33000;
    bl_file_t *f = tu_make_file(BL_KIND_FRAGMENT, "wide",
                                apr_pstrcat(pool, "<fragment>", tu_repeat(one, n), "</fragment>",
                                            NULL));
    bl_ctx_t *ctx = tu_make_ctx(tu_make_site(), &tu_es_en, 1, 20);
    bl_out_t *out = tu_out();
    const char *fb = NULL;
    apr_time_t t0, keep_time, write_time;
    bl_markup_t m;
    xmlNodePtr c;
    int kept = 0;

    t0 = apr_time_now();
    for (c = f->root->children; c != NULL; c = c->next) {
        kept += bl_select_keep(c, "en", "es", &fb);
        ck_assert_ptr_nonnull(fb);
    }
    keep_time = apr_time_now() - t0;
    ck_assert_int_eq(kept, n);
    ck_assert_str_eq(fb, "fr");
    t0 = apr_time_now();
    bl_markup_init(&m, ctx, out, "/en/wide", 0);
    bl_markup_content(&m, f->root);
    write_time = apr_time_now() - t0;
    ck_assert_int_eq(bl_out_status(out), APR_SUCCESS);
    ck_assert_int_eq((int)bl_out_length(out), n * (int)strlen(want));
    ck_assert_str_eq(tu_flat(out), tu_repeat(want, n));
    ck_assert_msg(keep_time < apr_time_from_msec(250), "bl_select_keep took %" APR_TIME_T_FMT " us",
                  keep_time);
    ck_assert_msg(write_time < apr_time_from_msec(250),
                  "bl_markup_content took %" APR_TIME_T_FMT " us", write_time);
}
END_TEST

/* Writes page NAME with a group of N paragraphs in N distinct languages, one a line
 * from line 4 on. */
static void put_languages(const char *name, int n)
{
    const char *body = "\n";
    int i;

    for (i = 0; i < n; i++) {
        body = apr_pstrcat(pool, body,
                           apr_psprintf(pool, "<p xml:lang=\"x-l%02d\">%d</p>\n", i, i), NULL);
    }
    put_page(name, body);
}

/* Checks that a group of 33 languages is an error at its 33rd member, and 32 are fine. */
START_TEST(test_too_many_languages)
{
    const bl_diag_t *d;
    bl_site_t *site;

    base_folder();
    put_languages("babel", BL_MAX_GROUP_LANGS + 1);
    put_languages("most", BL_MAX_GROUP_LANGS);
    site = tu_load_at(NULL, NOW, NULL);
    d = the_error("pages/babel.xml", "more than 32 languages");
    /* <page> line 1, <title> 2, "<body>" and a newline on 3: member i is on line 4 + i */
    ck_assert_int_eq(d->line, 4 + BL_MAX_GROUP_LANGS);
    ck_assert_int_eq(d->col, 1);
    ck_assert_ptr_null(bl_site_get(site, BL_KIND_PAGE, "babel"));
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_PAGE, "most"));
    ck_assert_int_eq(tu_errors(), 1);
}
END_TEST

/* Loads the versions of the cycle case: fragment a (v1) includes b, b (v1) includes
 * nothing; then a v2 that includes the missing x (a fails: its v1 stays) and b v2 that
 * includes a, which closes a cycle with a's served v1. Returns the second snapshot. */
static bl_site_t *cycle_among_served(void)
{
    bl_site_t *one, *two;
    int changed;

    base_folder();
    put_fragment("a", "<p>A1</p>\n<include fragment=\"b\"/>");
    put_fragment("b", "<p>B1</p>");
    put_page("uses", "<include fragment=\"a\"/>");
    one = tu_load_at(NULL, NOW, NULL);
    ck_assert_int_eq(tu_errors(), 0);
    ck_assert_str_eq(fragment_text(one, "a"), "A1");
    ck_assert_str_eq(fragment_text(one, "b"), "B1");
    put_fragment("a", "<p>A2</p>\n<include fragment=\"x\"/>");
    stamp("fragments/a.xml", 1500000000);
    put_fragment("b", "<p>B2</p>\n<include fragment=\"a\"/>");
    stamp("fragments/b.xml", 1500000000);
    two = tu_load_at(one, NOW, &changed);
    ck_assert_int_eq(changed, 1);
    return two;
}

/* Checks that b v2, which closes a cycle with a's old version, is refused, and that b
 * stays served at v1. */
START_TEST(test_cycle_with_old_version)
{
    bl_site_t *site = cycle_among_served();
    const bl_diag_t *d;

    d = the_error("fragments/a.xml", "fragments/x.xml");
    ck_assert_int_eq(d->line, 2);
    ck_assert_int_eq(count_errors("cycle"), 1);
    ck_assert_str_eq(fragment_text(site, "b"), "B1");
    ck_assert_msg(fragment_text(site, "a") == NULL || !strstr(fragment_text(site, "a"), "A2"),
                  "a v2, which includes a missing fragment, is served");
}
END_TEST

/* Checks that a, whose v2 failed, keeps its v1 through the cycle b v2 closed: a v1 and
 * b v1 are what was served, and they make no cycle. */
START_TEST(test_cycle_with_old_version_keeps_a)
{
    bl_site_t *site = cycle_among_served();
    int status = 0;
    bl_out_t *out = tu_out();
    bl_route_t route;

    ck_assert_str_eq(fragment_text(site, "b"), "B1");
    ck_assert_msg(fragment_text(site, "a") != NULL, "a is no longer served at all");
    ck_assert_str_eq(fragment_text(site, "a"), "A1");
    ck_assert_ptr_nonnull(bl_site_get(site, BL_KIND_PAGE, "uses"));
    bl_route_set(&route, BL_R_PAGE, 1, -1, "uses");
    ck_assert_int_eq(bl_html_write(tu_make_ctx(site, &tu_es_en, 1, 20), &route, out, &status),
                     APR_SUCCESS);
    ck_assert_int_eq(status, 200);
    ck_assert_ptr_nonnull(strstr(tu_flat(out), "<p>A1</p>\n<p>B1</p>"));
}
END_TEST

/* Returns the bytes the process has allocated with malloc, mapped chunks included. */
static apr_size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();

    return mi.uordblks + mi.hblkhd;
}

/* Checks a 10 MB response written in small writes: its length, its memory (about the
 * output, not a copy per write), and that bl_out_take hands back exactly its bytes. */
START_TEST(test_out_ten_megabytes)
{
    static const char piece[] = "<li class=\"bl-item\">0123456789</li>\n"; /* 37 bytes */
    const apr_size_t plen = sizeof(piece) - 1;
    const apr_size_t total = 10 * 1000 * 1000;
    apr_size_t before, held, len = 0, i, n = total / plen;
    int measured;
    bl_out_t *out;
    char *bytes;

    before = heap_in_use();
    measured = before > 0; /* mallinfo2 says nothing under valgrind */
    out = bl_out_create(BL_MAX_RESPONSE_BYTES, pool);
    for (i = 0; i < n; i++) {
        bl_out_write(out, piece, plen);
    }
    bl_out_write(out, piece, total - n * plen);
    ck_assert_int_eq(bl_out_status(out), APR_SUCCESS);
    ck_assert_uint_eq(bl_out_length(out), total);
    held = heap_in_use() - before;
    ck_assert_msg(!measured || held < 2 * total + 1024 * 1024,
                  "%lu bytes held for %lu bytes of output", (unsigned long)held,
                  (unsigned long)total);
    ck_assert_msg(!measured || held >= total, "%lu bytes held for %lu bytes of output",
                  (unsigned long)held, (unsigned long)total);
    bytes = bl_out_take(out, &len);
    ck_assert_ptr_nonnull(bytes);
    ck_assert_uint_eq(len, total);
    ck_assert_int_eq(bytes[len], '\0');
    for (i = 0; i < n; i++) {
        if (memcmp(bytes + i * plen, piece, plen) != 0) {
            ck_abort_msg("byte %lu differs", (unsigned long)(i * plen));
        }
    }
    ck_assert_int_eq(memcmp(bytes + n * plen, piece, total - n * plen), 0);
    /* taking empties the buffer and frees its chunks */
    ck_assert_uint_eq(bl_out_length(out), 0);
    ck_assert_msg(!measured || heap_in_use() - before < total + 1024 * 1024,
                  "%lu bytes held after take", (unsigned long)(heap_in_use() - before));
    free(bytes);
}
END_TEST

/* Checks that a write past the cap fails the buffer for good: APR_ENOSPC, nothing
 * more written, nothing to flatten or take. */
START_TEST(test_out_cap)
{
    bl_out_t *out = bl_out_create(100, pool);
    apr_size_t len = 0;

    bl_out_write(out, tu_repeat("a", 60), 60);
    bl_out_puts(out, tu_repeat("b", 40));
    ck_assert_int_eq(bl_out_status(out), APR_SUCCESS);
    ck_assert_uint_eq(bl_out_length(out), 100);
    bl_out_puts(out, "c");
    ck_assert_int_eq(bl_out_status(out), APR_ENOSPC);
    bl_out_reset(out);
    ck_assert_int_eq(bl_out_status(out), APR_SUCCESS);
    bl_out_write(out, tu_repeat("a", 60), 60);
    bl_out_write(out, tu_repeat("b", 60), 60);
    ck_assert_int_eq(bl_out_status(out), APR_ENOSPC);
    ck_assert_uint_eq(bl_out_length(out), 60);
    /* the error sticks: a write that would fit does nothing */
    bl_out_puts(out, "x");
    ck_assert_int_eq(bl_out_status(out), APR_ENOSPC);
    ck_assert_uint_eq(bl_out_length(out), 60);
    ck_assert_ptr_null(bl_out_flatten(out, &len, pool));
    ck_assert_ptr_null(bl_out_take(out, &len));
}
END_TEST

/* Returns the suite of the load-time budget and the output buffer. */
Suite *budget_suite(void)
{
    Suite *s = suite_create("budget");
    TCase *load = tu_folder_tcase(s, "load", tu_folder_setup);
    TCase *select = tu_tcase(s, "select", tu_setup, tu_teardown);
    TCase *out = tu_tcase(s, "out", tu_setup, tu_teardown);

    tcase_set_timeout(load, 60);
    tcase_set_timeout(select, 60);
    tcase_set_timeout(out, 60);
    tcase_add_test(load, test_expanded_size);
    tcase_add_test(load, test_include_depth);
    tcase_add_test(load, test_include_broken);
    tcase_add_test(load, test_many_siblings_refused);
    tcase_add_test(load, test_too_many_languages);
    tcase_add_test(load, test_cycle_with_old_version);
    tcase_add_test(load, test_cycle_with_old_version_keeps_a);
    tcase_add_test(select, test_many_siblings_linear);
    tcase_add_test(out, test_out_ten_megabytes);
    tcase_add_test(out, test_out_cap);
    return s;
}
