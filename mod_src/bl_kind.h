/* bl_kind.h: the table of content file kinds; items (events, press) are rows in it. */
#ifndef BL_KIND_H
#define BL_KIND_H

#include <apr.h>

/** What a content file is. The item kinds come last, from BL_KIND_FIRST_ITEM on. */
typedef enum {
    BL_KIND_SITE,
    BL_KIND_LAYOUT,
    BL_KIND_FRAGMENT,
    BL_KIND_PAGE,
    BL_KIND_EVENT,
    BL_KIND_PRESS,
    BL_KIND_COUNT
} bl_kind_t;

/** The first item kind; every kind from it to BL_KIND_COUNT is an item kind. */
#define BL_KIND_FIRST_ITEM BL_KIND_EVENT

/** Everything the code needs to know of one kind. A new item kind is one more row in
 *  bl_kind.c (and its enum value above), plus whatever its writers show specially. */
typedef struct bl_kind_info_t {
    bl_kind_t kind;
    const char *file;    /* "site.xml" for a kind of one file, else NULL */
    const char *folder;  /* the content subfolder of a kind of many files, else NULL */
    const char *root;    /* the root element of its files */
    int item;            /* dated, listed, in feeds, in the sitemap */
    const char *segment; /* items: the URL segment, /xx/SEGMENT/ and /xx/SEGMENT/SLUG */
    const char *label;   /* items: the UI word naming its list and feed */
    const char *empty;   /* items: the UI word of its empty list */
    const char *about;   /* items: the UI word describing its list (meta description) */
    int ranged;          /* items: has start, end, status and location: a calendar of them
                            is served, and its list is split into upcoming and past */
} bl_kind_info_t;

/** Returns the row of KIND (asserted to be in range). */
const bl_kind_info_t *bl_kind(bl_kind_t kind);

/** Returns the item kind whose URL segment is the LEN bytes at SEG, or NULL. */
const bl_kind_info_t *bl_kind_by_segment(const char *seg, apr_size_t len);

#endif
