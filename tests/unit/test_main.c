/* test_main.c: runs every suite of the core's unit tests with Check. */
#include <stdlib.h>

#include <apr_general.h>
#include <libxml/parser.h>

#include "tests.h"

/* Runs all suites; exits non-zero when any test fails. */
int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    xmlInitParser();
    sr = srunner_create(lang_suite());
    srunner_add_suite(sr, time_suite());
    srunner_add_suite(sr, route_suite());
    srunner_add_suite(sr, content_suite());
    srunner_add_suite(sr, render_suite());
    srunner_add_suite(sr, ics_suite());
    srunner_add_suite(sr, atom_suite());
    srunner_add_suite(sr, budget_suite());
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
