/* test_ics.c: unit tests of the iCalendar writer (bl_ics.c).
 *
 * bl_ics_prop is checked byte for byte: TEXT escaping, control characters dropped,
 * CRLF line ends, and folding at 75 octets that never splits a UTF-8 character or an
 * escape pair; every folded line is unfolded again and compared with what it must
 * mean. bl_ics_write is run on a small snapshot built in memory and its calendar is
 * checked line by line; bl_ics_sequence is checked against minutes counted by hand.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <libxml/parser.h>

#include "bl_ics.h"
#include "bl_out.h"
#include "tests.h"
#include "testutil.h"

/* Returns what bl_ics_prop writes for NAME, VALUE and ESCAPE, as a string. */
static const char *prop(const char *name, const char *value, int escape)
{
    bl_out_t *out = tu_out();

    bl_ics_prop(out, name, value, escape);
    return tu_flat(out);
}

/* Returns 1 when the N bytes at S are whole, well-formed UTF-8 characters. */
static int utf8_whole(const unsigned char *s, apr_size_t n)
{
    apr_size_t i = 0, k, len;

    while (i < n) {
        len = s[i] < 0x80   ? 1
              : s[i] < 0xC2 ? 0
              : s[i] < 0xE0 ? 2
              : s[i] < 0xF0 ? 3
              : s[i] < 0xF5 ? 4
                            : 0;
        if (len == 0 || i + len > n) {
            return 0;
        }
        for (k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        i += len;
    }
    return 1;
}

/* Checks OUT is lines of at most 75 octets, each ending in CRLF with no other CR
 * or LF, and each made of whole UTF-8 characters. */
static void check_lines(const char *out)
{
    const char *line, *crlf;

    ck_assert_msg(strlen(out) >= 2 && strcmp(out + strlen(out) - 2, "\r\n") == 0,
                  "output does not end in CRLF: %s", out);
    for (line = out; *line != '\0'; line = crlf + 2) {
        crlf = strstr(line, "\r\n");
        ck_assert_ptr_nonnull(crlf);
        ck_assert_ptr_null(memchr(line, '\n', (apr_size_t)(crlf - line)));
        ck_assert_ptr_null(memchr(line, '\r', (apr_size_t)(crlf - line)));
        ck_assert_msg(crlf - line <= 75, "line of %d octets", (int)(crlf - line));
        ck_assert_msg(utf8_whole((const unsigned char *)line, (apr_size_t)(crlf - line)),
                      "a fold split a UTF-8 character");
    }
}

/* Checks OUT, one content line, with check_lines and that its continuation lines
 * start with a space; returns the unfolded line without its final CRLF. */
static const char *check_unfold(const char *out)
{
    char *logical = apr_pcalloc(pool, strlen(out) + 1);
    const char *line, *crlf;

    check_lines(out);
    for (line = out; *line != '\0'; line = crlf + 2) {
        crlf = strstr(line, "\r\n");
        ck_assert(line == out || line[0] == ' ');
        strncat(logical, line == out ? line : line + 1,
                (apr_size_t)(crlf - line) - (line == out ? 0 : 1));
    }
    return logical;
}

/* Checks that a short line is written whole with CRLF. */
START_TEST(test_short_line)
{
    ck_assert_str_eq(prop("VERSION", "2.0", 0), "VERSION:2.0\r\n");
    ck_assert_str_eq(prop("SUMMARY", "", 1), "SUMMARY:\r\n");
}
END_TEST

/* Checks that 75 octets stay on one line and the 76th is folded. */
START_TEST(test_fold_at_75)
{
    const char *v73 = tu_repeat("a", 73);
    const char *v74 = tu_repeat("a", 74);

    /* "X:" and 73 octets: exactly 75, not folded */
    ck_assert_str_eq(prop("X", v73, 1), apr_pstrcat(pool, "X:", v73, "\r\n", NULL));
    /* one more: the 76th octet moves to a continuation line */
    ck_assert_str_eq(prop("X", v74, 1), apr_pstrcat(pool, "X:", v73, "\r\n a\r\n", NULL));
}
END_TEST

/* Checks that a long value folds into full lines that unfold to it. */
START_TEST(test_fold_long_ascii)
{
    const char *v = tu_repeat("0123456789", 40);
    const char *out = prop("DESCRIPTION", v, 1);

    ck_assert_str_eq(check_unfold(out), apr_pstrcat(pool, "DESCRIPTION:", v, NULL));
    /* continuation lines are full: 1 space + 74 octets */
    ck_assert_int_eq((int)(strstr(out + 77, "\r\n") - (out + 77)), 75);
}
END_TEST

/* Checks that 2-, 3- and 4-octet characters are never split, at every alignment. */
START_TEST(test_fold_utf8_boundaries)
{
    /* 2-, 2-, 4- and 3-octet characters in every alignment against the fold */
    const char *v = tu_repeat("\xC3\xA9\xC3\xB1\xF0\x9F\x98\x80\xE2\x82\xAC", 40);
    const char *pre;
    const char *out;
    int i;

    for (i = 0; i < 8; i++) {
        pre = tu_repeat("a", i);
        out = prop("SUMMARY", apr_pstrcat(pool, pre, v, NULL), 1);
        ck_assert_str_eq(check_unfold(out), apr_pstrcat(pool, "SUMMARY:", pre, v, NULL));
    }
}
END_TEST

/* Checks that a character that would cross octet 75 moves whole to the next line. */
START_TEST(test_fold_moves_whole_character)
{
    const char *v72 = tu_repeat("a", 72);
    const char *v73 = tu_repeat("a", 73);

    /* 74 octets then an emoji: it cannot end the line, the line stays at 74 */
    ck_assert_str_eq(prop("X", apr_pstrcat(pool, v72, "\xF0\x9F\x98\x80", NULL), 1),
                     apr_pstrcat(pool, "X:", v72, "\r\n \xF0\x9F\x98\x80\r\n", NULL));
    /* 75 octets then é */
    ck_assert_str_eq(prop("X", apr_pstrcat(pool, v73, "\xC3\xA9", NULL), 1),
                     apr_pstrcat(pool, "X:", v73, "\r\n \xC3\xA9\r\n", NULL));
    /* 74 octets then é (2 octets): 76, so é moves */
    ck_assert_str_eq(prop("X", apr_pstrcat(pool, v72, "\xC3\xA9", NULL), 1),
                     apr_pstrcat(pool, "X:", v72, "\r\n \xC3\xA9\r\n", NULL));
}
END_TEST

/* Checks that an escape pair is never split by a fold. */
START_TEST(test_fold_keeps_escape_pairs)
{
    const char *v72 = tu_repeat("a", 72);

    ck_assert_str_eq(prop("X", apr_pstrcat(pool, v72, "\n", NULL), 1),
                     apr_pstrcat(pool, "X:", v72, "\r\n \\n\r\n", NULL));
    ck_assert_str_eq(prop("X", apr_pstrcat(pool, v72, ";", NULL), 1),
                     apr_pstrcat(pool, "X:", v72, "\r\n \\;\r\n", NULL));
}
END_TEST

/* Checks TEXT escaping of backslash, semicolon, comma and newline; CR is dropped. */
START_TEST(test_escape_text)
{
    ck_assert_str_eq(prop("SUMMARY", "a\\b;c,d\ne", 1), "SUMMARY:a\\\\b\\;c\\,d\\ne\r\n");
    ck_assert_str_eq(prop("SUMMARY", "one\r\ntwo\rthree", 1), "SUMMARY:one\\ntwothree\r\n");
    ck_assert_str_eq(prop("SUMMARY", "tab\there: \"quoted\"", 1),
                     "SUMMARY:tab\there: \"quoted\"\r\n");
}
END_TEST

/* Checks that control characters and broken UTF-8 are dropped. */
START_TEST(test_controls_dropped)
{
    ck_assert_str_eq(prop("X",
                          "\x01"
                          "a\x1B"
                          "b\x7F"
                          "c",
                          1),
                     "X:abc\r\n");
    /* a stray continuation byte and a truncated sequence are not passed on */
    ck_assert_str_eq(prop("X",
                          "a\x80"
                          "b\xC3",
                          1),
                     "X:ab\r\n");
}
END_TEST

/* Checks that raw values are not escaped but cannot break the line. */
START_TEST(test_raw_value)
{
    ck_assert_str_eq(prop("URL", "https://x.example/a;b,c\\d", 0),
                     "URL:https://x.example/a;b,c\\d\r\n");
    /* no escaping, but no line break can get through either */
    ck_assert_str_eq(prop("URL", "https://x.example/\r\nBEGIN:VEVENT", 0),
                     "URL:https://x.example/BEGIN:VEVENT\r\n");
}
END_TEST

/* Checks UIDs built from domain and mailbox authorities, and without one. */
START_TEST(test_uid)
{
    ck_assert_str_eq(bl_ics_uid("example.org,2015", "event", "march", pool), "event-march@example.org");
    ck_assert_str_eq(bl_ics_uid("ann@example.org,2015-06", "event", "march", pool),
                     "event-march@example.org");
    ck_assert_str_eq(bl_ics_uid("example.org", "event", "a-b", pool), "event-a-b@example.org");
    ck_assert_str_eq(bl_ics_uid(NULL, "event", "a", pool), "event-a@invalid.example");
}
END_TEST

/* 2015-06-15T00:00:00Z: the instant the snapshot of make_ctx is derived at */
#define NOW apr_time_from_sec(1434326400)

/* Returns a context in language LANG (0 es, 1 en) over a snapshot of two events:
 * "march" upcoming, with an end and a location, and "vigil" past, cancelled, with
 * no end and a title in Spanish only. */
static bl_ctx_t *make_ctx(int lang)
{
    bl_site_t *site = tu_make_site();
    bl_file_t *march, *vigil;

    march = tu_make_file(
        BL_KIND_EVENT, "march",
        "<event><title xml:lang='es'>Marcha; grande</title>"
        "<title xml:lang='en'>March, big</title>"
        "<location xml:lang='es'>Plaza</location><location xml:lang='en'>Square</location>"
        "<summary xml:lang='es'>Ven</summary><summary xml:lang='en'>Come</summary>"
        "<body><p>x</p></body></event>");
    bl_time_parse("2015-06-01T12:00:00-04:00", &march->item.published);
    bl_time_parse("2015-06-05T08:30:00-04:00", &march->item.updated);
    bl_time_parse("2015-07-01T09:00:00-04:00", &march->item.start);
    bl_time_parse("2015-07-01T12:00:00-04:00", &march->item.end);
    march->item.has_end = 1;
    vigil =
        tu_make_file(BL_KIND_EVENT, "vigil",
                     "<event><title xml:lang='es'>Vigilia</title><body><p>y</p></body></event>");
    bl_time_parse("2015-01-01T10:00:00Z", &vigil->item.published);
    vigil->item.updated = vigil->item.published;
    bl_time_parse("2015-01-10T18:00:00-05:00", &vigil->item.start);
    vigil->item.cancelled = 1;
    tu_site_add(site, march);
    tu_site_add(site, vigil);
    tu_site_derive(site, NOW);
    ck_assert_int_eq(bl_site_list(site, BL_KIND_EVENT)->order->nelts, 2);
    ck_assert_int_eq(bl_site_list(site, BL_KIND_EVENT)->upcoming, 1);
    return tu_make_ctx(site, &tu_es_en, lang, 20);
}

/* Returns the calendar bl_ics_write writes for CTX. */
static const char *calendar(const bl_ctx_t *ctx)
{
    bl_out_t *out = tu_out();

    ck_assert_int_eq(bl_ics_write(ctx, BL_KIND_EVENT, out), APR_SUCCESS);
    return tu_flat(out);
}

/* Returns the number of times NEEDLE occurs in S. */
static int count(const char *s, const char *needle)
{
    int n = 0;

    for (s = strstr(s, needle); s != NULL; s = strstr(s + 1, needle)) {
        n++;
    }
    return n;
}

/* Checks SEQUENCE: minutes since 2000-01-01T00:00:00Z, 0 before, capped at 2^31-1. */
START_TEST(test_sequence)
{
    bl_time_t t;

    ck_assert_int_eq(bl_ics_sequence(apr_time_from_sec(946684800)), 0);
    ck_assert_int_eq(bl_ics_sequence(apr_time_from_sec(946684800 + 59)), 0);
    ck_assert_int_eq(bl_ics_sequence(apr_time_from_sec(946684800 + 60)), 1);
    ck_assert_int_eq(bl_ics_sequence(apr_time_from_sec(946684800 + 86400)), 1440);
    /* before 2000, and the epoch itself */
    ck_assert_int_eq(bl_ics_sequence(apr_time_from_sec(946684799)), 0);
    ck_assert_int_eq(bl_ics_sequence(0), 0);
    ck_assert_int_eq(bl_ics_sequence(-apr_time_from_sec(86400)), 0);
    /* 2015-06-05T08:30:00-04:00 is 8,113,710 minutes after 2000-01-01T00:00:00Z, at
     * whatever offset it is written */
    ck_assert_int_eq(bl_time_parse("2015-06-05T08:30:00-04:00", &t), APR_SUCCESS);
    ck_assert_int_eq(bl_ics_sequence(t.t), 8113710);
    ck_assert_int_eq(bl_time_parse("2015-06-05T12:30:59Z", &t), APR_SUCCESS);
    ck_assert_int_eq(bl_ics_sequence(t.t), 8113710);
    ck_assert_int_eq(bl_time_parse("2015-06-05T12:31:00Z", &t), APR_SUCCESS);
    ck_assert_int_eq(bl_ics_sequence(t.t), 8113711);
    /* the last year there is: still within a 32-bit INTEGER, capped */
    ck_assert_int_eq(bl_time_parse("9999-12-31T23:59:59Z", &t), APR_SUCCESS);
    ck_assert_int_eq(bl_ics_sequence(t.t), 2147483647L);
    ck_assert_int_eq(bl_time_parse("6083-01-23T02:07:00Z", &t), APR_SUCCESS);
    ck_assert_int_eq(bl_ics_sequence(t.t), 2147483647L);
    ck_assert_int_eq(bl_time_parse("6083-01-23T02:06:59Z", &t), APR_SUCCESS);
    ck_assert_int_eq(bl_ics_sequence(t.t), 2147483646L);
}
END_TEST

/* Checks that moving `updated` forward raises SEQUENCE in the calendar. */
START_TEST(test_sequence_grows)
{
    bl_ctx_t *ctx = make_ctx(1);
    bl_file_t *march = bl_site_get(ctx->site, BL_KIND_EVENT, "march");
    const char *before = calendar(ctx);

    ck_assert_ptr_nonnull(march);
    ck_assert_ptr_nonnull(strstr(before, "SEQUENCE:8113710\r\n"));
    ck_assert_int_eq(bl_time_parse("2015-06-05T08:45:00-04:00", &march->item.updated),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(calendar(ctx), "SEQUENCE:8113725\r\n"));
}
END_TEST

/* Checks a whole English calendar: header, both events, their order and fields. */
START_TEST(test_write_calendar)
{
    const char *out = calendar(make_ctx(1));

    ck_assert_ptr_nonnull(strstr(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                                      "PRODID:-//mod_bilingual//campaign events//EN\r\n"
                                      "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
                                      "X-WR-CALNAME:Events\r\n"));
    ck_assert_ptr_nonnull(strstr(out, "BEGIN:VEVENT\r\n"
                                      "UID:event-march@example.org\r\n"
                                      "DTSTAMP:20150605T123000Z\r\n"
                                      "DTSTART:20150701T130000Z\r\n"
                                      "DTEND:20150701T160000Z\r\n"
                                      "SEQUENCE:8113710\r\n"
                                      "SUMMARY:March\\, big\r\n"
                                      "LOCATION:Square\r\n"
                                      "DESCRIPTION:Come\\n\\nhttps://campaign.example/en/ev"
                                      "ents/march\r\n"
                                      "URL:https://campaign.example/en/events/march\r\n"
                                      "STATUS:CONFIRMED\r\n"
                                      "LAST-MODIFIED:20150605T123000Z\r\n"
                                      "END:VEVENT\r\n"));
    /* the past event follows; no end means one hour */
    ck_assert_ptr_nonnull(strstr(out, "END:VEVENT\r\nBEGIN:VEVENT\r\n"
                                      "UID:event-vigil@example.org\r\n"));
    ck_assert_ptr_nonnull(strstr(out, "DTSTART:20150110T230000Z\r\n"
                                      "DTEND:20150111T000000Z\r\n"
                                      "SEQUENCE:7890360\r\n"));
    /* every VEVENT has exactly one SEQUENCE */
    ck_assert_int_eq(count(out, "BEGIN:VEVENT\r\n"), 2);
    ck_assert_int_eq(count(out, "\r\nSEQUENCE:"), 2);
    ck_assert_ptr_nonnull(strstr(out, "SUMMARY;LANGUAGE=es:Cancelled: Vigilia\r\n"));
    ck_assert_ptr_nonnull(strstr(out, "STATUS:CANCELLED\r\n"));
    check_lines(out);
    ck_assert_str_eq(out + strlen(out) - 15, "END:VCALENDAR\r\n");
}
END_TEST

/* Checks that the Spanish calendar is byte-stable and keeps the same UIDs. */
START_TEST(test_write_stable_and_language_independent_uid)
{
    const char *es = calendar(make_ctx(0));

    ck_assert_str_eq(es, calendar(make_ctx(0)));
    ck_assert_ptr_nonnull(strstr(es, "UID:event-march@example.org\r\n"));
    ck_assert_ptr_nonnull(strstr(es, "SUMMARY:Marcha\\; grande\r\n"));
    ck_assert_ptr_nonnull(strstr(es, "SUMMARY:Cancelado: Vigilia\r\n"));
    ck_assert_ptr_nonnull(strstr(es, "URL:https://campaign.example/es/events/march\r\n"));
}
END_TEST

/* Returns the suite of the iCalendar writer. */
Suite *ics_suite(void)
{
    Suite *s = suite_create("ics");
    TCase *prop_case = tu_tcase(s, "prop", tu_setup, tu_teardown);
    TCase *write_case = tu_tcase(s, "write", tu_setup, tu_teardown);

    tcase_add_test(prop_case, test_short_line);
    tcase_add_test(prop_case, test_fold_at_75);
    tcase_add_test(prop_case, test_fold_long_ascii);
    tcase_add_test(prop_case, test_fold_utf8_boundaries);
    tcase_add_test(prop_case, test_fold_moves_whole_character);
    tcase_add_test(prop_case, test_fold_keeps_escape_pairs);
    tcase_add_test(prop_case, test_escape_text);
    tcase_add_test(prop_case, test_controls_dropped);
    tcase_add_test(prop_case, test_raw_value);
    tcase_add_test(prop_case, test_uid);
    tcase_add_test(prop_case, test_sequence);
    tcase_add_test(write_case, test_write_calendar);
    tcase_add_test(write_case, test_write_stable_and_language_independent_uid);
    tcase_add_test(write_case, test_sequence_grows);
    return s;
}
