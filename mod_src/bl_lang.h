/* bl_lang.h: language tags, the configured language list and HTTP negotiation. */
#ifndef BL_LANG_H
#define BL_LANG_H

#include <apr_pools.h>

#include "bl_limits.h"

/** The configured languages; tag[0] is the default. */
typedef struct bl_langs_t {
    int n;
    const char *tag[BL_MAX_LANGS];
} bl_langs_t;

/** The languages served when none are configured: es, then en. */
extern const bl_langs_t bl_lang_defaults;

/** The default languages as bl_lang_join writes them ("es en"). */
extern const char bl_lang_defaults_key[];

/** Returns the tags of LANGS joined by single spaces, from P. */
const char *bl_lang_join(const bl_langs_t *langs, apr_pool_t *p);

/** Returns 1 when TAG is a well-formed BCP 47 language tag (RFC 5646 syntax), else 0. */
int bl_lang_tag_valid(const char *tag);

/** Returns the index of TAG in LANGS compared case-insensitively, or -1. */
int bl_lang_find(const bl_langs_t *langs, const char *tag);

/** Returns the index of the language of length LEN at TAG in LANGS, or -1. */
int bl_lang_findn(const bl_langs_t *langs, const char *tag, apr_size_t len);

/** Returns 1 when TAG is the language FAMILY or one of its subtags ("es-MX" is in
 *  "es"), ignoring case: the one test of "which built-in language is this". */
int bl_lang_in_family(const char *tag, const char *family);

/** Returns the qvalue (RFC 9110 12.4.2: "0", "0.5", "1.000") in the LEN bytes at S in
 *  thousandths, or -1 when it is malformed or above 1. */
int bl_lang_qvalue(const char *s, apr_size_t len);

/** Returns the index of the language chosen by an Accept-Language HEADER
 *  (RFC 9110 12.5.4; a range matches a language when one is a prefix of the other at a
 *  '-' boundary, ignoring case: SPEC 4), or -1 when none has a weight
 *  above 0. Bad elements are skipped; the work is linear in the header. */
int bl_lang_negotiate(const bl_langs_t *langs, const char *header);

/** Returns the index of the language named by cookie NAME in a Cookie HEADER,
 *  or -1 when there is none or it names no configured language. */
int bl_lang_from_cookie(const bl_langs_t *langs, const char *header, const char *name);

/** Returns the index of the language named by parameter `lang` in query
 *  string ARGS, or -1. */
int bl_lang_from_query(const bl_langs_t *langs, const char *args);

/** Returns the query string ARGS without its `lang` parameters, or NULL when nothing
 *  is left, from P; linear in the length of ARGS. */
const char *bl_lang_query_without(const char *args, apr_pool_t *p);

#endif
