/* test_lang.c: placeholder until the lang tests land. */
#include "tests.h"

/* Returns the lang suite. */
Suite *lang_suite(void)
{
    return suite_create("lang");
}
