/* bl_html.h: the HTML writer: the layout filled with a page, an item, a page of a list
 * or of a year's archive, or 404. */
#ifndef BL_HTML_H
#define BL_HTML_H

#include "bl_ctx.h"
#include "bl_out.h"

/** Writes the HTML page for ROUTE (home, page, list, archive or item of CTX's site, at
 *  CTX's page; anything else, or a name that is not served, the 404 page) into OUT and sets *STATUS to 200
 *  or 404. Returns the buffer's status. */
apr_status_t bl_html_write(const bl_ctx_t *ctx, const bl_route_t *route, bl_out_t *out,
                           int *status);

#endif
