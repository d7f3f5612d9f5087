/* mod_bilingual_status.c: the admin's view of what is loaded.
 *
 *     <Location /bilingual-status>
 *         SetHandler bilingual-status
 *         Require local
 *     </Location>
 *
 * The page shows, per content folder: the version id and when it was published, the
 * files by kind, every file in error with path:line:col and since when (still serving
 * its last good version or not served), the missing translations, this child's render
 * cache, and the version each child serves. ?auto gives the same as "Key: value" lines
 * for scripts (like mod_status's), ?json as JSON. A section goes into mod_status's
 * /server-status too. Each child writes the version it serves into a small table in
 * shared memory (a slot per child and folder) when it publishes one; a slot whose
 * process is gone is not shown.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "mod_bilingual_private.h"

#include <apr_atomic.h>
#include <apr_optional_hooks.h>
#include <apr_shm.h>
#include <apr_strings.h>
#include <http_core.h>
#include <http_protocol.h>
#include <mod_status.h>

#include "bl_select.h"
#include "bl_xml.h"

#define SLOTS 512

/** One child's version of one folder. */
typedef struct slot_t {
    volatile pid_t pid; /* 0: free */
    char dir[256];      /* the folder (cut at 255 bytes) */
    char version[17];
    apr_time_t published;
    unsigned long generation;
} slot_t;

/** How the page is written. */
typedef enum { OUT_HTML, OUT_AUTO, OUT_JSON } out_kind_t;

/** The writer of one status page. */
typedef struct page_t {
    request_rec *r;
    out_kind_t kind;
    int first; /* no JSON member written yet at this level */
} page_t;

static slot_t *slots; /* in shared memory, made in post_config */
static int in_child;

/* Makes the table of slots for this generation. */
void bl_status_post_config(apr_pool_t *pconf, server_rec *s)
{
    apr_shm_t *shm = NULL;
    apr_status_t rv = apr_shm_create(&shm, sizeof(slot_t) * SLOTS, NULL, pconf);

    slots = NULL;
    in_child = 0;
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     "mod_bilingual: no shared memory for the status page's versions");
        return;
    }
    slots = apr_shm_baseaddr_get(shm);
    memset(slots, 0, sizeof(slot_t) * SLOTS);
}

/* Frees this child's slots when it exits normally. */
static apr_status_t free_slots(void *data)
{
    pid_t me = getpid();
    int i;

    (void)data;
    for (i = 0; slots != NULL && i < SLOTS; i++) {
        if (slots[i].pid == me) {
            slots[i].pid = 0;
        }
    }
    return APR_SUCCESS;
}

/* Writes the version of every folder this child serves, now that it has loaded. */
void bl_status_child_init(apr_pool_t *pchild)
{
    apr_hash_index_t *hi;
    bl_folder_t *f;
    bl_site_t *site;

    in_child = 1;
    apr_pool_cleanup_register(pchild, NULL, free_slots, apr_pool_cleanup_null);
    for (hi = bl_folders ? apr_hash_first(pchild, bl_folders) : NULL; hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&f);
        site = bl_store_acquire(f->store);
        if (site != NULL) {
            bl_status_child_serves(site, bl_store_dir(f->store));
            bl_site_unref(site);
        }
    }
}

/* Returns 1 when the process of slot S is alive. */
static int alive(const slot_t *s)
{
    return s->pid != 0 && (kill(s->pid, 0) == 0 || errno == EPERM);
}

/* Finds this child's slot of DIR, or claims a free or dead one with a compare-and-swap
 * (children start together and may race for the same slot). */
static slot_t *slot_of(const char *dir)
{
    apr_uint32_t me = (apr_uint32_t)getpid(), was;
    int i;

    for (i = 0; i < SLOTS; i++) {
        if (slots[i].pid == (pid_t)me && strncmp(slots[i].dir, dir, sizeof(slots[i].dir) - 1) == 0) {
            return &slots[i];
        }
    }
    for (i = 0; i < SLOTS; i++) {
        was = (apr_uint32_t)slots[i].pid;
        if (alive(&slots[i])
            || apr_atomic_cas32((volatile apr_uint32_t *)&slots[i].pid, me, was) != was) {
            continue;
        }
        slots[i].version[0] = '\0';
        apr_cpystrn(slots[i].dir, dir, sizeof(slots[i].dir));
        return &slots[i];
    }
    return NULL;
}

/* Records the version this child serves of DIR (children only). */
void bl_status_child_serves(const bl_site_t *site, const char *dir)
{
    slot_t *s;

    if (slots == NULL || !in_child || (s = slot_of(dir)) == NULL) {
        return;
    }
    apr_cpystrn(s->version, site->version, sizeof(s->version));
    s->published = site->published;
    s->generation = site->generation;
}

/* Writes S escaped for the page's format. */
static void put_text(page_t *pg, const char *s)
{
    const char *c;
    char buf[8];

    if (pg->kind == OUT_HTML) {
        ap_rputs(ap_escape_html(pg->r->pool, s), pg->r);
        return;
    }
    if (pg->kind == OUT_AUTO) {
        for (c = s; *c; c++) {
            ap_rputc(*c == '\n' || *c == '\r' ? ' ' : *c, pg->r);
        }
        return;
    }
    ap_rputc('"', pg->r);
    for (c = s; *c; c++) {
        if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20) {
            apr_snprintf(buf, sizeof(buf), (*c == '"' || *c == '\\') ? "\\%c" : "\\u%04x",
                         (unsigned char)*c);
            ap_rputs(buf, pg->r);
        }
        else {
            ap_rputc(*c, pg->r);
        }
    }
    ap_rputc('"', pg->r);
}

/* Writes one named value: a table row, a "Key: value" line, or a JSON member. */
static void put_field(page_t *pg, const char *key, const char *val)
{
    if (pg->kind == OUT_HTML) {
        ap_rvputs(pg->r, "<tr><th>", key, "</th><td>", NULL);
        put_text(pg, val);
        ap_rputs("</td></tr>\n", pg->r);
    }
    else if (pg->kind == OUT_AUTO) {
        ap_rvputs(pg->r, key, ": ", NULL);
        put_text(pg, val);
        ap_rputc('\n', pg->r);
    }
    else {
        ap_rvputs(pg->r, pg->first ? "" : ",", "\"", key, "\":", NULL);
        put_text(pg, val);
        pg->first = 0;
    }
}

/* Writes one named number. */
static void put_num(page_t *pg, const char *key, apr_uint64_t n)
{
    const char *s = apr_psprintf(pg->r->pool, "%" APR_UINT64_T_FMT, n);

    if (pg->kind == OUT_JSON) {
        ap_rvputs(pg->r, pg->first ? "" : ",", "\"", key, "\":", s, NULL);
        pg->first = 0;
        return;
    }
    put_field(pg, key, s);
}

/* Returns T as an RFC 7231 date, or "-" for 0. */
static const char *when(request_rec *r, apr_time_t t)
{
    char *s;

    if (t <= 0) {
        return "-";
    }
    s = apr_palloc(r->pool, APR_RFC822_DATE_LEN);
    apr_rfc822_date(s, t);
    return s;
}

/* Opens (or closes) a named group: an HTML heading and table, a JSON object. */
static void put_group(page_t *pg, const char *name, int open)
{
    if (pg->kind == OUT_HTML) {
        ap_rputs(open ? "<h2>" : "</table>\n", pg->r);
        if (open) {
            put_text(pg, name);
            ap_rputs("</h2>\n<table>\n", pg->r);
        }
    }
    else if (pg->kind == OUT_JSON) {
        if (open) {
            ap_rputs(pg->first ? "" : ",", pg->r);
            put_text(pg, name);
            ap_rputs(":{", pg->r);
        }
        else {
            ap_rputs("}", pg->r);
        }
        pg->first = open;
    }
}

/* Writes the version, its dates and the files by kind. */
static void put_version(page_t *pg, const bl_site_t *site, const char *pre)
{
    int k;

    put_field(pg, apr_pstrcat(pg->r->pool, pre, "Version", NULL), site->version);
    put_field(pg, apr_pstrcat(pg->r->pool, pre, "Published", NULL), when(pg->r, site->published));
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "LoadMs", NULL),
            (apr_uint64_t)apr_time_as_msec(site->loaded_in));
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "Files", NULL), apr_hash_count(site->served));
    for (k = 0; k < BL_KIND_COUNT; k++) {
        put_num(pg,
                apr_pstrcat(pg->r->pool, pre, "Served-",
                            bl_kind(k)->file ? bl_kind(k)->file : bl_kind(k)->folder, NULL),
                bl_kind(k)->file
                    ? (apr_uint64_t)(k == BL_KIND_SITE ? site->site != NULL : site->layout != NULL)
                    : bl_site_count(site, k));
    }
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "Errors", NULL), (apr_uint64_t)site->faults->nelts);
}

/* Writes every file in error. */
static void put_faults(page_t *pg, const bl_site_t *site, const char *pre)
{
    const bl_fault_t *f;
    int i;

    for (i = 0; i < site->faults->nelts; i++) {
        f = &APR_ARRAY_IDX(site->faults, i, bl_fault_t);
        put_field(pg, apr_psprintf(pg->r->pool, "%sError%d", pre, i + 1),
                  apr_psprintf(pg->r->pool, "%s:%d:%d: %s (since %s; %s)", f->rel, f->line, f->col,
                               f->msg, when(pg->r, f->since),
                               f->serving_old ? "its last good version is served" : "not served"));
    }
}

/* Returns the languages of LANGS that FILE's title is not written in, or NULL. */
static const char *missing_in(const bl_file_t *file, const bl_langs_t *langs, apr_pool_t *p)
{
    const char *missing = NULL;
    xmlNodePtr c;
    int i;

    for (c = file->root->children; c != NULL; c = c->next) {
        if (bl_xml_lang(c) != NULL && bl_xml_is(c, "title") && bl_select_group_first(c)) {
            break;
        }
    }
    for (i = 0; c != NULL && i < langs->n; i++) {
        if (!bl_select_group_has(c, langs->tag[i])) {
            missing = missing ? apr_pstrcat(p, missing, " ", langs->tag[i], NULL) : langs->tag[i];
        }
    }
    return missing;
}

/* Writes the pages and items whose title lacks a language of LANGS. */
static void put_missing(page_t *pg, const bl_site_t *site, const bl_langs_t *langs, const char *pre)
{
    apr_hash_index_t *hi;
    const bl_file_t *f;
    const char *m;
    int n = 0;

    for (hi = apr_hash_first(pg->r->pool, site->served); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&f);
        if (f->kind != BL_KIND_PAGE && f->kind < BL_KIND_FIRST_ITEM) {
            continue;
        }
        m = missing_in(f, langs, pg->r->pool);
        if (m != NULL) {
            put_field(pg, apr_psprintf(pg->r->pool, "%sMissing%d", pre, ++n),
                      apr_pstrcat(pg->r->pool, f->rel, ": no ", m, NULL));
        }
    }
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "MissingTranslations", NULL), (apr_uint64_t)n);
}

/* Writes this child's render cache. */
static void put_cache(page_t *pg, const bl_folder_t *f, const char *pre)
{
    bl_cache_stats_t st;

    memset(&st, 0, sizeof(st));
    if (f->cache != NULL) {
        bl_cache_stats(f->cache, &st);
    }
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "CacheEntries", NULL), st.entries);
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "CacheBytes", NULL), st.bytes);
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "CacheHits", NULL), st.hits);
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "CacheMisses", NULL), st.misses);
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "CacheEvictions", NULL), st.evictions);
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "CacheWaits", NULL), st.waits);
}

/* Writes the version each live child serves of DIR. */
static void put_children(page_t *pg, const char *dir, const char *pre)
{
    int i, n = 0;

    for (i = 0; slots != NULL && i < SLOTS; i++) {
        if (alive(&slots[i]) && strncmp(slots[i].dir, dir, sizeof(slots[i].dir) - 1) == 0) {
            put_field(pg, apr_psprintf(pg->r->pool, "%sChild%d", pre, ++n),
                      apr_psprintf(pg->r->pool, "pid %ld serves %s (published %s)",
                                   (long)slots[i].pid, slots[i].version,
                                   when(pg->r, slots[i].published)));
        }
    }
    put_num(pg, apr_pstrcat(pg->r->pool, pre, "Children", NULL), (apr_uint64_t)n);
}

/* Writes everything about one folder. */
static void put_folder(page_t *pg, const bl_folder_t *f, const bl_langs_t *langs, int index)
{
    const char *pre = pg->kind == OUT_AUTO ? apr_psprintf(pg->r->pool, "Folder%d", index) : "";
    bl_site_t *site = bl_store_acquire(f->store);

    put_group(pg, bl_store_dir(f->store), 1);
    put_field(pg, *pre ? pre : "Folder", bl_store_dir(f->store));
    if (site != NULL) {
        put_version(pg, site, pre);
        put_faults(pg, site, pre);
        put_missing(pg, site, langs, pre);
        bl_site_unref(site);
    }
    put_cache(pg, f, pre);
    put_children(pg, bl_store_dir(f->store), pre);
    put_group(pg, NULL, 0);
}

/* Writes every folder; LANGS names the languages whose translations are checked. */
static void put_all(page_t *pg, const bl_langs_t *langs)
{
    apr_hash_index_t *hi;
    bl_folder_t *f;
    int i = 0;

    for (hi = bl_folders ? apr_hash_first(pg->r->pool, bl_folders) : NULL; hi;
         hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&f);
        put_folder(pg, f, langs, ++i);
    }
}

/* Answers SetHandler bilingual-status: HTML, ?auto text or ?json. */
int bl_status_handler(request_rec *r)
{
    bl_dir_conf_t *conf;
    page_t pg;

    if (r->handler == NULL || strcmp(r->handler, BL_STATUS_HANDLER) != 0) {
        return DECLINED;
    }
    r->allowed |= (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    conf = ap_get_module_config(r->per_dir_config, &bilingual_module);
    pg.r = r;
    pg.first = 1;
    pg.kind = r->args && !strcmp(r->args, "auto")   ? OUT_AUTO
              : r->args && !strcmp(r->args, "json") ? OUT_JSON
                                                    : OUT_HTML;
    ap_set_content_type(r, pg.kind == OUT_HTML   ? "text/html; charset=utf-8"
                           : pg.kind == OUT_JSON ? "application/json"
                                                 : "text/plain; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    if (r->header_only) {
        return OK;
    }
    ap_rputs(pg.kind == OUT_HTML
                 ? "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<title>mod_bilingual status</title></head><body>\n"
                   "<h1>mod_bilingual status</h1>\n"
             : pg.kind == OUT_JSON ? "{\"folders\":{"
                                   : "",
             r);
    put_all(&pg, bl_conf_langs(conf));
    ap_rputs(pg.kind == OUT_HTML ? "</body></html>\n" : pg.kind == OUT_JSON ? "}}\n" : "", r);
    return OK;
}

/* Adds the folders to mod_status's /server-status page. */
static int status_hook(request_rec *r, int flags)
{
    page_t pg;

    pg.r = r;
    pg.first = 1;
    pg.kind = (flags & AP_STATUS_SHORT) ? OUT_AUTO : OUT_HTML;
    if (pg.kind == OUT_HTML) {
        ap_rputs("<hr>\n<h1>mod_bilingual</h1>\n", r);
    }
    put_all(&pg, bl_conf_langs(ap_get_module_config(r->per_dir_config, &bilingual_module)));
    return OK;
}

/* Registers the handler and the mod_status hook. */
void bl_status_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_handler(bl_status_handler, NULL, NULL, APR_HOOK_MIDDLE);
    APR_OPTIONAL_HOOK(ap, status_hook, status_hook, NULL, NULL, APR_HOOK_MIDDLE);
}
