/* test_render.c: placeholder until the render tests land. */
#include "tests.h"

/* Returns the render suite. */
Suite *render_suite(void)
{
    return suite_create("render");
}
