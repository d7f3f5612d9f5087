/* bl_site.h: content files and the snapshot of a folder, shared by reference. */
#ifndef BL_SITE_H
#define BL_SITE_H

#include <apr_file_info.h>
#include <apr_hash.h>
#include <apr_tables.h>
#include <libxml/tree.h>

#include "bl_arena.h"
#include "bl_kind.h"
#include "bl_lang.h"
#include "bl_log.h"
#include "bl_time.h"

/** What identifies one version of a file on disk. */
typedef struct bl_stamp_t {
    apr_time_t mtime;
    apr_time_t ctime; /* changes with permissions too: a chmod'ed file is retried */
    apr_off_t size;
    apr_ino_t inode;
    apr_dev_t device;
} bl_stamp_t;

/** The parsed and validated metadata of an item. */
typedef struct bl_item_t {
    bl_time_t published;
    bl_time_t updated;
    bl_time_t start; /* ranged kinds only */
    bl_time_t end;   /* ranged kinds only, when has_end */
    int has_end;
    int cancelled;
    int draft;
} bl_item_t;

/** One good version of one content file; shared by snapshots, freed with the last.
 *  Everything it points to lives in its arena or its document. */
typedef struct bl_file_t {
    apr_uint32_t refs;
    bl_arena_t *arena;
    bl_kind_t kind;
    const char *name;         /* NAME or SLUG; "site" and "layout" for those two */
    const char *rel;          /* its path in the folder, "pages/about.xml" */
    const char *path;         /* its full path */
    bl_stamp_t stamp;         /* the version that was parsed */
    unsigned char digest[20]; /* SHA-1 of its bytes */
    apr_time_t changed;       /* when these bytes first appeared: the mtime of the first
                           version with them, carried while a touch leaves them alike */
    xmlDocPtr doc;
    xmlNodePtr root;
    bl_item_t item;       /* item kinds */
    apr_size_t own_bytes; /* markup and text of the file itself, includes not counted */
    apr_size_t own_nodes; /* its elements and text nodes */
    xmlNodePtr *includes; /* its <include> elements, in document order (in the arena) */
    int nincludes;
} bl_file_t;

/** Stands in for a missing tag-URI authority (site.xml never parsed), so that feeds
 *  stay well-formed. */
#define BL_NO_AUTHORITY "invalid.example,2000"

/** The site-wide settings read from site.xml. */
typedef struct bl_siteinfo_t {
    xmlNodePtr root;       /* the <site> element, for language-selected names */
    const char *authority; /* tag-URI authority, "example.org,2015" */
    const char *author_name;
    const char *author_email; /* may be NULL */
    const char *author_uri;   /* may be NULL */
} bl_siteinfo_t;

/** A year of an item kind's archive: the items that fall in it, in list order. */
typedef struct bl_year_t {
    int year;
    apr_array_header_t *items; /* bl_file_t* */
    int upcoming;              /* ranged kinds: how many of items are upcoming (first) */
} bl_year_t;

/** The visible items of one kind at a snapshot's instant, in list order. */
typedef struct bl_list_t {
    apr_array_header_t *order; /* bl_file_t*: ranged kinds: upcoming (soonest first) then
                                  past (latest first); others: newest published first */
    int upcoming;              /* ranged kinds: how many of order are upcoming */
    apr_time_t changed;        /* when the set of items (or their sections) last changed */
    apr_uint64_t sig;          /* an order-free hash of its (slug, section) pairs */
    apr_array_header_t *years; /* bl_year_t: the years its items fall in (bl_site_year_of),
                                  newest first */
} bl_list_t;

/** What the status page tells of one file in error. */
typedef struct bl_fault_t {
    const char *rel;
    int line, col;
    const char *msg;
    apr_time_t since; /* when this version of the file was first found broken */
    int serving_old;  /* a last good version is served instead */
} bl_fault_t;

/** An immutable view of the whole folder at one instant; threads only read it. */
typedef struct bl_site_t {
    apr_pool_t *pool;
    apr_uint32_t refs;
    const char *dir;
    bl_file_t *site;   /* NULL when site.xml never parsed */
    bl_file_t *layout; /* NULL when layout.xml never parsed */
    bl_siteinfo_t info;
    apr_hash_t *files;        /* rel -> bl_file_t*: newest version that passed its own checks */
    apr_hash_t *seen;         /* rel -> bl_seen_t*: the version last found on disk */
    apr_hash_t *reported;     /* diagnostics already reported, to report once */
    apr_hash_t *served;       /* rel -> bl_file_t*: the version served (visible or not) */
    apr_array_header_t *held; /* bl_file_t*: referenced versions not in files */
    apr_hash_t *named[BL_KIND_COUNT]; /* NAME -> bl_file_t*: served fragments and pages,
                                         visible items */
    bl_list_t lists[BL_KIND_COUNT];   /* item kinds only */
    apr_array_header_t *items;        /* bl_file_t*: every visible item, newest first */
    apr_time_t pages_changed;         /* when the set of pages last changed */
    apr_uint64_t pages_sig;           /* an order-free hash of the pages' names */
    apr_array_header_t *faults;       /* bl_fault_t: files in error, by path */
    apr_time_t now;                   /* the instant visibility was computed at */
    apr_time_t next_change;           /* when visibility changes next (APR_INT64_MAX: never) */
    apr_time_t published;             /* when this snapshot was made (the clock, for the admin) */
    apr_time_t loaded_in;             /* how long the load took */
    char version[17];                 /* a content version id: the same files at the same instant
                               give the same id in every process */
    unsigned long generation;         /* grows by one with each snapshot of a store */
    int errors;                       /* files in error (faults) */
    int warnings;                     /* warnings found by the load that made it */
} bl_site_t;

/** The version of a file last found on disk, and how its parse went. */
typedef struct bl_seen_t {
    bl_stamp_t stamp;
    int bad;          /* it failed its own checks (or could not be read) */
    bl_diag_t diag;   /* the first error when bad (strings in the snapshot's pool) */
    apr_time_t since; /* when it was first found */
} bl_seen_t;

/** Creates an empty snapshot of DIR with one reference, in its own unmanaged pool,
 *  so that whichever thread drops the last reference can free it; NULL when memory
 *  runs out. */
bl_site_t *bl_site_create(const char *dir);

/** Creates a file record of KIND named NAME at REL under DIR with one reference and
 *  an arena of its own; NULL when memory runs out. */
bl_file_t *bl_file_create(bl_kind_t kind, const char *name, const char *dir, const char *rel);

/** Adds a reference to FILE. */
void bl_file_ref(bl_file_t *file);

/** Drops a reference to FILE, freeing its tree and arena with the last. */
void bl_file_unref(bl_file_t *file);

/** Adds a reference to SITE. */
void bl_site_ref(bl_site_t *site);

/** Drops a reference to SITE, freeing it and the files only it held with the last. */
void bl_site_unref(bl_site_t *site);

/** Returns the served file of KIND named NAME (an item only when visible), or NULL. */
bl_file_t *bl_site_get(const bl_site_t *site, bl_kind_t kind, const char *name);

/** Returns the number of files of KIND served (items: visible). */
unsigned int bl_site_count(const bl_site_t *site, bl_kind_t kind);

/** Returns the list of item kind KIND (asserted to be an item kind). */
const bl_list_t *bl_site_list(const bl_site_t *site, bl_kind_t kind);

/** Returns the year ITEM belongs to in the archives: the year of its start (ranged
 *  kinds) or of its publication, at the offset it was written with. */
int bl_site_year_of(const bl_file_t *item);

/** Returns the real language of page or item FILE when it is not written in language
 *  TAG (default DEFLANG): its title has no version in TAG and another stands in for it
 *  (SPEC 3); NULL when FILE is written in TAG. */
const char *bl_site_untranslated(const bl_file_t *file, const char *tag, const char *deflang);

/** Returns the archive year YEAR of item kind KIND, or NULL when no item falls in it. */
const bl_year_t *bl_site_year(const bl_site_t *site, bl_kind_t kind, int year);

#endif
