/* bl_name.h: the names a URL may give a page, fragment or item. */
#ifndef BL_NAME_H
#define BL_NAME_H

#include <apr.h>

/** Returns 1 when the LEN bytes at NAME form a valid page, fragment or item name,
 *  [a-z0-9][a-z0-9-]* of at most BL_MAX_NAME bytes, else 0. Nothing else from a URL
 *  ever reaches the file system. */
int bl_name_valid(const char *name, apr_size_t len);

#endif
