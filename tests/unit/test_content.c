/* test_content.c: placeholder until the content tests land. */
#include "tests.h"

/* Returns the content suite. */
Suite *content_suite(void)
{
    return suite_create("content");
}
