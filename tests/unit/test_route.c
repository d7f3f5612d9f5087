/* test_route.c: placeholder until the route tests land. */
#include "tests.h"

/* Returns the route suite. */
Suite *route_suite(void)
{
    return suite_create("route");
}
