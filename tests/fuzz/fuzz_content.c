/* fuzz_content.c: libFuzzer target for one content file, loaded and rendered as
 * every output.
 *
 * A small folder (site.xml, layout.xml, a header fragment the layout includes, a home
 * page listing events) is written once under /dev/shm. Each input's first byte picks
 * the file it stands for (a page, an event, a press release, the fragment, the layout);
 * the rest is written there, the folder is loaded (first from nothing, then over the
 * previous snapshot, as a reload does), and every kind of response is rendered in two
 * languages: home, the page, both lists, both items, the three feeds, the calendar,
 * the sitemap and a 404. Nothing may crash, leak past the pool, or make a writer fail
 * for another reason than the response cap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <libxml/parser.h>

#include "bl_content.h"
#include "bl_limits.h"
#include "bl_respond.h"

#define PROMISE(x) ((x) ? (void)0 : __builtin_trap())

static apr_pool_t *pool;
static char dir[128];
static bl_site_t *prev;

static const char *const targets[] = { "pages/x.xml", "events/x.xml", "press/x.xml",
                                       "fragments/header.xml", "layout.xml" };

/* Writes TEXT (LEN bytes) to REL under the folder. */
static void put(const char *rel, const char *text, size_t len)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    f = fopen(path, "wb");
    if (f != NULL) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
}

/* Writes the folder every input is loaded with. */
static void baseline(void)
{
    static const char *site = "<site><name xml:lang=\"es\">S</name><name xml:lang=\"en\">S</name>"
                              "<tag-authority>example.org,2015</tag-authority>"
                              "<author><name>A</name></author></site>";
    static const char *layout = "<html><head><title><insert name=\"title\"/></title>"
                                "<insert name=\"head\"/></head><body><include fragment=\"header\"/>"
                                "<insert name=\"languages\"/><insert name=\"body\"/></body></html>";
    static const char *header =
        "<fragment><p xml:lang=\"es\">h</p><p xml:lang=\"en\">h</p></fragment>";
    static const char *index = "<page><title>I</title><body><list kind=\"events\" count=\"3\"/>"
                               "<list kind=\"press\"/></body></page>";

    put("site.xml", site, strlen(site));
    put("layout.xml", layout, strlen(layout));
    put("fragments/header.xml", header, strlen(header));
    put("pages/index.xml", index, strlen(index));
}

/* Drops the last snapshot and removes the folder at exit, so the leak checker sees
 * only real leaks. */
static void cleanup(void)
{
    char cmd[160];

    bl_site_unref(prev);
    prev = NULL;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        return;
    }
}

/* Makes the folder under /dev/shm (or /tmp). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *const sub[] = { "pages", "events", "press", "fragments" };
    char path[256];
    size_t i;

    (void)argc;
    (void)argv;
    apr_initialize();
    xmlInitParser();
    apr_pool_create(&pool, NULL);
    snprintf(dir, sizeof(dir), "%s/bl-fuzz-%ld",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (long)getpid());
    mkdir(dir, 0700);
    for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, sub[i]);
        mkdir(path, 0700);
    }
    baseline();
    atexit(cleanup);
    return 0;
}

/* Renders ROUTE (kind, item, name) in language LANG of SITE, page PAGE of a list. */
static void render_page(bl_site_t *site, bl_route_kind_t kind, int item, const char *name,
                        int lang, int page)
{
    bl_out_t *out = bl_out_create(BL_MAX_RESPONSE_BYTES, pool);
    const char *ctype;
    apr_time_t lm;
    bl_req_t req;
    int status;

    memset(&req, 0, sizeof(req));
    req.langs = &bl_lang_defaults;
    req.langs_key = bl_lang_defaults_key;
    req.base = "https://campaign.example";
    req.feed_size = 2;
    req.list_size = 1;
    req.page = page;
    req.self = "/x/%3c%22#y";
    bl_route_set(&req.route, kind, lang, item, name);
    bl_respond_resolve(site, &req);
    PROMISE(bl_respond_render(site, &req, out, &status, &ctype, &lm, pool) == APR_SUCCESS
            || bl_out_status(out) == APR_ENOSPC);
    PROMISE(status == 200 || status == 404);
    bl_out_reset(out);
}

/* Renders the first page of ROUTE. */
static void render(bl_site_t *site, bl_route_kind_t kind, int item, const char *name, int lang)
{
    render_page(site, kind, item, name, lang, 1);
}

/* Renders the second page of each list, and every year of each kind's archive. */
static void render_archives(bl_site_t *site, int lang)
{
    const apr_array_header_t *years;
    char year[16];
    int k, i;

    for (k = BL_KIND_FIRST_ITEM; k < BL_KIND_COUNT; k++) {
        render_page(site, BL_R_LIST, k, NULL, lang, 2);
        years = bl_site_list(site, k)->years;
        for (i = 0; years != NULL && i < years->nelts; i++) {
            snprintf(year, sizeof(year), "%d", APR_ARRAY_IDX(years, i, bl_year_t).year);
            render_page(site, BL_R_ARCHIVE, k, year, lang, 1);
            render_page(site, BL_R_ARCHIVE, k, year, lang, 2);
        }
    }
}

/* Renders every kind of response in both languages. */
static void render_all(bl_site_t *site)
{
    int lang;

    for (lang = 0; lang < 2; lang++) {
        render(site, BL_R_HOME, -1, NULL, lang);
        render(site, BL_R_PAGE, -1, "x", lang);
        render(site, BL_R_LIST, BL_KIND_EVENT, NULL, lang);
        render(site, BL_R_LIST, BL_KIND_PRESS, NULL, lang);
        render(site, BL_R_ITEM, BL_KIND_EVENT, "x", lang);
        render(site, BL_R_ITEM, BL_KIND_PRESS, "x", lang);
        render(site, BL_R_FEED, -1, NULL, lang);
        render(site, BL_R_FEED, BL_KIND_EVENT, NULL, lang);
        render(site, BL_R_FEED, BL_KIND_PRESS, NULL, lang);
        render(site, BL_R_CALENDAR, BL_KIND_EVENT, NULL, lang);
        render(site, BL_R_ITEM_CALENDAR, BL_KIND_EVENT, "x", lang);
        render_archives(site, lang);
        render(site, BL_R_SITEMAP, -1, NULL, lang);
        render(site, BL_R_NOTFOUND, -1, NULL, lang);
    }
}

/* One input: the first byte picks the file, the rest is its bytes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *rel;
    bl_site_t *site = NULL;
    bl_sink_t sink;
    char path[256];
    int changed;

    if (size < 1) {
        return 0;
    }
    rel = targets[data[0] % (sizeof(targets) / sizeof(targets[0]))];
    put(rel, (const char *)data + 1, size - 1);
    memset(&sink, 0, sizeof(sink));
    sink.warnings = 1;
    sink.langs = &bl_lang_defaults;
    if (bl_site_load(&site, &changed, dir, prev, apr_time_now(), &sink) == APR_SUCCESS) {
        render_all(site);
        bl_site_unref(prev);
        prev = site;
    }
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    unlink(path);
    baseline();
    apr_pool_clear(pool);
    return 0;
}
