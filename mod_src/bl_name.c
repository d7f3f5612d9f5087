/* bl_name.c: the one rule for names in URLs and content file names. */
#include "bl_limits.h"
#include "bl_name.h"

/* Checks NAME against [a-z0-9][a-z0-9-]* and the length cap. */
int bl_name_valid(const char *name, apr_size_t len)
{
    apr_size_t i;

    if (len == 0 || len > BL_MAX_NAME || name[0] == '-') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return 0;
        }
    }
    return 1;
}
