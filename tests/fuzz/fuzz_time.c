/* fuzz_time.c: libFuzzer target for RFC 3339 parsing and dates in words.
 *
 * Whatever parses must be in years 1-9999 (UTC), write back as RFC 3339 at its own
 * offset and parse again to the same instant and offset (to the second), and have
 * words in every built-in language and in the ISO fallback.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "bl_locale.h"
#include "bl_time.h"

static apr_pool_t *pool;

#define PROMISE(x) ((x) ? (void)0 : __builtin_trap())

/* Sets up APR once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    return 0;
}

/* One input: one date-time. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    bl_time_t t, back, end;
    const char *w;

    memcpy(s, data, size);
    s[size] = '\0';
    if (bl_time_parse(s, &t) == APR_SUCCESS) {
        PROMISE(t.t >= APR_INT64_C(-62135596800) * APR_USEC_PER_SEC);
        PROMISE(t.t < APR_INT64_C(253402300800) * APR_USEC_PER_SEC);
        PROMISE(bl_time_parse(bl_time_rfc3339(&t, pool), &back) == APR_SUCCESS);
        PROMISE(back.t / APR_USEC_PER_SEC == t.t / APR_USEC_PER_SEC && back.offset == t.offset);
        w = bl_locale_date(&t, "es", 1, pool);
        PROMISE(*w != '\0');
        w = bl_locale_datetime(&t, "en-US", 1, pool);
        PROMISE(*w != '\0');
        end = t;
        end.t += APR_USEC_PER_SEC * 3600;
        w = bl_locale_span(&t, &end, "fr", pool);
        PROMISE(*w != '\0');
        PROMISE(strlen(bl_time_ical(t.t, pool)) == 16);
    }
    apr_pool_clear(pool);
    free(s);
    return 0;
}
