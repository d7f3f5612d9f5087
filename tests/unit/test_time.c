/* test_time.c: unit tests of RFC 3339 instants (bl_time.c) and dates in words
 * (bl_locale.c).
 *
 * bl_time_parse is checked against epoch values computed by hand for every offset
 * form, fractions, a leap day and a leap second, and must refuse anything that is not
 * an RFC 3339 date-time with an offset; a well-formed one that lies outside years
 * 1-9999 once its offset is applied, or names a leap second that never was, is
 * BL_TIME_ERANGE. The formatters are checked byte for byte in
 * Spanish, English and a language without tables, and always at the item's own
 * offset: an evening in Vermont is shown on its local day, not on the UTC one.
 */
#include <string.h>

#include <check.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "bl_locale.h"
#include "bl_time.h"
#include "tests.h"
#include "testutil.h"

/* 2015-07-01T13:00:00Z, in seconds since the epoch */
#define JULY1_13Z 1435755600

/* Returns S parsed, failing the test when it does not parse. */
static bl_time_t parse(const char *s)
{
    bl_time_t t;

    ck_assert_msg(bl_time_parse(s, &t) == APR_SUCCESS, "did not parse: %s", s);
    return t;
}

/* Checks that S is refused. */
static void refuse(const char *s)
{
    bl_time_t t;

    ck_assert_msg(bl_time_parse(s, &t) == APR_EINVAL, "parsed: %s", s ? s : "(null)");
}

/* Checks that S is well formed but out of range. */
static void out_of_range(const char *s)
{
    bl_time_t t;
    apr_status_t rv = bl_time_parse(s, &t);

    ck_assert_msg(rv == BL_TIME_ERANGE, "%s: %d, want BL_TIME_ERANGE", s, rv);
}

/* Checks the instant and offset of the forms SPEC 3 uses. */
START_TEST(test_parse_offsets)
{
    bl_time_t t = parse("2015-07-01T09:00:00-04:00");

    ck_assert(t.t == apr_time_from_sec(JULY1_13Z));
    ck_assert_int_eq(t.offset, -14400);
    t = parse("2015-07-01T13:00:00Z");
    ck_assert(t.t == apr_time_from_sec(JULY1_13Z));
    ck_assert_int_eq(t.offset, 0);
    t = parse("2015-07-01t13:00:00z");
    ck_assert(t.t == apr_time_from_sec(JULY1_13Z));
    ck_assert_int_eq(t.offset, 0);
    t = parse("2015-07-01T18:30:00+05:30");
    ck_assert(t.t == apr_time_from_sec(JULY1_13Z));
    ck_assert_int_eq(t.offset, 19800);
    t = parse("2015-07-01T13:00:00+00:00");
    ck_assert(t.t == apr_time_from_sec(JULY1_13Z));
    ck_assert_int_eq(t.offset, 0);
    t = parse("2015-06-30T23:59:00-23:59");
    ck_assert(t.t == apr_time_from_sec(JULY1_13Z + 10 * 3600 + 58 * 60));
    ck_assert_int_eq(t.offset, -(23 * 3600 + 59 * 60));
}
END_TEST

/* Checks fractional seconds, a leap day, a leap second and the epoch itself. */
START_TEST(test_parse_edges)
{
    bl_time_t t = parse("2015-07-01T13:00:00.5Z");

    ck_assert(t.t == apr_time_from_sec(JULY1_13Z) + 500000);
    t = parse("2015-07-01T13:00:00.123456789-00:00");
    ck_assert(t.t == apr_time_from_sec(JULY1_13Z) + 123456);
    t = parse("2016-02-29T00:00:00Z");
    ck_assert(t.t == apr_time_from_sec(1456704000));
    t = parse("2000-02-29T12:00:00Z");
    ck_assert(t.t == apr_time_from_sec(951825600));
    /* a leap second is read as the second before it */
    t = parse("2015-06-30T23:59:60Z");
    ck_assert(t.t == apr_time_from_sec(1435708799));
    t = parse("1970-01-01T00:00:00Z");
    ck_assert(t.t == 0);
    t = parse("2015-12-31T23:59:59-05:00");
    ck_assert(t.t == apr_time_from_sec(1451624399));
}
END_TEST

/* Checks that anything but an RFC 3339 date-time with an offset is refused. */
START_TEST(test_parse_invalid)
{
    refuse("2015-07-01T09:00:00");
    refuse("2015-07-01 09:00:00-04:00");
    refuse("2015-07-01");
    refuse("2015-02-29T09:00:00Z");
    refuse("1900-02-29T09:00:00Z");
    refuse("2015-13-01T09:00:00Z");
    refuse("2015-00-01T09:00:00Z");
    refuse("2015-04-31T09:00:00Z");
    refuse("2015-07-00T09:00:00Z");
    refuse("2015-07-01T24:00:00Z");
    refuse("2015-07-01T09:60:00Z");
    refuse("2015-07-01T09:00:61Z");
    refuse("2015-07-01T09:00:00+24:00");
    refuse("2015-07-01T09:00:00+05:60");
    refuse("2015-07-01T09:00:00+0530");
    refuse("2015-07-01T09:00:00+05");
    refuse("2015-07-01T09:00:00-04:00x");
    refuse("2015-07-01T09:00:00Zjunk");
    refuse("2015-07-01T09:00:00Z ");
    refuse(" 2015-07-01T09:00:00Z");
    refuse("2015-07-01T09:00:00.Z");
    refuse("2015-7-01T09:00:00Z");
    refuse("2015-07-01T9:00:00Z");
    refuse("15-07-01T09:00:00Z");
    refuse("");
    refuse(NULL);
}
END_TEST

/* Checks that only the leap seconds that happened are read, as the second before. */
START_TEST(test_parse_leap_seconds)
{
    bl_time_t t = parse("2016-12-31T23:59:60Z");

    ck_assert(t.t == apr_time_from_sec(1483228799)); /* 2016-12-31T23:59:59Z */
    ck_assert_int_eq(t.offset, 0);
    /* the same leap second written at another offset */
    t = parse("2016-12-31T18:59:60-05:00");
    ck_assert(t.t == apr_time_from_sec(1483228799));
    ck_assert_int_eq(t.offset, -18000);
    t = parse("1972-06-30T23:59:60Z");
    ck_assert(t.t == apr_time_from_sec(78796799));
    t = parse("2016-12-31T23:59:60.5Z");
    ck_assert(t.t == apr_time_from_sec(1483228799) + 500000);
    /* no leap second ended these days, or not at that minute */
    out_of_range("2015-01-01T00:00:60Z");
    out_of_range("2017-12-31T23:59:60Z");
    out_of_range("2016-12-31T23:58:60Z");
    out_of_range("2016-12-31T23:59:60-05:00"); /* 04:59:60Z the next day */
    out_of_range("2015-07-01T09:00:60Z");
    /* a 61st second is no date-time at all */
    refuse("2016-12-31T23:59:61Z");
}
END_TEST

/* Checks the range of years 1 to 9999, after the offset is applied. */
START_TEST(test_parse_range)
{
    bl_time_t t = parse("0001-01-01T00:00:00Z");

    ck_assert(t.t == -APR_INT64_C(62135596800) * APR_USEC_PER_SEC);
    t = parse("9999-12-31T23:59:59Z");
    ck_assert(t.t == APR_INT64_C(253402300799) * APR_USEC_PER_SEC);
    t = parse("9999-12-31T23:59:59+01:00");
    ck_assert(t.t == APR_INT64_C(253402297199) * APR_USEC_PER_SEC);
    t = parse("0001-01-01T00:00:00-23:59");
    ck_assert_int_eq(t.offset, -(23 * 3600 + 59 * 60));
    /* year 0, written or reached through the offset */
    out_of_range("0000-01-01T00:00:00+23:59");
    out_of_range("0000-12-31T23:59:59Z");
    out_of_range("0001-01-01T00:00:00+00:01");
    out_of_range("0000-01-01T00:00:00Z");
    /* year 10000, reached through the offset */
    out_of_range("9999-12-31T23:59:59-01:00");
    out_of_range("9999-12-31T23:30:00-00:30");
    /* a malformed date is malformed, whatever its year */
    refuse("0000-02-30T00:00:00Z");
    refuse("10000-01-01T00:00:00Z");
}
END_TEST

/* Checks that formatting gives back what was parsed, at its own offset. */
START_TEST(test_rfc3339_round_trip)
{
    static const char *const forms[] = { "2015-07-01T09:00:00-04:00", "2015-07-01T13:00:00Z",
                                         "2015-07-01T18:30:00+05:30", "2016-02-29T23:59:59-09:30",
                                         "1999-12-31T00:00:01+14:00", NULL };
    bl_time_t t;
    int i;

    for (i = 0; forms[i] != NULL; i++) {
        t = parse(forms[i]);
        ck_assert_str_eq(bl_time_rfc3339(&t, pool), forms[i]);
    }
    /* "+00:00" and "z" come back as "Z"; fractions are dropped */
    t = parse("2015-07-01T13:00:00+00:00");
    ck_assert_str_eq(bl_time_rfc3339(&t, pool), "2015-07-01T13:00:00Z");
    t = parse("2015-07-01T13:00:00.75z");
    ck_assert_str_eq(bl_time_rfc3339(&t, pool), "2015-07-01T13:00:00Z");
}
END_TEST

/* Checks iCalendar's UTC form. */
START_TEST(test_ical)
{
    bl_time_t t = parse("2015-07-01T09:00:00-04:00");

    ck_assert_str_eq(bl_time_ical(t.t, pool), "20150701T130000Z");
    t = parse("2015-07-01T23:30:00-04:00");
    ck_assert_str_eq(bl_time_ical(t.t, pool), "20150702T033000Z");
    ck_assert_str_eq(bl_time_ical(0, pool), "19700101T000000Z");
}
END_TEST

/* Checks dates in words in Spanish and English, with and without the weekday. */
START_TEST(test_date_words)
{
    bl_time_t t = parse("2015-07-01T09:00:00-04:00");

    ck_assert_str_eq(bl_locale_date(&t, "es", 0, pool), "1 de julio de 2015");
    ck_assert_str_eq(bl_locale_date(&t, "es", 1, pool), "mi\xc3\xa9rcoles, 1 de julio de 2015");
    ck_assert_str_eq(bl_locale_date(&t, "en", 0, pool), "July 1, 2015");
    ck_assert_str_eq(bl_locale_date(&t, "en", 1, pool), "Wednesday, July 1, 2015");
    /* regional tags use their language's words */
    ck_assert_str_eq(bl_locale_date(&t, "es-MX", 0, pool), "1 de julio de 2015");
    ck_assert_str_eq(bl_locale_date(&t, "en-US", 1, pool), "Wednesday, July 1, 2015");
    t = parse("2016-02-29T10:00:00Z");
    ck_assert_str_eq(bl_locale_date(&t, "es", 1, pool), "lunes, 29 de febrero de 2016");
    ck_assert_str_eq(bl_locale_date(&t, "en", 1, pool), "Monday, February 29, 2016");
    t = parse("2015-12-27T10:00:00Z");
    ck_assert_str_eq(bl_locale_date(&t, "es", 1, pool), "domingo, 27 de diciembre de 2015");
    ck_assert_str_eq(bl_locale_date(&t, "en", 1, pool), "Sunday, December 27, 2015");
    t = parse("2015-01-03T10:00:00Z");
    ck_assert_str_eq(bl_locale_date(&t, "es", 1, pool), "s\xc3\xa1"
                                                            "bado, 3 de enero de 2015");
}
END_TEST

/* Checks the time of day: 24-hour in Spanish, 12-hour with AM/PM in English. */
START_TEST(test_clock_words)
{
    bl_time_t t = parse("2015-07-01T09:00:00-04:00");

    ck_assert_str_eq(bl_locale_clock(&t, "es", pool), "9:00");
    ck_assert_str_eq(bl_locale_clock(&t, "en", pool), "9:00 AM");
    t = parse("2015-07-01T12:00:00-04:00");
    ck_assert_str_eq(bl_locale_clock(&t, "es", pool), "12:00");
    ck_assert_str_eq(bl_locale_clock(&t, "en", pool), "12:00 PM");
    t = parse("2015-07-01T00:30:00-04:00");
    ck_assert_str_eq(bl_locale_clock(&t, "es", pool), "0:30");
    ck_assert_str_eq(bl_locale_clock(&t, "en", pool), "12:30 AM");
    t = parse("2015-07-01T17:05:00-04:00");
    ck_assert_str_eq(bl_locale_clock(&t, "es", pool), "17:05");
    ck_assert_str_eq(bl_locale_clock(&t, "en", pool), "5:05 PM");
    t = parse("2015-07-01T23:59:00-04:00");
    ck_assert_str_eq(bl_locale_clock(&t, "en", pool), "11:59 PM");
}
END_TEST

/* Checks date and time together, the forms SPEC 3 quotes. */
START_TEST(test_words)
{
    bl_time_t t = parse("2015-07-01T09:00:00-04:00");
    const char *es = bl_locale_datetime(&t, "es", 1, pool);
    const char *en = bl_locale_datetime(&t, "en", 1, pool);

    ck_assert_str_eq(bl_locale_datetime(&t, "es", 0, pool), "1 de julio de 2015, 9:00");
    ck_assert_str_eq(bl_locale_datetime(&t, "en", 0, pool), "July 1, 2015, 9:00 AM");
    ck_assert_ptr_nonnull(strstr(es, "1 de julio de 2015, 9:00"));
    ck_assert_ptr_nonnull(strstr(en, "July 1, 2015, 9:00 AM"));
    ck_assert_str_eq(es, "mi\xc3\xa9rcoles, 1 de julio de 2015, 9:00");
    ck_assert_str_eq(en, "Wednesday, July 1, 2015, 9:00 AM");
}
END_TEST

/* Checks spans within one local day, across days, and without an end. */
START_TEST(test_span_words)
{
    bl_time_t a = parse("2015-07-01T09:00:00-04:00");
    bl_time_t b = parse("2015-07-01T12:00:00-04:00");
    bl_time_t c = parse("2015-07-02T10:00:00-04:00");

    ck_assert_str_eq(bl_locale_span(&a, &b, "en", pool),
                     "Wednesday, July 1, 2015, 9:00 AM\xe2\x80\x93"
                     "12:00 PM");
    ck_assert_str_eq(bl_locale_span(&a, &b, "es", pool),
                     "mi\xc3\xa9rcoles, 1 de julio de 2015, 9:00\xe2\x80\x93"
                     "12:00");
    ck_assert_str_eq(bl_locale_span(&a, &c, "en", pool),
                     "Wednesday, July 1, 2015, 9:00 AM \xe2\x80\x93 "
                     "Thursday, July 2, 2015, 10:00 AM");
    ck_assert_str_eq(bl_locale_span(&a, &c, "es", pool),
                     "mi\xc3\xa9rcoles, 1 de julio de 2015, 9:00 \xe2\x80\x93 "
                     "jueves, 2 de julio de 2015, 10:00");
    ck_assert_str_eq(bl_locale_span(&a, NULL, "en", pool), "Wednesday, July 1, 2015, 9:00 AM");
    /* 19:00-21:00 at -04:00 crosses midnight in UTC but not on the local clock */
    a = parse("2015-07-01T19:00:00-04:00");
    b = parse("2015-07-01T21:00:00-04:00");
    ck_assert_str_eq(bl_locale_span(&a, &b, "en", pool),
                     "Wednesday, July 1, 2015, 7:00 PM\xe2\x80\x93"
                     "9:00 PM");
    ck_assert_str_eq(bl_locale_span(&a, &b, "es", pool),
                     "mi\xc3\xa9rcoles, 1 de julio de 2015, 19:00\xe2\x80\x93"
                     "21:00");
}
END_TEST

/* Checks that a language without tables gets ISO 8601 dates and a 24-hour clock. */
START_TEST(test_other_language)
{
    bl_time_t t = parse("2015-07-01T09:00:00-04:00");

    ck_assert_str_eq(bl_locale_date(&t, "fr", 0, pool), "2015-07-01");
    ck_assert_str_eq(bl_locale_date(&t, "fr", 1, pool), "2015-07-01");
    ck_assert_str_eq(bl_locale_clock(&t, "fr", pool), "09:00");
    ck_assert_str_eq(bl_locale_datetime(&t, "fr", 1, pool), "2015-07-01, 09:00");
    /* "est" is not Spanish, "eng" is not English */
    ck_assert_str_eq(bl_locale_date(&t, "est", 0, pool), "2015-07-01");
    ck_assert_str_eq(bl_locale_date(&t, "eng", 0, pool), "2015-07-01");
}
END_TEST

/* Checks that words are written at the item's own offset, not in UTC. */
START_TEST(test_own_offset)
{
    bl_time_t t = parse("2015-07-01T23:30:00-04:00"); /* 2015-07-02T03:30:00Z */

    ck_assert_str_eq(bl_locale_date(&t, "en", 1, pool), "Wednesday, July 1, 2015");
    ck_assert_str_eq(bl_locale_datetime(&t, "en", 0, pool), "July 1, 2015, 11:30 PM");
    ck_assert_str_eq(bl_locale_datetime(&t, "es", 0, pool), "1 de julio de 2015, 23:30");
    ck_assert_str_eq(bl_time_rfc3339(&t, pool), "2015-07-01T23:30:00-04:00");
    t = parse("2015-07-02T01:00:00+05:30"); /* 2015-07-01T19:30:00Z */
    ck_assert_str_eq(bl_locale_datetime(&t, "en", 1, pool), "Thursday, July 2, 2015, 1:00 AM");
    ck_assert_str_eq(bl_locale_datetime(&t, "es", 1, pool), "jueves, 2 de julio de 2015, 1:00");
    /* the same instant written at UTC shows the UTC day */
    t = parse("2015-07-02T03:30:00Z");
    ck_assert_str_eq(bl_locale_datetime(&t, "en", 0, pool), "July 2, 2015, 3:30 AM");
}
END_TEST

/* Returns the suite of instants and dates in words. */
Suite *time_suite(void)
{
    Suite *s = suite_create("time");
    TCase *parse_case = tu_tcase(s, "parse", tu_setup, tu_teardown);
    TCase *words_case = tu_tcase(s, "words", tu_setup, tu_teardown);

    tcase_add_test(parse_case, test_parse_offsets);
    tcase_add_test(parse_case, test_parse_edges);
    tcase_add_test(parse_case, test_parse_invalid);
    tcase_add_test(parse_case, test_parse_leap_seconds);
    tcase_add_test(parse_case, test_parse_range);
    tcase_add_test(parse_case, test_rfc3339_round_trip);
    tcase_add_test(parse_case, test_ical);
    tcase_add_test(words_case, test_date_words);
    tcase_add_test(words_case, test_clock_words);
    tcase_add_test(words_case, test_words);
    tcase_add_test(words_case, test_span_words);
    tcase_add_test(words_case, test_other_language);
    tcase_add_test(words_case, test_own_offset);
    return s;
}
