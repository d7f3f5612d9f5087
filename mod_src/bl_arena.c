/* bl_arena.c: bump allocation from a chain of malloc'ed blocks. */
#include <stdlib.h>
#include <string.h>

#include "bl_arena.h"

#define FIRST_BLOCK 256
#define MAX_BLOCK (64 * 1024)
#define ALIGN 16

/** One block: the next one in the chain, its size and how much is used. */
typedef struct block_t {
    struct block_t *next;
    apr_size_t size;
    apr_size_t used;
    /* the bytes follow, aligned */
} block_t;

struct bl_arena_t {
    block_t *head; /* the block being filled; older ones follow */
    apr_size_t total;
};

/* The header's size, rounded so the bytes after it are aligned. */
#define HEADER ((sizeof(block_t) + ALIGN - 1) / ALIGN * ALIGN)

/* Allocates the arena record. */
bl_arena_t *bl_arena_create(void)
{
    return calloc(1, sizeof(bl_arena_t));
}

/* Adds a block of twice the last size (at most MAX_BLOCK) or of N when bigger. */
static block_t *add_block(bl_arena_t *a, apr_size_t n)
{
    apr_size_t size = a->head ? a->head->size * 2 : FIRST_BLOCK;
    block_t *b;

    size = size > MAX_BLOCK ? MAX_BLOCK : size;
    size = size < n ? n : size;
    b = malloc(HEADER + size);
    if (b == NULL) {
        return NULL;
    }
    b->size = size;
    b->used = 0;
    b->next = a->head;
    a->head = b;
    a->total += HEADER + size;
    return b;
}

/* Bumps N rounded up to ALIGN out of the head block, adding one when it is full. */
void *bl_arena_alloc(bl_arena_t *a, apr_size_t n)
{
    block_t *b = a->head;
    char *p;

    n = (n + ALIGN - 1) / ALIGN * ALIGN;
    if (b == NULL || b->size - b->used < n) {
        b = add_block(a, n);
        if (b == NULL) {
            return NULL;
        }
    }
    p = (char *)b + HEADER + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

/* Copies S with its NUL. */
char *bl_arena_strdup(bl_arena_t *a, const char *s)
{
    apr_size_t n = strlen(s) + 1;
    char *d = bl_arena_alloc(a, n);

    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

/* Returns the running total. */
apr_size_t bl_arena_size(const bl_arena_t *a)
{
    return a->total;
}

/* Frees the chain. */
void bl_arena_destroy(bl_arena_t *a)
{
    block_t *b, *next;

    if (a == NULL) {
        return;
    }
    for (b = a->head; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}
