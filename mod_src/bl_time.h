/* bl_time.h: RFC 3339 instants with their own offset. */
#ifndef BL_TIME_H
#define BL_TIME_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_time.h>

/** An instant and the UTC offset it was written with. */
typedef struct bl_time_t {
    apr_time_t t; /* microseconds since the epoch, UTC */
    int offset;   /* seconds east of UTC, as written */
} bl_time_t;

/** bl_time_parse's answer for a date-time that is well formed but names an instant
 *  outside years 1-9999 (once its offset is applied) or a leap second that never was. */
#define BL_TIME_ERANGE (APR_OS_START_USERERR + 1)

/** Parses an RFC 3339 date-time with an offset ("2015-07-01T09:00:00-04:00",
 *  "...Z"); returns APR_SUCCESS, APR_EINVAL when S is not one, or BL_TIME_ERANGE
 *  when it names an instant outside years 1-9999 once the offset is applied, or a 60th
 *  second that was no leap second. */
apr_status_t bl_time_parse(const char *s, bl_time_t *out);

/** Returns T written as RFC 3339 at its own offset, allocated from P. */
const char *bl_time_rfc3339(const bl_time_t *t, apr_pool_t *p);

/** Returns T in UTC in iCalendar's form ("20150701T130000Z"), from P. */
const char *bl_time_ical(apr_time_t t, apr_pool_t *p);

/** Breaks T into calendar fields at its own offset (as the editor wrote it). */
void bl_time_local(const bl_time_t *t, apr_time_exp_t *xt);

#endif
