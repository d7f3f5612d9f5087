/* bl_content.h: loading a content folder into a snapshot, keeping last good versions. */
#ifndef BL_CONTENT_H
#define BL_CONTENT_H

#include "bl_site.h"

/** Where the loader reports errors and warnings. */
typedef struct bl_sink_t {
    bl_diag_cb *cb;
    void *baton;
    int warnings;            /* report editors' warnings (translations, unknown names) */
    int errors;              /* count of errors reported, updated by the loader */
    int warned;              /* count of warnings found, updated by the loader */
    const bl_langs_t *langs; /* for missing-translation warnings; may be NULL */
} bl_sink_t;

/** Loads the folder DIR as it is at NOW into a new snapshot *PSITE with one
 *  reference, reusing from PREV (may be NULL) every file whose stamp or bytes are
 *  unchanged and the last good version of every file that now fails. NOW is the
 *  instant visibility is computed at and the time given to changes found. Sets
 *  *CHANGED to 0 and returns PREV (with a new reference) when nothing changed and PREV's
 *  visibility still holds. Errors go to SINK once per file version. Returns
 *  APR_SUCCESS, or an error when DIR cannot be read at all. */
apr_status_t bl_site_load(bl_site_t **psite, int *changed, const char *dir, bl_site_t *prev,
                          apr_time_t now, bl_sink_t *sink);

/** Returns a new snapshot of the same files as PREV (no file is read) with
 *  visibility computed at NOW; the caller owns its one reference. */
bl_site_t *bl_site_rederive(bl_site_t *prev, apr_time_t now);

#endif
