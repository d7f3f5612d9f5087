/* bl_sitemap.h: the sitemap writer (sitemaps.org 0.9 with hreflang alternates). */
#ifndef BL_SITEMAP_H
#define BL_SITEMAP_H

#include "bl_ctx.h"
#include "bl_out.h"

/** Writes /sitemap.xml: every page and visible item in each language it is written
 *  in, with its alternates, into OUT. Returns the buffer's status. */
apr_status_t bl_sitemap_write(const bl_ctx_t *ctx, bl_out_t *out);

#endif
