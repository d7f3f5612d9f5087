/* bl_locale.h: the built-in languages: their UI words, month and weekday names and
 * date patterns, one row each. */
#ifndef BL_LOCALE_H
#define BL_LOCALE_H

#include <apr_pools.h>

#include "bl_time.h"

/** Returns the built-in UI word KEY ("events", "cancelled", ...) in the language TAG
 *  (any tag of a built-in family: "es-MX" is Spanish), or NULL when TAG has no
 *  built-in row or KEY is no word. site.xml may override any of them. */
const char *bl_locale_word(const char *tag, const char *key);

/** Returns the date of T in words in TAG at its own offset ("1 de julio de 2015",
 *  "July 1, 2015"; with WEEKDAY the weekday leads), ISO 8601 for a language without a
 *  built-in row, from P. */
const char *bl_locale_date(const bl_time_t *t, const char *tag, int weekday, apr_pool_t *p);

/** Returns the time of day of T in TAG ("9:00", "9:00 AM", "09:00"), from P. */
const char *bl_locale_clock(const bl_time_t *t, const char *tag, apr_pool_t *p);

/** Returns date and time of T in words ("1 de julio de 2015, 9:00"), from P. */
const char *bl_locale_datetime(const bl_time_t *t, const char *tag, int weekday, apr_pool_t *p);

/** Returns the span START..END in words (END may be NULL), from P: one date when both
 *  fall on the same local day ("July 1, 2015, 9:00 AM–12:00 PM"). */
const char *bl_locale_span(const bl_time_t *start, const bl_time_t *end, const char *tag,
                           apr_pool_t *p);

#endif
