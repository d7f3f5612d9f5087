/* bl_log.c: a process-wide log sink set once at startup and read afterwards. */
#include <stdarg.h>
#include <stdio.h>

#include "bl_log.h"

static bl_log_cb *log_cb;
static void *log_baton;

/* Installs the sink; called before any thread starts, so no lock is needed. */
void bl_log_set(bl_log_cb *cb, void *baton)
{
    log_cb = cb;
    log_baton = baton;
}

/* Formats into a bounded buffer and hands the line to the sink, if any. */
void bl_log(bl_log_level_t level, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    if (log_cb == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log_cb(log_baton, level, buf);
}
