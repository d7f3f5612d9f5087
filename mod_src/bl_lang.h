/* bl_lang.h: language tags, the configured language list and HTTP negotiation. */
#ifndef BL_LANG_H
#define BL_LANG_H

#include <apr.h>

#define BL_MAX_LANGS 16
#define BL_MAX_TAG 35

/** The configured languages; tag[0] is the default. */
typedef struct bl_langs_t {
    int n;
    const char *tag[BL_MAX_LANGS];
} bl_langs_t;

/** Returns 1 when TAG is a well-formed BCP 47 language tag (RFC 5646 syntax), else 0. */
int bl_lang_tag_valid(const char *tag);

/** Returns the index of TAG in LANGS compared case-insensitively, or -1. */
int bl_lang_find(const bl_langs_t *langs, const char *tag);

/** Returns the index of the language of length LEN at TAG in LANGS, or -1. */
int bl_lang_findn(const bl_langs_t *langs, const char *tag, apr_size_t len);

/** Returns the index of the language chosen by an Accept-Language HEADER
 *  (RFC 9110 12.5.4, RFC 4647 basic filtering), or -1 when none has a weight
 *  above 0. Bad elements are skipped; the work is linear in the header. */
int bl_lang_negotiate(const bl_langs_t *langs, const char *header);

/** Returns the index of the language named by cookie NAME in a Cookie HEADER,
 *  or -1 when there is none or it names no configured language. */
int bl_lang_from_cookie(const bl_langs_t *langs, const char *header, const char *name);

/** Returns the index of the language named by parameter `lang` in query
 *  string ARGS, or -1. */
int bl_lang_from_query(const bl_langs_t *langs, const char *args);

#endif
