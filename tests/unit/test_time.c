/* test_time.c: placeholder until the time tests land. */
#include "tests.h"

/* Returns the time suite. */
Suite *time_suite(void)
{
    return suite_create("time");
}
