/* bl_arena.h: a small malloc'ed arena for what lives exactly as long as one file. */
#ifndef BL_ARENA_H
#define BL_ARENA_H

#include <apr.h>

/** An arena: allocations are bumped out of blocks that start at 256 bytes and double,
 *  and are all freed at once. An APR pool costs at least 8 KiB; a site of 20,000 files
 *  would pay 160 MB for that alone, an arena pays what it holds. Not thread-safe: it is
 *  filled by the loading thread and only read afterwards. */
typedef struct bl_arena_t bl_arena_t;

/** Returns a new empty arena, or NULL when memory runs out. */
bl_arena_t *bl_arena_create(void);

/** Returns N zeroed bytes aligned for any type, or NULL when memory runs out. */
void *bl_arena_alloc(bl_arena_t *a, apr_size_t n);

/** Returns a copy of S, or NULL when memory runs out. */
char *bl_arena_strdup(bl_arena_t *a, const char *s);

/** Returns the bytes the arena holds (blocks, not just what was asked). */
apr_size_t bl_arena_size(const bl_arena_t *a);

/** Frees every block and the arena itself; A may be NULL. */
void bl_arena_destroy(bl_arena_t *a);

#endif
