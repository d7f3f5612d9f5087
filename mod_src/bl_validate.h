/* bl_validate.h: checking content files against docs/content-format.md and the budget. */
#ifndef BL_VALIDATE_H
#define BL_VALIDATE_H

#include "bl_site.h"

/** Checks FILE on its own (root, attributes, children, control elements, dates, the
 *  languages of its sibling groups), fills FILE->item for items, and measures it:
 *  own_bytes, own_nodes and its includes. BUF and LEN are the bytes it was parsed
 *  from, for the columns of attributes. Each problem goes to CB; warnings about missing
 *  translations in LANGS (may be NULL) too. Returns APR_SUCCESS, or APR_EINVAL when
 *  there was at least one error (APR_ENOMEM when memory ran out). */
apr_status_t bl_validate_file(bl_file_t *file, const char *buf, apr_size_t len,
                              const bl_langs_t *langs, bl_diag_cb *cb, void *baton, apr_pool_t *p);

/** Checks what spans files among CANDIDATES (rel -> bl_file_t*: the versions that would
 *  be served): every include names a fragment among them, fragments include no cycle,
 *  and every file's expanded size (includes multiplied out) is within
 *  BL_MAX_EXPANDED_BYTES and BL_MAX_EXPANDED_NODES. SEEN (rel -> bl_seen_t*) tells a
 *  fragment that failed its own checks from one that does not exist. Returns, from P,
 *  the relative paths of the files that fail (const char *), each reported to CB. */
apr_array_header_t *bl_validate_site(apr_hash_t *candidates, apr_hash_t *seen, bl_diag_cb *cb,
                                     void *baton, apr_pool_t *p);

/** Returns 1 when S is a width or height in pixels: decimal, 1 to BL_MAX_IMAGE_SIDE. */
int bl_validate_pixels(const char *s);

#endif
