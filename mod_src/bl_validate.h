/* bl_validate.h: checking content files against the format of docs/content-format.md. */
#ifndef BL_VALIDATE_H
#define BL_VALIDATE_H

#include "bl_content.h"

/** Checks FILE on its own (root, attributes, children, control elements, dates) and
 *  fills FILE->item for events and press releases. Each problem goes to CB; warnings
 *  about missing translations in LANGS (may be NULL) too. Returns APR_SUCCESS, or
 *  APR_EINVAL when there was at least one error. */
apr_status_t bl_validate_file(bl_file_t *file, const bl_langs_t *langs, bl_diag_cb *cb, void *baton,
                              apr_pool_t *p);

/** Checks what spans files in SITE->files (unknown fragments, include cycles) and
 *  returns, from P, the relative paths of the files that fail (const char *). */
apr_array_header_t *bl_validate_site(bl_site_t *site, bl_diag_cb *cb, void *baton, apr_pool_t *p);

/** Returns 1 when S is a tag-URI authority: DOMAIN-or-EMAIL,YYYY[-MM[-DD]]. */
int bl_validate_authority(const char *s);

/** Returns 1 when NAME is an HTML element name the module knows. */
int bl_validate_html_name(const char *name);

#endif
