/* bl_content.h: a content folder loaded into an immutable, shareable snapshot. */
#ifndef BL_CONTENT_H
#define BL_CONTENT_H

#include <apr_hash.h>
#include <apr_tables.h>
#include <apr_thread_mutex.h>
#include <libxml/tree.h>

#include "bl_lang.h"
#include "bl_log.h"
#include "bl_time.h"

#define BL_MAX_NAME 100

/** What a content file is. */
typedef enum {
    BL_KIND_SITE,
    BL_KIND_LAYOUT,
    BL_KIND_FRAGMENT,
    BL_KIND_PAGE,
    BL_KIND_EVENT,
    BL_KIND_PRESS
} bl_kind_t;

/** What identifies one version of a file on disk. */
typedef struct bl_stamp_t {
    apr_time_t mtime;
    apr_time_t ctime;     /* changes with permissions too: a chmod'ed file is retried */
    apr_off_t size;
    apr_ino_t inode;
} bl_stamp_t;

/** The parsed and validated metadata of an event or press release. */
typedef struct bl_item_t {
    bl_time_t published;
    bl_time_t updated;
    bl_time_t start; /* events only */
    bl_time_t end;   /* events only, when has_end */
    int has_end;
    int cancelled;
    int draft;
} bl_item_t;

/** One good version of one content file; shared by snapshots, freed with the last. */
typedef struct bl_file_t {
    apr_uint32_t refs;
    bl_kind_t kind;
    char *name; /* NAME or SLUG; "site" and "layout" for those two */
    char *path; /* the file's full path */
    bl_stamp_t stamp;
    xmlDocPtr doc;
    xmlNodePtr root;
    bl_item_t item; /* events and press releases */
} bl_file_t;

/** The site-wide settings read from site.xml. */
typedef struct bl_siteinfo_t {
    xmlNodePtr root;       /* the <site> element, for language-selected names */
    const char *authority; /* tag-URI authority, "example.org,2015" */
    const char *author_name;
    const char *author_email; /* may be NULL */
    const char *author_uri;   /* may be NULL */
} bl_siteinfo_t;

/** An immutable view of the whole folder at one instant; threads only read it. */
typedef struct bl_site_t {
    apr_pool_t *pool;
    apr_uint32_t refs;
    const char *dir;
    bl_file_t *site;   /* NULL when site.xml never parsed */
    bl_file_t *layout; /* NULL when layout.xml never parsed */
    bl_siteinfo_t info;
    apr_hash_t *files;            /* relative path -> bl_file_t*: newest version that
                                     parsed and passed its own checks */
    apr_hash_t *bad;              /* relative path -> bl_stamp_t*, versions that failed */
    apr_hash_t *reported;         /* diagnostics already reported, to report once */
    apr_array_header_t *held;     /* bl_file_t*: older versions still served */
    apr_hash_t *served;           /* relative path -> bl_file_t*, the version served
                                     (visible or not) */
    apr_hash_t *fragments;        /* NAME -> bl_file_t*, served versions */
    apr_hash_t *pages;            /* NAME -> bl_file_t*, served versions */
    apr_hash_t *events;           /* SLUG -> bl_file_t*, visible ones only */
    apr_hash_t *press;            /* SLUG -> bl_file_t*, visible ones only */
    apr_array_header_t *upcoming; /* bl_file_t*: events not over, soonest first */
    apr_array_header_t *past;     /* bl_file_t*: events over, latest first */
    apr_array_header_t *releases; /* bl_file_t*: press releases, newest first */
    apr_array_header_t *items;    /* bl_file_t*: events and press, newest published first */
    apr_time_t now;               /* the instant visibility was computed at */
    apr_time_t next_change;       /* when visibility changes next (APR_INT64_MAX: never) */
    apr_time_t last_modified;     /* newest file mtime or visibility change */
    unsigned long generation;     /* grows by one with each snapshot of a store */
    /* the render cache: written under cache_lock, entries live in pool */
    apr_thread_mutex_t *cache_lock;
    apr_hash_t *cache;
    apr_size_t cache_bytes;
} bl_site_t;

/** Where the loader reports errors and warnings. */
typedef struct bl_sink_t {
    bl_diag_cb *cb;
    void *baton;
    int warnings;            /* report warnings (missing translations, ignored names) */
    int errors;              /* count of errors reported, updated by the loader */
    const bl_langs_t *langs; /* for missing-translation warnings; may be NULL */
} bl_sink_t;

/** Loads the folder DIR as it is at NOW into a new snapshot *PSITE with one
 *  reference, reusing from PREV (may be NULL) every file whose stamp is unchanged and
 *  the last good version of every file that now fails. Sets *CHANGED to 0 and returns
 *  PREV (with a new reference) when nothing changed and PREV's visibility still holds.
 *  Errors go to SINK once per file version. Returns APR_SUCCESS, or an error when DIR
 *  cannot be read at all. */
apr_status_t bl_site_load(bl_site_t **psite, int *changed, const char *dir, bl_site_t *prev,
                          apr_time_t now, bl_sink_t *sink);

/** Returns a new snapshot of the same files as PREV (no file is read) with
 *  visibility computed at NOW; the caller owns its one reference. */
bl_site_t *bl_site_rederive(bl_site_t *prev, apr_time_t now);

/** Adds a reference to SITE. */
void bl_site_ref(bl_site_t *site);

/** Drops a reference to SITE, freeing it and the files only it held with the last. */
void bl_site_unref(bl_site_t *site);

/** Returns the file of KIND named NAME that is visible in SITE, or NULL. */
bl_file_t *bl_site_get(const bl_site_t *site, bl_kind_t kind, const char *name);

/** Computes SITE's visible items at NOW, the sorted lists, next_change and
 *  last_modified (bl_items.c); called once by the loader before publication. */
void bl_site_derive(bl_site_t *site, apr_time_t now);

/** Returns 1 when NAME is a valid page, fragment or item name [a-z0-9][a-z0-9-]*. */
int bl_name_valid(const char *name, apr_size_t len);

#endif
