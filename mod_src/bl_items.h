/* bl_items.h: what a snapshot shows at one instant. */
#ifndef BL_ITEMS_H
#define BL_ITEMS_H

#include "bl_site.h"

/** Fills the derived fields of SITE from its served files as they are at NOW: the
 *  named tables (items only when visible: not drafts, not embargoed), each item kind's
 *  list in order, every visible item newest first, next_change (when visibility flips
 *  next), and site.xml's settings. A list's `changed` is carried from PREV (may be
 *  NULL) while its items and sections are the same, else it is NOW (on a first load:
 *  the newest instant at which one of its items appeared or moved section); so is
 *  pages_changed for the set of page names (on a first load: the newest page). Each
 *  list's items are also filed by year for the archives (bl_list_t.years). */
void bl_site_derive(bl_site_t *site, const bl_site_t *prev, apr_time_t now);

#endif
