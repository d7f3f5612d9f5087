/* testutil.c: what the suites of the core's unit tests share (see testutil.h). */
#include <string.h>
#include <unistd.h>

#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <libxml/parser.h>

#include "bl_items.h"
#include "bl_limits.h"
#include "bl_select.h"
#include "bl_xml.h"
#include "testutil.h"

apr_pool_t *pool;
const bl_langs_t tu_es_en = { 2, { "es", "en" } };
const char *tu_dir;
apr_array_header_t *tu_diags;
bl_sink_t tu_sink;

static apr_pool_t *root_pool;
static const char *root; /* made once per test case, in the parent */

/* Creates the pool each test uses. */
void tu_setup(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
}

/* Destroys what tu_setup created. */
void tu_teardown(void)
{
    apr_pool_destroy(pool);
    apr_terminate();
}

/* Removes the directory tree at PATH. */
static void remove_tree(const char *path)
{
    apr_pool_t *p;
    apr_dir_t *d;
    apr_finfo_t fi;
    const char *child;

    apr_pool_create(&p, NULL);
    if (apr_dir_open(&d, path, p) == APR_SUCCESS) {
        while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, d) == APR_SUCCESS) {
            if (strcmp(fi.name, ".") == 0 || strcmp(fi.name, "..") == 0) {
                continue;
            }
            child = apr_pstrcat(p, path, "/", fi.name, NULL);
            if (fi.filetype == APR_DIR) {
                remove_tree(child);
            }
            else {
                apr_file_remove(child, p);
            }
        }
        apr_dir_close(d);
    }
    apr_dir_remove(path, p);
    apr_pool_destroy(p);
}

/* Creates the folder under /tmp that holds every test's content folder; it runs
 * once in the parent process, so the folders go even when a forked test fails. */
void tu_make_root(void)
{
    apr_pool_create(&root_pool, NULL);
    root = apr_psprintf(root_pool, "/tmp/bl-unit-%ld-%" APR_TIME_T_FMT, (long)getpid(),
                        apr_time_now());
    ck_assert_int_eq(apr_dir_make_recursive(root, APR_OS_DEFAULT, root_pool), APR_SUCCESS);
}

/* Removes the folder tu_make_root created, with everything the tests left in it. */
void tu_remove_root(void)
{
    remove_tree(root);
    apr_pool_destroy(root_pool);
}

/* Keeps a copy of DIAG in tu_diags. */
static void collect(void *baton, const bl_diag_t *diag)
{
    bl_diag_t *d = apr_array_push(tu_diags);

    (void)baton;
    d->path = apr_pstrdup(pool, diag->path);
    d->line = diag->line;
    d->col = diag->col;
    d->level = diag->level;
    d->msg = apr_pstrdup(pool, diag->msg);
}

/* Runs tu_setup, then creates a fresh folder under the root and the sink. */
void tu_folder_setup(void)
{
    tu_setup();
    tu_dir = apr_psprintf(pool, "%s/%ld", root, (long)getpid());
    ck_assert_int_eq(apr_dir_make_recursive(tu_dir, APR_OS_DEFAULT, pool), APR_SUCCESS);
    tu_diags = apr_array_make(pool, 8, sizeof(bl_diag_t));
    memset(&tu_sink, 0, sizeof(tu_sink));
    tu_sink.cb = collect;
    tu_sink.langs = &tu_es_en;
}

/* Removes the folder and destroys what tu_folder_setup created. */
void tu_folder_teardown(void)
{
    remove_tree(tu_dir);
    tu_teardown();
}

/* Adds to S a test case NAME with the checked fixture SETUP and TEARDOWN. */
TCase *tu_tcase(Suite *s, const char *name, SFun setup, SFun teardown)
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, setup, teardown);
    suite_add_tcase(s, tc);
    return tc;
}

/* Adds to S a test case NAME of content-folder tests under a root of their own. */
TCase *tu_folder_tcase(Suite *s, const char *name, SFun setup)
{
    TCase *tc = tu_tcase(s, name, setup, tu_folder_teardown);

    tcase_add_unchecked_fixture(tc, tu_make_root, tu_remove_root);
    return tc;
}

/* Returns N copies of the string S, from the pool. */
char *tu_repeat(const char *s, int n)
{
    apr_size_t len = strlen(s);
    char *out = apr_palloc(pool, len * (apr_size_t)n + 1);
    int i;

    for (i = 0; i < n; i++) {
        memcpy(out + len * (apr_size_t)i, s, len);
    }
    out[len * (apr_size_t)n] = '\0';
    return out;
}

/* Returns the full path of REL in the content folder. */
const char *tu_full(const char *rel)
{
    return apr_pstrcat(pool, tu_dir, "/", rel, NULL);
}

/* Writes TEXT to REL in the content folder, creating its subfolder. */
void tu_put(const char *rel, const char *text)
{
    const char *path = tu_full(rel);
    char *parent = apr_pstrdup(pool, path);
    apr_file_t *f;

    *strrchr(parent, '/') = '\0';
    ck_assert_int_eq(apr_dir_make_recursive(parent, APR_OS_DEFAULT, pool), APR_SUCCESS);
    ck_assert_int_eq(
        apr_file_open(&f, path,
                      APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE | APR_FOPEN_BINARY,
                      APR_OS_DEFAULT, pool),
        APR_SUCCESS);
    ck_assert_int_eq(apr_file_write_full(f, text, strlen(text), NULL), APR_SUCCESS);
    apr_file_close(f);
}

/* Drops a reference to the snapshot SITE, as a pool cleanup. */
static apr_status_t unref_site(void *site)
{
    bl_site_unref(site);
    return APR_SUCCESS;
}

/* Loads the folder at time T over PREV, fails the test on an error, and returns the
 * snapshot (its reference is dropped with the pool); *CHANGED gets the flag. */
bl_site_t *tu_load_at(bl_site_t *prev, apr_time_t t, int *changed)
{
    bl_site_t *site = NULL;
    int ch = -1;

    ck_assert_int_eq(bl_site_load(&site, &ch, tu_dir, prev, t, &tu_sink), APR_SUCCESS);
    ck_assert_ptr_nonnull(site);
    ck_assert(ch == 0 || ch == 1);
    apr_pool_cleanup_register(pool, site, unref_site, apr_pool_cleanup_null);
    if (changed != NULL) {
        *changed = ch;
    }
    return site;
}

/* Returns the number of error diagnostics in tu_diags. */
int tu_errors(void)
{
    int i, n = 0;

    for (i = 0; i < tu_diags->nelts; i++) {
        n += APR_ARRAY_IDX(tu_diags, i, bl_diag_t).level == BL_LOG_ERR;
    }
    return n;
}

/* Drops a reference to the file record FILE, as a pool cleanup. */
static apr_status_t unref_file(void *file)
{
    bl_file_unref(file);
    return APR_SUCCESS;
}

/* Returns where a file of KIND named NAME lives in a content folder. */
static const char *rel_of(bl_kind_t kind, const char *name)
{
    const bl_kind_info_t *k = bl_kind(kind);

    if (k->file != NULL) {
        return k->file;
    }
    return apr_pstrcat(pool, k->folder, "/", name, ".xml", NULL);
}

/* Returns a file of KIND named NAME parsed from XML and indexed, its reference dropped
 * with the pool. */
bl_file_t *tu_make_file(bl_kind_t kind, const char *name, const char *xml)
{
    bl_file_t *f = bl_file_create(kind, name, "/unit", rel_of(kind, name));
    xmlNodePtr bad = NULL;
    bl_diag_t diag;

    ck_assert_ptr_nonnull(f);
    apr_pool_cleanup_register(pool, f, unref_file, apr_pool_cleanup_null);
    ck_assert_msg(bl_xml_parse(f->path, xml, strlen(xml), f->arena, &f->doc, &diag, pool)
                      == APR_SUCCESS,
                  "did not parse: %s", xml);
    f->root = xmlDocGetRootElement(f->doc);
    ck_assert_ptr_nonnull(f->root);
    ck_assert_int_eq(bl_select_index(f->root, f->arena, &bad, pool), APR_SUCCESS);
    return f;
}

/* Returns an empty snapshot with the tag authority example.org,2015, its reference
 * dropped with the pool. */
bl_site_t *tu_make_site(void)
{
    bl_site_t *site = bl_site_create("/unit");

    ck_assert_ptr_nonnull(site);
    apr_pool_cleanup_register(pool, site, unref_site, apr_pool_cleanup_null);
    site->info.authority = "example.org,2015";
    site->info.author_name = "";
    return site;
}

/* Serves FILE in SITE, which holds a reference of its own. */
void tu_site_add(bl_site_t *site, bl_file_t *file)
{
    bl_file_ref(file);
    apr_hash_set(site->files, file->rel, APR_HASH_KEY_STRING, file);
    apr_hash_set(site->served, file->rel, APR_HASH_KEY_STRING, file);
}

/* Derives SITE at NOW, keeping the test's settings when there is no site.xml. */
void tu_site_derive(bl_site_t *site, apr_time_t now)
{
    bl_siteinfo_t info = site->info;

    bl_site_derive(site, NULL, now);
    if (site->site == NULL) {
        site->info = info;
    }
}

/* Returns an empty buffer capped at BL_MAX_RESPONSE_BYTES. */
bl_out_t *tu_out(void)
{
    return bl_out_create(BL_MAX_RESPONSE_BYTES, pool);
}

/* Flattens OUT into the pool. */
const char *tu_flat(const bl_out_t *out)
{
    apr_size_t len = 0;
    const char *s;

    ck_assert_int_eq(bl_out_status(out), APR_SUCCESS);
    s = bl_out_flatten(out, &len, pool);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq((int)strlen(s), (int)len);
    ck_assert_int_eq((int)bl_out_length(out), (int)len);
    return s;
}

/* Returns a context over SITE in language LANG of LANGS with FEED_SIZE entries per
 * feed page. */
bl_ctx_t *tu_make_ctx(const bl_site_t *site, const bl_langs_t *langs, int lang, int feed_size)
{
    bl_ctx_t *ctx = apr_pcalloc(pool, sizeof(*ctx));

    ctx->pool = pool;
    ctx->site = site;
    ctx->langs = langs;
    ctx->lang = lang;
    ctx->base = TU_BASE;
    ctx->feed_size = feed_size;
    return ctx;
}
