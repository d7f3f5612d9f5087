/* bl_kind.c: the one table of content file kinds.
 *
 * Folders, root elements, URL segments, UI words and whether an item has a date range
 * are read from here by the loader, the validator, the router and every writer, so a
 * concept is written down once. Rows are indexed by their bl_kind_t.
 */
#include <assert.h>
#include <string.h>

#include "bl_kind.h"

static const bl_kind_info_t kinds[BL_KIND_COUNT] = {
    { BL_KIND_SITE, "site.xml", NULL, "site", 0, NULL, NULL, NULL, NULL, 0 },
    { BL_KIND_LAYOUT, "layout.xml", NULL, "html", 0, NULL, NULL, NULL, NULL, 0 },
    { BL_KIND_FRAGMENT, NULL, "fragments", "fragment", 0, NULL, NULL, NULL, NULL, 0 },
    { BL_KIND_PAGE, NULL, "pages", "page", 0, NULL, NULL, NULL, NULL, 0 },
    { BL_KIND_EVENT, NULL, "events", "event", 1, "events", "events", "no-events", "events-about",
      1 },
    { BL_KIND_PRESS, NULL, "press", "press-release", 1, "press", "press", "no-press", "press-about",
      0 },
};

/* Indexes the table. */
const bl_kind_info_t *bl_kind(bl_kind_t kind)
{
    assert(kind >= 0 && kind < BL_KIND_COUNT);
    assert(kinds[kind].kind == kind);
    return &kinds[kind];
}

/* Scans the item rows for the segment. */
const bl_kind_info_t *bl_kind_by_segment(const char *seg, apr_size_t len)
{
    int k;

    for (k = BL_KIND_FIRST_ITEM; k < BL_KIND_COUNT; k++) {
        if (strlen(kinds[k].segment) == len && strncmp(kinds[k].segment, seg, len) == 0) {
            return &kinds[k];
        }
    }
    return NULL;
}
