/* tests.h: the suites of the core's unit tests. */
#ifndef BL_TESTS_H
#define BL_TESTS_H

#include <check.h>

Suite *lang_suite(void);
Suite *time_suite(void);
Suite *route_suite(void);
Suite *content_suite(void);
Suite *render_suite(void);
Suite *ics_suite(void);
Suite *atom_suite(void);
Suite *budget_suite(void);

#endif
