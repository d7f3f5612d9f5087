/* testutil.h: what the suites of the core's unit tests share.
 *
 * Every test runs in a pool of its own, made by the checked fixture tu_setup. The
 * suites that load content write it into a fresh folder under /tmp (tu_folder_setup,
 * below a root folder made once per test case by tu_make_root) and load it with a
 * sink that keeps every diagnostic in tu_diags.
 */
#ifndef BL_TESTUTIL_H
#define BL_TESTUTIL_H

#include <check.h>

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "bl_content.h"
#include "bl_ctx.h"
#include "bl_lang.h"
#include "bl_out.h"

/* The base URL of every context the tests build. */
#define TU_BASE "https://campaign.example"

/* The pool of the running test, made by tu_setup and destroyed by tu_teardown. */
extern apr_pool_t *pool;

/* The default configuration: Spanish first, then English. */
extern const bl_langs_t tu_es_en;

/* The content folder of the running test, made by tu_folder_setup. */
extern const char *tu_dir;

/* The diagnostics tu_sink received (bl_diag_t, copied into pool). */
extern apr_array_header_t *tu_diags;

/* The sink tu_load_at loads with: it keeps every diagnostic in tu_diags. */
extern bl_sink_t tu_sink;

/* Creates the pool each test uses. */
void tu_setup(void);

/* Destroys what tu_setup created. */
void tu_teardown(void);

/* Creates the folder under /tmp that holds every test's content folder; as an
 * unchecked fixture it runs once in the parent, so the folders go even when a forked
 * test fails. */
void tu_make_root(void);

/* Removes the folder tu_make_root created, with everything the tests left in it. */
void tu_remove_root(void);

/* Runs tu_setup, then creates a fresh content folder and the collecting sink. */
void tu_folder_setup(void);

/* Removes the content folder and destroys what tu_folder_setup created. */
void tu_folder_teardown(void);

/* Adds to S a test case NAME with the checked fixture SETUP and TEARDOWN and
 * returns it. */
TCase *tu_tcase(Suite *s, const char *name, SFun setup, SFun teardown);

/* Adds to S a test case NAME of content-folder tests, which run SETUP (one that
 * starts with tu_folder_setup) and tu_folder_teardown, and returns it. */
TCase *tu_folder_tcase(Suite *s, const char *name, SFun setup);

/* Returns N copies of the string S, from the pool. */
char *tu_repeat(const char *s, int n);

/* Returns the full path of REL in the content folder. */
const char *tu_full(const char *rel);

/* Writes TEXT to REL in the content folder, creating its subfolder. */
void tu_put(const char *rel, const char *text);

/* Loads the content folder at time T over PREV, fails the test on an error, and
 * returns the snapshot (its reference is dropped with the pool); *CHANGED gets the
 * flag when CHANGED is not NULL. */
bl_site_t *tu_load_at(bl_site_t *prev, apr_time_t t, int *changed);

/* Returns the number of error diagnostics in tu_diags. */
int tu_errors(void);

/* Returns a file record of KIND named NAME (with an arena of its own, made by
 * bl_file_create) parsed from XML by bl_xml_parse, so its elements have positions,
 * and indexed for language selection; its reference is dropped with the pool. */
bl_file_t *tu_make_file(bl_kind_t kind, const char *name, const char *xml);

/* Returns an empty snapshot (bl_site_create) whose tag authority is example.org,2015;
 * its reference is dropped with the pool. */
bl_site_t *tu_make_site(void);

/* Adds FILE to SITE as a served file (the site takes a reference of its own). */
void tu_site_add(bl_site_t *site, bl_file_t *file);

/* Derives SITE's tables, lists and items at NOW (bl_site_derive, no previous
 * snapshot), keeping the site-wide settings the test set when it has no site.xml. */
void tu_site_derive(bl_site_t *site, apr_time_t now);

/* Returns an empty output buffer in the pool, capped at BL_MAX_RESPONSE_BYTES. */
bl_out_t *tu_out(void);

/* Returns the bytes of OUT as a string, failing the test when a write failed or the
 * bytes hold a NUL. */
const char *tu_flat(const bl_out_t *out);

/* Returns a context over SITE in language LANG of LANGS, with base URL TU_BASE and
 * FEED_SIZE entries per feed page. */
bl_ctx_t *tu_make_ctx(const bl_site_t *site, const bl_langs_t *langs, int lang, int feed_size);

#endif
