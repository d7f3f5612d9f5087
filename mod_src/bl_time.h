/* bl_time.h: RFC 3339 instants with their own offset, and dates in words. */
#ifndef BL_TIME_H
#define BL_TIME_H

#include <apr_pools.h>
#include <apr_time.h>

/** An instant and the UTC offset it was written with. */
typedef struct bl_time_t {
    apr_time_t t; /* microseconds since the epoch, UTC */
    int offset;   /* seconds east of UTC, as written */
} bl_time_t;

/** Parses an RFC 3339 date-time with an offset ("2015-07-01T09:00:00-04:00",
 *  "...Z"); returns APR_SUCCESS or APR_EINVAL when S is not one. */
apr_status_t bl_time_parse(const char *s, bl_time_t *out);

/** Returns T written as RFC 3339 at its own offset, allocated from P. */
const char *bl_time_rfc3339(const bl_time_t *t, apr_pool_t *p);

/** Returns T in UTC in iCalendar's form ("20150701T130000Z"), from P. */
const char *bl_time_ical(apr_time_t t, apr_pool_t *p);

/** Returns the date of T in words in LANG at its own offset
 *  ("1 de julio de 2015"), from P; with WEEKDAY, the weekday leads. */
const char *bl_time_date_words(const bl_time_t *t, const char *lang, int weekday, apr_pool_t *p);

/** Returns the time of day of T in LANG ("9:00", "9:00 AM"), from P. */
const char *bl_time_clock_words(const bl_time_t *t, const char *lang, apr_pool_t *p);

/** Returns date and time of T in words ("1 de julio de 2015, 9:00"), from P. */
const char *bl_time_words(const bl_time_t *t, const char *lang, int weekday, apr_pool_t *p);

/** Returns the span START..END in words (END may be NULL), from P:
 *  one date when both fall on the same local day ("July 1, 2015, 9:00 AM–12:00 PM"). */
const char *bl_time_span_words(const bl_time_t *start, const bl_time_t *end, const char *lang,
                               apr_pool_t *p);

#endif
