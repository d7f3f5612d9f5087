/* bl_log.h: the core's logging seam; the glue bridges it to httpd's error log. */
#ifndef BL_LOG_H
#define BL_LOG_H

#include <apr.h>

/** Severity of a diagnostic, numbered like syslog (and APLOG_*). */
typedef enum {
    BL_LOG_ERR = 3,
    BL_LOG_WARNING = 4,
    BL_LOG_NOTICE = 5,
    BL_LOG_INFO = 6,
    BL_LOG_DEBUG = 7
} bl_log_level_t;

/** One diagnostic about a content file: where, how bad, what. */
typedef struct bl_diag_t {
    const char *path;     /* the file, as given to the loader */
    int line;             /* 1-based; 0 when the whole file is meant */
    int col;              /* 1-based; 0 when unknown */
    bl_log_level_t level; /* BL_LOG_ERR for errors, BL_LOG_WARNING for warnings */
    const char *msg;
    apr_int64_t version; /* the file version's mtime, 0 when unknown: a diagnostic
                              is "the same" only for the same version */
} bl_diag_t;

/** Receives a diagnostic; called from the loading thread only. */
typedef void bl_diag_cb(void *baton, const bl_diag_t *diag);

/** Receives a plain log line of LEVEL. */
typedef void bl_log_cb(void *baton, bl_log_level_t level, const char *msg);

/** Installs CB as the process-wide sink of plain log lines (NULL: silence). */
void bl_log_set(bl_log_cb *cb, void *baton);

/** Logs a printf-style line at LEVEL through the installed sink. */
void bl_log(bl_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
