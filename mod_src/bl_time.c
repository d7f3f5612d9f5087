/* bl_time.c: RFC 3339 parsing and formatting, and dates in words.
 *
 * Instants are kept as UTC microseconds plus the offset the editor wrote, so that a
 * page shows "9:00" for an event written at 09:00-04:00 whatever the server's time
 * zone. Calendar arithmetic is done here (days from the civil date) and month and
 * weekday names come from our own tables: no system locale, no TZ database.
 */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "bl_time.h"

static const char *const months_es[12] = { "enero",      "febrero", "marzo",     "abril",
                                           "mayo",       "junio",   "julio",     "agosto",
                                           "septiembre", "octubre", "noviembre", "diciembre" };
static const char *const months_en[12] = { "January",   "February", "March",    "April",
                                           "May",       "June",     "July",     "August",
                                           "September", "October",  "November", "December" };
static const char *const days_es[7] = { "domingo", "lunes",   "martes", "miércoles",
                                        "jueves",  "viernes", "sábado" };
static const char *const days_en[7] = { "Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday" };

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

/* Parses full-date "T" partial-time time-offset; leap second 60 is read as 59. */
apr_status_t bl_time_parse(const char *s, bl_time_t *out)
{
    int y, mo, d, h, mi, sec, off;
    apr_int64_t usec = 0, scale = 100000, days;

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
    if (sec == 60) {
        sec = 59;
    }
    days = days_from_civil(y, mo, d);
    out->t = ((days * 86400 + h * 3600 + mi * 60 + sec - off) * APR_USEC_PER_SEC) + usec;
    out->offset = off;
    return APR_SUCCESS;
}

/* Breaks T into local fields at its own offset. */
static void local_exp(const bl_time_t *t, apr_time_exp_t *xt)
{
    apr_time_exp_gmt(xt, t->t + (apr_time_t)t->offset * APR_USEC_PER_SEC);
}

/* Writes "YYYY-MM-DDThh:mm:ss±hh:mm" (or Z for a zero offset). */
const char *bl_time_rfc3339(const bl_time_t *t, apr_pool_t *p)
{
    apr_time_exp_t xt;
    int off = t->offset < 0 ? -t->offset : t->offset;

    local_exp(t, &xt);
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

/* Returns 1 for a Spanish tag ("es", "es-MX"), 2 for English, 0 for any other. */
static int lang_family(const char *lang)
{
    if (strncasecmp(lang, "es", 2) == 0 && (lang[2] == '\0' || lang[2] == '-')) {
        return 1;
    }
    if (strncasecmp(lang, "en", 2) == 0 && (lang[2] == '\0' || lang[2] == '-')) {
        return 2;
    }
    return 0;
}

/* Spanish "miércoles, 1 de julio de 2015", English "Wednesday, July 1, 2015",
 * ISO 8601 for languages without tables. */
const char *bl_time_date_words(const bl_time_t *t, const char *lang, int weekday, apr_pool_t *p)
{
    apr_time_exp_t xt;
    int fam = lang_family(lang);

    local_exp(t, &xt);
    if (fam == 1) {
        return apr_psprintf(p, "%s%s%d de %s de %d", weekday ? days_es[xt.tm_wday] : "",
                            weekday ? ", " : "", xt.tm_mday, months_es[xt.tm_mon],
                            xt.tm_year + 1900);
    }
    if (fam == 2) {
        return apr_psprintf(p, "%s%s%s %d, %d", weekday ? days_en[xt.tm_wday] : "",
                            weekday ? ", " : "", months_en[xt.tm_mon], xt.tm_mday,
                            xt.tm_year + 1900);
    }
    return apr_psprintf(p, "%04d-%02d-%02d", xt.tm_year + 1900, xt.tm_mon + 1, xt.tm_mday);
}

/* Spanish and ISO use a 24-hour clock ("9:00", "17:30"); English a 12-hour one. */
const char *bl_time_clock_words(const bl_time_t *t, const char *lang, apr_pool_t *p)
{
    apr_time_exp_t xt;
    int h12;

    local_exp(t, &xt);
    if (lang_family(lang) == 2) {
        h12 = xt.tm_hour % 12 == 0 ? 12 : xt.tm_hour % 12;
        return apr_psprintf(p, "%d:%02d %s", h12, xt.tm_min, xt.tm_hour < 12 ? "AM" : "PM");
    }
    if (lang_family(lang) == 1) {
        return apr_psprintf(p, "%d:%02d", xt.tm_hour, xt.tm_min);
    }
    return apr_psprintf(p, "%02d:%02d", xt.tm_hour, xt.tm_min);
}

/* Joins the date and the clock with ", ". */
const char *bl_time_words(const bl_time_t *t, const char *lang, int weekday, apr_pool_t *p)
{
    return apr_pstrcat(p, bl_time_date_words(t, lang, weekday, p), ", ",
                       bl_time_clock_words(t, lang, p), NULL);
}

/* Writes one date and a clock range for a same-day span, two full dates otherwise. */
const char *bl_time_span_words(const bl_time_t *start, const bl_time_t *end, const char *lang,
                               apr_pool_t *p)
{
    apr_time_exp_t a, b;
    bl_time_t end_here;

    if (end == NULL) {
        return bl_time_words(start, lang, 1, p);
    }
    end_here.t = end->t;
    end_here.offset = start->offset;
    local_exp(start, &a);
    local_exp(&end_here, &b);
    if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday) {
        return apr_pstrcat(p, bl_time_words(start, lang, 1, p), "\xe2\x80\x93",
                           bl_time_clock_words(&end_here, lang, p), NULL);
    }
    return apr_pstrcat(p, bl_time_words(start, lang, 1, p), " \xe2\x80\x93 ",
                       bl_time_words(end, lang, 1, p), NULL);
}
