/* bl_time.c: RFC 3339 parsing and formatting.
 *
 * Instants are kept as UTC microseconds plus the offset the editor wrote, so that a
 * page shows "9:00" for an event written at 09:00-04:00 whatever the server's time
 * zone. Calendar arithmetic is done here (days from the civil date): no system locale,
 * no TZ database. An instant is accepted only when it lies in years 1 to 9999 once
 * its offset is applied, and a 60th second only when it is one of the leap seconds
 * that really happened (the IERS list, 1972-2016), read as the second before it.
 */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "bl_time.h"

/* Returns the number of days from 1970-01-01 to Y-M-D (proleptic Gregorian). */
static apr_int64_t days_from_civil(int y, int m, int d)
{
    apr_int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Returns the number of days in month M of year Y. */
static int month_days(int y, int m)
{
    static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return (m == 2 && leap) ? 29 : len[m - 1];
}

/* Reads exactly N digits at *S into *V and advances *S; returns 0 on a non-digit. */
static int digits(const char **s, int n, int *v)
{
    int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if ((*s)[i] < '0' || (*s)[i] > '9') {
            return 0;
        }
        *v = *v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    return 1;
}

/* Reads the offset at S ("Z", "+hh:mm", "-hh:mm") into *OFF seconds;
 * returns 0 when it is malformed or followed by anything. */
static int parse_offset(const char *s, int *off)
{
    int sign, hh, mm;

    if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
        *off = 0;
        return 1;
    }
    if (s[0] != '+' && s[0] != '-') {
        return 0;
    }
    sign = s[0] == '-' ? -1 : 1;
    s++;
    if (!digits(&s, 2, &hh) || *s++ != ':' || !digits(&s, 2, &mm) || *s != '\0') {
        return 0;
    }
    if (hh > 23 || mm > 59) {
        return 0;
    }
    *off = sign * (hh * 3600 + mm * 60);
    return 1;
}

/* The UTC days (days_from_civil) that ended with a leap second, 23:59:60 UTC. */
static const int leap_days[] = { 911,  1095, 1460,  1825,  2190,  2556,  2921,  3286,  3651,
                                 4198, 4563, 4928,  5659,  6573,  7304,  7669,  8216,  8581,
                                 8946, 9495, 10042, 10591, 13148, 14244, 15521, 16616, 17166 };

/* Returns 1 when the UTC instant T (whole seconds, the 60th read as the 59th) is the
 * last second of a day that had a leap second. */
static int is_leap_second(apr_int64_t t)
{
    apr_size_t i;

    for (i = 0; i < sizeof(leap_days) / sizeof(leap_days[0]); i++) {
        if (t == ((apr_int64_t)leap_days[i] + 1) * 86400 - 1) {
            return 1;
        }
    }
    return 0;
}

/* Returns 1 when the UTC instant T (seconds) lies in years 1 to 9999. */
static int in_years(apr_int64_t t)
{
    return t >= days_from_civil(1, 1, 1) * 86400 && t < days_from_civil(10000, 1, 1) * 86400;
}

/* Parses full-date "T" partial-time time-offset; a real leap second is read as 59. */
apr_status_t bl_time_parse(const char *s, bl_time_t *out)
{
    int y, mo, d, h, mi, sec, off;
    apr_int64_t usec = 0, scale = 100000, days, t;

    if (s == NULL || !digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-'
        || !digits(&s, 2, &d) || (*s != 'T' && *s != 't')) {
        return APR_EINVAL;
    }
    s++;
    if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) || *s++ != ':'
        || !digits(&s, 2, &sec)) {
        return APR_EINVAL;
    }
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9') {
            return APR_EINVAL;
        }
        for (; *s >= '0' && *s <= '9'; s++) {
            usec += (*s - '0') * scale;
            scale /= 10;
        }
    }
    if (!parse_offset(s, &off) || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23
        || mi > 59 || sec > 60) {
        return APR_EINVAL;
    }
    days = days_from_civil(y, mo, d);
    t = days * 86400 + h * 3600 + mi * 60 + (sec == 60 ? 59 : sec) - off;
    if (!in_years(t) || (sec == 60 && !is_leap_second(t))) {
        return BL_TIME_ERANGE;
    }
    out->t = t * APR_USEC_PER_SEC + usec;
    out->offset = off;
    return APR_SUCCESS;
}

/* Breaks T into local fields at its own offset. */
void bl_time_local(const bl_time_t *t, apr_time_exp_t *xt)
{
    apr_time_exp_gmt(xt, t->t + (apr_time_t)t->offset * APR_USEC_PER_SEC);
}

/* Writes "YYYY-MM-DDThh:mm:ss±hh:mm" (or Z for a zero offset). */
const char *bl_time_rfc3339(const bl_time_t *t, apr_pool_t *p)
{
    apr_time_exp_t xt;
    int off = t->offset < 0 ? -t->offset : t->offset;

    bl_time_local(t, &xt);
    if (t->offset == 0) {
        return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ", xt.tm_year + 1900, xt.tm_mon + 1,
                            xt.tm_mday, xt.tm_hour, xt.tm_min, xt.tm_sec);
    }
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", xt.tm_year + 1900,
                        xt.tm_mon + 1, xt.tm_mday, xt.tm_hour, xt.tm_min, xt.tm_sec,
                        t->offset < 0 ? '-' : '+', off / 3600, (off % 3600) / 60);
}

/* Writes the UTC form iCalendar calls DATE-TIME with the Z suffix. */
const char *bl_time_ical(apr_time_t t, apr_pool_t *p)
{
    apr_time_exp_t xt;

    apr_time_exp_gmt(&xt, t);
    return apr_psprintf(p, "%04d%02d%02dT%02d%02d%02dZ", xt.tm_year + 1900, xt.tm_mon + 1,
                        xt.tm_mday, xt.tm_hour, xt.tm_min, xt.tm_sec);
}
