/* test_lang.c: unit tests of language tags and negotiation (bl_lang.c).
 *
 * bl_lang_negotiate is run on every example of SPEC 4 with the languages es and en,
 * then on the corners the rules name: case, prefixes at '-' boundaries both ways,
 * exclusion by q=0, the wildcard, bad q-values and bad tags skipped, white space,
 * ties, and hostile headers (bytes above 0x7f, 8 KB of junk, 100 KB of ranges).
 * bl_lang_tag_valid is checked on well- and ill-formed BCP 47 tags, and the cookie
 * and query readers on the forms a browser sends. The default languages, their key,
 * bl_lang_join and bl_lang_in_family are checked directly, and bl_lang_query_without
 * on the query strings a language switch sees, up to 4,000 parameters.
 */
#include <string.h>

#include <check.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "bl_lang.h"
#include "tests.h"
#include "testutil.h"

/* A configuration whose second language carries a region. */
static const bl_langs_t es_en_us = { 2, { "es", "en-US" } };

/* Checks that HEADER negotiates to WANT among es and en. */
#define NEG(header, want) ck_assert_int_eq(bl_lang_negotiate(&tu_es_en, (header)), (want))

/* Checks every example SPEC 4 gives, with languages es en. */
START_TEST(test_spec_examples)
{
    NEG("es-419, en;q=0.5", 0);
    NEG("en-GB, es;q=0.5", 1);
    NEG("es;q=0, *", 1);
    NEG("*;q=0", -1); /* the caller falls back to the default, es */
    NEG("en;q=0.5, es;q=0.5", 1);
    NEG("es;q=abc, en;q=0.5", 1);
    NEG("es;q=0.2, en;q=0.5, es;q=0.9", 0);
    NEG("fr-CA, fr;q=0.9", -1);
    ck_assert_int_eq(bl_lang_negotiate(&tu_es_en, NULL), -1);
}
END_TEST

/* Checks that ranges match case-insensitively and as prefixes at a '-' boundary. */
START_TEST(test_case_and_prefix)
{
    NEG("ES", 0);
    NEG("es-MX", 0);
    NEG("EN-us", 1);
    NEG("EN", 1);
    NEG("en-GB-oxendict", 1);
    /* "esp" is not "es" followed by a subtag */
    NEG("esp, en;q=0.1", 1);
    NEG("e, en;q=0.1", 1);
    /* a shorter range matches a longer configured tag, and so does its own case */
    ck_assert_int_eq(bl_lang_negotiate(&es_en_us, "en"), 1);
    ck_assert_int_eq(bl_lang_negotiate(&es_en_us, "EN-us"), 1);
    ck_assert_int_eq(bl_lang_negotiate(&es_en_us, "en-us-x-twain"), 1);
    /* but a sibling region does not */
    ck_assert_int_eq(bl_lang_negotiate(&es_en_us, "en-GB"), -1);
    ck_assert_int_eq(bl_lang_negotiate(&es_en_us, "en-GB, es;q=0.1"), 0);
}
END_TEST

/* Checks headers that name nothing. */
START_TEST(test_empty_headers)
{
    NEG("", -1);
    NEG(",", -1);
    NEG(",,,", -1);
    NEG(" ", -1);
    NEG(";q=1", -1);
    NEG(", ,en", 1);
    NEG("en,,,", 1);
}
END_TEST

/* Checks that a language named twice keeps its highest q and its earliest best. */
START_TEST(test_duplicates)
{
    NEG("en, en, es;q=0.5", 1);
    NEG("es;q=0.5, es;q=0.4, en;q=0.45", 0);
    NEG("es;q=0.3, es;q=0.3, en;q=0.3", 0);
    NEG("en;q=0.3, es;q=0.3, en;q=0.3", 1);
    /* es's best range (q=0.8) comes after en's (q=0.8): en wins the tie */
    NEG("es;q=0.1, en;q=0.8, es-MX;q=0.8", 1);
}
END_TEST

/* Checks qvalue syntax: at most three decimals, never above 1, Q= accepted. */
START_TEST(test_qvalues)
{
    NEG("es;q=0.1234, en;q=0.1", 1); /* four decimals: es skipped */
    NEG("es;q=0.123, en;q=0.1", 0);
    NEG("es;q=1.5, en;q=0.5", 1);
    NEG("es;q=2, en;q=0.5", 1);
    NEG("es;q=1.000, en;q=0.9", 0);
    NEG("es;q=1., en;q=0.9", 0);
    NEG("es;q=1.0001, en;q=0.5", 1);
    NEG("es;q=1.001, en;q=0.5", 1);
    NEG("es;q=.5, en;q=0.4", 1);
    NEG("es;q=-0.5, en;q=0.4", 1);
    NEG("es;q=, en;q=0.4", 1);
    NEG("es;q=0.5x, en;q=0.4", 1);
    NEG("es;Q=0.4, en;Q=0.5", 1);
    NEG("es;Q=0.5, en;q=0.4", 0);
    NEG("es;q=0.001, en;q=0", 0);
    NEG("es;q=0.000, en;q=0.000", -1);
}
END_TEST

/* Checks that spaces and tabs around ';' and '=' are accepted. */
START_TEST(test_white_space)
{
    NEG("es ; q = 0.4 , en ; q = 0.5", 1);
    NEG("es;q=0.4,\ten\t;\tq=0.5", 1);
    NEG("  en  ", 1);
    NEG("es;q=0.4 ,en ;q=0.5 ", 1);
}
END_TEST

/* Checks that '*' gives its q only to languages no other range matched. */
START_TEST(test_wildcard)
{
    NEG("*", 0);
    NEG("*;q=0.5, en;q=0.1", 0); /* en keeps its own 0.1, es gets 0.5 */
    NEG("en;q=0.1, *;q=0.5", 0);
    NEG("*;q=0.5, es;q=0.1", 1);
    NEG("es;q=0, *;q=0.3", 1);
    NEG("es, *;q=0", 0);
    NEG("*, *;q=0.2, en;q=0.1", 0);
    /* ties: the wildcard's place in the header counts for the languages it gives to */
    NEG("*, en", 0);
    NEG("en, *", 1);
}
END_TEST

/* Checks that a range equal to a language with q=0 excludes it, even when a longer
 * range also matches it with a higher q. */
START_TEST(test_exclusion)
{
    NEG("es;q=0, es-MX;q=0.8", -1);
    NEG("es-MX;q=0.8, es;q=0", -1);
    NEG("es-MX;q=0.8, es;q=0, en;q=0.1", 1);
    NEG("es;q=0, es-MX;q=0.8, en;q=0.1", 1);
    NEG("ES;q=0, es;q=1, en;q=0.1", 1);
    /* a longer range with q=0 does not exclude the shorter language */
    NEG("es-MX;q=0, es;q=0.5, en;q=0.1", 0);
    NEG("es-MX;q=0, en;q=0.1", 1);
}
END_TEST

/* Checks that bad tags are skipped, never matched and never fatal. */
START_TEST(test_bad_tags)
{
    NEG("es\xc3\xa9, en", 1);
    NEG("es-\xc3\xa9, en;q=0.5", 1);
    NEG("\xff\xfe, en", 1);
    NEG("es_MX, en;q=0.5", 1);
    NEG("es-, en;q=0.5", 1);
    NEG("-es, en;q=0.5", 1);
    NEG("es--MX, en;q=0.5", 1);
    NEG("toolongtag, en;q=0.5", 1);
    NEG("9es, en;q=0.5", 1);
    NEG("es\"x, en;q=0.5", 1);
}
END_TEST

/* Checks that 8 KB of junk before a good range do not hide it. */
START_TEST(test_junk_header)
{
    char *junk = tu_repeat("\x01;=q!\xfe\"x", 1024);

    ck_assert_int_eq((int)strlen(junk), 8 * 1024);
    NEG(apr_pstrcat(pool, junk, ", en", NULL), 1);
    NEG(apr_pstrcat(pool, tu_repeat(";;;;", 2048), ", en", NULL), 1);
    NEG(apr_pstrcat(pool, tu_repeat("es;q=abc,", 1000), " en;q=0.001", NULL), 1);
}
END_TEST

/* Checks a 100 KB header of unknown ranges, with and without a known one at its end. */
START_TEST(test_huge_header)
{
    char *many = tu_repeat("a,", 50 * 1024);

    ck_assert_int_eq((int)strlen(many), 100 * 1024);
    NEG(many, -1);
    NEG(apr_pstrcat(pool, many, "en;q=0.2", NULL), 1);
    NEG(apr_pstrcat(pool, "es;q=0.3,", many, "en;q=0.2", NULL), 0);
    NEG(tu_repeat("en;q=0.5,", 12 * 1024), 1);
}
END_TEST

/* Checks BCP 47 tags that are well formed. */
START_TEST(test_tag_valid)
{
    ck_assert_int_eq(bl_lang_tag_valid("es"), 1);
    ck_assert_int_eq(bl_lang_tag_valid("en-US"), 1);
    ck_assert_int_eq(bl_lang_tag_valid("es-419"), 1);
    ck_assert_int_eq(bl_lang_tag_valid("zh-Hant-TW"), 1);
    ck_assert_int_eq(bl_lang_tag_valid("sr-Latn-RS"), 1);
    ck_assert_int_eq(bl_lang_tag_valid("x-klingon"), 1);
    ck_assert_int_eq(bl_lang_tag_valid("de-CH-1996"), 1);
    ck_assert_int_eq(bl_lang_tag_valid("en-US-x-twain"), 1);
    ck_assert_int_eq(bl_lang_tag_valid("EN"), 1);
}
END_TEST

/* Checks strings that are not BCP 47 tags. */
START_TEST(test_tag_invalid)
{
    /* otherwise well-formed, but 40 characters long */
    const char *long_tag = apr_pstrcat(pool, "en-x-", tu_repeat("aaaaaaa-", 4), "aaa", NULL);

    ck_assert_int_eq((int)strlen(long_tag), 40);
    ck_assert_int_eq(bl_lang_tag_valid(""), 0);
    ck_assert_int_eq(bl_lang_tag_valid(NULL), 0);
    ck_assert_int_eq(bl_lang_tag_valid("e"), 0);
    ck_assert_int_eq(bl_lang_tag_valid("e_s"), 0);
    ck_assert_int_eq(bl_lang_tag_valid("es-"), 0);
    ck_assert_int_eq(bl_lang_tag_valid("-es"), 0);
    ck_assert_int_eq(bl_lang_tag_valid("toolongtag1"), 0);
    ck_assert_int_eq(bl_lang_tag_valid("es--MX"), 0);
    ck_assert_int_eq(bl_lang_tag_valid("en-x"), 0);
    ck_assert_int_eq(bl_lang_tag_valid("x"), 0);
    ck_assert_int_eq(bl_lang_tag_valid("123"), 0);
    ck_assert_int_eq(bl_lang_tag_valid("es MX"), 0);
    ck_assert_int_eq(bl_lang_tag_valid("es\xc3\xa9"), 0);
    ck_assert_int_eq(bl_lang_tag_valid(long_tag), 0);
}
END_TEST

/* Checks the exact and length-bounded lookups in the configured list. */
START_TEST(test_find)
{
    ck_assert_int_eq(bl_lang_find(&tu_es_en, "es"), 0);
    ck_assert_int_eq(bl_lang_find(&tu_es_en, "EN"), 1);
    ck_assert_int_eq(bl_lang_find(&tu_es_en, "en-US"), -1);
    ck_assert_int_eq(bl_lang_find(&tu_es_en, ""), -1);
    ck_assert_int_eq(bl_lang_findn(&tu_es_en, "en-US", 2), 1);
    ck_assert_int_eq(bl_lang_findn(&tu_es_en, "e", 1), -1);
    ck_assert_int_eq(bl_lang_find(&es_en_us, "en-us"), 1);
}
END_TEST

/* Checks the remembered choice read from a Cookie header. */
START_TEST(test_from_cookie)
{
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, "lang=en", "lang"), 1);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, " other=1; lang=es ", "lang"), 0);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, "lang=\"en\"", "lang"), 1);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, "a=b;lang=en;c=d", "lang"), 1);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, "lang=fr", "lang"), -1);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, "xlang=en", "lang"), -1);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, "langx=en", "lang"), -1);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, "lang=", "lang"), -1);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, "lang=enx", "lang"), -1);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, "", "lang"), -1);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, ";;;", "lang"), -1);
    ck_assert_int_eq(bl_lang_from_cookie(&tu_es_en, NULL, "lang"), -1);
}
END_TEST

/* Checks the explicit choice read from a query string. */
START_TEST(test_from_query)
{
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, "lang=en"), 1);
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, "a=1&lang=es"), 0);
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, "lang=es&a=1"), 0);
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, "lang="), -1);
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, "lang=EN"), 1);
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, "xlang=en"), -1);
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, "lang=fr"), -1);
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, "lang=en-US"), -1);
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, ""), -1);
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, "&&&"), -1);
    ck_assert_int_eq(bl_lang_from_query(&tu_es_en, NULL), -1);
}
END_TEST

/* Checks the built-in default languages and the key they are cached under. */
START_TEST(test_defaults)
{
    ck_assert_int_eq(bl_lang_defaults.n, 2);
    ck_assert_str_eq(bl_lang_defaults.tag[0], "es");
    ck_assert_str_eq(bl_lang_defaults.tag[1], "en");
    ck_assert_str_eq(bl_lang_defaults_key, "es en");
    ck_assert_str_eq(bl_lang_join(&bl_lang_defaults, pool), bl_lang_defaults_key);
}
END_TEST

/* Checks that tags are joined by single spaces, in order. */
START_TEST(test_join)
{
    static const bl_langs_t none = { 0, { NULL } };
    static const bl_langs_t one = { 1, { "fr" } };
    static const bl_langs_t three = { 3, { "es", "en-US", "zh-Hant-TW" } };

    ck_assert_str_eq(bl_lang_join(&none, pool), "");
    ck_assert_str_eq(bl_lang_join(&one, pool), "fr");
    ck_assert_str_eq(bl_lang_join(&tu_es_en, pool), "es en");
    ck_assert_str_eq(bl_lang_join(&es_en_us, pool), "es en-US");
    ck_assert_str_eq(bl_lang_join(&three, pool), "es en-US zh-Hant-TW");
}
END_TEST

/* Checks the family test: the tag itself or a subtag, ignoring case, never a prefix
 * of letters. */
START_TEST(test_in_family)
{
    ck_assert_int_eq(bl_lang_in_family("es", "es"), 1);
    ck_assert_int_eq(bl_lang_in_family("es-MX", "es"), 1);
    ck_assert_int_eq(bl_lang_in_family("ES-mx", "es"), 1);
    ck_assert_int_eq(bl_lang_in_family("es", "ES"), 1);
    ck_assert_int_eq(bl_lang_in_family("en-GB-oxendict", "en"), 1);
    ck_assert_int_eq(bl_lang_in_family("est", "es"), 0);
    ck_assert_int_eq(bl_lang_in_family("eng", "en"), 0);
    ck_assert_int_eq(bl_lang_in_family("e", "es"), 0);
    ck_assert_int_eq(bl_lang_in_family("", "es"), 0);
    ck_assert_int_eq(bl_lang_in_family("en", "es"), 0);
    ck_assert_int_eq(bl_lang_in_family("es_MX", "es"), 0);
}
END_TEST

/* Checks QUERY without its lang parameters against WANT (NULL: nothing left). */
static void without(const char *query, const char *want)
{
    const char *got = bl_lang_query_without(query, pool);

    if (want == NULL) {
        ck_assert_msg(got == NULL, "%s: got \"%s\", want nothing", query ? query : "(null)", got);
    }
    else {
        ck_assert_msg(got != NULL && strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"", query,
                      got ? got : "(null)", want);
    }
}

/* Checks that lang= parameters, and only they, are removed from a query string. */
START_TEST(test_query_without)
{
    without(NULL, NULL);
    without("", NULL);
    without("lang=en", NULL);
    without("lang=", NULL);
    without("lang", NULL);
    without("lang=en&lang=es", NULL);
    without("&&&", NULL);
    without("a=1", "a=1");
    without("a=1&lang=en", "a=1");
    without("lang=en&a=1", "a=1");
    without("a=1&lang=en&b=2", "a=1&b=2");
    without("a=1&lang=en&b=2&lang=es&c", "a=1&b=2&c");
    without("page=2&lang=es", "page=2");
    /* names that only start or end like lang are other parameters */
    without("xlang=en&langx=es&lan=1&language=en", "xlang=en&langx=es&lan=1&language=en");
    /* empty parameters go; the others keep their order and their bytes */
    without("a=1&&b=%20x&lang=en&", "a=1&b=%20x");
    without("q=lang%3Den&lang=en", "q=lang%3Den");
}
END_TEST

/* Checks 4,000 parameters, half of them lang=: every other one is kept, in order, and
 * a long run of nothing but lang= leaves nothing. The result is checked whole: a copy
 * per parameter would show up as time, not as a wrong answer. */
START_TEST(test_query_without_many)
{
    char *query = tu_repeat("lang=en&k=v&", 2000);
    char *want = tu_repeat("k=v&", 2000);
    const char *got;

    want[strlen(want) - 1] = '\0';
    got = bl_lang_query_without(query, pool);
    ck_assert_ptr_nonnull(got);
    ck_assert_int_eq((int)strlen(got), 2000 * 4 - 1);
    ck_assert_str_eq(got, want);
    without(tu_repeat("lang=es&", 4000), NULL);
    got = bl_lang_query_without(apr_pstrcat(pool, tu_repeat("lang=es&", 4000), "z=1", NULL), pool);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, "z=1");
}
END_TEST

/* Returns the suite of language tags and negotiation. */
Suite *lang_suite(void)
{
    Suite *s = suite_create("lang");
    TCase *neg = tu_tcase(s, "negotiate", tu_setup, tu_teardown);
    TCase *tags = tu_tcase(s, "tags", tu_setup, tu_teardown);

    tcase_add_test(neg, test_spec_examples);
    tcase_add_test(neg, test_case_and_prefix);
    tcase_add_test(neg, test_empty_headers);
    tcase_add_test(neg, test_duplicates);
    tcase_add_test(neg, test_qvalues);
    tcase_add_test(neg, test_white_space);
    tcase_add_test(neg, test_wildcard);
    tcase_add_test(neg, test_exclusion);
    tcase_add_test(neg, test_bad_tags);
    tcase_add_test(neg, test_junk_header);
    tcase_add_test(neg, test_huge_header);
    tcase_add_test(tags, test_tag_valid);
    tcase_add_test(tags, test_tag_invalid);
    tcase_add_test(tags, test_find);
    tcase_add_test(tags, test_from_cookie);
    tcase_add_test(tags, test_from_query);
    tcase_add_test(tags, test_defaults);
    tcase_add_test(tags, test_join);
    tcase_add_test(tags, test_in_family);
    tcase_add_test(tags, test_query_without);
    tcase_add_test(tags, test_query_without_many);
    return s;
}
